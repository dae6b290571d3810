"""Settings for the test suite: SQLite unless DATABASE_URL points elsewhere."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

SECRET_KEY = "test-only-secret-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests that are about two-factor authentication switch it on themselves.
LOKET_ADMIN_2FA_REQUIRED = False

# Tests choose the broker themselves: by default tasks run eagerly after commit; the
# worker test starts a real worker on CELERY_BROKER_URL (see tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True

if os.environ.get("LOKET_TEST_WORKER") == "1":
    # Only in the worker process that tests/test_celery_worker.py starts.
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", EMAIL_BACKEND)
    CELERY_TASK_ALWAYS_EAGER = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that a real Celery worker process can share it; one per
    # test process, so that parallel runs never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}

MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"
STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.makedirs(VAR_DIR / "static", exist_ok=True)  # whitenoise warns when STATIC_ROOT is missing
# Tests that scan start their own clamd and turn scanning on (tests/clamd.py).
LOKET_CLAMAV = False

# Maps in tests never load tiles from the network: a closed local port (the browser test of
# the map starts its own tile server, tests/e2e/test_location_map.py).
LOKET_DEFAULT_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
