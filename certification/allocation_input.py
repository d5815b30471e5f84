"""The allocation's input read from the database, in a fixed number of queries.

Who is eligible (the three conditions of ``eligibility``, for many students at once),
the sessions as the solver sees them (free seats; ``limit``: the next session's start
in the same room, up to which a session may stay booked for extra time) and each
student's declared unavailable slots; and the ``snapshot`` of the chosen sessions
that tells, when a proposal is applied, whether they changed meanwhile.
"""

from collections import defaultdict

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.framework import MIN_CERTIFIABLE_COMPETENCES
from campaigns.models import Campaign, Share
from pixoffice.accounts.models import Student

from .allocation import SessionIn, StudentIn
from .eligibility import VALIDITY_YEARS, _years_later
from .models import Candidate, CertificationResult, CertificationSession, Unavailability


def ineligibility(students, *, today=None) -> dict[int, str]:
    """``{student id: why they may not sit}`` for the ineligible ones, in three
    queries; the same conditions as ``eligibility.eligibility``, worded for staff."""
    today = today or timezone.localdate()
    students = list(students)
    ids = [s.pk for s in students]
    campaigns = defaultdict(list)  # (programme, year) → [(campaign id, code)]
    rows = (
        Campaign.objects.filter(
            programmes__in={s.programme_id for s in students},
            kind=Campaign.Kind.PROFILES_COLLECTION,
        )
        .order_by("deadline", "pk")
        .values_list("pk", "code", "programmes", "academic_year_id")
    )
    for pk, code, programme, year in rows:
        campaigns[(programme, year)].append((pk, code))
    counting = defaultdict(list)  # student → [(campaign, certifiable, count)]
    shares = Share.objects.filter(
        counts=True,
        participation__student_id__in=ids,
        participation__campaign_id__in={pk for c in campaigns.values() for pk, _code in c},
    ).values_list(
        "participation__student_id",
        "participation__campaign_id",
        "certifiable",
        "certifiable_count",
    )
    for student_id, campaign_id, flag, count in shares:
        counting[student_id].append((campaign_id, flag, count))
    obtained = dict(
        CertificationResult.objects.filter(
            student_id__in=ids,
            status=CertificationResult.Status.VALIDATED,
            taken_on__isnull=False,
        )
        .order_by()
        .values("student_id")
        .annotate(last=Max("taken_on"))
        .values_list("student_id", "last")
    )
    reasons = {}
    for student in students:
        expected = campaigns.get((student.programme_id, student.academic_year_id), [])
        counted = counting.get(student.pk, [])
        wanted = {pk for pk, _code in expected}
        counted = [row for row in counted if row[0] in wanted]
        shared = {campaign for campaign, _f, _n in counted}
        why = []
        missing = [code for pk, code in expected if pk not in shared]
        if missing:
            why.append(_("campagnes non envoyées : %(codes)s") % {"codes": ", ".join(missing)})
        if not any(
            flag or (flag is None and (count or 0) >= MIN_CERTIFIABLE_COMPETENCES)
            for _c, flag, count in counted
        ):
            why.append(_("profil pas encore certifiable"))
        if (day := obtained.get(student.pk)) and _years_later(day, VALIDITY_YEARS) > today:
            why.append(
                _("certification obtenue le %(day)s, valable jusqu'au %(until)s")
                % {
                    "day": day.strftime("%d/%m/%Y"),
                    "until": _years_later(day, VALIDITY_YEARS).strftime("%d/%m/%Y"),
                }
            )
        if why:
            reasons[student.pk] = " ; ".join(why)
    return reasons


def unplaced_students(*, programmes, academic_year):
    """The programmes' students of that year with no place in an open session."""
    placed = Candidate.objects.exclude(session__status=CertificationSession.Status.CLOSED)
    return (
        Student.objects.filter(
            Q(academic_year=academic_year) | Q(academic_year__isnull=True),
            programme__in=programmes,
        )
        .exclude(pk__in=placed.values("student_id"))
        .select_related("programme")
        .order_by("programme__name", "group", "last_name", "first_name", "pk")
    )


def _limits(sessions) -> dict[int, object]:
    """Each session's ``limit``: the start of the next session in its room (one query)."""
    if not sessions:
        return {}
    first = min(s.starts_at for s in sessions)
    starts = defaultdict(list)
    rows = CertificationSession.objects.filter(
        room_id__in={s.room_id for s in sessions}, starts_at__gt=first
    ).values_list("room_id", "starts_at")
    for room, start in rows:
        starts[room].append(start)
    return {
        s.pk: min((t for t in starts[s.room_id] if t > s.starts_at), default=None) for s in sessions
    }


def sessions_for_solver(sessions) -> list[SessionIn]:
    """The chosen sessions (with ``room`` and ``placed`` count), in time then room order."""
    sessions = sorted(sessions, key=lambda s: (s.starts_at, s.room.name, s.pk))
    limits = _limits(sessions)
    programmes = defaultdict(set)
    through = CertificationSession.programmes.through.objects.filter(
        certificationsession_id__in=[s.pk for s in sessions]
    ).values_list("certificationsession_id", "programme_id")
    for session_id, programme_id in through:
        programmes[session_id].add(programme_id)
    return [
        SessionIn(
            id=s.pk,
            starts_at=s.starts_at,
            seats_free=max(s.seats - s.placed, 0),
            limit=limits[s.pk],
            test_minutes=s.test_minutes,
            slot_minutes=s.slot_minutes,
            accessible=s.room.wheelchair_accessible,
            programmes=frozenset(programmes[s.pk]),
            room=s.room_id,
        )
        for s in sessions
    ]


def students_for_solver(students, *, start, end) -> list[StudentIn]:
    """The students with their unavailable slots between ``start`` and ``end``."""
    students = list(students)
    spans = defaultdict(list)
    rows = Unavailability.objects.filter(
        student_id__in=[s.pk for s in students], ends_at__gt=start, starts_at__lt=end
    ).values_list("student_id", "starts_at", "ends_at")
    for student_id, a, b in rows:
        spans[student_id].append((a, b))
    return [
        StudentIn(
            id=s.pk,
            group=(s.programme_id, s.group),
            sort_key=(s.last_name, s.first_name),
            extra_time_percent=s.extra_time_percent,
            needs_accessible_room=s.needs_accessible_room,
            unavailable=tuple(sorted(spans[s.pk])),
        )
        for s in students
    ]


def chosen_sessions(session_ids):
    return list(
        CertificationSession.objects.filter(pk__in=session_ids)
        .select_related("room__site")
        .annotate(placed=Count("candidates"))
    )


def snapshot(sessions, limits: list[SessionIn]) -> dict:
    """What must not change between proposal and application, per session."""
    limit_of = {s.id: s.limit for s in limits}
    return {
        str(s.pk): [
            s.starts_at.isoformat(),
            s.occupied_until.isoformat(),
            s.seats,
            s.placed,
            s.status,
            limit_of[s.pk].isoformat() if limit_of.get(s.pk) else None,
        ]
        for s in sorted(sessions, key=lambda s: s.pk)
    }
