"""Issue 15 point 3: one page per student for staff — campaigns and shares with the
one that counts, badges, notes with their history, the imports that touched the
student, certification candidacies and results, the emails sent — each linking to
where it is acted on; within the staff member's programmes; constant queries."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import CertificationResult
from grading.models import NoteChange
from pixoffice.mail.models import Message
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

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def give(student, people, n, *, tag=""):
    """``n`` items of each kind for ``student``."""
    geo = student.programme
    for i in range(n):
        campaign = CampaignFactory(name=f"Campagne {tag}{i}", programmes=[geo])
        batch = ResultImportFactory(
            campaign=campaign, original_name=f"export-{tag}{i}.csv", uploaded_by=people["staff"]
        )
        participation = ParticipationFactory(campaign=campaign, student=student, first_import=batch)
        ShareFactory(
            participation=participation,
            import_batch=batch,
            counts=False,
            shared_at=dt.datetime(2026, 3, 1, 10, i, tzinfo=PARIS),
        )
        ShareFactory(
            participation=participation,
            import_batch=batch,
            counts=True,
            shared_at=dt.datetime(2026, 3, 2, 10, i, tzinfo=PARIS),
        )
        requirement = BadgeRequirementFactory(name=f"Badge {tag}{i}", programmes=[geo])
        BadgeSubmissionFactory(student=student, requirement=requirement)
        note = NoteFactory(
            scheme=SchemeFactory(programmes=[geo]), student=student, published=bool(i % 2)
        )
        NoteChange.objects.create(
            note=note,
            kind=NoteChange.Kind.COMPUTED,
            at=timezone.now(),
            new_value=note.value,
            new_result=note.result,
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
        CertificationResult.objects.create(
            certification_number=hash((tag, i)) % 10**8,
            student=student,
            session=session,
            first_name=student.first_name,
            last_name=student.last_name,
            status=CertificationResult.Status.VALIDATED,
            score=300 + i,
            taken_on=dt.date(2027, 3, 11 + i),
        )
        Message.objects.create(
            key=f"test-{tag}{i}-{student.pk}",
            kind="test",
            to=student.email,
            subject=f"Objet {tag}{i}",
            text="…",
            student=student,
        )


def url(student):
    return reverse("portal:student_record", args=[student.pk])


def test_the_record_shows_everything_with_links(client, people):
    student = people["student_a"].student
    give(student, people, 1)
    client.force_login(people["staff"])

    page = client.get(url(student))

    assert page.status_code == 200
    record = page.context["record"]
    (item,) = record.campaigns.current + record.campaigns.earlier
    assert len(item["shares"]) == 2 and item["counting"].counts
    html = page.content.decode()
    assert "(retenu)" in html
    assert reverse("campaigns:detail", args=[item["campaign"].pk]) in html
    (_requirement, submission) = record.badges[0]
    assert reverse("badges:submission", args=[submission.pk]) in html
    (note,) = record.notes
    assert [c.kind for c in note.changes.all()] == ["override", "computed"] or len(
        note.changes.all()
    ) == 2
    assert reverse("grading:note", args=[note.pk]) in html and "jury 0" in html
    assert "non publiée" in html
    (batch,) = record.imports
    assert reverse("campaigns:import", args=[batch.pk]) in html
    (candidacy,) = record.candidacies
    assert reverse("certification:session", args=[candidacy.session.pk]) in html
    assert len(record.certification_results) == 1 and "300 pix" in html
    (message,) = record.messages
    assert reverse("mail:message", args=[message.pk]) in html and "Objet 0" in html


def test_another_students_items_do_not_show(client, people):
    give(people["student_b"].student, people, 1, tag="b")
    client.force_login(people["staff"])

    record = client.get(url(people["student_a"].student)).context["record"]

    assert record.notes == [] and record.imports == [] and record.messages == []
    assert record.candidacies == [] and record.certification_results == []
    assert all(submission is None for _r, submission in record.badges)


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff_other", 404), ("student_a", 403), ("student_b", 403), ("admin", 200), ("staff", 200)],
)
def test_the_record_per_role(client, people, role, status):
    client.force_login(people[role])

    assert client.get(url(people["student_a"].student)).status_code == status


def test_anonymous_is_sent_to_log_in(client, people):
    answer = client.get(url(people["student_a"].student))

    assert answer.status_code == 302 and "next=" in answer["Location"]


def test_the_identity_page_links_to_the_record_for_staff_only(client, people):
    student = people["student_a"].student
    identity = reverse("accounts:student_detail", args=[student.pk])
    client.force_login(people["staff"])
    assert url(student) in client.get(identity).content.decode()
    client.force_login(people["student_a"])
    assert url(student) not in client.get(identity).content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_the_record_costs_the_same_queries_with_1_or_3_items(
    client, people, n, django_assert_num_queries
):
    student = people["student_a"].student
    give(student, people, n)
    client.force_login(people["staff"])
    client.get(url(student))  # the user is cached from now on, as on any visit

    # session, student, then the record's 10 (pixoffice.portal.student_record):
    # notes 2, imports 1, candidacies 1, results 1, emails 1, campaigns 3, badges 1
    with django_assert_num_queries(QUERIES):
        page = client.get(url(student))

    record = page.context["record"]
    assert len(record.notes) == len(record.imports) == len(record.messages) == n
    assert len(record.candidacies) == len(record.certification_results) == n
    assert len(record.campaigns.current + record.campaigns.earlier) == n


QUERIES = 13


def test_the_staff_lists_link_to_the_record(client, people):
    student = people["student_a"].student
    client.force_login(people["staff"])

    assert url(student) in client.get(reverse("accounts:student_list")).content.decode()


def test_every_staff_page_naming_the_student_links_to_the_record(client, people):
    """Where staff meet a student (a follow-up, a badge to review, a session, a note),
    one click opens the record."""
    from campaigns.models import Participation
    from certification.models import Candidate
    from grading.models import Note
    from pixoffice.badges.models import BadgeSubmission

    student = people["student_a"].student
    give(student, people, 1)
    campaign = Participation.objects.get(student=student).campaign
    submission = BadgeSubmission.objects.get(student=student)
    note = Note.objects.get(student=student)
    session = Candidate.objects.get(student=student).session
    client.force_login(people["staff"])

    pages = {
        "follow-up": reverse("campaigns:detail", args=[campaign.pk]),
        "badge queue": reverse("badges:queue"),
        "badge": reverse("badges:submission", args=[submission.pk]),
        "scheme": reverse("grading:scheme", args=[note.scheme_id]),
        "note": reverse("grading:note", args=[note.pk]),
        "session": reverse("certification:session", args=[session.pk]),
    }
    for name, page in pages.items():
        response = client.get(page)
        assert response.status_code == 200, name
        assert f'href="{url(student)}"' in response.content.decode(), name
