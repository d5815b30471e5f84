"""Demo data: published sessions with placed candidates (some with extra time) in the
Strasbourg salle PIX and a draft one in Caen, for the demo year, and the sample Pix
results file imported. Safe to run again."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from certification import services
from certification.models import CertificationSession
from certification.results import apply_results_import, plan_results_import
from pixoffice.accounts.models import Student

PARIS = ZoneInfo("Europe/Paris")
RESULTS = Path(__file__).parent / "certification-results.csv"
SAMPLE_SESSION = 198695


def _thursday_in_march(year) -> dt.date:
    day = dt.date(year.start.year + 1, 3, 8)
    return day + dt.timedelta(days=(3 - day.weekday()) % 7)


def _session(room, start, *, year, seats, invigilators, status):
    session = CertificationSession.objects.filter(room=room, starts_at=start).first()
    if session is None:
        session = services.save_session(
            session=CertificationSession(
                room=room, starts_at=start, seats=seats, academic_year=year
            ),
            invigilators=invigilators,
        )
    if status == CertificationSession.Status.PUBLISHED and session.status == "draft":
        services.publish_session(session=session)
    return session


def load_certification_demo(year, rooms, *, invigilators=()) -> list[CertificationSession]:
    by_name = {room.name: room for room in rooms}
    day = _thursday_in_march(year)
    patio = by_name["Salle PIX du Patio"]
    published = CertificationSession.Status.PUBLISHED
    sessions = [
        _session(
            patio,
            dt.datetime.combine(day, dt.time(9), tzinfo=PARIS),
            year=year, seats=patio.seats, invigilators=invigilators, status=published,
        ),
        _session(
            patio,
            dt.datetime.combine(day, dt.time(14), tzinfo=PARIS),
            year=year, seats=patio.seats, invigilators=invigilators, status=published,
        ),
        _session(
            by_name["Mercure (DR S03)"],
            dt.datetime.combine(day + dt.timedelta(days=7), dt.time(9), tzinfo=PARIS),
            year=year, seats=37, invigilators=(), status=CertificationSession.Status.DRAFT,
        ),
    ]  # fmt: skip
    students = list(
        Student.objects.filter(programme__name="L2 SED", academic_year=year).order_by(
            "-extra_time_percent", "student_number"
        )[:24]
    )
    for index, student in enumerate(students):
        session = sessions[index % 2]
        if not session.candidates.filter(student=student).exists():
            services.place_candidate(session_id=session.pk, student=student)
    # the sample's session, moved to the demo year's morning Patio session
    if sessions[0].pix_session_number is None:
        CertificationSession.objects.filter(pk=sessions[0].pk).update(
            pix_session_number=SAMPLE_SESSION
        )
    data = RESULTS.read_bytes().replace(b'"12/03/2026"', f'"{day:%d/%m/%Y}"'.encode())
    plan = plan_results_import(data)
    if plan.ok:
        apply_results_import(plan)
    return sessions
