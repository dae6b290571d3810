"""Settings of ``make bench``: the test settings on a database of the benchmark's own.

PostgreSQL when ``DATABASE_URL`` is set: the runner (re)creates the database named by
``LOKET_BENCH_DB`` (default ``loket_bench``) next to the one in the URL, which is never
touched. Otherwise a fresh SQLite file ``var/bench/bench.sqlite3``; the developer's
``var/db.sqlite3`` is never opened. DEBUG stays False, as in production.
"""

import os
from pathlib import Path

from cms.settings.test import *  # noqa: F403
from cms.settings.test import DATABASES, LOKET_RATE_LIMITS, STORAGES, TEMPLATES, VAR_DIR

BENCH_DIR = Path(VAR_DIR) / "bench"

DEBUG = False
ROOT_URLCONF = "tests.bench.urls"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
#: Thousands of timed posts come from one client and one draft: the rate limits stay on
#: (their cache counters are part of every step's cost) but so high that none is reached.
LOKET_RATE_LIMITS = {name: (10**9, window) for name, (_limit, window) in LOKET_RATE_LIMITS.items()}
TEMPLATES[0]["DIRS"] = [Path(__file__).resolve().parent / "templates", *TEMPLATES[0]["DIRS"]]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BENCH_DIR / "bench.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("LOKET_BENCH_DB", "loket_bench")}

MEDIA_ROOT = BENCH_DIR / "media"
PRIVATE_MEDIA_ROOT = BENCH_DIR / "private"
STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
