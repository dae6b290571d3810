"""Fixtures of the operations tests: real services where a test needs them.

A test that needs Redis, or PostgreSQL with its client tools, skips when they are
missing, unless ``LOKET_REQUIRE_SERVICES=1`` (set by CI): then it fails, so a broken CI
machine never passes silently.
"""

from __future__ import annotations

import os
import socket

import pytest

REDIS_URL = os.environ.get("LOKET_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def require(available: bool, reason: str) -> None:
    """Skip (or fail, with LOKET_REQUIRE_SERVICES=1) when something is not available."""
    if available:
        return
    if os.environ.get("LOKET_REQUIRE_SERVICES") == "1":
        pytest.fail(f"LOKET_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means: no usable Redis
        return False


@pytest.fixture
def redis_url() -> str:
    """The base URL of a Redis that answers (databases 13 and 14 are used by these tests;
    nothing is flushed)."""
    require(redis_answers(REDIS_URL), f"no Redis answers at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
