"""Issue 15 point 9 in Chromium: on the scheme form each component shows only the
fields of its kind (static/js/scheme_form.js), and changing the kind shows the others."""

import re

import pytest

from tests.e2e.test_smoke_journeys import log_in
from tests.grading import conftest as grading_world

pytestmark = pytest.mark.e2e

year = grading_world.year
roster = grading_world.roster
campaigns = grading_world.campaigns
requirement = grading_world.requirement
se_grid = grading_world.se_grid
scheme = grading_world.scheme


def test_each_component_shows_the_fields_of_its_kind(page, live_server, scheme, people, password):
    from playwright.sync_api import expect

    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(live_server.url + "/")
    log_in(page, people["staff"].email, password)
    expect(page).to_have_url(re.compile(r"/equipe/$"))
    page.goto(f"{live_server.url}/notes/modalites/{scheme.pk}/modifier/")

    badge = page.get_by_role("group", name="Module IA", exact=True)
    campaign = page.get_by_role("group", name="Campagne 1", exact=True)
    expect(badge.get_by_label(re.compile("^Badge exigé"))).to_be_visible()
    expect(badge.get_by_label(re.compile("^Campagne"))).to_be_hidden()
    expect(badge.get_by_label(re.compile("^Grille"))).to_be_hidden()
    expect(badge.get_by_label(re.compile("^Coefficient"))).to_be_hidden()
    expect(campaign.get_by_label(re.compile("^Campagne"))).to_be_visible()
    expect(campaign.get_by_label(re.compile("^Badge exigé"))).to_be_hidden()
    expect(campaign.get_by_text("(composante campagne, certification)").first).to_be_hidden()

    badge.get_by_label("Type").select_option("certification")

    expect(badge.get_by_label(re.compile("^Grille"))).to_be_visible()
    expect(badge.get_by_label(re.compile("^Badge exigé"))).to_be_hidden()
    expect(badge.get_by_label(re.compile("^Campagne"))).to_be_hidden()
    assert errors == []  # the strict CSP let the script run, and it ran cleanly
