"""Issue 16 item 4, done when « a demo student downloads their personal data »: the
demo student reaches « Mes données personnelles » from the header, downloads the JSON
copy, reads the printable page; the staff member of their programme produces the copy
from the student's record and the production is logged. No policy violation."""

import io
import json

import pytest
from django.core.management import call_command

from pixoffice.accounts.models import Student
from pixoffice.privacy.models import PersonalDataExport
from tests.e2e.test_content_security_policy import log_in, watch_violations

pytestmark = pytest.mark.e2e


def test_a_demo_student_downloads_their_personal_data(page, live_server, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    violations = watch_violations(page)
    log_in(page, live_server.url, "aurelien.simon@etu.univ-exemple.fr")

    page.get_by_role("link", name="Mes données personnelles").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (JSON)").click()
    path = tmp_path / "copie.json"
    download.value.save_as(path)
    page.get_by_role("link", name="Voir et imprimer").click()
    page.get_by_role("heading", name="Notes et leur historique").wait_for()

    data = json.loads(path.read_text())
    assert data["identity"]["email"] == "aurelien.simon@etu.univ-exemple.fr"
    assert [len(p["shares"]) for p in data["campaigns"]["participations"]] == [2, 2, 2]
    assert any(n["published"] for n in data["grading"]["notes"])
    assert page.get_by_role("button", name="Imprimer").is_visible()
    assert violations == []


def test_staff_produce_the_copy_from_the_record_and_it_is_logged(page, live_server):
    call_command("load_demo", stdout=io.StringIO())
    student = Student.objects.get(email="aurelien.simon@etu.univ-exemple.fr")
    violations = watch_violations(page)
    log_in(page, live_server.url, "equipe@univ-exemple.fr")

    page.goto(f"{live_server.url}/etudiants/{student.pk}/dossier/")
    page.get_by_role("link", name="Données personnelles (copie RGPD et journal)").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Produire la copie (JSON)").click()

    assert download.value.suggested_filename.startswith("donnees-personnelles-")
    (entry,) = PersonalDataExport.objects.filter(student=student)
    assert entry.by.email == "equipe@univ-exemple.fr" and entry.format == "json"
    assert violations == []
