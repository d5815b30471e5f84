"""The badge follow-up at scale (issue 15): pages of 50 students without a validated
badge, the counters and the export over the whole filtered list, the same number of
queries for 10 and 1,000 students."""

import pytest
from django.urls import reverse

from pixoffice.accounts.models import Student
from pixoffice.badges.models import BadgeSubmission
from tests.factories import StudentFactory
from tests.factories.badges import BadgeSubmissionFactory

Status = BadgeSubmission.Status


def _roster(programme, n):
    students = StudentFactory.build_batch(n, programme=programme)
    for i, s in enumerate(students):
        s.student_number = f"8{i:07d}"
        s.email = f"{s.student_number}@etu.univ-exemple.fr"
        s.last_name = f"Nom{i:06d}"
        s.academic_year = None
    return Student.objects.bulk_create(students, batch_size=2000)


@pytest.mark.parametrize("n", [10, 1000])
def test_the_follow_up_page_costs_the_same_queries_for_10_and_1000_students(
    client, people, requirement, n, django_assert_num_queries
):
    programme = people["student_a"].student.programme
    students = _roster(programme, n)
    BadgeSubmissionFactory(student=students[0], requirement=requirement, status=Status.VERIFIED)
    client.force_login(people["staff"])
    url = reverse("badges:follow_up", kwargs={"pk": requirement.pk})

    # the counters, the page's count and its rows: three queries for any number
    with django_assert_num_queries(8):
        page = client.get(url)

    missing = n - 1 + 2  # and students A and B of the people fixture
    assert page.context["page"].paginator.count == missing
    assert len(page.context["page"].object_list) == min(missing, 50)
    assert page.context["counts"]["total"] == n + 2
    assert page.context["counts"]["verified"] == 1


def test_page_links_keep_the_filters_and_the_export_has_every_row(client, people, requirement):
    programme = people["student_a"].student.programme
    _roster(programme, 120)
    client.force_login(people["staff"])
    url = reverse("badges:follow_up", kwargs={"pk": requirement.pk})

    first = client.get(url, {"status": "none", "q": "Nom"})
    second = client.get(url, {"status": "none", "q": "Nom", "page": 3})
    export = client.get(
        reverse("badges:follow_up_export", kwargs={"pk": requirement.pk, "fmt": "csv"}),
        {"status": "none", "q": "Nom"},
    )

    assert "status=none&amp;q=Nom&amp;page=2" in first.content.decode()
    assert len(second.context["page"].object_list) == 20
    assert first.context["page"].paginator.count == 120
    lines = export.content.decode("utf-8-sig").strip().split("\r\n")
    assert len(lines) == 1 + 120


def test_staff_of_another_programme_cannot_page_the_follow_up(client, people, requirement):
    client.force_login(people["staff_other"])

    url = reverse("badges:follow_up", kwargs={"pk": requirement.pk})
    assert client.get(url, {"page": 2}).status_code == 404
