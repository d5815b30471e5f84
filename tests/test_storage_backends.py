# ruff: noqa: F811 (the imported fixtures are parameters)
"""Files go through ``STORAGES["default"]`` only, never through a local path, so that
web and worker processes on several machines share them (docs/deployment.md).

Each flow that keeps or reads back a file (the three imports, a badge and its
download) runs here with an in-memory storage that has no ``.path``
(``tests.storage.NoPathStorage``): code reaching a file by a local path raises
``NotImplementedError``. The whole suite also
runs once against an S3 server (``PIXOFFICE_TEST_STORAGE=s3``, ``.ci/run``)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from campaigns.models import ResultImport
from certification.models import ResultsImport
from pixoffice.accounts.models import RosterImport
from pixoffice.badges.models import BadgeSubmission
from tests.badges.conftest import badge_for, requirement  # noqa: F401 (fixtures)
from tests.campaigns.conftest import campaign, roster, sample  # noqa: F401 (fixtures)
from tests.factories import AcademicYearFactory, StudentFactory
from tests.storage import stored_files

ROOT = Path(__file__).resolve().parent.parent
APPS = ["pixoffice", "campaigns", "certification", "grading", "rooms"]


@pytest.fixture
def no_local_path(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.storage.NoPathStorage"},
    }
    with pytest.raises(NotImplementedError):
        storages["default"].path("x")
    return storages["default"]


@pytest.mark.django_db
def test_a_roster_is_kept_applied_and_downloaded_without_a_local_path(
    no_local_path, staff_client, roster_bytes
):
    staff_client.post(
        reverse("accounts:roster_import_new"),
        {
            "file": SimpleUploadedFile("liste.csv", roster_bytes),
            "academic_year": AcademicYearFactory().pk,
        },
    )
    batch = RosterImport.objects.get()
    assert stored_files() == [batch.file.name]
    assert (
        staff_client.get(reverse("accounts:roster_import", kwargs={"pk": batch.pk})).status_code
        == 200
    )

    staff_client.post(reverse("accounts:roster_import_confirm", kwargs={"pk": batch.pk}))
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.APPLIED

    response = staff_client.get(reverse("accounts:roster_import_file", kwargs={"pk": batch.pk}))
    assert response.status_code == 200
    assert b"".join(response) == roster_bytes


@pytest.mark.django_db
def test_a_pix_export_is_kept_and_applied_without_a_local_path(
    no_local_path,
    staff_client,
    roster,
    campaign,
    sample,
):
    staff_client.post(
        reverse("campaigns:import_new"),
        {"file": SimpleUploadedFile("Resultats.csv", sample("profiles-collection-sup.csv"))},
    )
    batch = ResultImport.objects.get()
    assert staff_client.get(reverse("campaigns:import", kwargs={"pk": batch.pk})).status_code == 200

    staff_client.post(reverse("campaigns:import_confirm", kwargs={"pk": batch.pk}))
    batch.refresh_from_db()
    assert batch.status == ResultImport.Status.APPLIED
    assert batch.file.name in stored_files()


@pytest.mark.django_db
def test_certification_results_are_kept_and_applied_without_a_local_path(
    no_local_path, staff_client, data_dir
):
    StudentFactory(student_number="21466465")
    data = (data_dir / "certification-results.csv").read_bytes()
    response = staff_client.post(
        reverse("certification:results_import_new"),
        {"file": SimpleUploadedFile("resultats.csv", data, "text/csv")},
    )
    batch = ResultsImport.objects.get()
    assert staff_client.get(response.url).status_code == 200

    staff_client.post(reverse("certification:results_import_confirm", kwargs={"pk": batch.pk}))
    batch.refresh_from_db()
    assert batch.status == "applied"
    assert batch.file.name in stored_files()


@pytest.mark.django_db
def test_a_badge_is_kept_and_downloaded_without_a_local_path(
    no_local_path,
    client,
    people,
    requirement,
    badge_for,
):
    data = badge_for("a@etu.univ-exemple.fr")
    client.force_login(people["student_a"])
    client.post(
        reverse("badges:upload", kwargs={"pk": requirement.pk}),
        {"file": SimpleUploadedFile("badge.png", data)},
    )
    submission = BadgeSubmission.objects.get()
    assert stored_files("badges") == [submission.file.name]

    response = client.get(reverse("badges:submission_file", kwargs={"pk": submission.pk}))
    assert response.status_code == 200
    assert b"".join(response) == data


def test_every_file_field_uses_the_default_storage():
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and model._meta.app_label != "admin"
    ]
    assert fields  # rosters, Pix exports, certification results, badges
    for field in fields:
        assert getattr(field, "_storage_callable", field.storage) is default_storage, field


# what reaches a file by a local path; tempfile is for scratch files a process keeps to itself
LOCAL = re.compile(
    r"\.file\.path\b|\.temporary_file_path\(|MEDIA_ROOT|FileSystemStorage|default_storage\.path"
)


def test_no_app_code_reaches_a_stored_file_by_a_local_path():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "settings" not in path.parts and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if LOCAL.search(line)
    ]
    assert offenders == []


def test_the_suite_runs_on_the_storage_it_was_asked_for(settings):
    """``PIXOFFICE_TEST_STORAGE=s3`` (the second CI run) really puts files in the bucket."""
    from django.core.files.storage import FileSystemStorage
    from storages.backends.s3 import S3Storage

    expected = {"local": FileSystemStorage, "s3": S3Storage}[settings.TEST_STORAGE]
    assert type(storages["default"]) is expected
