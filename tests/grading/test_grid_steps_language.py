"""Issue 15: a grid's steps are written as the reader writes numbers: « 65;0,5 » in
French, "65, 0.5" in English (the edit box, its help, its errors), and read back in
either language; lists joined by semicolons get French or English spacing."""

import re
from decimal import Decimal as D
from html import unescape

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from grading import computation as calc
from grading import explain
from grading.forms import GridForm, parse_steps_text, steps_text
from tests.factories import GridFactory

pytestmark = pytest.mark.django_db

STEPS = [calc.Step(D(0), D(0)), calc.Step(D(65), D("0.5")), calc.Step(D("130.5"), D(1))]


@pytest.fixture
def grid():
    return GridFactory(scale=D(20), steps=calc.steps_to_pairs(STEPS))


def _edit_box(html):
    return unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1)).strip()


@pytest.mark.parametrize(
    ("language", "lines", "example"),
    [
        ("fr", ["0;0", "65;0,5", "130,5;1"], "65;0,5"),
        ("en", ["0, 0", "65, 0.5", "130.5, 1"], "65, 0.5"),
    ],
)
def test_the_edit_box_writes_steps_in_the_page_language(
    staff_client, grid, language, lines, example
):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    html = staff_client.get(reverse("grading:grid_edit", args=[grid.pk])).content.decode()

    assert _edit_box(html).splitlines() == lines
    quoted = f"« {example} »" if language == "fr" else f"“{example}”"
    assert quoted in unescape(html)
    if language == "en":
        assert "65;0,5" not in unescape(html)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_what_the_box_shows_reads_back_as_the_same_steps(grid, language):
    with translation.override(language):
        assert parse_steps_text(steps_text(grid)) == STEPS


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("en", "65, 0.5"),
        ("en", "65,0.5"),
        ("en", "65;0,5"),  # the Strasbourg way, pasted into an English page
        ("en", "65\t0.5"),
        ("fr", "65;0,5"),
        ("fr", "65 ; 0,5"),
        ("fr", "65 0,5"),
    ],
)
def test_a_step_is_read_in_either_way(language, typed):
    with translation.override(language):
        assert parse_steps_text(typed) == [calc.Step(D(65), D("0.5"))]


def test_a_french_decimal_comma_is_never_taken_for_a_separator():
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        parse_steps_text("65,5")

    assert "« 65;0,5 »" in refused.value.messages[0]


def test_the_english_error_gives_the_english_example():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        parse_steps_text("65")

    assert "65, 0.5" in refused.value.messages[0]


def test_a_posted_english_grid_is_saved_with_its_steps(grid):
    with translation.override("en"):
        form = GridForm({"scale": "20", "steps": "0, 0\n65, 0.5\n130.5, 1"}, grid=grid)
        assert form.is_valid(), form.errors

    assert form.cleaned_data["step_list"] == STEPS


@pytest.mark.parametrize(("language", "joined"), [("fr", "a ; b"), ("en", "a; b")])
def test_semicolon_lists_follow_the_language(language, joined):
    with translation.override(language):
        assert explain.semicolons(["a", "b"]) == joined
        line = {
            "kind": "combine",
            "how": calc.WEIGHTED_MEAN,
            "parts": [["A", "10", "20", "1"], ["B", "12", "20", "2"]],
            "raw": "11.3",
            "scale": "20",
        }
        text = explain.sentence(line)

    assert (" ; " in text) is (language == "fr")
    assert ("; " in text) and (language == "fr" or " ;" not in text)
