"""Settings, deployment checks, database, migrations and locale."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, env_extra=None, drop=()):
    drop = {*drop, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_check_deploy_has_no_warning(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "pixoffice.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "pix.univ-exemple.fr",
            "PIXOFFICE_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = run_manage(
        "check",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "pixoffice.settings.production",
            "ALLOWED_HOSTS": "pix.univ-exemple.fr",
            "PIXOFFICE_VAR_DIR": str(tmp_path),
        },
        drop=("SECRET_KEY", "SECRET_KEY_FILE"),
    )
    assert result.returncode == 1
    assert "SECRET_KEY (ou SECRET_KEY_FILE) doit être défini en production" in result.stderr


def test_development_defaults_are_sqlite_eager_tasks_and_debug_off(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG, s.TIME_ZONE,"
        " s.LANGUAGE_CODE)"
    )
    result = run_manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        code,
        env_extra={
            "DJANGO_SETTINGS_MODULE": "pixoffice.settings.base",
            "PIXOFFICE_VAR_DIR": str(tmp_path),
        },
        drop=("DATABASE_URL", "REDIS_URL", "DEBUG", "CELERY_BROKER_URL"),
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "False",
        "Europe/Paris",
        "fr",
    ], result.stderr


@pytest.mark.django_db
def test_database_is_postgresql_when_database_url_says_so():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL is not PostgreSQL")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


@pytest.mark.django_db
def test_no_pending_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_french_is_the_default_and_english_is_available():
    assert settings.LANGUAGE_CODE == "fr"
    with translation.override("en"):
        assert translation.gettext("Importer une liste") == "Import a list"
    with translation.override("fr"):
        assert translation.gettext("Importer une liste") == "Importer une liste"


def test_every_app_of_the_layout_is_installed():
    for app in [
        "pixoffice.accounts",
        "rooms",
        "campaigns",
        "certification",
        "grading",
        "pixoffice.portal",
    ]:
        assert app in settings.INSTALLED_APPS
        assert (ROOT / app.replace(".", "/") / "apps.py").exists()


def test_embedded_default_migrates_and_loads_the_demo_on_sqlite(tmp_path):
    """The README's first command: SQLite under var/, tasks in-process, demo data."""
    env = {"DJANGO_SETTINGS_MODULE": "pixoffice.settings.base", "PIXOFFICE_VAR_DIR": str(tmp_path)}
    drop = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")

    migrate = run_manage("migrate", "--noinput", env_extra=env, drop=drop)
    first = run_manage("load_demo", env_extra=env, drop=drop)
    second = run_manage("load_demo", env_extra=env, drop=drop)

    assert migrate.returncode == 0, migrate.stderr
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert first.stdout.splitlines()[0] == second.stdout.splitlines()[0]
    assert first.stdout.startswith("Démo prête : 96 étudiants, 4 formations")
    assert (tmp_path / "pixoffice.sqlite3").exists()
