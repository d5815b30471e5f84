"""A Pix import whose apply fails ends « Échec » with its reason, never at 50 % for good
(issue 10, § 11); with Redis down it is imported and its progress answers (§ 12)."""

import html
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from campaigns import tasks
from campaigns.models import ResultImport, Share
from campaigns.services import write as import_write
from pixoffice.accounts.models import BatchFailure

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(staff_client, roster, campaign, sample):
    staff_client.post(
        reverse("campaigns:import_new"),
        {"file": SimpleUploadedFile("Resultats.csv", sample("profiles-collection-sup.csv"))},
    )
    return ResultImport.objects.get()


def confirm(client, batch):
    return client.post(reverse("campaigns:import_confirm", kwargs={"pk": batch.pk}))


def progress(client, batch):
    return client.get(reverse("campaigns:import_progress", kwargs={"pk": batch.pk})).json()


def page(client, batch):
    response = client.get(reverse("campaigns:import", kwargs={"pk": batch.pk}))
    return html.unescape(response.content.decode())


def test_an_exception_in_apply_marks_the_import_failed_then_a_retry_imports(
    staff_client, batch, monkeypatch
):
    with monkeypatch.context() as patch:
        patch.setattr(import_write, "_write", lambda plan, result_import: 1 / 0)
        confirm(staff_client, batch)

    batch.refresh_from_db()
    assert (batch.status, batch.failure_reason) == ("failed", BatchFailure.ERROR)
    assert Share.objects.count() == 0
    assert progress(staff_client, batch)["status"] == "failed"  # the page stops polling
    shown = page(staff_client, batch)
    assert "L'import a échoué : une erreur inattendue" in shown
    assert "Relancer l'import" in shown
    assert "progress.js" not in shown

    confirm(staff_client, batch)

    batch.refresh_from_db()
    assert batch.status == ResultImport.Status.APPLIED
    assert Share.objects.count() == 31


def test_a_lost_database_connection_marks_the_import_failed(staff_client, batch, monkeypatch):
    def connection_lost(plan, result_import):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(import_write, "_write", connection_lost)
    confirm(staff_client, batch)

    batch.refresh_from_db()
    assert (batch.status, batch.failure_reason) == ("failed", BatchFailure.DATABASE)
    assert "la connexion à la base de données a été perdue" in page(staff_client, batch)


def test_broker_unreachable_imports_in_process(
    staff_client, batch, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PIX_IMPORT_TASK_THRESHOLD = 10

    def unreachable(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(tasks.apply_result_import, "apply_async", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(staff_client, batch)

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ResultImport.Status.APPLIED
    assert Share.objects.count() == 31


def test_broker_unreachable_and_too_large_for_in_process_says_so(
    staff_client, batch, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PIX_IMPORT_TASK_THRESHOLD = 10
    settings.IMPORT_INPROCESS_MAX_ROWS = 10

    def unreachable(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(tasks.apply_result_import, "apply_async", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff_client, batch)

    batch.refresh_from_db()
    assert (batch.status, batch.failure_reason) == ("failed", BatchFailure.QUEUE)
    assert "la file de tâches est indisponible" in page(staff_client, batch)


def test_an_import_stuck_at_50_percent_is_taken_back_by_the_progress_poll(
    staff_client, batch, settings
):
    settings.IMPORT_STALE_AFTER = 15 * 60
    ResultImport.objects.filter(pk=batch.pk).update(
        status="queued", claimed_at=timezone.now() - timedelta(minutes=5)
    )
    assert progress(staff_client, batch)["status"] == "queued"

    ResultImport.objects.filter(pk=batch.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=20)
    )
    assert progress(staff_client, batch)["status"] == "failed"
    batch.refresh_from_db()
    assert batch.failure_reason == BatchFailure.INTERRUPTED
    assert "interrompu" in page(staff_client, batch)


def test_pix_confirm_and_progress_answer_during_the_outage(
    redis_down, staff_client, roster, campaign, sample, django_capture_on_commit_callbacks
):
    staff_client.post(
        reverse("campaigns:import_new"),
        {"file": SimpleUploadedFile("Resultats.csv", sample("profiles-collection-sup.csv"))},
    )
    batch = ResultImport.objects.get()

    response = staff_client.post(reverse("campaigns:import_confirm", kwargs={"pk": batch.pk}))
    progress = staff_client.get(reverse("campaigns:import_progress", kwargs={"pk": batch.pk}))

    assert response.status_code == 302
    assert progress.json() == {"status": "applied", "progress": 100}
    assert Share.objects.count() == 31
