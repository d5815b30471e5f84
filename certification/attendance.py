"""Attendance: who came to a session. Staff record it on the session page; a results
import marks present the candidates of a session a result came back for."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Candidate, CertificationSession

Attendance = Candidate.Attendance


@transaction.atomic
def record_attendance(*, session: CertificationSession, values: dict, candidates) -> int:
    """Write ``values`` (candidate id → attendance value) for the candidates of
    ``session`` among ``candidates`` (those the user may change; others are left as
    they are). All or nothing; returns how many changed (one UPDATE per value)."""
    if session.status == CertificationSession.Status.DRAFT:
        raise ValidationError(
            _("La session n'est pas publiée : ses présences ne se notent pas encore.")
        )
    rows = {
        c.pk: c
        for c in candidates.filter(session=session, pk__in=list(values)).select_related("student")
    }
    allowed = set(Attendance.values)
    bad = [
        _("Présence de %(name)s : « %(value)s » n'est pas une valeur possible.")
        % {"name": rows[pk].student.full_name, "value": value}
        for pk, value in values.items()
        if pk in rows and value not in allowed
    ]
    if bad:
        raise ValidationError(bad)
    by_value = defaultdict(list)
    for pk, value in values.items():
        if pk in rows and rows[pk].attendance != value:
            by_value[value].append(pk)
    for value, pks in sorted(by_value.items()):
        Candidate.objects.filter(pk__in=pks).update(attendance=value)
    return sum(len(pks) for pks in by_value.values())


def mark_present(pairs) -> int:
    """Mark present the candidates ``(session id, student id)`` of ``pairs`` not marked
    so yet (a result came back: they sat); returns how many changed."""
    pairs = set(pairs)
    if not pairs:
        return 0
    rows = (
        Candidate.objects.filter(
            session_id__in={s for s, _st in pairs}, student_id__in={st for _s, st in pairs}
        )
        .exclude(attendance=Attendance.PRESENT)
        .values_list("pk", "session_id", "student_id")
    )
    pks = [pk for pk, session_id, student_id in rows if (session_id, student_id) in pairs]
    if not pks:
        return 0
    return Candidate.objects.filter(pk__in=pks).update(attendance=Attendance.PRESENT)
