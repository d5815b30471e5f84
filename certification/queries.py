"""Querysets and lookups the pages reuse."""

from django.db.models import Count

from certification.models import CertificationResult

from .models import CertificationSession


def sessions_listed(*, site=None, room=None, start=None, end=None):
    sessions = (
        CertificationSession.objects.select_related("room__site")
        .annotate(placed=Count("candidates", distinct=True))
        .order_by("starts_at", "room__name")
    )
    if site is not None:
        sessions = sessions.filter(room__site=site)
    if room is not None:
        sessions = sessions.filter(room=room)
    if start is not None:
        sessions = sessions.filter(starts_at__gte=start)
    if end is not None:
        sessions = sessions.filter(starts_at__lt=end)
    return sessions


def invigilator_conflicts(session: CertificationSession):
    """Other sessions overlapping this one that share one of its invigilators."""
    return (
        CertificationSession.objects.filter(
            starts_at__lt=session.occupied_until,
            occupied_until__gt=session.starts_at,
            invigilators__in=session.invigilators.all(),
        )
        .exclude(pk=session.pk)
        .select_related("room__site")
        .distinct()
    )


def conflicting_session_ids(sessions) -> set[int]:
    """Which of ``sessions`` share an invigilator with an overlapping session (one query)."""
    ids = [s.pk for s in sessions]
    if not ids:
        return set()
    pairs = CertificationSession.invigilators.through.objects.filter(
        certificationsession_id__in=ids
    ).values_list("certificationsession_id", "user_id")
    by_user = {}
    for session_id, user_id in pairs:
        by_user.setdefault(user_id, []).append(session_id)
    spans = {s.pk: (s.starts_at, s.occupied_until) for s in sessions}
    flagged = set()
    for session_ids in by_user.values():
        for i, a in enumerate(session_ids):
            for b in session_ids[i + 1 :]:
                if spans[a][0] < spans[b][1] and spans[b][0] < spans[a][1]:
                    flagged.update({a, b})
    return flagged


__all__ = ["conflicting_session_ids", "invigilator_conflicts", "sessions_listed"]


def latest_results(student_ids, *, start=None, end=None) -> dict:
    """``{student_id: (result id, status, score, taken_on)}``: each student's latest
    result (by date of passage, then certification number), in one query."""
    results = CertificationResult.objects.filter(student_id__isnull=False)
    if student_ids is not None:
        results = results.filter(student_id__in=student_ids)
    if start is not None:
        results = results.filter(taken_on__gte=start)
    if end is not None:
        results = results.filter(taken_on__lte=end)
    rows = results.order_by("student_id", "taken_on", "certification_number").values_list(
        "student_id", "pk", "status", "score", "taken_on"
    )
    return {
        student_id: (pk, status, score, taken_on)
        for student_id, pk, status, score, taken_on in rows
    }
