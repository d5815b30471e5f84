"""The issue 15/16 pages at 1280 px and 375 px: nothing wider than the window (the
statistics and retention tables scroll in their own region, the personal data copy's
long values break), and the header keeps the brand and the account on one row with
the menu below it, « Mes données personnelles » included for a student."""

import io

import pytest
from django.core.management import call_command

from tests.e2e.test_accessibility import log_in

pytestmark = pytest.mark.e2e

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
HEADER = """() => {
  const top = s => document.querySelector(s).getBoundingClientRect().top;
  const bottom = s => document.querySelector(s).getBoundingClientRect().bottom;
  return {brand: top('.site-header .brand'), account: top('.site-header .account'),
          accountBottom: bottom('.site-header .account'), nav: top('.site-header nav')};
}"""
PAGES = [
    ("aurelien.simon@etu.univ-exemple.fr", ["/etudiant/", "/mes-donnees/", "/mes-donnees/copie/"]),
    ("equipe@univ-exemple.fr", ["/statistiques/", "/etudiants/donnees-personnelles/journal/"]),
    ("admin@univ-exemple.fr", ["/statistiques/", "/conservation/", "/api/jetons/"]),
]


def test_the_new_pages_fit_at_1280_and_375(page, live_server):
    call_command("load_demo", stdout=io.StringIO())
    base = live_server.url
    too_wide, headers = [], []
    for email, paths in PAGES:
        log_in(page, base, email)
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            for path in paths:
                page.goto(base + path)
                if (over := page.evaluate(OVERFLOW)) > 0:
                    too_wide.append(f"{path} at {width} px: +{over} px")
                if width == 1280:
                    headers.append((path, page.evaluate(HEADER)))

    assert too_wide == []
    for path, box in headers:
        assert abs(box["brand"] - box["account"]) < 12, path  # one row
        assert box["nav"] >= box["accountBottom"], path  # the menu below
    student_home = dict(headers)["/etudiant/"]
    assert page.get_by_role("link", name="Mes données personnelles").count() == 0  # admin
    assert student_home["nav"] - student_home["brand"] < 60  # two rows, not three
