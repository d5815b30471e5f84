"""Issue 13's whole journey in one browser run, as an office lives it: a staff member
creates a session in a certified room, runs the allocation for their programme, reviews
and applies it, publishes the session, downloads the day's documents; the student then
sees their convocation with their own end time and downloads it."""

import io
import zipfile

import pytest

from certification.models import Candidate, CertificationSession
from pixoffice.mail.models import Message
from tests.certification.test_allocation import make_eligible
from tests.e2e.test_certification_documents_journey import pdf_text
from tests.e2e.test_smoke_journeys import log_in
from tests.factories import StudentFactory
from tests.factories.rooms import RoomFactory

pytestmark = pytest.mark.e2e

SHOTS = "/tmp/e2e-certification-"  # noqa: S108


def test_create_allocate_publish_download_then_the_student_downloads(
    page, live_server, browser, people, password, programmes
):
    from playwright.sync_api import expect

    geo = programmes["L2 Géographie"]
    RoomFactory(name="Neptune (DR S04)", seats=80, certified_until=None)  # not certified
    RoomFactory(name="Salle PIX", building="Le Patio, bâtiment 4", seats=30)
    tiers = people["student_a"].student
    tiers.extra_time_percent = 33
    tiers.group = "TD1"
    tiers.save()
    others = [StudentFactory(programme=geo, group="TD1") for _ in range(2)]
    make_eligible([tiers, *others])

    # 1. a session in a certified room
    page.goto(live_server.url + "/certification/sessions/nouvelle/")
    log_in(page, people["staff"].email, password)
    page.get_by_label("Salle").select_option(
        label="Caen Campus 1 — Bâtiment D (Droit) — Neptune (DR S04)"
    )
    page.get_by_label("Date").fill("2027-03-11")
    page.get_by_label("Heure de début").fill("09:00")
    page.get_by_label("Places").fill("20")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("n'est pas certifiée Pix le 11/03/2027")).to_be_visible()
    page.get_by_label("Salle").select_option(
        label="Caen Campus 1 — Le Patio, bâtiment 4 — Salle PIX"
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Session enregistrée.")).to_be_visible()
    session = CertificationSession.objects.get()
    assert session.status == CertificationSession.Status.DRAFT

    # 2. the allocation for L2 Géographie, reviewed then applied
    page.goto(live_server.url + "/certification/sessions/?semaine=2027-03-08")
    page.get_by_role("link", name="Allocation automatique").click()
    page.get_by_label("L2 Géographie").check()
    page.get_by_label("11/03/2027 à 09:00", exact=False).check()
    page.get_by_role("button", name="Calculer la proposition").click()
    proposal = page.get_by_role("table").filter(has_text="11/03/2027 09:00")
    expect(proposal).to_contain_text(tiers.last_name)
    expect(proposal).to_contain_text("11:35")  # 9:00 + 15 min + 1 h 45 × 1.33
    page.screenshot(path=SHOTS + "proposal.png", full_page=True)
    assert Candidate.objects.count() == 0
    page.get_by_role("button", name="Appliquer cette proposition").click()
    expect(page.get_by_text("Allocation appliquée (version 1)")).to_be_visible()
    assert Candidate.objects.filter(session=session).count() == 3

    # 3. published: one convocation each in the outbox, nothing more
    page.goto(f"{live_server.url}/certification/sessions/{session.pk}/")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("Session publiée.")).to_be_visible()
    assert Message.objects.filter(kind="convocation").count() == 3
    assert Message.objects.filter(kind="convocation", student=tiers).count() == 1

    # 4. the day's documents from the week view
    page.goto(live_server.url + "/certification/sessions/?semaine=2027-03-08")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="documents du 11/03 (zip)").click()
    with open(download_info.value.path(), "rb") as data:
        archive = zipfile.ZipFile(io.BytesIO(data.read()))
    convocations = pdf_text(archive.read("convocations-2027-03-11.pdf"))
    assert convocations.count("Fin de votre épreuve") == 3
    assert "Fin de votre épreuve : 11:35" in convocations  # the tiers-temps
    assert "Fin de votre épreuve : 11:00" in convocations  # the others
    sheet = pdf_text(archive.read("sessions/emargement-2027-03-11-09h00-salle-pix.pdf"))
    assert all(s.last_name in sheet for s in [tiers, *others])

    # 5. the student sees and downloads their convocation, at phone width too
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 390, "height": 844}
    )
    mine = context.new_page()
    mine.goto(f"{live_server.url}/ma-certification/")
    log_in(mine, people["student_a"].email, password)
    expect(mine.get_by_text("Le jeudi 11/03/2027 à 09:00")).to_be_visible()
    expect(mine.get_by_text("11:35 (temps majoré de 33 %)")).to_be_visible()
    mine.screenshot(path=SHOTS + "student.png", full_page=True)
    assert mine.evaluate("document.documentElement.scrollWidth") <= 390
    with mine.expect_download() as download_info:
        mine.get_by_role("link", name="Télécharger ma convocation (PDF)").click()
    with open(download_info.value.path(), "rb") as data:
        text = pdf_text(data.read())
    assert "Le jeudi 11 mars 2027 à 09:00" in text and "Fin de votre épreuve : 11:35" in text
    assert "Salle : Salle PIX" in text
    context.close()
