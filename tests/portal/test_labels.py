"""Issue 15, point 12: a semester is written once with its year (« 2026-2027 · S1 », not
« 2026-2027 · S1 2026-2027 »), and the badge queue's empty state says why it is empty."""

import datetime as dt

import pytest
from django.urls import reverse

from pixoffice.accounts.models import Semester
from tests.factories import AcademicYearFactory, SchemeFactory
from tests.factories.badges import BadgeRequirementFactory

pytestmark = pytest.mark.django_db


def _semester():
    year = AcademicYearFactory()
    return Semester.objects.create(
        academic_year=year, number=1, start=dt.date(2026, 9, 1), end=dt.date(2027, 1, 31)
    )


def test_a_scheme_and_a_badge_name_their_semester_once(staff_client, programmes):
    semester = _semester()
    scheme = SchemeFactory(
        academic_year=semester.academic_year, semester=semester, programmes=[programmes["L2 SED"]]
    )
    requirement = BadgeRequirementFactory(academic_year=semester.academic_year, semester=semester)
    requirement.programmes.set([programmes["L2 SED"]])

    pages = [
        staff_client.get(reverse("grading:scheme", args=[scheme.pk])).content.decode(),
        staff_client.get(reverse("badges:follow_up", args=[requirement.pk])).content.decode(),
        staff_client.get(reverse("badges:requirement_list")).content.decode(),
    ]
    for html in pages:
        assert "2026-2027 · S1" in html
        assert "S1 2026-2027" not in html


def test_the_badge_queue_says_it_is_empty_or_that_the_filters_match_nothing(staff_client):
    default = staff_client.get(reverse("badges:queue")).content.decode()
    filtered = staff_client.get(reverse("badges:queue"), {"status": "accepted"}).content.decode()

    assert "Aucun badge à vérifier pour l'instant." in default
    assert "ne correspond à ces filtres" not in default
    assert "Aucun dépôt ne correspond à ces filtres." in filtered
