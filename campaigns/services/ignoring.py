"""Setting an unmatched row aside (« pas un étudiant suivi ici »: a participant of
another programme who joined the campaign), and taking it back into the queue."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Participation
from pixoffice.accounts.models import User
from pixoffice.core.locking import lock_rows

REASON_MAX = 300


def ignore_participation(participation: Participation, *, reason: str, by: User) -> Participation:
    """Hide an unmatched row from the queue and its counts, with the reason given.

    Under the campaign's lock (an import that would link the row waits), then the
    row's; a row linked meanwhile is refused."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValueError(_("Indiquez pourquoi cette ligne est ignorée."))
    if len(reason) > REASON_MAX:
        raise ValueError(_("Le motif dépasse %(n)s caractères.") % {"n": REASON_MAX})
    with transaction.atomic():
        lock_rows(Campaign, [participation.campaign_id])
        lock_rows(Participation, [participation.pk])
        participation.refresh_from_db(fields=["student", "ignored_at"])
        if participation.student_id is not None:
            raise ValueError(
                _("%(identifier)s est déjà rattaché·e à un·e étudiant·e.")
                % {"identifier": participation.identifier}
            )
        if participation.ignored_at is not None:
            raise ValueError(
                _("%(identifier)s est déjà ignoré·e.") % {"identifier": participation.identifier}
            )
        participation.ignored_at = timezone.now()
        participation.ignored_by = by
        participation.ignored_reason = reason
        participation.save(update_fields=["ignored_at", "ignored_by", "ignored_reason"])
    return participation


def restore_participation(participation: Participation, *, by: User) -> Participation:
    """Undo ``ignore_participation``: the row is back in the queue. ``by`` is the
    staff member who asked (checked by the caller); nothing else is kept."""
    with transaction.atomic():
        lock_rows(Campaign, [participation.campaign_id])
        lock_rows(Participation, [participation.pk])
        participation.refresh_from_db(fields=["student", "ignored_at"])
        if participation.ignored_at is None:
            raise ValueError(
                _("%(identifier)s n'est pas ignoré·e.") % {"identifier": participation.identifier}
            )
        participation.ignored_at, participation.ignored_by = None, None
        participation.ignored_reason = ""
        participation.save(update_fields=["ignored_at", "ignored_by", "ignored_reason"])
    return participation
