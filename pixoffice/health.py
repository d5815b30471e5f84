"""``/healthz``: is the site up, and which part is degraded (JSON for the probes).

200 with ``"status": "ok"`` when everything answers, 200 with ``"degraded"`` when
Redis (cache or broker) is down — logins and pages keep working, imports run
in-process — and 503 ``"down"`` when the database does not answer.
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

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
    from pixoffice.celery import app

    if app.conf.task_always_eager:
        return "eager"  # no broker: tasks run in the web process
    try:
        with app.connection_for_write(connect_timeout=1) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
    except Exception as error:  # probes call this every few seconds: one line, no traceback
        logger.warning("healthz : file de tâches injoignable (%s)", error)
        return "unavailable"
    return "ok"


@never_cache
def healthz(request):
    checks = {"database": _database(), "cache": _cache(), "broker": _broker()}
    if checks["database"] != "ok":
        status, code = "down", 503
    elif "unavailable" in checks.values():
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, **checks}, status=code)
