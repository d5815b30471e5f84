"""The campaign follow-up's charts and tables in Chromium at 1280 px, at 375 px and at
200 % zoom (issue 15, point 8): nothing wider than its card, nothing clipped, the
chart's labels at 12 px or more, axe-core at 0 violations. Screenshots are kept in
``/tmp/e2e-followup-<name>.png`` to look at."""

import io

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from tests.e2e.test_accessibility import AXE, RUN
from tests.e2e.test_smoke_journeys import DEMO_PASSWORD, log_in

pytestmark = pytest.mark.e2e

# (name, CSS viewport width, device scale factor): 200 % zoom of a 1280 px window is
# a 640 px wide CSS viewport drawn with two device pixels per CSS pixel
SIZES = [("1280", 1280, 1), ("375", 375, 1), ("zoom200", 640, 2)]
SCREENSHOT = "/tmp/e2e-followup-{}.png"  # noqa: S108

MEASURE = """() => {
  const out = {page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
               cards: [], labels: [], clipped: []};
  for (const card of document.querySelectorAll(".charts > .card, .card")) {
    const over = card.scrollWidth - card.clientWidth;
    if (over > 1) out.cards.push(card.querySelector("h2")?.textContent + " +" + over + "px");
  }
  for (const el of document.querySelectorAll(".chart-y span, .chart-x span, .chart-legend .key")) {
    out.labels.push(parseFloat(getComputedStyle(el).fontSize));
    const box = el.getBoundingClientRect(), card = el.closest(".card").getBoundingClientRect();
    if (box.left < card.left || box.right > card.right || box.top < card.top) out.clipped.push(el.textContent);
  }
  out.svgText = document.querySelectorAll("svg.chart text").length;
  return out;
}"""


def test_the_follow_up_fits_at_every_width_and_zoom(browser, live_server):
    call_command("load_demo", stdout=io.StringIO())
    campaign = Campaign.objects.get(code="MJPECY231")
    found = []
    for name, width, scale in SIZES:
        context = browser.new_context(
            base_url=live_server.url,
            locale="fr-FR",
            viewport={"width": width, "height": 900},
            device_scale_factor=scale,
        )
        page = context.new_page()
        page.goto(live_server.url + "/")
        log_in(page, "equipe@univ-exemple.fr", DEMO_PASSWORD)
        page.wait_for_url(f"{live_server.url}/equipe/")
        page.goto(f"{live_server.url}/campagnes/{campaign.pk}/")
        page.locator("details.chart-data summary").click()  # the data table shown too
        got = page.evaluate(MEASURE)
        page.screenshot(path=SCREENSHOT.format(name), full_page=True)
        page.evaluate(AXE)
        violations = page.evaluate(RUN)
        context.close()

        assert got["labels"], "the curve's labels are missing"
        found += [f"{name}: page wider than the window by {got['page']}px"] * (got["page"] > 0)
        found += [f"{name}: card wider than its box: {c}" for c in got["cards"]]
        found += [f"{name}: label at {s}px" for s in got["labels"] if s < 12]
        found += [f"{name}: label clipped: {t}" for t in got["clipped"]]
        found += [f"{name}: {v['id']} {v['help']} {v['nodes']}" for v in violations]
        assert got["svgText"] == 0

    assert found == [], "\n".join(found)
