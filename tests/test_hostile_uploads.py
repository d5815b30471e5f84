"""Hostile uploads: every file of the corpus (tests/data/hostile/generate.py) is fed to
the roster import, the Pix import and the grid upload, as a staff member would send
it, and to ``manage.py import_roster``. Each must be refused in French, quickly,
leaving no file in the storage and no row in the database."""

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import ResultImport
from grading.models import Grid
from pixoffice.accounts.models import RosterImport, Student
from tests.data.hostile.generate import generate
from tests.factories import AcademicYearFactory
from tests.factories.campaigns import CampaignFactory
from tests.storage import stored_files

pytestmark = pytest.mark.django_db

NUL = "le fichier contient un caractère nul (octet 0)"
TOO_BIG = "Le fichier XLSX dépasse la limite de 128 Mo par élément une fois décompressé"
# file → the start of its refusal (the same whatever the importer)
REFUSALS = {
    "bomb-rows.xlsx": TOO_BIG,
    "bomb-cell.xlsx": TOO_BIG,
    "many-members.xlsx": "Le fichier XLSX contient 20 005 éléments ; la limite est de 1 000.",
    "nul.xlsx": "Le classeur Excel n'a pas pu être lu : il est peut-être abîmé.",
    "wide.csv": "Ligne 2 : la ligne fait 2 000 037 caractères ; la limite est de 65 536",
    "long-cell.csv": "Ligne 2, colonne 2 : la cellule fait 103 699 caractères ; la limite",
    "many-rows.csv": "Le fichier compte 250 001 lignes ; la limite est de 200 000 lignes",
    "nul-number.csv": f"Ligne 4 : {NUL}",
    "nul-late.csv": f"Ligne 202 : {NUL}",
    "pix-nul-late.csv": f"Ligne 202 : {NUL}",
    "pix-wide.csv": "Ligne 2 : la ligne fait 5 000 114 caractères ; la limite est de 65 536",
}
# generous: the machine running the suite is shared; each takes a few ms alone
SECONDS = 2


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("hostile"))


def _post(client, url, path, **fields):
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    started = time.perf_counter()
    response = client.post(url, {"file": upload, **fields})
    return response, time.perf_counter() - started


def _refusal(errors: list[str], name: str):
    assert len(errors) == 1, errors
    assert errors[0].startswith(REFUSALS[name]), errors[0]


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_roster_import_refuses_hostile_file_at_upload(staff_client, hostile, name):
    files, students = stored_files(), Student.objects.count()

    response, seconds = _post(
        staff_client,
        reverse("accounts:roster_import_new"),
        hostile[name],
        academic_year=AcademicYearFactory().pk,
    )

    assert response.status_code == 200  # the upload form again, with the reason
    _refusal(response.context["form"].errors["file"], name)
    assert seconds < SECONDS
    assert not RosterImport.objects.exists()
    assert Student.objects.count() == students
    assert stored_files() == files


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_pix_import_refuses_hostile_file_at_upload(staff_client, programmes, hostile, name):
    campaign = CampaignFactory(code="URRTVG494", programmes=list(programmes.values()))
    files = stored_files()

    response, seconds = _post(
        staff_client, reverse("campaigns:import_new"), hostile[name], campaign=campaign.pk
    )

    assert response.status_code == 200
    _refusal(response.context["form"].errors["file"], name)
    assert seconds < SECONDS
    assert not ResultImport.objects.exists()
    assert stored_files() == files


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_grid_upload_refuses_hostile_file(staff_client, hostile, name):
    files = stored_files()

    response, seconds = _post(
        staff_client,
        reverse("grading:grid_create"),
        hostile[name],
        name="Grille",
        academic_year=AcademicYearFactory().pk,
        scale="20",
    )

    assert response.status_code == 200
    _refusal(response.context["form"].non_field_errors(), name)
    assert seconds < SECONDS
    assert not Grid.objects.exists()
    assert stored_files() == files


