"""A real Celery worker for integration tests: a subprocess on the test database and
the Redis of ``REDIS_URL``, consuming one queue of its own."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(queue: str, var_dir: Path, *, env: dict | None = None, output=None):
    """``celery worker --pool=solo -Q queue`` with the test database; ``env`` adds
    settings (SMTP, timeouts); ``output`` is where its log goes (default: discarded)."""
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "pixoffice.settings.base",
        "DATABASE_URL": database_url(),
        "PIXOFFICE_VAR_DIR": str(var_dir),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **(env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "pixoffice", "worker", "--pool=solo"]
    command += ["-Q", queue, "--without-heartbeat", "--without-gossip", "--without-mingle"]
    return subprocess.Popen(
        [*command, "-l", "warning"],
        cwd=ROOT,
        env=environment,
        stdout=output if output is not None else subprocess.DEVNULL,
        stderr=subprocess.STDOUT if output is not None else subprocess.DEVNULL,
        text=True,
    )
