"""The API's endpoints with a token limited to L2 Histoire: what it reads, what it
cannot (404 for another programme's student), formats (Paris offsets, decimals)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import (
    CampaignFactory,
    NoteFactory,
    ParticipationFactory,
    SchemeFactory,
    ShareFactory,
    StudentFactory,
)

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"api:v1:{name}", kwargs=kwargs)


@pytest.fixture
def notes_world(programmes):
    histoire, sed = programmes["L2 Histoire"], programmes["L2 SED"]
    scheme = SchemeFactory(name="Pix L2", programmes=[histoire, sed])
    published = NoteFactory(
        scheme=scheme,
        student__programme=histoire,
        student__last_name="Martin",
        value=Decimal("12.5"),
        published=True,
    )
    absent = NoteFactory(
        scheme=scheme,
        student__programme=histoire,
        student__last_name="Petit",
        value=None,
        absence_code="ABI",
        result="absent",
        published=True,
    )
    unpublished = NoteFactory(scheme=scheme, student__programme=histoire)
    sed_note = NoteFactory(scheme=scheme, student__programme=sed, published=True)
    return {
        "scheme": scheme,
        "published": published,
        "absent": absent,
        "unpublished": unpublished,
        "sed": sed_note,
    }


def test_histoire_token_lists_the_published_notes_of_l2_histoire(api, histoire_token, notes_world):
    answer = api.get(histoire_token, url("notes"))

    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    assert [n["student_number"] for n in body["items"]] == [
        notes_world["published"].student.student_number,
        notes_world["absent"].student.student_number,
    ]
    first, absent = body["items"]
    assert first["programme"] == "L2 Histoire"
    assert first["value"] == "12.50"  # a decimal, exact
    assert first["result"] == "validated"
    assert first["scheme"] == {
        "id": notes_world["scheme"].pk,
        "name": "Pix L2",
        "academic_year": "2026-2027",
        "semester": None,
        "scale": "20.00",
    }
    assert absent["value"] is None and absent["absence_code"] == "ABI"


def test_histoire_token_gets_404_for_a_student_of_l2_sed(api, histoire_token, notes_world):
    sed_student = notes_world["sed"].student

    for name in ("student", "student_notes", "student_badges"):
        answer = api.get(histoire_token, url(name, student_number=sed_student.student_number))
        assert answer.status_code == 404, name
        assert answer.json() == {"detail": "Introuvable."}


def test_a_students_notes_are_the_published_ones(api, histoire_token, notes_world):
    student = notes_world["published"].student
    NoteFactory(student=student, scheme=SchemeFactory(name="Autre"))  # not published

    answer = api.get(histoire_token, url("student_notes", student_number=student.student_number))

    assert [n["scheme"]["name"] for n in answer.json()] == ["Pix L2"]


def test_dates_carry_the_paris_offset(api, histoire_token, notes_world):
    note = notes_world["published"]
    note.published_at = dt.datetime(2027, 1, 15, 9, 30, tzinfo=dt.UTC)  # winter: +01:00
    note.save()
    CampaignFactory(
        programmes=[note.student.programme],
        deadline=dt.datetime(2027, 6, 30, 23, 59, tzinfo=PARIS),  # summer time: +02:00
    )

    notes = api.get(histoire_token, url("notes")).json()["items"]
    campaigns = api.get(histoire_token, url("campaigns")).json()["items"]

    assert notes[0]["published_at"] == "2027-01-15T10:30:00+01:00"
    assert campaigns[0]["deadline"] == "2027-06-30T23:59:00+02:00"


def test_students_are_those_of_the_tokens_programmes(api, histoire_token, programmes):
    mine = StudentFactory(programme=programmes["L2 Histoire"], student_number="00012345")
    StudentFactory(programme=programmes["L2 SED"])

    body = api.get(histoire_token, url("students")).json()
    one = api.get(histoire_token, url("student", student_number="00012345")).json()

    assert [s["student_number"] for s in body["items"]] == ["00012345"]
    assert one["student_number"] == "00012345"  # its leading zeros kept
    assert one["programme"] == "L2 Histoire" and one["left_on"] is None
    assert mine.email == one["email"]


def test_programmes_are_the_tokens(api, histoire_token, programmes):
    StudentFactory(programme=programmes["L2 Histoire"])

    body = api.get(histoire_token, url("programmes")).json()

    assert [(p["name"], p["student_count"]) for p in body["items"]] == [("L2 Histoire", 1)]


def test_campaign_participations_give_status_and_the_share_that_counts(
    api, histoire_token, programmes
):
    histoire = programmes["L2 Histoire"]
    campaign = CampaignFactory(code="MJPECY231", programmes=[histoire, programmes["L2 SED"]])
    shared = StudentFactory(programme=histoire, last_name="Aubert")
    started = StudentFactory(programme=histoire, last_name="Bernard")
    StudentFactory(programme=histoire, last_name="Colin")  # not joined
    StudentFactory(programme=programmes["L2 SED"])  # another programme: not listed
    participation = ParticipationFactory(campaign=campaign, student=shared)
    ShareFactory(
        participation=participation,
        results={"1.1": [3, 24], "2.1": [5, 40]},
        counts=False,
        shared_at=dt.datetime(2026, 3, 1, 10, 0, tzinfo=PARIS),
    )
    ShareFactory(participation=participation, results={"1.1": [4, 32], "2.1": [6, 48]})
    ParticipationFactory(campaign=campaign, student=started)

    body = api.get(histoire_token, url("participations", code="MJPECY231")).json()

    assert body["count"] == 3
    by_name = {row["last_name"]: row for row in body["items"]}
    assert by_name["Aubert"]["status"] == "shared"
    assert by_name["Aubert"]["share_count"] == 2
    share = by_name["Aubert"]["share"]
    assert share["counts"] is True and share["total_pix"] == 80
    assert share["results"] == {"1.1": 4, "2.1": 6, "3.1": None, "4.1": None}
    assert share["shared_at"] == "2026-03-15T10:07:00+01:00"
    assert by_name["Bernard"]["status"] == "started" and by_name["Bernard"]["share"] is None
    assert by_name["Colin"]["status"] == "not_joined"
    assert by_name["Colin"]["status_label"] == "Pas encore rejoint"


def test_a_campaign_of_another_programme_is_not_found(api, histoire_token, programmes):
    CampaignFactory(code="SEDONLY01", programmes=[programmes["L2 SED"]])

    assert api.get(histoire_token, url("campaign", code="SEDONLY01")).status_code == 404
    assert api.get(histoire_token, url("participations", code="SEDONLY01")).status_code == 404
    assert api.get(histoire_token, url("campaigns")).json()["count"] == 0


def test_badge_status_per_student(api, histoire_token, programmes):
    from tests.factories.badges import BadgeRequirementFactory, BadgeSubmissionFactory

    histoire = programmes["L2 Histoire"]
    requirement = BadgeRequirementFactory(programmes=[histoire, programmes["L2 SED"]])
    holder = StudentFactory(programme=histoire, last_name="Aubert")
    StudentFactory(programme=histoire, last_name="Bernard")  # nothing uploaded
    BadgeSubmissionFactory(student=holder, requirement=requirement, status="verified")
    BadgeSubmissionFactory(
        student=StudentFactory(programme=programmes["L2 SED"]), requirement=requirement
    )

    listed = api.get(histoire_token, url("badges")).json()
    body = api.get(histoire_token, url("badge_students", pk=requirement.pk)).json()
    own = api.get(histoire_token, url("student_badges", student_number=holder.student_number))

    assert [r["programmes"] for r in listed["items"]] == [["L2 Histoire"]]
    assert [(s["last_name"], s["status"], s["holds_badge"]) for s in body["items"]] == [
        ("Aubert", "verified", True),
        ("Bernard", "none", False),
    ]
    assert [(b["status"], b["holds_badge"]) for b in own.json()] == [("verified", True)]


def test_a_badge_of_another_programme_is_not_found(api, histoire_token, programmes):
    from tests.factories.badges import BadgeRequirementFactory

    requirement = BadgeRequirementFactory(programmes=[programmes["L2 SED"]])

    assert api.get(histoire_token, url("badge_students", pk=requirement.pk)).status_code == 404


def test_pages_are_capped(api, histoire_token, programmes, settings):
    settings.API_PAGE_MAX = 2
    for _ in range(3):
        StudentFactory(programme=programmes["L2 Histoire"])

    body = api.get(histoire_token, url("students"), limit=50).json()
    second = api.get(histoire_token, url("students"), limit=2, offset=2).json()

    assert (body["count"], body["limit"], len(body["items"])) == (3, 2, 2)
    assert (second["offset"], len(second["items"])) == (2, 1)
    assert api.get(histoire_token, url("students"), limit=0).status_code == 422


def test_notes_published_since_a_paris_time(api, histoire_token, notes_world):
    note = notes_world["published"]
    note.published_at = dt.datetime(2027, 1, 15, 9, 30, tzinfo=dt.UTC)  # 10:30 in Paris
    note.save()
    notes_world["absent"].published_at = dt.datetime(2027, 1, 10, tzinfo=dt.UTC)
    notes_world["absent"].save()

    later = api.get(histoire_token, url("notes"), published_since="2027-01-15T10:30:00")
    offset = api.get(histoire_token, url("notes"), published_since="2027-01-15T09:31:00+00:00")

    assert [n["student_number"] for n in later.json()["items"]] == [note.student.student_number]
    assert offset.json()["count"] == 0
