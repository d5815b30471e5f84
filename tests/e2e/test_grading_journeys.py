"""Grading in a real browser, on the Saint-Étienne world of the sample files: staff edit
the grid (simulation first, then save), publish a programme, set a student's note by hand
and publish it again with a reason; the student sees the note, its explanation and its
history, and downloads their attestation — but not another student's."""

import re
from decimal import Decimal

import pytest

from grading import services
from grading.models import Grid, Note
from pixoffice.accounts.models import Role, Student
from tests.e2e.test_smoke_journeys import log_in
from tests.factories import UserFactory
from tests.grading import conftest as grading_world

pytestmark = pytest.mark.e2e

# The Saint-Étienne world of the grading tests (roster, both campaigns, the AI badge
# requirement, the grid, the scheme): pytest finds fixtures by module attribute name.
year = grading_world.year
roster = grading_world.roster
campaigns = grading_world.campaigns
requirement = grading_world.requirement
se_grid = grading_world.se_grid
scheme = grading_world.scheme
give_badge = grading_world.give_badge

SIMON = "21093462"  # Aurélien Simon, L2 SED, in the sample roster
SIMON_EMAIL = "aurelien.simon@etu.univ-exemple.fr"
NOTE_SCREENSHOT = "/tmp/e2e-grading-note.png"  # noqa: S108
STUDENT_SCREENSHOT = "/tmp/e2e-grading-student.png"  # noqa: S108
CAMPAIGN_1 = "Campagne 1 : niveau moyen 0,75 sur les compétences 1.1, 2.1, 3.1, 4.1 → 1,5/10"
REASON_LABEL = "Motif (obligatoire pour une nouvelle publication)"


def publish_form(page):
    return page.locator("form").filter(has=page.get_by_role("heading", name="Publier les notes"))


def publish(page, programme, reason=""):
    form = publish_form(page)
    form.get_by_label("Formation").select_option(label=programme)
    if reason:
        form.get_by_label(REASON_LABEL).fill(reason)
    early = form.get_by_label("Publier quand même avant la date limite")
    if form.locator("[data-open-deadline]").count():
        early.check()  # the demo badge (08/12) may still be open
    form.get_by_role("button", name="Publier", exact=True).click()


