"""The Redis cache fails soft: a Redis that is down is a cache miss, never a 500."""

import logging
import os
import uuid

import pytest
from django.test import override_settings

from core import ratelimit
from core.cache import FailSoftRedisCache
from tests.reliability.harness import free_port


def make_cache(url: str) -> FailSoftRedisCache:
    return FailSoftRedisCache(
        url,
        {
            "KEY_PREFIX": f"loket-test-{uuid.uuid4().hex[:8]}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    )


@pytest.fixture
def down_url():
    """A Redis URL where nothing listens."""
    return f"redis://127.0.0.1:{free_port()}/0"


def test_a_redis_that_is_down_is_a_miss(down_url, caplog):
    cache = make_cache(down_url)

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert cache.get("key") is None
        assert cache.get("key", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.get_or_set("key", 5) == 5
        assert cache.add("key", 1) is False
        cache.set("key", 1)
        assert cache.set_many({"a": 1}) == []
        assert cache.touch("key") is False
        assert cache.has_key("key") is False
        assert cache.delete("key") is False
        cache.delete_many(["a", "b"])
        assert cache.clear() is False
        with pytest.raises(ValueError):
            cache.incr("key")
        with pytest.raises(ValueError):
            cache.decr("key")
        assert cache.count("key", 60) == 0

    warnings = [r for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) <= 1  # at most one warning a minute, not one per call


def test_without_its_cache_the_site_still_answers(db, client, home_page, down_url):
    cache_settings = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": down_url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with override_settings(CACHES=cache_settings):
        assert client.get("/").status_code == 200
        assert ratelimit.hit("test", "client", limit=1, window=60)


def test_a_redis_that_is_up_is_used():
    import redis

    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {url}")
    cache = make_cache(url)
    try:
        assert cache.add("counter", 1) is True
        assert cache.add("counter", 1) is False
        assert cache.incr("counter") == 2
        cache.set("value", {"a": 1})
        assert cache.get("value") == {"a": 1}
        assert cache.get_many(["value", "missing"]) == {"value": {"a": 1}}
        # The rate limits' counter: created with its expiry, then counted up.
        assert [cache.count("hits", 60) for _ in range(3)] == [1, 2, 3]
        assert cache.get("hits") == 3
        assert 0 < redis.Redis.from_url(url).ttl(cache.make_key("hits")) <= 60
    finally:
        cache.delete_many(["counter", "value", "hits"])
