"""Health endpoints for load balancers and monitoring.

- ``/health/live/`` (liveness): 200 as long as this process answers. It checks nothing
  else, so a load balancer or an orchestrator never restarts a healthy web process
  because the database is briefly away.
- ``/health/`` (readiness): checks the database, the cache and, when
  ``CELERY_BROKER_URL`` is set, the Celery broker; 200 when all answer, else 503. Each
  check has a time budget, so the answer comes within :data:`DEADLINE` seconds even
  when a service hangs.

Both answer JSON such as ``{"status": "ok", "checks": {"database": {"status": "ok",
"ms": 1.4}, ...}}``: names, states and timings only, never a host name, an error text
or anything about a person (the reason of a failure goes to the log).

:class:`HealthCheckMiddleware` serves them in front of every other middleware, so a
probe needs no valid ``Host`` header (load balancers often probe by IP address), is not
redirected to HTTPS, creates no session, needs no site lookup (which itself uses the
cache), is not rate limited and does not fill the request log. Responses are never
cached.

django-health-check was considered: its 4.x view fits Django 5.2 but answers 500 rather
than 503, reports each check's ``repr`` and runs behind the whole middleware stack, where
a cache outage already fails the site lookup before the view runs. These few checks are
simpler to keep here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers

from core.security import add_headers_to_early_response

logger = logging.getLogger(__name__)

LIVE_PATH = "/health/live/"
READY_PATH = "/health/"
#: Seconds one service may take to connect and answer.
SERVICE_TIMEOUT = 2.0
#: Seconds the readiness answer may take at most, whatever the services do.
DEADLINE = 3.0


def check_database() -> None:
    """The default database answers ``SELECT 1`` (on a connection of its own)."""
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone() != (1,):
                raise RuntimeError("unexpected answer to SELECT 1")
    finally:
        connection.close()


def check_cache() -> None:
    """The default cache stores and returns a value (rate limits and site lookups)."""
    key = f"loket:health:{time.monotonic_ns()}"
    cache.set(key, "ok", timeout=10)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("the cache did not return the value just stored")
    finally:
        cache.delete(key)


def check_broker() -> None:
    """The Celery broker accepts a connection (not whether a worker is running: a
    stopped worker delays e-mails but does not make this web process unfit)."""
    from kombu import Connection

    options = {"socket_timeout": SERVICE_TIMEOUT, "socket_connect_timeout": SERVICE_TIMEOUT}
    with Connection(
        settings.CELERY_BROKER_URL, connect_timeout=SERVICE_TIMEOUT, transport_options=options
    ) as connection:
        connection.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=SERVICE_TIMEOUT
        )


def readiness_checks() -> dict[str, Callable[[], None]]:
    """The checks of ``/health/``, by name."""
    checks = {"database": check_database, "cache": check_cache}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = check_broker
    return checks


def _timed(check: Callable[[], None]) -> float:
    started = time.monotonic()
    check()
    return round((time.monotonic() - started) * 1000, 1)


def run_checks(checks: dict[str, Callable[[], None]]) -> dict[str, dict]:
    """Run ``checks`` side by side, each in a thread of its own; give up on what has
    not answered by the :data:`DEADLINE` (its thread ends by its own timeouts)."""
    results: dict[str, dict] = {}
    executor = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="health")
    try:
        started = time.monotonic()
        futures = {name: executor.submit(_timed, check) for name, check in checks.items()}
        for name, future in futures.items():
            remaining = max(0.0, DEADLINE - (time.monotonic() - started))
            try:
                results[name] = {"status": "ok", "ms": future.result(timeout=remaining)}
            except FutureTimeout:
                logger.warning("Health check %s did not answer within %ss", name, DEADLINE)
                results[name] = {"status": "timeout"}
            except Exception as exc:  # noqa: BLE001 - any failure makes the check fail
                logger.warning("Health check %s failed: %s: %s", name, type(exc).__name__, exc)
                results[name] = {"status": "unavailable"}
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    return results


def _json(payload: dict, status: int) -> JsonResponse:
    response = JsonResponse(payload, status=status)
    add_never_cache_headers(response)
    add_headers_to_early_response(response)
    return response


def liveness(request: HttpRequest) -> JsonResponse:
    return _json({"status": "ok"}, 200)


def readiness(request: HttpRequest) -> JsonResponse:
    results = run_checks(readiness_checks())
    healthy = all(result["status"] == "ok" for result in results.values())
    payload = {"status": "ok" if healthy else "unavailable", "checks": results}
    return _json(payload, 200 if healthy else 503)


class HealthCheckMiddleware:
    """Answers the health endpoints before any other middleware runs (keep it first in
    ``MIDDLEWARE``); every other request passes through untouched."""

    views = {LIVE_PATH: liveness, READY_PATH: readiness}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.views.get(request.path_info)
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _json({"status": "method not allowed"}, 405)
            response["Allow"] = "GET, HEAD"
            return response
        return view(request)
