"""Point 2 of issue 10: a Pix import links only students the uploader may see; the
preview says how many rows belong to students outside their programmes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns import services
from campaigns.models import Participation, ResultImport
from pixoffice.accounts.models import StaffAssignment
from tests.campaigns.generate import profiles_export
from tests.factories import CampaignFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people, programmes):
    histoire = programmes["L2 Histoire"]
    campaign = CampaignFactory(code="HISTOI001", programmes=[histoire])
    geo = StudentFactory(programme=programmes["L2 Géographie"], student_number="21000001")
    sed = StudentFactory(programme=programmes["L2 SED"], student_number="21000002")
    data = profiles_export(
        2, code="HISTOI001", twice=0, numbers=[geo.student_number, sed.student_number]
    )
    return campaign, data


def test_histoire_import_links_no_student_of_another_programme(client, people, world):
    campaign, data = world
    client.force_login(people["staff_other"])  # follows L2 Histoire only

    uploaded = client.post(
        reverse("campaigns:import_new"),
        {"file": SimpleUploadedFile("Resultats.csv", data), "campaign": campaign.pk},
    )
    preview = client.get(uploaded.url)

    summary = preview.context["summary"]
    assert summary["unmatched"] == 2 and summary["outside_scope"] == 2
    text = preview.content.decode()
    assert "lignes d'étudiant·es hors de vos formations (laissées non rattachées)" in text

    batch = ResultImport.objects.get()
    client.post(reverse("campaigns:import_confirm", args=[batch.pk]))

    assert Participation.objects.filter(campaign=campaign).count() == 2
    assert Participation.objects.filter(student__isnull=False).count() == 0


def test_the_scope_is_checked_again_when_the_import_is_applied(people, world, programmes):
    """Previewed while the uploader followed L2 Géographie, confirmed after they
    stopped: the apply step matches again with the programmes of that moment."""
    campaign, data = world
    staff, geo = people["staff_other"], programmes["L2 Géographie"]
    campaign.programmes.add(geo)
    assignment = StaffAssignment.objects.create(user=staff, programme=geo)
    plan = services.plan_result_import(data, campaign=campaign, by=staff)
    assert len(plan.matches) == 1 and plan.outside_scope == 1  # the SED student
    batch = services.store_result_file(
        data, name="export.csv", by=staff, campaign=campaign, summary=plan.summary()
    )
    assignment.delete()

    services.apply_result_import(batch.pk)

    batch.refresh_from_db()
    assert batch.status == ResultImport.Status.APPLIED
    assert batch.summary["outside_scope"] == 2
    assert Participation.objects.filter(student__isnull=False).count() == 0


def test_an_admin_import_still_links_every_student(people, world):
    campaign, data = world
    plan = services.plan_result_import(data, campaign=campaign, by=people["admin"])

    assert len(plan.matches) == 2 and plan.outside_scope == 0
