"""A roster import whose apply fails ends « Échec » with its reason and can be retried;
one whose worker died is taken back; none stays « En cours » for good (issue 10, § 11)."""

import html
from datetime import timedelta

import psycopg
import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from pixoffice.accounts import services, tasks
from pixoffice.accounts.models import BatchFailure, RosterImport, Student
from tests.accounts.test_roster_views import upload

pytestmark = pytest.mark.django_db


def confirm(client, batch):
    return client.post(reverse("accounts:roster_import_confirm", kwargs={"pk": batch.pk}))


def page(client, batch):
    return text(client.get(reverse("accounts:roster_import", kwargs={"pk": batch.pk})))


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def batch(staff_client, roster_bytes):
    upload(staff_client, "liste.csv", roster_bytes)
    return RosterImport.objects.get()


def test_an_exception_in_apply_marks_the_batch_failed_then_a_retry_applies_it(
    staff_client, batch, monkeypatch
):
    before = Student.objects.count()

    def broken(plan, academic_year, batch):
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")

    with monkeypatch.context() as patch:
        patch.setattr(services, "_write_plan", broken)
        response = confirm(staff_client, batch)

    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.FAILED
    assert batch.failure_reason == BatchFailure.ERROR
    assert Student.objects.count() == before  # nothing written
    shown = text(staff_client.get(response.url))
    assert "L'import a échoué : rien n'a été modifié." in shown  # the message
    assert "une erreur inattendue a interrompu l'application" in shown
    assert "Relancer l'import" in shown
    assert "En cours" not in shown

    confirm(staff_client, batch)  # the retry

    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.APPLIED
    assert batch.failure_reason == ""
    assert Student.objects.count() == before + 96


def test_a_lost_database_connection_marks_the_batch_failed(staff_client, batch, monkeypatch):
    before = Student.objects.count()

    def connection_lost(plan, academic_year, batch):
        Student.objects.create(student_number="X1", programme=next(iter(plan.programmes.values())))
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "_write_plan", connection_lost)
    confirm(staff_client, batch)

    batch.refresh_from_db()
    assert (batch.status, batch.failure_reason) == ("failed", BatchFailure.DATABASE)
    assert Student.objects.count() == before  # the partial write was rolled back
    assert "la connexion à la base de données a été perdue" in page(staff_client, batch)


@pytest.mark.django_db(transaction=True)
def test_connection_killed_mid_apply_by_pg_terminate_backend(client, people, roster_bytes):
    """The real thing: another session kills ours in the middle of the apply."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    client.force_login(people["staff"])
    upload(client, "liste.csv", roster_bytes)
    batch = RosterImport.objects.get()
    before = Student.objects.count()
    real_write = services._write_plan
    s = connection.settings_dict

    def killed(plan, academic_year, batch):
        pid = connection.cursor().connection.info.backend_pid
        with psycopg.connect(
            host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"], dbname=s["NAME"]
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        real_write(plan, academic_year, batch)

    services._write_plan = killed
    try:
        confirm(client, batch)
    finally:
        services._write_plan = real_write

    batch.refresh_from_db()
    assert (batch.status, batch.failure_reason) == ("failed", BatchFailure.DATABASE)
    assert Student.objects.count() == before
    confirm(client, batch)  # retry on a fresh connection
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.APPLIED


def test_broker_unreachable_applies_in_process(
    staff_client, batch, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.ROSTER_IMPORT_TASK_THRESHOLD = 10
    before = Student.objects.count()

    def unreachable(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(tasks.apply_roster_import, "apply_async", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff_client, batch)

    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.APPLIED
    assert Student.objects.count() == before + 96


def test_broker_unreachable_and_file_too_large_for_in_process_says_so(
    staff_client, batch, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.ROSTER_IMPORT_TASK_THRESHOLD = 10
    settings.IMPORT_INPROCESS_MAX_ROWS = 50

    def unreachable(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(tasks.apply_roster_import, "apply_async", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(staff_client, batch)

    batch.refresh_from_db()
    assert (batch.status, batch.failure_reason) == ("failed", BatchFailure.QUEUE)
    assert "la file de tâches est indisponible" in text(staff_client.get(response.url))


def test_a_batch_queued_too_long_is_taken_back_when_its_page_is_viewed(
    staff_client, batch, settings
):
    settings.IMPORT_STALE_AFTER = 15 * 60
    RosterImport.objects.filter(pk=batch.pk).update(
        status="queued", claimed_at=timezone.now() - timedelta(minutes=10)
    )
    assert "L'import est en cours" in page(staff_client, batch)  # not stale yet

    RosterImport.objects.filter(pk=batch.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=16)
    )
    shown = page(staff_client, batch)

    batch.refresh_from_db()
    assert (batch.status, batch.failure_reason) == ("failed", BatchFailure.INTERRUPTED)
    assert "interrompu" in shown and "Relancer l'import" in shown
    assert 'http-equiv="refresh"' not in shown  # the page stops refreshing
    confirm(staff_client, batch)
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.APPLIED


def test_the_periodic_task_takes_back_stale_batches_and_a_late_task_does_nothing(batch):
    RosterImport.objects.filter(pk=batch.pk).update(
        status="queued", claimed_at=timezone.now() - timedelta(hours=1)
    )
    before = Student.objects.count()

    assert tasks.release_stale_imports.delay().get() == 1

    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.FAILED
    tasks.apply_roster_import.delay(batch.pk)  # the lost message turns up after all
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.FAILED
    assert Student.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_a_batch_a_running_apply_holds_is_not_taken_back(people, roster_bytes):
    """Slow is not dead: while an apply holds the batch row, the timeout does not apply."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from pixoffice.accounts import batches

    plan = services.plan_roster_import(roster_bytes, by=None)
    batch = services.store_roster_file(
        roster_bytes, name="liste.csv", by=None, mapping=plan.mapping, academic_year=None
    )
    RosterImport.objects.filter(pk=batch.pk).update(
        status="queued", claimed_at=timezone.now() - timedelta(hours=1)
    )
    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"], dbname=s["NAME"]
    ) as worker:  # the apply of another process, still running
        worker.execute("SELECT 1 FROM accounts_rosterimport WHERE id = %s FOR UPDATE", [batch.pk])
        assert batches.release_stale(RosterImport, batch.pk) == 0
    # the worker's transaction ended (it died): now it is taken back
    assert batches.release_stale(RosterImport, batch.pk) == 1
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.FAILED


def test_confirm_claims_once_applies_small_batches_here_and_sends_large_ones_to_the_task(
    batch, monkeypatch, django_capture_on_commit_callbacks
):
    from pixoffice.accounts import batches

    sent = []
    monkeypatch.setattr(tasks.apply_roster_import, "apply_async", lambda args: sent.append(args))
    common = {"task": tasks.apply_roster_import, "apply": services.apply_roster_import}

    assert batches.confirm(batch, threshold=10_000, **common) is True
    assert batch.status == RosterImport.Status.APPLIED and sent == []
    assert batches.confirm(batch, threshold=10_000, **common) is False  # a double click

    other = RosterImport.objects.get(pk=batch.pk)
    RosterImport.objects.filter(pk=other.pk).update(status=RosterImport.Status.PREVIEWED)
    other.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert batches.confirm(other, threshold=10, **common) is True  # 96 rows > 10
    assert other.status == RosterImport.Status.QUEUED and sent == [(other.pk,)]
