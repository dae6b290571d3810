"""Settings of the processes the reliability tests start: production, on loopback.

``cms.settings.production`` with what plain HTTP on 127.0.0.1 needs (no HTTPS redirect,
cookies that are sent over HTTP) and a few knobs the tests set through the environment
of each process (see tests/reliability/harness.py, ``app_env``):

- ``LOKET_TEST_STATIC_MANIFEST=0``: plain static files storage, so a test that does not
  look at static files need not run ``collectstatic`` first;
- ``LOKET_TEST_SWEEP_SECONDS``: how often Celery beat queues the pending e-mails, and
  ``LOKET_TEST_SWEEP_MIN_AGE`` the age a pending e-mail must have (production: every
  five minutes, e-mails older than a minute);
- ``LOKET_TEST_VISIBILITY_TIMEOUT``: after how many seconds Redis hands a task that a
  killed worker never acknowledged to another worker (production: one hour);
- ``LOKET_RATELIMIT_ENABLED=0``: no rate limits (thousands of requests come from one
  address in the load tests);
- ``LOKET_TEST_DIE_AFTER_SUBMIT=<path>``: the web worker kills itself after the first
  application it committed, before answering (tests/reliability/faults.py).

Everything else (persistent connections with health checks, the outbox, the Celery
options, whitenoise) is production's own.
"""

import os

os.environ.setdefault("SECRET_KEY", "reliability-tests-only-" + "x" * 40)

from cms.settings.base import env_bool  # noqa: E402
from cms.settings.production import *  # noqa: E402, F403
from cms.settings.production import (  # noqa: E402
    CELERY_BEAT_SCHEDULE,
    CELERY_BROKER_TRANSPORT_OPTIONS,
    MIDDLEWARE,
    STORAGES,
)

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False

LOKET_RATELIMIT_ENABLED = env_bool("LOKET_RATELIMIT_ENABLED", True)

if not env_bool("LOKET_TEST_STATIC_MANIFEST", True):
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

if os.environ.get("LOKET_TEST_SWEEP_SECONDS"):
    CELERY_BEAT_SCHEDULE["send-pending-notifications"] = {
        **CELERY_BEAT_SCHEDULE["send-pending-notifications"],
        "schedule": float(os.environ["LOKET_TEST_SWEEP_SECONDS"]),
        "kwargs": {"min_age_seconds": int(os.environ.get("LOKET_TEST_SWEEP_MIN_AGE", "60"))},
    }

if os.environ.get("LOKET_TEST_VISIBILITY_TIMEOUT"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": int(os.environ["LOKET_TEST_VISIBILITY_TIMEOUT"]),
        # Look for unacknowledged tasks every second instead of every 100 seconds.
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }

if os.environ.get("LOKET_TEST_DIE_AFTER_SUBMIT"):
    # Innermost: it must act before the session middleware saves the session.
    MIDDLEWARE = [*MIDDLEWARE, "tests.reliability.faults.DieAfterSubmit"]
