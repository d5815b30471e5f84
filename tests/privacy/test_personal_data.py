"""Issue 16 item 4: a student's copy of everything the site holds about them — every
section, a fixed structure, only their own rows, a constant number of queries."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from campaigns.models import ExportHeader
from certification.models import (
    AllocationAssignment,
    AllocationRun,
    CertificationResult,
    Unavailability,
)
from grading.models import NoteChange
from pixoffice.events.models import Registration
from pixoffice.mail.models import Attachment, Batch, Message
from pixoffice.portal.models import CalendarFeed
from pixoffice.privacy.models import PersonalDataExport
from pixoffice.privacy.personal_data import FORMAT, QUERIES, as_json, collect_personal_data
from pixoffice.reminders.models import ReminderRule, ReminderRun
from tests.factories import (
    CampaignFactory,
    NoteFactory,
    ParticipationFactory,
    ResultImportFactory,
    SchemeFactory,
    ShareFactory,
)
from tests.factories.badges import BadgeRequirementFactory, BadgeSubmissionFactory
from tests.factories.certification import CandidateFactory, SessionFactory, paris
from tests.factories.events import WorkshopFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")

SECTIONS = [
    "format",
    "produced_at",
    "identity",
    "account",
    "campaigns",
    "badges",
    "grading",
    "certification",
    "events",
    "mail",
    "reminders",
    "calendar",
    "privacy",
    "not_included",
]


def give(student, people, n, *, tag=""):
    """``n`` items of every kind for ``student``."""
    geo = student.programme
    header = ExportHeader.objects.get_or_create(
        digest=f"d{tag}", defaults={"columns": ["Numéro étudiant", "Pix"]}
    )[0]
    for i in range(n):
        campaign = CampaignFactory(name=f"Campagne {tag}{i}", programmes=[geo])
        batch = ResultImportFactory(campaign=campaign, original_name=f"export-{tag}{i}.csv")
        participation = ParticipationFactory(campaign=campaign, student=student, first_import=batch)
        for day, counts in ((1, False), (2, True)):
            ShareFactory(
                participation=participation,
                import_batch=batch,
                counts=counts,
                shared_at=dt.datetime(2026, 3, day, 10, i, tzinfo=PARIS),
                header=header,
                raw=[student.student_number, str(100 + day)],
            )
        requirement = BadgeRequirementFactory(name=f"Badge {tag}{i}", programmes=[geo])
        BadgeSubmissionFactory(
            student=student, requirement=requirement, status="rejected", reason=f"flou {tag}{i}"
        )
        note = NoteFactory(
            scheme=SchemeFactory(programmes=[geo]), student=student, published=bool(i % 2)
        )
        NoteChange.objects.create(
            note=note,
            kind=NoteChange.Kind.OVERRIDE,
            at=timezone.now(),
            by=people["staff"],
            new_value=note.value,
            new_result=note.result,
            reason=f"jury {tag}{i}",
        )
        session = SessionFactory(starts_at=paris(2027, 3, 11 + i, 9 + (hash(tag) % 3)))
        CandidateFactory(session=session, student=student)
        Unavailability.objects.create(
            student=student,
            starts_at=paris(2027, 4, 1 + i, 8),
            ends_at=paris(2027, 4, 1 + i, 12),
            reason=f"partiel {tag}{i}",
        )
        CertificationResult.objects.create(
            certification_number=abs(hash((tag, i))) % 10**8,
            student=student,
            session=session,
            first_name=student.first_name,
            last_name=student.last_name,
            status=CertificationResult.Status.VALIDATED,
            score=300 + i,
        )
        run = AllocationRun.objects.create(academic_year=session.academic_year)
        AllocationAssignment.objects.create(run=run, student=student, session=session)
        workshop = WorkshopFactory(programme=geo)
        Registration.objects.create(workshop=workshop, student=student, status="registered")
        mail_batch = Batch.objects.create(label=f"Rappel {tag}{i}")
        rule = ReminderRule.objects.create(
            name=f"J-7 {tag}{i}", campaign=campaign, days_before=7, audience="not_joined"
        )
        ReminderRun.objects.create(rule=rule, occurrence=dt.date(2026, 10, 1), batch=mail_batch)
        message = Message.objects.create(
            key=f"test-{tag}{i}-{student.pk}",
            kind="test",
            to=student.email or "x@example.org",
            subject=f"Objet {tag}{i}",
            text="…",
            student=student,
            batch=mail_batch,
        )
        Attachment.objects.create(
            message=message,
            filename=f"convocation-{tag}{i}.ics",
            mimetype="text/calendar",
            content=b"BEGIN:VCALENDAR",
        )
        PersonalDataExport.objects.create(student=student, by=people["staff"], format="json")
    CalendarFeed.objects.get_or_create(student=student)


def test_every_section_is_there_with_the_students_rows(people):
    student = people["student_a"].student
    give(student, people, 1)

    data = collect_personal_data(student)

    assert list(data) == SECTIONS and data["format"] == FORMAT
    assert data["identity"]["student_number"] == student.student_number
    assert data["identity"]["programme"] == student.programme.name
    assert data["account"]["email"] == people["student_a"].email
    (p,) = data["campaigns"]["participations"]
    assert [s["counts"] for s in p["shares"]] == [False, True]
    assert p["counting_share"] == p["shares"][1]["shared_at"]
    assert p["shares"][0]["row"] == {"Numéro étudiant": student.student_number, "Pix": "101"}
    (submission,) = data["badges"]["submissions"]
    assert submission["status_label"] == "Refusé" and submission["reason"] == "flou 0"
    (note,) = data["grading"]["notes"]
    assert note["published"] is False  # a copy holds every note row, published or not
    assert [c["reason"] for c in note["changes"]] == ["jury 0"]
    assert note["changes"][0]["by"] in (people["staff"].get_full_name(), people["staff"].email)
    cert = data["certification"]
    assert len(cert["candidacies"]) == 1 and cert["candidacies"][0]["convocation_end"]
    assert cert["unavailabilities"][0]["reason"] == "partiel 0"
    assert cert["results"][0]["score"] == 300
    assert cert["allocation_proposals"][0]["session"]["room"]
    assert data["events"]["registrations"][0]["status"] == "registered"
    (message,) = data["mail"]["messages"]
    assert message["attachments"] == ["convocation-0.ics"]
    assert message["reminder"] == {"rule": "J-7 0", "occurrence": dt.date(2026, 10, 1)}
    assert data["reminders"]["messages"][0]["rule"] == "J-7 0"
    assert data["calendar"]["feed"]["created_at"]
    assert "token" not in json.dumps(data["calendar"], default=str)
    assert data["privacy"]["exports"][0]["format"] == "json"


def test_another_students_rows_never_show(people):
    give(people["student_b"].student, people, 2, tag="b")

    data = collect_personal_data(people["student_a"].student)

    assert data["campaigns"]["participations"] == []
    assert data["badges"]["submissions"] == [] and data["grading"]["notes"] == []
    assert all(rows == [] for rows in data["certification"].values())
    assert data["events"]["registrations"] == [] and data["mail"]["messages"] == []
    assert data["reminders"]["messages"] == [] and data["privacy"]["exports"] == []
    assert data["calendar"]["feed"] is None


def test_a_student_without_an_account_has_no_account_section(people):
    from tests.factories import StudentFactory

    assert collect_personal_data(StudentFactory())["account"] is None


def test_the_json_is_plain_utf8_with_paris_times(people):
    student = people["student_a"].student
    give(student, people, 1)

    data = json.loads(as_json(collect_personal_data(student)))

    shared_at = data["campaigns"]["participations"][0]["shares"][0]["shared_at"]
    assert shared_at == "2026-03-01T10:00:00+01:00"
    assert data["grading"]["notes"][0]["value"] == "12.50"
    assert "Numéro étudiant" in as_json(collect_personal_data(student)).decode()


@pytest.mark.parametrize("n", [1, 3])
def test_constant_queries(people, n, django_assert_num_queries):
    student = people["student_a"].student
    give(student, people, n)

    with django_assert_num_queries(QUERIES):
        data = collect_personal_data(student)

    assert len(data["campaigns"]["participations"]) == n
    assert len(data["mail"]["messages"]) == n


def test_emails_to_their_address_count_unless_linked_to_another_student(people):
    from tests.factories import StudentFactory

    student = people["student_a"].student
    twin = StudentFactory(programme=student.programme, email=student.email)
    for key, linked in (("unlinked", None), ("twin", twin)):
        Message.objects.create(
            key=key, kind="test", to=student.email.upper(), subject=key, text="…", student=linked
        )

    data = collect_personal_data(student)

    assert [m["subject"] for m in data["mail"]["messages"]] == ["unlinked"]
