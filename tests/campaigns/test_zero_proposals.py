"""Issue 12, point 3: the unmatched queue proposes (never applies) the student whose
number differs only by leading zeros."""

import pytest
from django.urls import reverse

from campaigns.models import Participation
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_a_number_without_its_zero_is_proposed_not_linked(staff_client, campaign, programmes):
    student = StudentFactory(
        student_number="02218411",
        last_name="Autre",
        first_name="Nom",
        programme=programmes["L2 SED"],
    )
    row = Participation.objects.create(
        campaign=campaign, identifier="2218411", last_name="Martin", first_name="Léa"
    )

    page = staff_client.get(reverse("campaigns:unmatched", kwargs={"pk": campaign.pk}))

    text = page.content.decode()
    assert f'name="student_number" value="{student.student_number}"' in text
    assert "Rattacher à Nom Autre (02218411, L2 SED)" in text
    row.refresh_from_db()
    assert row.student is None  # proposed only


def test_a_student_of_another_programme_is_not_proposed(client, people, campaign, programmes):
    StudentFactory(student_number="02218411", programme=programmes["L2 SED"])
    Participation.objects.create(
        campaign=campaign, identifier="2218411", last_name="Martin", first_name="Léa"
    )
    client.force_login(people["staff_other"])  # L2 Histoire only

    page = client.get(reverse("campaigns:unmatched", kwargs={"pk": campaign.pk}))

    assert "02218411" not in page.content.decode()
