"""Issue 15 point 9: a scheme's component shows and keeps only the fields of its kind
(an Open Badge has no campaign nor grid); the server ignores and clears the others;
a script hides them, and without it each field says which kinds it is for."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from grading.forms import ComponentForm
from grading.models import Component, Scheme

pytestmark = pytest.mark.django_db


def component_form(**values):
    data = {
        "position": "1",
        "label": "Partie",
        "weight": "1",
        "missing": "zero",
        "absence_code": "ABI",
        **values,
    }
    return ComponentForm(data)


def test_a_badge_ignores_the_campaign_grid_and_threshold_typed_for_another_kind(
    saint_etienne, se_grid, requirement
):
    form = component_form(
        kind="badge",
        badge_requirement=str(requirement.pk),
        campaign=str(saint_etienne.campaigns[0].pk),
        basis="mean_level",
        grid=str(se_grid.pk),
        minimum="pas un nombre",
        weight="",
        missing="absence",
        absence_code="",
    )

    assert form.is_valid(), form.errors
    component = form.instance
    assert component.badge_requirement == requirement
    assert (component.campaign, component.grid, component.minimum) == (None, None, None)
    assert (component.basis, component.weight, component.missing) == ("", D(1), "zero")


def test_a_campaign_component_drops_a_badge_chosen_before_its_kind_changed(
    saint_etienne, se_grid, requirement
):
    form = component_form(
        kind="campaign",
        campaign=str(saint_etienne.campaigns[0].pk),
        basis="mean_level",
        grid=str(se_grid.pk),
        badge_requirement=str(requirement.pk),
    )

    assert form.is_valid(), form.errors
    assert form.instance.badge_requirement is None
    assert form.instance.grid == se_grid


def test_a_certification_keeps_its_grid_and_drops_the_campaign(saint_etienne, se_grid):
    form = component_form(
        kind="certification",
        grid=str(se_grid.pk),
        campaign=str(saint_etienne.campaigns[0].pk),
        basis="total_pix",
        minimum="3",
    )

    assert form.is_valid(), form.errors
    component = form.instance
    assert (component.campaign, component.minimum) == (None, None)
    assert component.basis == Component.Basis.CERTIFICATION_SCORE


def test_each_kind_still_requires_its_own_fields(saint_etienne):
    badge = component_form(kind="badge", campaign=str(saint_etienne.campaigns[0].pk))
    campaign = component_form(kind="campaign", basis="mean_level")

    assert not badge.is_valid()
    assert list(badge.errors) == ["badge_requirement"]
    assert not campaign.is_valid()
    assert set(campaign.errors) == {"campaign", "grid"}


def test_a_minimum_campaign_threshold_still_works(saint_etienne):
    form = component_form(
        kind="campaign",
        campaign=str(saint_etienne.campaigns[0].pk),
        basis="mean_level",
        minimum="2,5",
    )

    assert form.is_valid(), form.errors
    assert (form.instance.grid, form.instance.minimum) == (None, D("2.5"))


def test_the_edit_page_labels_each_field_with_its_kinds_and_loads_the_script(
    staff_client, saint_etienne
):
    scheme = saint_etienne.scheme
    html = staff_client.get(reverse("grading:scheme_edit", args=[scheme.pk])).content.decode()

    badge = scheme.components.get(kind="badge")
    index = list(scheme.components.order_by("position", "pk")).index(badge)
    campaign_box = re.search(
        rf'<div class="field"\s*data-kinds="([^"]*)">\s*<label for="id_components-{index}-campaign">',
        html,
    )
    assert campaign_box and campaign_box.group(1) == "campaign"
    assert 'data-kinds="badge"' in html
    assert 'data-kinds="campaign certification"' in html  # the grid, the weight…
    assert "(composante Open Badge)</span>" in html
    assert "(composante campagne, certification)</span>" in html
    assert re.search(rf'<select[^>]*name="components-{index}-kind"[^>]*data-component-kind', html)
    assert '<script src="/static/js/scheme_form.js" defer></script>' in html
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []  # the CSP: no inline script


def test_saving_a_badge_component_with_stale_fields_stores_them_cleared(
    staff_client, saint_etienne, se_grid
):
    """Through the page: simulate then save; the badge keeps no grid nor campaign."""
    scheme = saint_etienne.scheme
    url = reverse("grading:scheme_edit", args=[scheme.pk])
    formset = staff_client.get(url).context["formset"]
    data = {
        "name": scheme.name,
        "academic_year": scheme.academic_year_id,
        "programmes": [p.pk for p in scheme.programmes.all()],
        "combine": "sum",
        "scale": "20",
        "rounding": "none",
        "pass_mark": "10",
        "action": "simulate",
        "components-TOTAL_FORMS": str(len(formset.forms)),
        "components-INITIAL_FORMS": str(formset.initial_form_count()),
        "components-MIN_NUM_FORMS": "0",
        "components-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(formset.forms):
        for name in form.fields:
            value = form[name].value()
            if value not in (None, "") and name != "DELETE":
                data[f"components-{i}-{name}"] = str(getattr(value, "pk", value))
        if form.instance.kind == "badge":  # left over from when it was a campaign
            data[f"components-{i}-grid"] = str(se_grid.pk)
            data[f"components-{i}-campaign"] = str(saint_etienne.campaigns[0].pk)

    simulated = staff_client.post(url, data)
    assert "simulation" in simulated.context, simulated.context["formset"].errors
    saved = staff_client.post(
        url, {**data, "action": "save", "simulated": simulated.context["token"]}
    )
    assert saved.status_code == 302

    badge = Scheme.objects.get(pk=scheme.pk).components.get(kind="badge")
    assert (badge.grid, badge.campaign) == (None, None)
