"""A real Celery worker consumes a task from Redis and writes to the test database."""

import os
import subprocess
import time
import uuid

import pytest
from django.db import connection

from pixoffice.accounts import services
from pixoffice.accounts.models import RosterImport, Student
from pixoffice.celery import app
from tests.factories import ProgrammeFactory
from tests.workers import start_worker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path, settings):
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and PostgreSQL (make test sets both)")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # this test sends through Redis for real
    queue = f"pixoffice-test-{uuid.uuid4().hex[:8]}"
    settings.MEDIA_ROOT = tmp_path / "private"  # the worker reads uploads from the same place
    process = start_worker(queue, tmp_path, output=subprocess.PIPE)
    yield queue
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

    app.send_task("accounts.apply_roster_import", args=[batch.pk], queue=worker)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status == RosterImport.Status.APPLIED:
            break
        time.sleep(0.5)
    assert batch.status == RosterImport.Status.APPLIED
    assert Student.objects.count() == 96

    # the same message delivered twice (a retry) changes nothing
    app.send_task("accounts.apply_roster_import", args=[batch.pk], queue=worker)
    time.sleep(2)
    assert Student.objects.count() == 96
