"""The Docker stack, checked without Docker: docker-compose.yml and the Dockerfile as text.

No database, no engine: plain functions reading the two files at the project root.
"""

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ["web", "worker", "beat"]


@pytest.fixture(scope="module")
def services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile_instructions():
    """The Dockerfile as (INSTRUCTION, arguments) pairs, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        instructions.append((keyword.upper(), " ".join(arguments.split())))
    return instructions


def _argv(command):
    """A compose ``command`` as a list of words, whichever form the file uses."""
    return shlex.split(command) if isinstance(command, str) else list(command)


def _run_steps(instructions):
    """Every shell command of every RUN, split on ``&&``, as lists of words."""
    return [
        shlex.split(step)
        for keyword, arguments in instructions
        if keyword == "RUN"
        for step in arguments.split("&&")
    ]


def test_services_are_exactly_the_six_of_the_stack(services):
    assert set(services) == {"postgres", "redis", "web", "worker", "beat", "mailpit"}


def test_postgres_healthcheck_uses_pg_isready(services):
    healthcheck = services["postgres"]["healthcheck"]
    assert healthcheck["test"] == ["CMD-SHELL", "pg_isready -U pixoffice -d pixoffice"]


def test_postgres_image_is_version_15_with_a_named_volume(services):
    postgres = services["postgres"]
    assert postgres["image"] == "postgres:15"
    assert postgres["volumes"] == ["postgres-data:/var/lib/postgresql/data"]


def test_redis_healthcheck_uses_redis_cli_ping(services):
    assert services["redis"]["image"] == "redis:7"
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_waits_for_healthy_postgres_and_redis(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["postgres"] == {"condition": "service_healthy"}
    assert depends_on["redis"] == {"condition": "service_healthy"}


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_reaches_postgres_redis_and_mailpit_by_service_name(services, name):
    environment = services[name]["environment"]
    assert environment["DATABASE_URL"] == "postgres://pixoffice:pixoffice@postgres:5432/pixoffice"
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert environment["EMAIL_HOST"] == "mailpit"
    assert environment["EMAIL_PORT"] == "1025"


def test_app_services_run_the_same_image(services):
    assert {services[name]["image"] for name in APP_SERVICES} == {"pixoffice:local"}
    assert {services[name]["build"] for name in APP_SERVICES} == {"."}


def test_web_and_worker_share_the_private_files_volume(services):
    # the worker applies roster files uploaded through web
    mount = "private-files:/app/var/private"
    assert mount in services["web"]["volumes"]
    assert mount in services["worker"]["volumes"]


def test_web_publishes_port_8000(services):
    assert services["web"]["ports"] == ["8000:8000"]


def test_web_command_migrates_then_serves_with_gunicorn(services):
    argv = _argv(services["web"]["command"])
    assert argv[:2] == ["sh", "-c"]
    script = argv[2]
    migrate = script.index("python manage.py migrate --noinput")
    gunicorn = script.index("gunicorn pixoffice.wsgi --bind 0.0.0.0:8000")
    assert migrate < gunicorn


def test_worker_command_starts_a_celery_worker_on_the_pixoffice_app(services):
    assert _argv(services["worker"]["command"])[:4] == ["celery", "-A", "pixoffice", "worker"]


def test_beat_command_keeps_its_schedule_in_tmp(services):
    assert _argv(services["beat"]["command"]) == [
        "celery",
        "-A",
        "pixoffice",
        "beat",
        "-l",
        "info",
        "-s",
        "/tmp/celerybeat-schedule",  # noqa: S108 (a path compared, not opened)
    ]


def test_mailpit_publishes_its_web_ui_on_8025(services):
    assert services["mailpit"]["image"] == "axllent/mailpit"
    assert services["mailpit"]["ports"] == ["8025:8025"]


def test_dockerfile_base_is_python_311_slim_bookworm(dockerfile_instructions):
    assert dockerfile_instructions[0] == ("FROM", "python:3.11-slim-bookworm")


def test_dockerfile_apt_installs_weasyprint_libraries(dockerfile_instructions):
    installs = [
        step for step in _run_steps(dockerfile_instructions) if step[:2] == ["apt-get", "install"]
    ]
    assert len(installs) == 1
    assert {
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fonts-dejavu-core",
        "gettext",
    } <= set(installs[0])


def test_dockerfile_pip_installs_the_lock_file(dockerfile_instructions):
    assert ["pip", "install", "-r", "requirements/lock.txt"] in _run_steps(dockerfile_instructions)
    assert ("COPY", "requirements/lock.txt requirements/lock.txt") in dockerfile_instructions


def test_dockerfile_runs_as_a_non_root_user(dockerfile_instructions):
    users = [arguments for keyword, arguments in dockerfile_instructions if keyword == "USER"]
    assert users == ["app"]


def test_dockerfile_collects_static_files_with_base_settings(dockerfile_instructions):
    collect = [step for step in _run_steps(dockerfile_instructions) if "collectstatic" in step]
    assert len(collect) == 1
    assert "DJANGO_SETTINGS_MODULE=pixoffice.settings.base" in collect[0]
    assert collect[0][-4:] == ["python", "manage.py", "collectstatic", "--noinput"]


def test_dockerfile_default_command_serves_pixoffice_wsgi_on_port_8000(dockerfile_instructions):
    cmd = [arguments for keyword, arguments in dockerfile_instructions if keyword == "CMD"]
    assert len(cmd) == 1
    argv = json.loads(cmd[0])  # the exec form is a JSON array
    assert argv[:4] == ["gunicorn", "pixoffice.wsgi", "--bind", "0.0.0.0:8000"]