@pytest.mark.parametrize("name", ["bomb-rows.xlsx", "bomb-cell.xlsx", "wide.csv"])
def test_import_roster_command_refuses_hostile_file(command, programmes, hostile, name):
    files = stored_files()

    code, _out, err = command("import_roster", str(hostile[name]))

    assert code == 1
    assert err.splitlines()[0].startswith(REFUSALS[name])
    assert err.splitlines()[-1] == "Fichier refusé : rien n'a été écrit."
    assert not RosterImport.objects.exists()
    assert stored_files() == files


def test_nul_byte_after_the_first_4_kb_is_refused_before_the_preview(staff_client, hostile):
    """It used to give a preview of 219 new students, then a 500 on confirm."""
    response, _seconds = _post(
        staff_client,
        reverse("accounts:roster_import_new"),
        hostile["nul-late.csv"],
        academic_year=AcademicYearFactory().pk,
    )

    assert response.context["form"].errors["file"] == [
        "Ligne 202 : le fichier contient un caractère nul (octet 0), qu'aucune cellule ne "
        "peut contenir. Enregistrez-le à nouveau en CSV UTF-8 ou en XLSX depuis le tableur."
    ]
    assert not RosterImport.objects.exists()


# --- a failed upload leaves no file ------------------------------------------------


def _failing_save(monkeypatch, model):
    from django.db import DatabaseError

    def fail(*args, **kwargs):
        raise DatabaseError("connexion perdue")

    monkeypatch.setattr(model, "save", fail)


def test_roster_file_is_removed_when_its_row_cannot_be_saved(
    staff_client, roster_bytes, monkeypatch
):
    files = stored_files()
    _failing_save(monkeypatch, RosterImport)
    staff_client.raise_request_exception = False

    response, _seconds = _post(
        staff_client,
        reverse("accounts:roster_import_new"),
        Path(settings.BASE_DIR, "tests/data/roster-students.csv"),
        academic_year=AcademicYearFactory().pk,
    )

    assert response.status_code == 500
    assert stored_files() == files


def test_pix_file_is_removed_when_its_row_cannot_be_saved(monkeypatch, data_dir):
    from campaigns import services

    files = stored_files()
    _failing_save(monkeypatch, ResultImport)

    with pytest.raises(Exception, match="connexion perdue"):
        services.store_result_file(b"a;b\n1;2\n", name="Resultats.csv", by=None, campaign=None)

    assert stored_files() == files


def test_badge_file_is_removed_when_the_submission_is_rolled_back(monkeypatch, people):
    """The file used to be kept when anything failed after the row was saved (the
    transaction then rolled back, the row went, the file stayed)."""
    from pixoffice.badges import services
    from pixoffice.badges.models import BadgeSubmission
    from tests.badges import bake
    from tests.factories.badges import BadgeRequirementFactory

    student = people["student_a"]
    requirement = BadgeRequirementFactory(programmes=[student.student.programme])
    files = stored_files()

    def fail(submission):
        raise RuntimeError("signal en échec")

    monkeypatch.setattr(services, "_announce", fail)
    with pytest.raises(RuntimeError):
        services.submit_badge(
            bake.bake_png(bake.assertion(student.email)),
            name="badge.png",
            student=student.student,
            requirement=requirement,
            by=student,
        )

    assert not BadgeSubmission.objects.exists()
    assert stored_files() == files


# --- request size -------------------------------------------------------------------


def test_oversized_request_is_refused_from_its_length_before_its_body_is_read(staff_client):
    response = staff_client.post(
        reverse("accounts:roster_import_new"),
        data=b"x" * 100,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(500 * 1024 * 1024),
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "Envoi trop volumineux" in page
    assert "Votre envoi fait 500 Mo ; la limite est de 11 Mo." in page
    assert response["Connection"] == "close"


def test_request_limit_follows_the_setting(staff_client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    url = reverse("accounts:roster_import_new")

    small = staff_client.post(url, {"academic_year": ""})
    big = staff_client.post(url, {"file": SimpleUploadedFile("a.csv", b"x" * 2000)})

    assert small.status_code == 200
    assert big.status_code == 413
