"""Each list answers in a constant number of queries: the same at 1 and 3 items."""

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
from tests.factories.badges import BadgeRequirementFactory, BadgeSubmissionFactory

pytestmark = pytest.mark.django_db
SIZES = [1, 3]


def count(django_assert_num_queries, api, token, url, n, expected_items):
    with django_assert_num_queries(n):
        body = api.get(token, url).json()
    items = body["items"] if isinstance(body, dict) else body
    assert len(items) == expected_items


@pytest.mark.parametrize("size", SIZES)
def test_students(size, api, histoire_token, programmes, django_assert_num_queries):
    for _ in range(size):
        StudentFactory(programme=programmes["L2 Histoire"])
    # the token, the count, the page
    count(django_assert_num_queries, api, histoire_token, reverse("api:v1:students"), 3, size)


@pytest.mark.parametrize("size", SIZES)
def test_notes(size, api, histoire_token, programmes, django_assert_num_queries):
    scheme = SchemeFactory(programmes=[programmes["L2 Histoire"]])
    for _ in range(size):
        NoteFactory(scheme=scheme, student__programme=programmes["L2 Histoire"], published=True)
    count(django_assert_num_queries, api, histoire_token, reverse("api:v1:notes"), 3, size)


@pytest.mark.parametrize("size", SIZES)
def test_student_notes(size, api, histoire_token, programmes, django_assert_num_queries):
    student = StudentFactory(programme=programmes["L2 Histoire"])
    for _ in range(size):
        NoteFactory(scheme=SchemeFactory(), student=student, published=True)
    url = reverse("api:v1:student_notes", kwargs={"student_number": student.student_number})
    # the token, the student, the notes
    count(django_assert_num_queries, api, histoire_token, url, 3, size)


@pytest.mark.parametrize("size", SIZES)
def test_campaigns(size, api, histoire_token, programmes, django_assert_num_queries):
    for _ in range(size):
        CampaignFactory(programmes=[programmes["L2 Histoire"], programmes["L2 SED"]])
    # the token, the count, the page, its competences, its programmes of the token
    count(django_assert_num_queries, api, histoire_token, reverse("api:v1:campaigns"), 5, size)


@pytest.mark.parametrize("size", SIZES)
def test_participations(size, api, histoire_token, programmes, django_assert_num_queries):
    campaign = CampaignFactory(code="MJPECY231", programmes=[programmes["L2 Histoire"]])
    for _ in range(size):
        student = StudentFactory(programme=programmes["L2 Histoire"])
        ShareFactory(
            participation=ParticipationFactory(campaign=campaign, student=student),
            results={"1.1": [3, 24]},
        )
    url = reverse("api:v1:participations", kwargs={"code": "MJPECY231"})
    # the token, the campaign, its competences, the count, the page of students, their
    # participations, their shares
    count(django_assert_num_queries, api, histoire_token, url, 7, size)


@pytest.mark.parametrize("size", SIZES)
def test_badges(size, api, histoire_token, programmes, django_assert_num_queries):
    for _ in range(size):
        BadgeRequirementFactory(programmes=[programmes["L2 Histoire"]])
    # the token, the count, the page, its programmes of the token
    count(django_assert_num_queries, api, histoire_token, reverse("api:v1:badges"), 4, size)


@pytest.mark.parametrize("size", SIZES)
def test_badge_students(size, api, histoire_token, programmes, django_assert_num_queries):
    requirement = BadgeRequirementFactory(programmes=[programmes["L2 Histoire"]])
    for _ in range(size):
        BadgeSubmissionFactory(
            requirement=requirement, student__programme=programmes["L2 Histoire"]
        )
    url = reverse("api:v1:badge_students", kwargs={"pk": requirement.pk})
    # the token, the requirement, the count, the page (statuses in subqueries)
    count(django_assert_num_queries, api, histoire_token, url, 4, size)


@pytest.mark.parametrize("size", SIZES)
def test_student_badges(size, api, histoire_token, programmes, django_assert_num_queries):
    student = StudentFactory(programme=programmes["L2 Histoire"])
    for _ in range(size):
        BadgeRequirementFactory(programmes=[programmes["L2 Histoire"]])
    url = reverse("api:v1:student_badges", kwargs={"student_number": student.student_number})
    # the token, the student, the requirements with the submission, their programmes
    count(django_assert_num_queries, api, histoire_token, url, 4, size)


@pytest.mark.parametrize("size", SIZES)
def test_programmes(size, api, programmes, django_assert_num_queries):
    from tests.factories.api import make_token

    token = make_token(list(programmes.values())[:size])
    # the token, the count, the page
    count(django_assert_num_queries, api, token, reverse("api:v1:programmes"), 3, size)
