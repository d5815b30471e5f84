"""``/healthz``: is the site up, and which part is degraded (JSON for the probes).

200 with ``"status": "ok"`` when everything answers, 200 with ``"degraded"`` when
Redis (cache or broker) is down — logins and pages keep working, imports run
in-process — and 503 ``"down"`` when the database does not answer.

``report()`` (``manage.py health [--json]``, for monitoring every few minutes) adds what
needs a person although every part answers: outbox messages failed or uncertain, mail
overdue (no worker of the ``mail`` queue or no beat), imports stuck « en cours ». It
counts rows, so the probes' ``/healthz`` does not run it.
"""

import datetime as dt
import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from pixoffice.accounts.models import UploadedBatch
from pixoffice.celery import app
from pixoffice.mail.models import Message

logger = logging.getLogger(__name__)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("healthz : base de données injoignable (%s)", error)
        return "unavailable"
    return "ok"


def _cache() -> str:
    ping = getattr(cache, "ping", None)
    if ping is not None:  # pixoffice.cache.ResilientRedisCache
        return "ok" if ping() else "unavailable"
    try:
        cache.set("healthz", "ok", 10)
        return "ok" if cache.get("healthz") == "ok" else "unavailable"
    except Exception as error:
        logger.warning("healthz : cache injoignable (%s)", error)
        return "unavailable"


def _broker() -> str:
    if app.conf.task_always_eager:
        return "eager"  # no broker: tasks run in the web process
    try:
        with app.connection_for_write(connect_timeout=1) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
    except Exception as error:  # probes call this every few seconds: one line, no traceback
        logger.warning("healthz : file de tâches injoignable (%s)", error)
        return "unavailable"
    return "ok"


def _checks() -> tuple[str, dict]:
    checks = {"database": _database(), "cache": _cache(), "broker": _broker()}
    if checks["database"] != "ok":
        return "down", checks
    return ("degraded" if "unavailable" in checks.values() else "ok"), checks


@never_cache
def healthz(request):
    status, checks = _checks()
    return JsonResponse({"status": status, **checks}, status=503 if status == "down" else 200)


# mail still pending this long after it was due: nobody sends (mail workers or beat down)
MAIL_OVERDUE = dt.timedelta(minutes=15)
RECENT = dt.timedelta(days=7)


def _outbox(now) -> dict:
    status = Message.Status
    return {
        "failed_last_7_days": Message.objects.filter(
            status=status.FAILED, created_at__gte=now - RECENT
        ).count(),
        "uncertain": Message.objects.filter(status=status.UNCERTAIN).count(),
        "overdue": Message.objects.filter(
            status=status.PENDING, next_attempt_at__lt=now - MAIL_OVERDUE
        ).count(),
    }


def _imports(now) -> dict:
    """Batches « en cours » past ``IMPORT_STALE_AFTER`` (beat takes them back every five
    minutes: some left means beat or the ``default`` workers are not running), and the
    failed ones of the last week, per kind of import."""
    stale = now - dt.timedelta(seconds=settings.IMPORT_STALE_AFTER) - dt.timedelta(minutes=10)
    stuck, failed = {}, {}
    for model in apps.get_models():
        statuses = getattr(getattr(model, "Status", None), "values", ())
        if not issubclass(model, UploadedBatch) or "queued" not in statuses:
            continue
        queued = model.objects.filter(status="queued", uploaded_at__lt=stale)
        stuck[model._meta.label] = queued.exclude(claimed_at__gte=stale).count()
        failed[model._meta.label] = model.objects.filter(
            status="failed", uploaded_at__gte=now - RECENT
        ).count()
    return {"stuck": stuck, "failed_last_7_days": failed}


def report() -> dict:
    """Everything ``/healthz`` says, and what waits for a person. ``status``: ``down``
    (no database), ``degraded`` (Redis), ``attention`` (something below is not zero,
    except failed imports, which staff see and retry), else ``ok``."""
    status, checks = _checks()
    result = {"status": status, **checks}
    if status == "down":
        return result
    now = timezone.now()
    result["outbox"], result["imports"] = _outbox(now), _imports(now)
    waiting = [
        result["outbox"]["failed_last_7_days"],
        result["outbox"]["uncertain"],
        result["outbox"]["overdue"],
        *result["imports"]["stuck"].values(),
    ]
    if status == "ok" and any(waiting):
        result["status"] = "attention"
    return result
