import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Campaign, Participation, Share
from pixoffice.accounts.models import Student, User

pytestmark = pytest.mark.django_db


def run_demo():
    call_command("load_demo", stdout=io.StringIO())


def test_load_demo_is_idempotent():
    run_demo()
    counts = (Student.objects.count(), User.objects.count())
    run_demo()

    assert (Student.objects.count(), User.objects.count()) == counts == (96, 5)
    amelie = User.objects.get(email="amelie.dupont@etu.univ-exemple.fr")
    assert amelie.student.student_number == "03879433"
    assert amelie.check_password("pixoffice-demo")
    assert list(
        User.objects.get(email="equipe-histoire@univ-exemple.fr").programmes.values_list(
            "name", flat=True
        )
    ) == ["L2 Histoire"]


def test_load_demo_registers_the_seed_campaigns_and_imports_the_samples():
    run_demo()
    run_demo()

    assert list(Campaign.objects.order_by("code").values_list("code", flat=True)) == [
        "MJPECY231",
        "MJPECY232",
        "URRTVG494",
        "ZPJJUD566",
    ]
    first = Campaign.objects.get(code="MJPECY231")
    assert list(first.competences.values_list("code", flat=True)) == ["1.1", "2.1", "3.1", "4.1"]
    assert timezone.localtime(first.deadline).strftime("%d/%m %H:%M") == "27/10 23:59"  # Paris time
    assert Participation.objects.filter(campaign__code="URRTVG494").count() == 40
    assert Share.objects.filter(participation__campaign__code="URRTVG494").count() == 31
