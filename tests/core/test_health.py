"""/health/ and /health/live/: what a load balancer and monitoring see."""

import json
import socket
import threading
import time

import pytest
from django.db import connection

from core import health

pytestmark = pytest.mark.django_db


def get(client, path, **extra):
    started = time.monotonic()
    response = client.get(path, **extra)
    return response, time.monotonic() - started


def assert_not_cached_and_sessionless(response):
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie, no language cookie


def test_liveness_answers_whatever_the_host_and_without_a_session(client, settings):
    settings.ALLOWED_HOSTS = ["loket.example.org"]
    response = client.get(health.LIVE_PATH, HTTP_HOST="10.0.0.7")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert_not_cached_and_sessionless(response)


def test_readiness_with_database_cache_and_broker_up(client, settings, redis_url):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{redis_url}/14",
        }
    }
    settings.CELERY_BROKER_URL = f"{redis_url}/13"
    settings.ALLOWED_HOSTS = ["loket.example.org"]

    response, _took = get(client, health.READY_PATH, HTTP_HOST="10.0.0.7")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert_not_cached_and_sessionless(response)
    # Names, states and timings only: no address, no URL, no database name.
    text = response.content.decode()
    for secret in ("redis", "127.0.0.1", "6379", str(connection.settings_dict["NAME"])):
        assert secret not in text


def test_no_broker_check_without_a_broker(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get(health.READY_PATH)

    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "cache"}


def test_a_broker_on_a_closed_port_gives_503_at_once(client, settings, closed_port, caplog):
    settings.CELERY_BROKER_URL = f"redis://:s3cret@127.0.0.1:{closed_port}/0"

    response, took = get(client, health.READY_PATH)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"] == {"status": "unavailable"}
    assert body["checks"]["database"]["status"] == "ok"
    assert took < health.DEADLINE
    assert "s3cret" not in response.content.decode()
    assert "Health check broker failed" in caplog.text


@pytest.fixture
def silent_server():
    """A loopback port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in accepted:
            conn.close()
        server.close()


def test_a_broker_that_hangs_gives_503_within_the_deadline(client, settings, silent_server):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_server}/0"

    response, took = get(client, health.READY_PATH)

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"] in {"unavailable", "timeout"}
    assert took < health.DEADLINE + 0.5


def test_health_is_neither_logged_nor_rate_limited(client, caplog):
    caplog.set_level("INFO", logger="loket.request")
    for _ in range(30):
        assert client.get(health.LIVE_PATH).status_code == 200
    assert not [record for record in caplog.records if record.name == "loket.request"]


def test_only_get_and_head(client):
    assert client.head(health.READY_PATH).status_code == 200
    response = client.post(health.READY_PATH)
    assert response.status_code == 405
    assert json.loads(response.content) == {"status": "method not allowed"}
