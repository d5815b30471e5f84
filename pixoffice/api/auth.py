"""Who calls the API (a bearer token) and how often: a rate limit per token, and one per
client address on refused tokens (each costs a query), both counted in the cache."""

import math
import re
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from ninja.errors import Throttled
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from . import tokens

RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\w*\s*$")
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class TooManyRefusedTokens(Throttled):
    """``API_AUTH_FAILURE_LIMIT`` refused tokens from one address in this window."""


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <secret>``; the request's ``auth`` is the ``ApiToken``.

    A missing, unknown, expired or revoked token answers 401 (the session of someone
    signed in to the site opens nothing here). Past ``API_AUTH_FAILURE_LIMIT`` refused
    tokens from one address (the address the login limits count: proxies believed as
    configured), every token from it answers 429 until the window ends, without a
    query: secrets cannot be tried at the database's pace."""

    def authenticate(self, request, token):
        limit, period = parse_rate(settings.API_AUTH_FAILURE_LIMIT)
        address = get_adapter(request).get_client_ip(request)
        key = f"api:refused:{address}:{period}:{int(time.time() // period)}"
        if (cache.get(key) or 0) >= limit:
            raise TooManyRefusedTokens(wait=_seconds_left(period))
        found = tokens.authenticate(token)
        if found is None:
            _count(key, period)
        return found


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/m"`` → (120, 60); ``"1000/h"``, ``"10/30s"``."""
    match = RATE.match(rate)
    if not match:
        raise ValueError(f"API_RATE_LIMIT : « {rate} » n'est pas de la forme 120/m.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * PERIODS[unit]


class TokenRateThrottle(BaseThrottle):
    """At most ``settings.API_RATE_LIMIT`` requests per token and window (fixed windows,
    counted with the cache's atomic ``incr``: Redis, or the per-process fallback during
    an outage). Above it: 429 with ``Retry-After`` (the seconds left in the window)."""

    def allow_request(self, request) -> bool:
        token = getattr(request, "auth", None)
        if token is None:
            return True
        limit, period = parse_rate(settings.API_RATE_LIMIT)
        window = int(time.time() // period)
        return _count(f"api:rate:{token.pk}:{period}:{window}", period) <= limit

    def wait(self) -> float:
        _limit, period = parse_rate(settings.API_RATE_LIMIT)
        return _seconds_left(period)


def _count(key: str, period: int) -> int:
    """One more in the window ``key`` (atomic ``incr``); how many now."""
    cache.add(key, 0, timeout=period + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        return 1


def _seconds_left(period: int) -> int:
    return max(1, math.ceil(period - time.time() % period))