def test_grid_edit_publication_override_and_the_student_attestation(
    page, live_server, browser, scheme, se_grid, requirement, people, password
):
    from playwright.sync_api import expect

    # The world: notes computed; Aurélien Simon gets an account and the AI badge.
    simon = Student.objects.get(student_number=SIMON)
    simon.user = UserFactory(
        email=SIMON_EMAIL, first_name="Aurélien", last_name="Simon", role=Role.STUDENT
    )
    simon.save()
    give_badge(simon, requirement)
    services.recompute_notes(scheme)
    before = dict(Note.objects.filter(scheme=scheme).values_list("student_id", "value"))
    assert before[simon.pk] == Decimal("2.50")
    staff = people["staff"]

    page.goto(live_server.url + "/")
    log_in(page, staff.email, password)
    expect(page).to_have_url(re.compile(r"/equipe/$"))

    # Notes → the scheme → the grid used by its components → edit the steps.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Notes"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notes")
    page.get_by_role("link", name="Pix S1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pix S1")
    page.get_by_role("region", name="Composantes").get_by_role(
        "link", name=re.compile("Saint-Étienne niveaux")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saint-Étienne niveaux")
    page.get_by_role("link", name="Modifier les paliers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Modifier la grille Saint-Étienne niveaux"
    )
    steps = page.get_by_label("Paliers")
    typed = steps.input_value()
    assert typed.splitlines()[-1] == "5;10"
    steps.fill(typed.rsplit("\n", 1)[0] + "\n5;9,5")
    expect(page.get_by_role("button", name="Enregistrer la grille")).to_have_count(0)
    page.get_by_role("button", name="Simuler").click()

    # The simulation: one student reaches level 5; nothing is saved yet.
    simulation = page.get_by_role("region", name=re.compile("Simulation avant enregistrement"))
    expect(simulation.get_by_role("heading")).to_have_text(
        "Simulation avant enregistrement — Pix S1"
    )
    # issue 15.9: the page opens at the result, not at its top
    assert page.url.endswith("#simulation-title")
    expect(simulation.get_by_role("heading")).to_be_in_viewport()
    assert page.evaluate("() => window.scrollY") > 0
    expect(simulation.locator("[data-simulation=changed]")).to_have_text("1")
    expect(simulation.get_by_role("paragraph").first).to_contain_text(
        re.compile(r"changer\w* sur 96 étudiant·e·s")
    )
    # the wording is checked at the end, so that the rest of the journey still runs
    summary = " ".join(simulation.get_by_role("paragraph").first.inner_text().split())
    who = simulation.get_by_role("group").get_by_role("row")  # « Pour qui la note change »
    expect(who).to_have_count(2)
    expect(who.nth(1).get_by_role("cell")).to_have_text(
        ["21846013", "Vincent Hugo", "18 (non validé)", "17,5 (non validé)"]
    )
    se_grid.refresh_from_db()
    assert se_grid.steps[-1] == ["5", "10"]
    page.get_by_role("button", name="Enregistrer la grille").click()

    expect(page.get_by_role("status")).to_contain_text(
        "La grille est enregistrée ; les notes sont recalculées."
    )
    expect(page.get_by_role("table").get_by_role("row").last).to_have_text(re.compile(r"5\s*9,5"))
    se_grid.refresh_from_db()
    assert se_grid.steps[-1] == ["5", "9.5"]  # nothing published yet: edited in place
    assert Grid.objects.count() == 1
    after = dict(Note.objects.filter(scheme=scheme).values_list("student_id", "value"))
    moved = {pk: (before[pk], value) for pk, value in after.items() if value != before[pk]}
    hugo = Student.objects.get(student_number="21846013")
    assert moved == {hugo.pk: (Decimal(18), Decimal("17.5"))}

    # Back to the scheme: publish L2 SED (Aurélien's programme).
    page.get_by_role("link", name="Pix S1 (2025-2026)").click()  # « Utilisée par »
    expect(page.get_by_role("heading", level=1)).to_have_text("Pix S1")
    publish(page, "L2 SED")
    expect(page.get_by_role("status")).to_contain_text(
        "28 note(s) publiée(s) pour L2 SED : les étudiant·es les voient."
    )
    expect(page.locator('[data-published="L2 SED"]')).to_have_text("28")
    note = Note.objects.get(scheme=scheme, student=simon)
    assert note.published_value == Decimal("2.50")

    # Find Aurélien's note (the table has two pages) and set it by hand.
    page.get_by_label("Rechercher").fill(SIMON)
    page.get_by_role("button", name="Filtrer").click()
    notes = page.locator("table.notes")
    expect(notes.locator("caption")).to_have_text("1 note")
    notes.get_by_role("link", name=SIMON).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Simon Aurélien {SIMON}")
    override = page.get_by_role("region", name="Modifier la note à la main")
    override.get_by_label("Note", exact=True).fill("12")
    override.get_by_label("Résultat").select_option(label="Validé")
    override.get_by_label("Motif").fill("Jury du 12/01")
    override.get_by_role("button", name="Enregistrer la note").click()

    expect(page.get_by_role("status")).to_contain_text("Note modifiée.")
    card = page.get_by_role("region", name=re.compile("^Note :"))
    expect(card.get_by_role("heading", level=2)).to_have_text(re.compile(r"12/20\s+— validé"))
    expect(card.locator(".tag")).to_have_text("saisie à la main")
    expect(card).to_contain_text(
        "La règle donne 2,5 (non validé). Motif de la saisie : Jury du 12/01"
    )
    seen = page.get_by_role("region", name="Ce que voit l'étudiant·e")
    expect(seen).to_contain_text("2,5/20 — non validé")
    expect(seen).to_contain_text("La note ou son explication a changé depuis sa publication")
    history = page.get_by_role("region", name="Historique")
    row = history.get_by_role("row").filter(has_text="Note saisie")
    expect(row).to_contain_text("Jury du 12/01")
    expect(row).to_contain_text("12 (validé)")
    page.screenshot(path=NOTE_SCREENSHOT, full_page=True)

    # Publish again: refused without a reason, done with one.
    page.get_by_role("link", name="← Pix S1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pix S1")
    publish(page, "L2 SED")
    # the refusal is next to the reason, the programme still chosen (issue 15 point 9)
    expect(publish_form(page).get_by_label(REASON_LABEL)).to_have_attribute("aria-invalid", "true")
    expect(publish_form(page).get_by_role("alert")).to_contain_text(
        "1 note déjà publiée a changé : indiquez le motif de la nouvelle publication."
    )
    note.refresh_from_db()
    assert note.published_value == Decimal("2.50")
    publish(page, "L2 SED", reason="Jury de janvier")
    expect(page.get_by_role("status")).to_contain_text(
        "1 note(s) publiée(s) pour L2 SED : les étudiant·es les voient."
    )
    expect(page.get_by_role("listitem").filter(has_text="motif : Jury de janvier")).to_have_count(1)
    note.refresh_from_db()
    assert (note.published_value, note.published_result) == (Decimal(12), "validated")

    # Aurélien logs in and sees the new note, how it was made, and its history.
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    student = context.new_page()
    student.goto(live_server.url + "/")
    log_in(student, SIMON_EMAIL, password)
    student.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes notes"
    ).click()
    expect(student.get_by_role("heading", level=1)).to_have_text("Mes notes")
    mine = student.get_by_role("region", name=re.compile("^Pix S1"))
    expect(mine.locator(".big-note")).to_have_text(re.compile(r"^12/20\s+— validé$"))
    explanation = mine.locator("ol.explanation")
    expect(explanation.get_by_role("listitem").filter(has_text=CAMPAIGN_1)).to_have_count(1)
    expect(explanation).to_contain_text("Module IA : obtenu")
    expect(explanation).to_contain_text("Note modifiée par l'équipe : 12, validé")
    mine.get_by_text("Historique de la note").click()
    republished = mine.get_by_role("listitem").filter(has_text="Nouvelle publication")
    expect(republished).to_be_visible()
    expect(republished).to_contain_text("12 (validé), auparavant 2,5 — motif : Jury de janvier")
    student.screenshot(path=STUDENT_SCREENSHOT, full_page=True)

    with student.expect_download() as download_info:
        mine.get_by_role("link", name="Télécharger mon attestation (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # Another student's published note: its attestation is not Aurélien's to download.
    other = Note.objects.filter(scheme=scheme, student__programme=simon.programme)
    other = other.exclude(student=simon).filter(published_at__isnull=False).first()
    assert other is not None
    response = student.request.get(f"/mes-notes/{other.pk}/attestation.pdf")
    assert response.status == 404
    assert student.request.get(f"/mes-notes/{note.pk}/attestation.pdf").status == 200
    context.close()

    # One note out of 96 students: the verb and noun agree with the one note that changes,
    # not with the 96 students of the cohort.
    assert summary.startswith("1 note changerait sur 96 étudiant·e·s."), (
        f"the grid simulation reads {summary!r}"
    )
