"""Campaign journeys in a real browser: staff imports the sample Pix Orga export,
checks the preview, confirms, resolves an unmatched row; then a student sees the share."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, Participation, Share
from tests.e2e.test_smoke_journeys import DEMO_PASSWORD, log_in

pytestmark = pytest.mark.e2e

EXPORT = Path(__file__).resolve().parents[1] / "data" / "profiles-collection-sup.csv"
FOLLOW_UP_SCREENSHOT = "/tmp/e2e-followup.png"  # noqa: S108
STUDENT_SCREENSHOT = "/tmp/e2e-student-campaigns.png"  # noqa: S108


def test_staff_imports_the_sample_export_then_a_student_sees_the_share(page, live_server, browser):
    from playwright.sync_api import expect

    call_command("load_demo", stdout=io.StringIO())
    # start from a campaign with no result yet: the demo imported the sample export
    campaign = Campaign.objects.get(code="URRTVG494")
    Participation.objects.filter(campaign=campaign).delete()

    page.goto(live_server.url + "/")
    log_in(page, "equipe@univ-exemple.fr", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Campagnes"
    ).click()
    page.get_by_role("link", name="Importer des résultats Pix Orga").click()
    page.get_by_label("Export de résultats Pix Orga (CSV)").set_input_files(str(EXPORT))
    page.get_by_role("button", name="Voir l'aperçu").click()

    expect(page.locator("[data-count=shares_created]")).to_have_text("31")
    expect(page.locator("[data-count=unmatched]")).to_have_text("10")
    expect(page.locator("[data-count=not_shared]")).to_have_text("10")
    assert Share.objects.filter(participation__campaign=campaign).count() == 0
    page.get_by_role("button", name="Confirmer l'import").click()

    expect(page.get_by_role("heading", name="Importé")).to_be_visible()
    assert Share.objects.filter(participation__campaign=campaign).count() == 31

    page.get_by_role("link", name="Résoudre les lignes non rattachées").click()
    row = page.get_by_role("row").filter(has_text="E189966")
    row.get_by_label("Numéro étudiant").fill("22900002")
    row.get_by_role("button", name="Rattacher", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("E189966 est rattaché·e")

    page.get_by_role("link", name="Retour au suivi").click()
    expect(page.locator("[data-count=shared]")).to_have_text("25")
    page.screenshot(path=FOLLOW_UP_SCREENSHOT, full_page=True)

    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    student = context.new_page()
    student.goto(live_server.url + "/")
    log_in(student, "aurelien.simon@etu.univ-exemple.fr", DEMO_PASSWORD)
    student.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes campagnes"
    ).click()
    # last year's campaign he took part in (the one just imported) is folded under
    # « Années précédentes »; the earlier campaigns he never joined are not listed
    earlier = student.locator("details.earlier-years")
    earlier.get_by_text("Années précédentes : 1 campagne").click()
    expect(earlier.locator("[data-earlier=ARCHIV019]")).to_have_count(0)
    row = earlier.locator("[data-earlier=URRTVG494]")
    expect(row).to_contain_text("Envoyé")
    expect(row).to_contain_text("15/03/2026, 136 pix")
    # this year's campaign 1, with the demo's shares
    card = student.get_by_role("article").filter(has_text="Campagne 1 — Saint-Étienne")
    expect(card).to_contain_text("MJPECY231")
    expect(card).to_contain_text("21093462")  # the number to type when Pix asks for it
    expect(card.locator(".status")).to_have_text("Envoyé")
    expect(card).to_contain_text("136 pix")
    card.get_by_text("Historique : 2 envois").click()
    expect(card).to_contain_text("112 pix")
    student.screenshot(path=STUDENT_SCREENSHOT, full_page=True)
    context.close()
