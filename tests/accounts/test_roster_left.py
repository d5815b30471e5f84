"""Issue 12, point 9: students absent from a roster; staff mark those who left the
course; they leave follow-ups, reminders and grading, nothing is deleted, and a later
roster that names them brings them back."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Participation
from grading.services.schemes import students_in
from pixoffice.accounts import services
from pixoffice.accounts.models import Student
from pixoffice.reminders import services as reminders
from pixoffice.reminders.models import ReminderRule
from tests.factories import AcademicYearFactory, CampaignFactory, StudentFactory

pytestmark = pytest.mark.django_db
HEADER = "Numéro étudiant;Nom;Prénom;Formation\n"


def roster(*lines: str) -> bytes:
    return (HEADER + "".join(f"{line}\n" for line in lines)).encode()


@pytest.fixture
def gone(programmes):
    return StudentFactory(
        student_number="09999999",
        last_name="Parti",
        first_name="Paul",
        programme=programmes["L2 SED"],
    )


def stored(data: bytes, by):
    plan = services.plan_roster_import(data, by=by)
    return services.store_roster_file(
        data, name="l.csv", by=by, mapping=plan.mapping, academic_year=None
    )


def test_the_preview_lists_who_is_absent_and_what_happens(client, people, gone):
    batch = stored(roster("21000001;Neuf;Léa;L2 SED"), people["staff"])
    client.force_login(people["staff"])

    page = client.get(reverse("accounts:roster_import", kwargs={"pk": batch.pk})).content.decode()

    assert "1 étudiant·e en base mais absent·e du fichier" in page
    assert "09999999" in page and "Parti Paul" in page
    assert "L'import ne les modifie ni ne les supprime" in page
    assert f'name="student" value="{gone.pk}"' in page


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_of_the_programme_and_admins_mark_who_left(client, people, gone, role):
    batch = stored(roster("21000001;Neuf;Léa;L2 SED"), people[role])
    client.force_login(people[role])
    url = reverse("accounts:roster_import", kwargs={"pk": batch.pk})

    response = client.post(url, {"action": "left", "student": [gone.pk]}, follow=True)

    gone.refresh_from_db()
    assert gone.left_on == timezone.localdate()
    assert "1 étudiant·e marqué·e « a quitté la formation »." in response.content.decode()
    assert Student.objects.filter(pk=gone.pk).exists()  # nothing deleted
    assert "depuis le" in client.get(url).content.decode()


@pytest.mark.parametrize(("role", "status"), [("staff_other", 404), ("student_a", 403)])
def test_others_cannot_mark_them(client, people, gone, role, status):
    batch = stored(roster("21000001;Neuf;Léa;L2 SED"), people["staff"])
    client.force_login(people[role])

    response = client.post(
        reverse("accounts:roster_import", kwargs={"pk": batch.pk}),
        {"action": "left", "student": [gone.pk]},
    )

    assert response.status_code == status
    gone.refresh_from_db()
    assert gone.left_on is None


def test_staff_of_another_programme_cannot_mark_them_through_their_own_batch(client, people, gone):
    batch = stored(roster("21000002;Autre;Léo;L2 Histoire"), people["staff_other"])
    client.force_login(people["staff_other"])

    client.post(
        reverse("accounts:roster_import", kwargs={"pk": batch.pk}),
        {"action": "left", "student": [gone.pk]},
    )

    gone.refresh_from_db()
    assert gone.left_on is None
    assert services.mark_students_left(student_ids=[gone.pk], by=people["staff_other"]) == 0


def test_a_later_roster_naming_them_brings_them_back(programmes, gone):
    gone.left_on = dt.date(2026, 11, 3)
    gone.save()
    data = roster("09999999;Parti;Paul;L2 SED")

    plan = services.plan_roster_import(data, by=None)
    batch = services.store_roster_file(
        data, name="l.csv", by=None, mapping=plan.mapping, academic_year=None
    )
    services.apply_roster_import(batch.pk)

    assert [c.changes for c in plan.updated] == [{"A quitté la formation le": ("03/11/2026", "")}]
    gone.refresh_from_db()
    assert gone.left_on is None


def test_who_left_leaves_follow_ups_reminders_and_grading(client, people, programmes):
    year = AcademicYearFactory()
    sed = programmes["L2 SED"]
    campaign = CampaignFactory(code="MJPECY231", academic_year=year, programmes=[sed])
    staying = StudentFactory(student_number="21000001", programme=sed, academic_year=year)
    leaving = StudentFactory(student_number="21000002", programme=sed, academic_year=year)
    Participation.objects.create(
        campaign=campaign, identifier="21000002", student=leaving, last_name="L", first_name="M"
    )
    services.mark_students_left(student_ids=[leaving.pk], by=people["admin"])
    rule = ReminderRule.objects.create(
        name="J-7", campaign=campaign, days_before=7, audience=ReminderRule.Audience.NOT_JOINED
    )
    joined = ReminderRule.objects.create(
        name="J-3", campaign=campaign, days_before=3, audience=ReminderRule.Audience.NOT_SHARED
    )
    client.force_login(people["staff"])

    follow_up = client.get(reverse("campaigns:detail", kwargs={"pk": campaign.pk}))

    assert list(reminders.targeted_students(rule)) == [staying]
    assert list(reminders.targeted_students(joined)) == []
    assert list(students_in([sed], year.pk)) == [staying]
    text = follow_up.content.decode()
    assert staying.last_name in text and "21000002" not in text
    assert Participation.objects.filter(student=leaving).exists()  # their data stays
