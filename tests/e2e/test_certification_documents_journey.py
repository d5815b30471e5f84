"""Certification documents in a real browser: staff publish a session (the convocations
go to the outbox), download the day's documents from the week view; the student sees
their convocation with their own end time and downloads it."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from pixoffice.mail.models import Message
from tests.e2e.test_smoke_journeys import log_in
from tests.factories.certification import CandidateFactory, SessionFactory, paris
from tests.factories.rooms import RoomFactory

pytestmark = pytest.mark.e2e


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_publish_download_the_day_then_the_student_downloads_their_convocation(
    page, live_server, browser, people, password
):
    from playwright.sync_api import expect

    room = RoomFactory(name="Salle PIX", building="Le Patio, bâtiment 4")
    session = SessionFactory(room=room, starts_at=paris(2027, 3, 11, 9))
    student = people["student_a"].student
    CandidateFactory(session=session, student=student, extra_time_percent=33)

    page.goto(f"{live_server.url}/certification/sessions/{session.pk}/")
    log_in(page, people["staff"].email, password)
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("Session publiée.")).to_be_visible()
    assert Message.objects.filter(kind="convocation", student=student).count() == 1

    page.goto(f"{live_server.url}/certification/sessions/?semaine=2027-03-08")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="documents du 11/03 (zip)").click()
    download = download_info.value
    assert download.suggested_filename == "certification-pix-2027-03-11.zip"
    with open(download.path(), "rb") as data:
        archive = zipfile.ZipFile(io.BytesIO(data.read()))
    assert "Fin de votre épreuve : 11:35" in pdf_text(archive.read("convocations-2027-03-11.pdf"))
    sheet = pdf_text(archive.read("sessions/emargement-2027-03-11-09h00-salle-pix.pdf"))
    assert student.last_name in sheet and "11:35" in sheet

    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    mine = context.new_page()
    mine.goto(f"{live_server.url}/ma-certification/")
    log_in(mine, people["student_a"].email, password)
    expect(mine.get_by_text("Le jeudi 11/03/2027 à 09:00")).to_be_visible()
    expect(mine.get_by_text("11:35 (temps majoré de 33 %)")).to_be_visible()
    with mine.expect_download() as download_info:
        mine.get_by_role("link", name="Télécharger ma convocation (PDF)").click()
    with open(download_info.value.path(), "rb") as data:
        text = pdf_text(data.read())
    assert "Le jeudi 11 mars 2027 à 09:00" in text and "Fin de votre épreuve : 11:35" in text
    assert "Salle : Salle PIX" in text
    context.close()
