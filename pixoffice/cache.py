"""A Redis cache that survives a Redis outage (``CACHES`` in the settings).

Login rate limits, activation limits and import progress live in the cache. When
Redis is unreachable, every call would raise and the page answer 500: here the
call falls back to a per-process ``LocMemCache`` instead (rate limits are then
counted per process, the progress restarts at 0), a warning is logged once per
outage, and Redis is tried again after ``RETRY_AFTER`` seconds, so an outage costs
one refused connection every few seconds, not one per call.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
_down_until: dict[str, float] = {}  # location → monotonic time to try Redis again


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client builds a new ``redis.Redis`` around the connection pool on
    every call (about 170 response callbacks set up each time: 0.2 ms of a cached
    student home's 2 ms, one for the session and one for the home). A ``redis.Redis``
    over a pool is thread-safe and the pool reconnects after a fork or an outage, so
    one per pool is kept and reused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class ResilientRedisCache(RedisCache):
    RETRY_AFTER = 5.0

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**params.get("OPTIONS", {})}}
        options = params["OPTIONS"]
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._location = server if isinstance(server, str) else ",".join(server)
        self._fallback = LocMemCache(
            f"resilient-fallback:{self._location}",
            {
                key: params[key]
                for key in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
                if key in params
            },
        )

    @property
    def degraded(self) -> bool:
        """True while calls go to the local fallback."""
        return _down_until.get(self._location, 0) > time.monotonic()

    def ping(self) -> bool:
        """Whether Redis answers now (for ``/healthz``)."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except UNREACHABLE:
            return False

    def _call(self, name, *args, **kwargs):
        if not self.degraded:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as error:
                logger.warning(
                    "Cache Redis injoignable (%s) : repli sur un cache local au processus "
                    "pendant %s s",
                    error,
                    self.RETRY_AFTER,
                )
                _down_until[self._location] = time.monotonic() + self.RETRY_AFTER
            else:
                if _down_until.pop(self._location, None) is not None:
                    logger.warning("Cache Redis de nouveau joignable")
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        return self._call("clear")
