"""The staff calendar in a real browser: staff of the demo open « Calendrier », see
October's support sessions and deadlines of their programmes, narrow it to one
programme with the keyboard-usable filter, and follow an item to its staff page.
Screenshots at desktop width and at 390 px in /tmp/shots/."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from pixoffice.events.models import SupportSession
from tests.e2e.test_smoke_journeys import log_in
from tests.factories import StaffFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots")  # noqa: S108
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}


def shoot(page, name: str) -> int:
    """Both widths; returns the page's width at 390 px (for the no-overflow check)."""
    SHOTS.mkdir(exist_ok=True)
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"staff-calendar-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(WIDTHS["mobile"])
    # the month's table scrolls inside its own box; the page itself must not
    wide = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(WIDTHS["desktop"])
    return wide


def test_staff_see_their_programmes_month_and_filter_it(page, live_server):
    from playwright.sync_api import expect

    from pixoffice.accounts.models import Programme

    call_command("load_demo", stdout=io.StringIO())
    geo, histoire = (
        Programme.objects.get(name="L2 Géographie"),
        Programme.objects.get(name="L2 Histoire"),
    )
    staff = StaffFactory(email="calendrier@univ-exemple.fr", programmes=[geo, histoire])
    month = SupportSession.objects.get(programme=geo).start.strftime("%Y-%m")

    page.goto(live_server.url + "/")
    log_in(page, staff.email, PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Calendrier"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendrier des formations")
    page.goto(live_server.url + f"/equipe/calendrier/?mois={month}")
    listing = page.get_by_role("region", name="Liste d")
    expect(listing).to_contain_text("Séance d'accompagnement Pix — L2 Géographie")
    expect(listing).to_contain_text("Séance d'accompagnement Pix — L2 Histoire")
    expect(listing).not_to_contain_text("L2 Sociologie")  # not followed
    expect(listing).to_contain_text("Permanence du bureau Pix")
    assert shoot(page, "all") <= WIDTHS["mobile"]["width"]

    # narrow to one programme, with the keyboard
    page.get_by_label("Formation", exact=True).focus()
    page.get_by_label("Formation", exact=True).select_option(label="L2 Géographie")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(listing).to_contain_text("Séance d'accompagnement Pix — L2 Géographie")
    expect(listing).not_to_contain_text("Séance d'accompagnement Pix — L2 Histoire")
    expect(page.get_by_label("Formation", exact=True)).to_have_value(str(geo.pk))
    assert shoot(page, "geographie") <= WIDTHS["mobile"]["width"]

    # an item leads to its staff page
    listing.get_by_role("link", name="Séance d'accompagnement Pix — L2 Géographie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Séance d'accompagnement Pix — L2 Géographie"
    )
