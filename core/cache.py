"""Django's Redis cache, where a Redis that is down is a cache miss, not a server error.

In production one Redis is usually both the Celery broker and the cache (``CACHE_URL``).
Everything Loket keeps in the cache can be done without it: the Site lookup and
Wagtail's site root paths are looked up in the database again, and rate limits let the
request through. With Django's own backend every request would fail with a 500 while
Redis restarts; with :class:`FailSoftRedisCache` the site keeps working, a little
slower, and the first failure in a minute is logged.

What a call does while Redis cannot be reached: reads return the default (``get``,
``get_many``: nothing found), writes store nothing (``add`` and ``touch`` return False,
``set`` and ``set_many`` do nothing), ``incr`` and ``decr`` raise ``ValueError`` as
for a missing key, ``delete``, ``has_key`` and ``clear`` return False, ``count``
returns 0.

:meth:`FailSoftRedisCache.count` is the rate limits' counter (core.ratelimit) in one
round trip: Django's ``add`` then ``incr`` take three (``incr`` asks whether the key
exists first).
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

#: Seconds between two warnings about an unreachable Redis (per process).
WARNING_INTERVAL = 60


def _unreachable_errors() -> tuple[type[Exception], ...]:
    import redis

    # ConnectionError covers a refused or dropped connection and a Redis still loading.
    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def _fail_soft(method, fallback):
    @functools.wraps(method)
    def wrapped(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except self.unreachable as error:
            self.warn(error)
            return fallback(*args, **kwargs)

    return wrapped


def _missing_key(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (the cache cannot be reached)")


class FailSoftRedisCacheClient(RedisCacheClient):
    """Django's Redis client with every call guarded (see the module docstring)."""

    _last_warning = 0.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unreachable = _unreachable_errors()

    def warn(self, error: Exception) -> None:
        now = time.monotonic()
        if now - FailSoftRedisCacheClient._last_warning >= WARNING_INTERVAL:
            FailSoftRedisCacheClient._last_warning = now
            logger.warning("The cache (Redis) cannot be reached; working without it: %s", error)

    def _count(self, key, timeout: int) -> int:
        client = self.get_client(key, write=True)
        pipeline = client.pipeline(transaction=False)
        # Create the counter at 0 with its expiry unless it exists, then count.
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]

    count = _fail_soft(_count, lambda *args, **kwargs: 0)
    add = _fail_soft(RedisCacheClient.add, lambda *args, **kwargs: False)
    get = _fail_soft(RedisCacheClient.get, lambda key, default: default)
    set = _fail_soft(RedisCacheClient.set, lambda *args, **kwargs: None)
    touch = _fail_soft(RedisCacheClient.touch, lambda *args, **kwargs: False)
    delete = _fail_soft(RedisCacheClient.delete, lambda *args, **kwargs: False)
    get_many = _fail_soft(RedisCacheClient.get_many, lambda *args, **kwargs: {})
    has_key = _fail_soft(RedisCacheClient.has_key, lambda *args, **kwargs: False)
    incr = _fail_soft(RedisCacheClient.incr, _missing_key)
    set_many = _fail_soft(RedisCacheClient.set_many, lambda *args, **kwargs: None)
    delete_many = _fail_soft(RedisCacheClient.delete_many, lambda *args, **kwargs: None)
    clear = _fail_soft(RedisCacheClient.clear, lambda *args, **kwargs: False)


class FailSoftRedisCache(RedisCache):
    """Django's ``RedisCache`` with :class:`FailSoftRedisCacheClient`."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient

    def count(self, key, timeout: int, version=None) -> int:
        """Add one to the counter ``key`` (created with ``timeout`` seconds to live when
        missing) and return its new value, in one round trip; 0 when Redis is down."""
        key = self.make_and_validate_key(key, version=version)
        return self._cache.count(key, timeout)
