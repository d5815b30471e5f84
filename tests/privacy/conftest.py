"""A purgeable year (2019-2020, ended more than five years before 2 December 2026), a
year within retention (2021-2022) and the current one (2026-2027), each with personal
data of every kind the purge knows."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from certification.models import CertificationResult, Unavailability
from grading.models import NoteChange
from pixoffice.accounts.models import RosterImport
from pixoffice.badges.models import BadgeSubmission
from pixoffice.mail.models import Message
from tests.factories import (
    AcademicYearFactory,
    CampaignFactory,
    ParticipationFactory,
    ProgrammeFactory,
    ShareFactory,
    StudentUserFactory,
)
from tests.factories.badges import BadgeRequirementFactory, BadgeSubmissionFactory
from tests.factories.certification import CandidateFactory, SessionFactory
from tests.factories.grading import NoteFactory, SchemeFactory

TODAY = dt.date(2026, 12, 2)
PARIS = ZoneInfo("Europe/Paris")


def year(name: str):
    first = int(name[:4])
    return AcademicYearFactory(name=name, start=dt.date(first, 9, 1), end=dt.date(first + 1, 8, 31))


def fill_year(academic_year, programme, *, students: int = 1, tag: str = ""):
    """Every kind of personal data of ``academic_year``; returns the students."""
    made = []
    campaign = CampaignFactory(academic_year=academic_year, programmes=[programme])
    scheme = SchemeFactory(academic_year=academic_year, programmes=[programme])
    requirement = BadgeRequirementFactory(academic_year=academic_year, programmes=[programme])
    session = SessionFactory(
        academic_year=academic_year,
        starts_at=dt.datetime(academic_year.start.year + 1, 3, 11, 9, tzinfo=PARIS),
    )
    for i in range(students):
        user = StudentUserFactory(
            email=f"{tag}{i}@etu.univ-exemple.fr",
            student__programme=programme,
            student__academic_year=academic_year,
            student__birth_date=dt.date(2001, 1, 1),
            student__last_name=f"Nom{tag}{i}",
        )
        student = user.student
        made.append(student)
        ShareFactory(participation=ParticipationFactory(campaign=campaign, student=student))
        note = NoteFactory(scheme=scheme, student=student)
        NoteChange.objects.create(note=note, kind="computed", at=timezone.now(), new_result="x")
        BadgeSubmissionFactory(
            student=student, requirement=requirement, status=BadgeSubmission.Status.ACCEPTED
        )
        CandidateFactory(session=session, student=student)
        Unavailability.objects.create(
            student=student,
            starts_at=session.starts_at,
            ends_at=session.starts_at + dt.timedelta(hours=1),
        )
        CertificationResult.objects.create(
            certification_number=int(f"{academic_year.start.year}{i:04d}"),
            student=student,
            session=session,
            first_name=student.first_name,
            last_name=student.last_name,
            birth_date=student.birth_date,
            status=CertificationResult.Status.VALIDATED,
        )
        Message.objects.create(
            key=f"test:{tag}:{i}",
            kind="test",
            to=student.email,
            subject="s",
            text="Bonjour",
            student=student,
        )
    ParticipationFactory(campaign=campaign, student=None, last_name=f"Inconnu{tag}")
    roster = RosterImport(original_name="liste.csv", sha256="0" * 64, academic_year=academic_year)
    roster.file.save("liste.csv", ContentFile(b"numero;nom\n1;Dupont\n"), save=True)
    return made


@pytest.fixture
def retention_world(db, programmes, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    geo = programmes["L2 Géographie"]
    old, recent, current = year("2019-2020"), year("2021-2022"), year("2026-2027")
    return {
        "old": old,
        "recent": recent,
        "current": current,
        "old_students": fill_year(old, geo, students=2, tag="old"),
        "recent_students": fill_year(recent, programmes["L2 Histoire"], tag="recent"),
        "current_students": fill_year(current, geo, tag="cur"),
        "other_programme": ProgrammeFactory(name="L2 SED"),
    }
