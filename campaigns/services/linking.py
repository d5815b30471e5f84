"""Linking an unmatched participation to a student, from the unmatched queue."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Participation
from campaigns.signals import announce_results_changed
from pixoffice.accounts.models import Student, User
from pixoffice.core.locking import lock_rows


def link_participation(
    participation: Participation, student: Student, *, by: User
) -> Participation:
    """Resolve an unmatched row: attach it (and its shares) to a roster student.

    Under the campaign's lock (an import of the campaign waits), then the student's;
    the database refuses a second participation of the student in the campaign."""
    with transaction.atomic():
        lock_rows(Campaign, [participation.campaign_id])
        lock_rows(Student, [student.pk], strength="key share")
        lock_rows(Participation, [participation.pk])
        participation.refresh_from_db(fields=["student"])
        if participation.student_id is not None:
            raise ValueError(
                _("%(identifier)s est déjà rattaché·e à un·e étudiant·e.")
                % {"identifier": participation.identifier}
            )
        participation.student = student
        participation.linked_by = by
        participation.linked_at = timezone.now()
        # a row set aside then found to be a followed student: no longer ignored
        participation.ignored_at, participation.ignored_by = None, None
        participation.ignored_reason = ""
        try:
            with transaction.atomic():
                participation.save(
                    update_fields=[
                        "student",
                        "linked_by",
                        "linked_at",
                        "ignored_at",
                        "ignored_by",
                        "ignored_reason",
                    ]
                )
        except IntegrityError:
            other = Participation.objects.filter(
                campaign_id=participation.campaign_id, student=student
            ).first()
            raise ValueError(
                _("%(name)s a déjà une participation à cette campagne (identifiant %(id)s).")
                % {"name": student.full_name, "id": other.identifier if other else "?"}
            ) from None
        announce_results_changed(participation.campaign_id, [student.pk])
    return participation
