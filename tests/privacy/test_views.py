"""Issue 16 item 4: the student's « Mes données personnelles » page and downloads (their
own only, no pk in the URL), and the staff production for a student of their
programmes, every one logged; per role, GET and POST."""

import json

import pytest
from django.urls import reverse

from pixoffice.privacy.models import PersonalDataExport

pytestmark = pytest.mark.django_db


def staff_url(student):
    return reverse("privacy:student_data", args=[student.pk])


def test_the_student_nav_links_to_the_page(client, people):
    client.force_login(people["student_a"])

    page = client.get(reverse("portal:student_home"))

    assert reverse("privacy:mine") in page.content.decode()


def test_a_student_downloads_their_own_json(client, people):
    student = people["student_a"].student
    client.force_login(people["student_a"])

    response = client.get(reverse("privacy:my_json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert student.student_number in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["identity"]["student_number"] == student.student_number
    assert PersonalDataExport.objects.count() == 0  # a student's own copy is not logged


def test_a_student_reads_and_prints_their_copy(client, people):
    client.force_login(people["student_b"])

    page = client.get(reverse("privacy:my_document"))

    assert page.status_code == 200
    html = page.content.decode()
    assert people["student_b"].student.student_number in html
    assert people["student_a"].student.student_number not in html
    assert "data-print" in html


def test_a_student_downloads_a_pdf(client, people):
    client.force_login(people["student_a"])

    response = client.get(reverse("privacy:my_pdf"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("name", ["privacy:mine", "privacy:my_json", "privacy:my_document"])
@pytest.mark.parametrize(
    ("role", "status"),
    [("student_a", 200), ("staff", 403), ("staff_other", 403), ("admin", 403)],
)
def test_the_student_pages_are_for_students_only(client, people, name, role, status):
    client.force_login(people[role])

    assert client.get(reverse(name)).status_code == status


def test_the_student_page_lists_the_copies_staff_produced(client, people):
    student = people["student_a"].student
    PersonalDataExport.objects.create(student=student, by=people["staff"], format="pdf")
    client.force_login(people["student_a"])

    page = client.get(reverse("privacy:mine")).content.decode()

    assert "produite par" in page and (people["staff"].get_full_name() or "equipe") in page


@pytest.mark.parametrize(
    ("role", "status"),
    [("student_a", 403), ("student_b", 403), ("staff_other", 404), ("staff", 200), ("admin", 200)],
)
def test_the_staff_page_per_role(client, people, role, status):
    client.force_login(people[role])

    assert client.get(staff_url(people["student_a"].student)).status_code == status


@pytest.mark.parametrize(
    ("role", "status", "logged"),
    [
        ("student_a", 403, 0),
        ("student_b", 403, 0),
        ("staff_other", 404, 0),
        ("staff", 200, 1),
        ("admin", 200, 1),
    ],
)
def test_producing_a_copy_per_role_is_logged(client, people, role, status, logged):
    student = people["student_a"].student
    client.force_login(people[role])

    response = client.post(staff_url(student), {"format": "json"})

    assert response.status_code == status
    assert PersonalDataExport.objects.filter(student=student).count() == logged
    if logged:
        entry = PersonalDataExport.objects.get()
        assert entry.by == people[role] and entry.format == "json"
        assert response["Content-Disposition"].startswith("attachment")
        assert json.loads(response.content)["identity"]["student_number"] == (
            student.student_number
        )


def test_anonymous_is_sent_to_login(client, people):
    for url in (reverse("privacy:mine"), staff_url(people["student_a"].student)):
        assert client.get(url).status_code == 302
    assert client.post(staff_url(people["student_a"].student), {"format": "json"}).status_code == (
        302
    )
    assert PersonalDataExport.objects.count() == 0


def test_staff_produce_the_page_and_the_pdf_and_see_the_log(client, people):
    student = people["student_a"].student
    client.force_login(people["staff"])

    page = client.post(staff_url(student), {"format": "html"})
    pdf = client.post(staff_url(student), {"format": "pdf"})
    log = client.get(staff_url(student)).content.decode()

    assert page.status_code == 200 and student.student_number in page.content.decode()
    assert pdf.content.startswith(b"%PDF")
    assert [e.format for e in PersonalDataExport.objects.order_by("pk")] == ["html", "pdf"]
    assert "PDF" in log and "page HTML" in log


def test_an_unknown_format_produces_nothing(client, people):
    client.force_login(people["staff"])

    response = client.post(staff_url(people["student_a"].student), {"format": "exe"})

    assert response.status_code == 400 and PersonalDataExport.objects.count() == 0


def test_the_student_record_links_to_the_page(client, people):
    student = people["student_a"].student
    client.force_login(people["staff"])

    page = client.get(reverse("portal:student_record", args=[student.pk]))

    assert staff_url(student) in page.content.decode()


def test_the_log_lists_the_copies_of_ones_own_students(client, people):
    from tests.factories import StudentFactory

    histoire = StudentFactory(programme=people["staff_other"].programmes.get())
    mine = PersonalDataExport.objects.create(
        student=people["student_a"].student, by=people["staff"], format="json"
    )
    theirs = PersonalDataExport.objects.create(
        student=histoire, by=people["staff_other"], format="pdf"
    )
    seen = {}
    for role in ("staff_other", "admin"):
        client.force_login(people[role])
        seen[role] = list(client.get(reverse("privacy:export_log")).context["page"].object_list)

    assert seen == {"staff_other": [theirs], "admin": [theirs, mine]}


@pytest.mark.parametrize("n", [1, 3])
def test_the_log_pages_cost_the_same_whatever_their_length(
    client, people, n, django_assert_num_queries
):
    for _ in range(n):
        PersonalDataExport.objects.create(
            student=people["student_a"].student, by=people["staff"], format="json"
        )
    client.force_login(people["staff"])
    client.get(reverse("privacy:export_log"))  # the session is read once logged in

    with django_assert_num_queries(3):  # session, count, page: the user is cached
        page = client.get(reverse("privacy:export_log"))

    assert len(page.context["page"].object_list) == n
