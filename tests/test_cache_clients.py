"""``pixoffice.cache``: one ``redis.Redis`` per connection pool, reused (Django builds
one per call, a fifth of a cached student home's time), still reconnecting after its
connections are dropped (a Redis restart) — against the real Redis of the tests."""

import os

from pixoffice.cache import ResilientRedisCache


def real_cache():
    return ResilientRedisCache(
        os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        {"KEY_PREFIX": "pixoffice-test-clients"},
    )


def test_one_client_per_pool_is_reused():
    cache = real_cache()

    first = cache._cache.get_client(write=True)

    assert cache._cache.get_client(write=False) is first
    assert cache._cache.get_client("a key", write=True) is first


def test_the_reused_client_reconnects_after_its_connections_are_dropped():
    cache = real_cache()
    cache.set("k", "before", 30)
    client = cache._cache.get_client(write=True)

    client.connection_pool.disconnect()  # as a Redis restart closes every connection

    assert cache.get("k") == "before"
    cache.set("k", "after", 30)
    assert cache.get("k") == "after"
    assert cache._cache.get_client() is client
    assert not cache.degraded
    cache.delete("k")
