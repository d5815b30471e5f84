"""Separate Celery queues: each task is routed by name to the queue of its kind of work,
and every command that starts a worker for « all the work » consumes every queue."""

import re
from pathlib import Path

import yaml
from django.conf import settings

from pixoffice.celery import app

ROOT = Path(__file__).resolve().parent.parent
QUEUES = {"default", "imports", "mail"}
EXPECTED = {
    "accounts.apply_roster_import": "imports",
    "campaigns.apply_result_import": "imports",
    "accounts.send_activation": "mail",
    "certification.queue_convocations": "mail",
    "mail.send_pending": "mail",
    "reminders.run_due": "mail",
    "accounts.release_stale_imports": "default",
    "grading.recompute_scheme": "default",
    "privacy.purge_personal_data": "default",
}


def queue_of(name: str) -> str:
    return app.amqp.router.route({}, name)["queue"].name


def project_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_every_task_of_the_project_goes_to_its_queue():
    assert project_tasks() == sorted(EXPECTED)  # a new task: give it a queue here
    assert {name: queue_of(name) for name in project_tasks()} == EXPECTED
    assert set(EXPECTED.values()) == QUEUES
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "default"


def test_a_task_without_a_route_goes_to_the_default_queue():
    assert queue_of("someapp.something") == "default"


def _consumed(argv: str) -> set[str]:
    found = re.search(r"-Q[ =]?([\w,]+)", argv)
    return set(found.group(1).split(",")) if found else set()


def test_make_worker_consumes_every_queue():
    makefile = (ROOT / "Makefile").read_text()
    worker = next(line for line in makefile.splitlines() if "celery -A pixoffice worker" in line)
    assert _consumed(worker) == QUEUES


def test_compose_worker_consumes_every_queue():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert _consumed(" ".join(services["worker"]["command"])) == QUEUES


def test_deployment_guide_starts_a_worker_for_each_queue():
    guide = (ROOT / "docs" / "deployment.md").read_text()
    for queue in QUEUES:
        assert f"worker -Q {queue}" in guide
