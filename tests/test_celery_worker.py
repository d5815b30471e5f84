"""A real Celery worker consumes a task from Redis and writes to the test database.

It consumes the project's queues (`make worker`'s `-Q`) and the task is sent as the
site sends it, routed by name (``CELERY_TASK_ROUTES``). It is another process: it reads
the uploaded file through the storage, the S3 bucket when the suite runs against it."""

import os
import subprocess
import time

import pytest
from django.db import connection

from certification.models import CertificationSession
from pixoffice.accounts import services
from pixoffice.accounts.models import RosterImport, Student
from pixoffice.celery import app
from pixoffice.mail.models import Message
from tests.certification.test_convocation_mail import draft  # noqa: F401 (a fixture)
from tests.factories import ProgrammeFactory
from tests.workers import start_worker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path, settings):
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and PostgreSQL (make test sets both)")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # this test sends through Redis for real
    queues = sorted({route["queue"] for route in settings.CELERY_TASK_ROUTES.values()})
    with app.connection_for_write() as broker:  # nothing left over from an earlier run
        for queue in queues:
            broker.default_channel.queue_purge(queue)
    settings.MEDIA_ROOT = tmp_path / "private"  # the worker reads uploads from the same place
    process = start_worker(",".join(queues), tmp_path, output=subprocess.PIPE)
    yield queues
    app.conf.task_always_eager = eager
    process.terminate()
    output, _ = process.communicate(timeout=30)
    print(output)


def test_worker_applies_a_roster_import_sent_through_redis(worker, roster_bytes):
    for name in ["L2 Géographie", "L2 Histoire", "L2 SED", "L2 Sociologie"]:
        ProgrammeFactory(name=name)
    plan = services.plan_roster_import(roster_bytes, by=None)
    batch = services.store_roster_file(
        roster_bytes, name="liste.csv", by=None, mapping=plan.mapping, academic_year=None
    )
    RosterImport.objects.filter(pk=batch.pk).update(status=RosterImport.Status.QUEUED)

    assert "imports" in worker
    app.send_task("accounts.apply_roster_import", args=[batch.pk])  # routed: `imports`

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status == RosterImport.Status.APPLIED:
            break
        time.sleep(0.5)
    assert batch.status == RosterImport.Status.APPLIED
    assert Student.objects.count() == 96

    # the same message delivered twice (a retry) changes nothing
    app.send_task("accounts.apply_roster_import", args=[batch.pk])
    time.sleep(2)
    assert Student.objects.count() == 96


def test_worker_queues_a_sessions_convocations_once(worker, draft):  # noqa: F811
    session = draft["session"]  # on 11 March 2027, two candidates with an address
    CertificationSession.objects.filter(pk=session.pk).update(
        status=CertificationSession.Status.PUBLISHED
    )

    assert "mail" in worker
    app.send_task("certification.queue_convocations", args=[[session.pk], []])  # `mail`
    convocations = Message.objects.filter(kind="convocation")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and convocations.count() < 2:
        time.sleep(0.5)
    assert sorted(convocations.values_list("to", flat=True)) == ["ines@etu.fr", "noe@etu.fr"]

    # the same message delivered twice (a retry) queues nothing more
    app.send_task("certification.queue_convocations", args=[[session.pk], []])
    time.sleep(2)
    assert convocations.count() == 2
