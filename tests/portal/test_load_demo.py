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

    # the sample roster and the five demo accounts, the archive year's 12 students and
    # their 2 accounts (pixoffice.portal.archive_demo)
    assert (Student.objects.count(), User.objects.count()) == counts == (96 + 12, 5 + 2)
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

    archive = (
        f"ARCHIV{(timezone.localdate().year - 7 - (timezone.localdate().month < 9)) % 1000:03d}"
    )
    assert list(Campaign.objects.order_by("code").values_list("code", flat=True)) == [
        archive,
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


@pytest.mark.django_db
def test_demo_student_sees_this_years_campaigns_first_and_last_years_folded():
    from campaigns.queries import student_campaigns
    from grading.models import Note, Scheme
    from pixoffice.accounts.models import Student

    call_command("load_demo", stdout=io.StringIO())
    simon = Student.objects.get(student_number="21093462")
    scheme = Scheme.objects.get(name="Enseignement Pix — Saint-Étienne")

    campaigns = student_campaigns(simon)

    assert [i["campaign"].code for i in campaigns.current] == ["MJPECY231", "MJPECY232"]
    assert {i["campaign"].academic_year for i in campaigns.current} == {scheme.academic_year}
    # only the earlier campaigns he took part in: not last year's assessment (ZPJJUD566),
    # nor the archive year's campaign of his programme
    assert [i["campaign"].code for i in campaigns.earlier] == ["URRTVG494"]
    assert [(c.label, c.campaign.code) for c in scheme.components.exclude(campaign=None)] == [
        ("Campagne 1", "MJPECY231"),
        ("Campagne 2", "MJPECY232"),
    ]
    # this year's campaigns carry results, and the published notes are consistent
    assert all(i["counting"] is not None for i in campaigns.current)
    assert not Note.objects.filter(needs_republication=True).exists()
