"""Smoke journeys in a real browser: a student logs in, a staff member imports the
roster, and the skip link is the first stop of the keyboard."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from pixoffice.accounts.models import Student
from tests.factories import ProgrammeFactory, StaffFactory
from tests.factories.accounts import PASSWORD, AcademicYearFactory

pytestmark = pytest.mark.e2e

ROSTER = Path(__file__).resolve().parents[1] / "data" / "roster-students.csv"
PROGRAMMES = ["L2 Géographie", "L2 Histoire", "L2 SED", "L2 Sociologie"]
DEMO_PASSWORD = "pixoffice-demo"
# Screenshots for a human to look at (not asserted); fixed names the lead knows.
STUDENT_SCREENSHOT = "/tmp/e2e-student.png"  # noqa: S108
PREVIEW_SCREENSHOT = "/tmp/e2e-preview.png"  # noqa: S108


def _expect():
    from playwright.sync_api import expect

    return expect


def log_in(page, email, password):
    expect = _expect()
    expect(page).to_have_url(re.compile(r"/comptes/login/"))
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_demo_student_logs_in_and_sees_their_home(page, live_server):
    expect = _expect()
    call_command("load_demo", stdout=io.StringIO())

    page.goto(live_server.url + "/")
    log_in(page, "amelie.dupont@etu.univ-exemple.fr", DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(r"/etudiant/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour Amélie")
    main = page.locator("main")
    expect(main).to_contain_text("03879433")
    expect(main).to_contain_text("L2 Géographie")
    page.screenshot(path=STUDENT_SCREENSHOT, full_page=True)


def test_staff_imports_the_roster(page, live_server):
    expect = _expect()
    AcademicYearFactory()
    programmes = [ProgrammeFactory(name=name) for name in PROGRAMMES]
    staff = StaffFactory(email="equipe@univ-exemple.fr", programmes=programmes)

    page.goto(live_server.url + "/")
    log_in(page, staff.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/equipe/$"))

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Importer une liste"
    ).click()
    expect(page).to_have_url(re.compile(r"/etudiants/imports/nouveau/$"))
    page.get_by_label("Fichier de la scolarité (CSV ou XLSX)").set_input_files(ROSTER)
    page.get_by_role("button", name="Voir l'aperçu").click()

    # Preview: nothing written yet.
    expect(page).to_have_url(re.compile(r"/etudiants/imports/\d+/$"))
    expect(page.locator("[data-count=created]")).to_have_text("96")
    confirm = page.get_by_role("button", name="Confirmer l'import")
    expect(confirm).to_be_visible()
    page.screenshot(path=PREVIEW_SCREENSHOT, full_page=True)
    assert Student.objects.count() == 0

    confirm.click()

    # Result: applied synchronously (96 rows is under the task threshold).
    expect(page.locator("#status")).to_have_text("Appliqué")
    expect(page.locator("[data-count=created]")).to_have_text("96")
    assert Student.objects.count() == 96

    page.get_by_role("link", name="Voir les étudiants").click()
    expect(page).to_have_url(re.compile(r"/etudiants/$"))
    expect(page.locator("table caption")).to_have_text("96 étudiant·e·s")
    expect(page.get_by_role("link", name="03201590", exact=True)).to_be_visible()


def test_tab_first_focuses_the_skip_link(page, live_server):
    expect = _expect()
    page.goto(live_server.url + "/comptes/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")

    page.keyboard.press("Tab")

    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
