"""Scheduling sessions and placing candidates (verb-named, keyword-only).

Every check a user can trip gets a French ``ValidationError``; the database keeps the
last word (PostgreSQL's exclusion constraint on overlaps, the session row lock on
seats), so two staff members working at once never overbook a room or a session.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pixoffice.core.locking import lock_rows

from . import convocations
from .models import NO_OVERLAP, Candidate, CertificationSession

# a seat is worth a short wait: when many students press « M'inscrire » at once they
# queue on the session's row; past this they are told to try again
SEAT_LOCK_TIMEOUT_MS = 15_000


def occupied_until(session: CertificationSession, *, extra_times=()) -> "timezone.datetime":
    """The end of the slot, or of the longest extra-time test, whichever is later."""
    longest = max([0, *extra_times])
    return max(session.ends_at, session.end_for(longest))


def _overlapping(session: CertificationSession):
    return (
        CertificationSession.objects.filter(
            room_id=session.room_id,
            starts_at__lt=session.occupied_until,
            occupied_until__gt=session.starts_at,
        )
        .exclude(pk=session.pk)
        .order_by("starts_at")
    )


def _overlap_error(other: CertificationSession | None) -> ValidationError:
    if other is None:
        return ValidationError(_("Cette salle est déjà occupée sur ce créneau."), code="overlap")
    start = timezone.localtime(other.starts_at)
    end = timezone.localtime(other.occupied_until)
    return ValidationError(
        _(
            "La salle est déjà occupée par la session du %(day)s de %(start)s à %(end)s "
            "(temps majorés compris)."
        )
        % {"day": f"{start:%d/%m/%Y}", "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"},
        code="overlap",
    )


def _save_occupying(session: CertificationSession) -> None:
    """Save after checking the room is free; the constraint backs it on PostgreSQL."""
    other = _overlapping(session).first()
    if other is not None:
        raise _overlap_error(other)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as error:
        if NO_OVERLAP in str(error):
            raise _overlap_error(_overlapping(session).first()) from error
        raise


def check_session(session: CertificationSession) -> None:
    """What makes a session impossible: an uncertified room, more seats than it has."""
    day = timezone.localdate(session.starts_at)
    errors = {}
    if not session.room.is_certified_on(day):
        errors["room"] = _("La salle « %(room)s » n'est pas certifiée Pix le %(day)s.") % {
            "room": session.room,
            "day": f"{day:%d/%m/%Y}",
        }
    if session.seats > session.room.seats:
        errors["seats"] = ngettext(
            "La salle n'a que %(n)d place.", "La salle n'a que %(n)d places.", session.room.seats
        ) % {"n": session.room.seats}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_session(
    *, session: CertificationSession, invigilators=None, programmes=None
) -> CertificationSession:
    """Create or update a session; its room stays booked for its longest candidate."""
    check_session(session)
    extra_times = []
    if session.pk:
        CertificationSession.objects.select_for_update().filter(pk=session.pk).first()
        extra_times = list(session.candidates.values_list("extra_time_percent", flat=True))
        placed = len(extra_times)
        if session.seats < placed:
            raise ValidationError(
                {
                    "seats": ngettext(
                        "%(n)d candidat·e est déjà placé·e.",
                        "%(n)d candidat·e·s sont déjà placé·e·s.",
                        placed,
                    )
                    % {"n": placed}
                }
            )
    session.occupied_until = occupied_until(session, extra_times=extra_times)
    _save_occupying(session)
    if invigilators is not None:
        session.invigilators.set(invigilators)
    if programmes is not None:
        session.programmes.set(programmes)
    return session


def _set_status(session, *, allowed_from, to):
    updated = CertificationSession.objects.filter(pk=session.pk, status__in=allowed_from).update(
        status=to
    )
    if not updated:
        raise ValidationError(_("Le statut de cette session ne permet pas ce changement."))
    session.status = to
    return session


def publish_session(*, session: CertificationSession) -> CertificationSession:
    """Publish; each candidate's convocation is queued after commit (never twice)."""
    _set_status(session, allowed_from=[session.Status.DRAFT], to=session.Status.PUBLISHED)
    convocations.queue_after_commit(session_ids=[session.pk])
    return session


def close_session(*, session: CertificationSession) -> CertificationSession:
    return _set_status(session, allowed_from=[session.Status.PUBLISHED], to=session.Status.CLOSED)


@transaction.atomic
def place_candidate(*, session_id: int, student, by=None) -> Candidate:
    """Place ``student``; the session row is locked (``lock_rows``), then its candidates
    counted, so simultaneous placements never take more seats than there are. The
    lock waits up to ``SEAT_LOCK_TIMEOUT_MS``; what runs under it is four statements."""
    lock_rows(CertificationSession, [session_id], timeout_ms=SEAT_LOCK_TIMEOUT_MS)
    session = CertificationSession.objects.select_related("room").get(pk=session_id)
    if session.status == session.Status.CLOSED:
        raise ValidationError(_("Cette session est close."))
    seen = session.candidates.aggregate(
        taken=Count("pk"),
        mine=Count("pk", filter=Q(student=student)),
        longest=Max("extra_time_percent"),
    )
    if seen["mine"]:
        raise ValidationError(
            _("%(name)s est déjà placé·e dans cette session.") % {"name": student.full_name}
        )
    if seen["taken"] >= session.seats:
        raise ValidationError(
            ngettext(
                "La session est complète (%(n)d place).",
                "La session est complète (%(n)d places).",
                session.seats,
            )
            % {"n": session.seats},
            code="full",
        )
    extra = student.extra_time_percent
    longest = seen["longest"] or 0
    if extra > longest:
        session.occupied_until = occupied_until(session, extra_times=[extra])
        try:
            _save_occupying(session)
        except ValidationError as error:
            raise ValidationError(
                _(
                    "%(name)s a %(extra)d %% de temps majoré : la salle n'est pas libre assez "
                    "longtemps après cette session. %(why)s"
                )
                % {"name": student.full_name, "extra": extra, "why": " ".join(error.messages)},
                code="no_extended_slot",
            ) from error
    return Candidate.objects.create(
        session=session, student=student, extra_time_percent=extra, placed_by=by
    )


@transaction.atomic
def remove_candidate(*, candidate_id: int) -> None:
    """Remove a candidate; the room is then booked only as long as the others need."""
    candidate = Candidate.objects.select_related("session").get(pk=candidate_id)
    session = CertificationSession.objects.select_for_update().get(pk=candidate.session_id)
    if session.status == session.Status.CLOSED:
        raise ValidationError(_("Cette session est close."))
    candidate.delete()
    extra_times = session.candidates.values_list("extra_time_percent", flat=True)
    session.occupied_until = occupied_until(session, extra_times=list(extra_times))
    session.save(update_fields=["occupied_until"])
