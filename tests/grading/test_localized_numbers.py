"""Issue 15 point 9: numbers in grading forms as on every other page: « 20 » and « 1,5 »
in French, "1.5" in English; both « 1,5 » and « 1.5 » are accepted in either language."""

import re
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from grading import services
from grading.forms import ComponentForm, GridForm, OverrideForm, SchemeForm
from grading.models import Component, Note

pytestmark = pytest.mark.django_db


def value_of(html, name):
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert match, name
    found = re.search(r'value="([^"]*)"', match.group(0))
    return found.group(1) if found else None


def set_threshold(scheme, minimum):
    component = scheme.components.filter(kind="campaign").first()
    Component.objects.filter(pk=component.pk).update(grid=None, minimum=minimum)
    return list(scheme.components.order_by("position", "pk")).index(component)


@pytest.mark.parametrize(("language", "threshold"), [("fr", "1,5"), ("en", "1.5")])
def test_the_scheme_form_writes_numbers_in_the_page_language(
    staff_client, saint_etienne, language, threshold
):
    scheme = saint_etienne.scheme
    index = set_threshold(scheme, D("1.50"))
    scheme.pass_mark = D("10.50")
    scheme.save(update_fields=["pass_mark"])
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    html = staff_client.get(reverse("grading:scheme_edit", args=[scheme.pk])).content.decode()

    assert value_of(html, "scale") == "20"  # not « 20.00 »
    assert value_of(html, "pass_mark") == ("10,5" if language == "fr" else "10.5")
    assert value_of(html, f"components-{index}-minimum") == threshold
    assert value_of(html, f"components-{index}-weight") == "1"
    box = re.search(r'<input[^>]*name="scale"[^>]*>', html).group(0)
    assert 'type="text"' in box and 'inputmode="decimal"' in box


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("typed", "expected"), [("1,5", D("1.5")), ("1.5", D("1.5")), ("2", D(2))])
def test_both_separators_are_accepted_in_both_languages(saint_etienne, language, typed, expected):
    data = {
        "position": "1",
        "label": "Seuil",
        "kind": "campaign",
        "campaign": str(saint_etienne.campaigns[0].pk),
        "basis": "mean_level",
        "minimum": typed,
        "weight": typed,
        "missing": "zero",
        "absence_code": "ABI",
    }
    with translation.override(language):
        form = ComponentForm(data)
        assert form.is_valid(), form.errors
    assert form.cleaned_data["minimum"] == form.cleaned_data["weight"] == expected


@pytest.mark.parametrize("language", ["fr", "en"])
def test_scheme_and_grid_scales_accept_a_decimal_comma(people, year, programmes, language):
    scheme_data = {
        "name": "Pix S2",
        "academic_year": year.pk,
        "programmes": [p.pk for p in programmes.values()],
        "combine": "sum",
        "scale": "20,0",
        "cap": "18.5",
        "rounding": "none",
        "pass_mark": "9,75",
    }
    grid_data = {"name": "G", "academic_year": year.pk, "scale": "10,5", "steps": "0;0\n65;0,5"}
    with translation.override(language):
        scheme = SchemeForm(scheme_data, user=people["staff"])
        grid = GridForm(grid_data)
        assert scheme.is_valid(), scheme.errors
        assert grid.is_valid(), grid.errors
    assert (scheme.cleaned_data["cap"], scheme.cleaned_data["pass_mark"]) == (D("18.5"), D("9.75"))
    assert grid.cleaned_data["scale"] == D("10.5")


def test_a_bad_number_is_refused_and_shown_back_as_typed(saint_etienne):
    form = ComponentForm(
        {
            "position": "1",
            "label": "Seuil",
            "kind": "campaign",
            "campaign": str(saint_etienne.campaigns[0].pk),
            "basis": "mean_level",
            "minimum": "deux",
            "weight": "1",
            "missing": "zero",
        }
    )

    assert not form.is_valid()
    assert "minimum" in form.errors
    assert 'value="deux"' in str(form["minimum"])


@pytest.mark.parametrize(("language", "shown"), [("fr", "8,5"), ("en", "8.5")])
def test_the_override_form_shows_the_note_in_the_page_language(saint_etienne, language, shown):
    scheme = saint_etienne.scheme
    services.recompute_notes(scheme)
    note = Note.objects.filter(scheme=scheme).first()
    Note.objects.filter(pk=note.pk).update(value=D("8.50"))
    note.refresh_from_db()

    with translation.override(language):
        form = OverrideForm(note=note)
        assert 'value="' + shown + '"' in str(form["value"])
        typed = OverrideForm({"value": "12,5", "result": "validated", "reason": "Jury"}, note=note)
        assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["value"] == D("12.5")


def test_an_override_above_the_scale_names_it_in_french(saint_etienne):
    scheme = saint_etienne.scheme
    services.recompute_notes(scheme)
    note = Note.objects.filter(scheme=scheme).first()

    too_high = OverrideForm({"value": "20,5", "result": "validated", "reason": "J"}, note=note)

    assert not too_high.is_valid()
    assert too_high.errors["value"] == ["La note doit être au plus 20."]
