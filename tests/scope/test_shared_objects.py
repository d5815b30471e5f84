"""Point 1 of issue 10: saving a shared object keeps the programmes the editor cannot
see; a change of a shared setting by someone who does not follow every programme of
the object needs their confirmation."""

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from grading.models import Scheme
from pixoffice.accounts.models import Student
from pixoffice.badges.models import BadgeRequirement
from tests.scope.forms import field_values, formset_values

pytestmark = pytest.mark.django_db

FOUR = {"L2 Géographie", "L2 Histoire", "L2 SED", "L2 Sociologie"}


def names(obj) -> set[str]:
    return set(obj.programmes.values_list("name", flat=True))


@pytest.fixture
def histoire_client(client, people):
    client.force_login(people["staff_other"])  # follows L2 Histoire only
    return client


def test_campaign_saved_unchanged_keeps_its_four_programmes(histoire_client, campaigns):
    campaign = campaigns[0]
    url = reverse("campaigns:edit", args=[campaign.pk])
    page = histoire_client.get(url)
    text = page.content.decode()
    assert "Cette campagne concerne aussi L2 Géographie, L2 SED, L2 Sociologie." in text

    response = histoire_client.post(url, field_values(page.context["form"]))

    assert response.status_code == 302
    assert names(campaign) == FOUR


def test_campaign_deadline_change_needs_the_confirmation(histoire_client, campaigns):
    campaign = campaigns[0]
    url = reverse("campaigns:edit", args=[campaign.pk])
    data = field_values(histoire_client.get(url).context["form"])
    data["deadline"] = "2026-06-30T18:00"

    refused = histoire_client.post(url, data)

    assert refused.status_code == 200
    assert (
        "Ce changement concerne aussi L2 Géographie, L2 SED, L2 Sociologie : "
        "cochez la case pour confirmer." in refused.content.decode()
    )
    campaign.refresh_from_db()
    assert campaign.deadline.date() != dt.date(2026, 6, 30)

    confirmed = histoire_client.post(url, {**data, "confirm_shared": "on"})

    assert confirmed.status_code == 302
    campaign.refresh_from_db()
    assert campaign.deadline.date() == dt.date(2026, 6, 30) and names(campaign) == FOUR


def test_taking_ones_programme_off_a_shared_campaign_needs_no_confirmation(
    histoire_client, campaigns
):
    campaign = campaigns[0]
    url = reverse("campaigns:edit", args=[campaign.pk])
    data = field_values(histoire_client.get(url).context["form"])
    del data["programmes"]

    response = histoire_client.post(url, data)

    assert response.status_code == 302
    assert names(campaign) == FOUR - {"L2 Histoire"}


def test_staff_of_every_programme_and_admins_save_directly(client, people, campaigns):
    campaign = campaigns[0]
    url = reverse("campaigns:edit", args=[campaign.pk])
    for who in ("staff", "admin"):
        client.force_login(people[who])
        page = client.get(url)
        assert "confirm_shared" not in page.context["form"].fields
        data = {**field_values(page.context["form"]), "deadline": "2026-06-30T18:00"}
        assert client.post(url, data).status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).deadline.date() == dt.date(2026, 6, 30)


def scheme_page_post(page, action, token=None):
    data = {
        **field_values(page.context["form"]),
        **formset_values(page.context["formset"]),
        "action": action,
    }
    if token:
        data["simulated"] = token
    return data


def test_scheme_simulated_then_saved_unchanged_keeps_its_four_programmes(histoire_client, scheme):
    url = reverse("grading:scheme_edit", args=[scheme.pk])
    page = histoire_client.get(url)
    assert "Cette modalité de notation concerne aussi" in page.content.decode()

    simulated = histoire_client.post(url, scheme_page_post(page, "simulate"))
    assert simulated.status_code == 200
    # the simulation counts and names only the editor's students (L2 Histoire)
    histoire = Student.objects.filter(programme__name="L2 Histoire").count()
    assert simulated.context["simulation"].students == histoire > 0
    saved = histoire_client.post(url, scheme_page_post(page, "save", simulated.context["token"]))

    assert saved.status_code == 302
    assert names(Scheme.objects.get(pk=scheme.pk)) == FOUR


def test_scheme_rule_change_needs_the_confirmation(histoire_client, scheme):
    url = reverse("grading:scheme_edit", args=[scheme.pk])
    page = histoire_client.get(url)
    data = {**scheme_page_post(page, "simulate"), "pass_mark": "8"}
    token = histoire_client.post(url, data).context["token"]

    refused = histoire_client.post(url, {**data, "action": "save", "simulated": token})

    assert refused.status_code == 200
    assert "cochez la case pour confirmer" in refused.content.decode()
    assert Scheme.objects.get(pk=scheme.pk).pass_mark == 10

    confirmed = histoire_client.post(
        url, {**data, "action": "save", "simulated": token, "confirm_shared": "on"}
    )

    assert confirmed.status_code == 302
    saved = Scheme.objects.get(pk=scheme.pk)
    assert saved.pass_mark == 8 and names(saved) == FOUR


def test_badge_requirement_saved_unchanged_keeps_its_programmes(histoire_client, requirement):
    url = reverse("badges:requirement_edit", args=[requirement.pk])
    page = histoire_client.get(url)
    assert "Ce badge exigé concerne aussi" in page.content.decode()

    response = histoire_client.post(url, field_values(page.context["form"]))

    assert response.status_code == 302
    assert names(BadgeRequirement.objects.get(pk=requirement.pk)) == FOUR
