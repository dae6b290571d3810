"""Production: PostgreSQL, Redis, gunicorn, a Celery worker and Celery beat.

Required environment: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL,
LOKET_BASE_URL. See README.md ("In production").
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment for production settings.")

DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))  # noqa: F405
# A kept connection that a database restart broke is noticed at the start of the next
# request and replaced: the site recovers by itself (tests/reliability).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# One JSON object per line on stdout (core/logging.py); LOG_FORMAT=plain for plain lines.
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("LOG_FORMAT", "json")  # noqa: F405
# loket.task writes one line per task; Celery's own "succeeded" lines would repeat it,
# with the task's return value (failures are still logged, at ERROR).
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}  # noqa: F405

# Officers and editors confirm their sign-in with an authenticator app (docs/OPERATIONS.md,
# "Two-factor authentication").
LOKET_ADMIN_2FA_REQUIRED = env_bool("LOKET_ADMIN_2FA_REQUIRED", True)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# The other security headers (Content-Security-Policy, nosniff, Referrer-Policy, framing)
# and HttpOnly cookies are the same everywhere: cms/settings/base.py, core/security.py.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# The built-in test provider takes no money: never in production (docs/betalingen.md).
if LOKET_PAYMENT_PROVIDER == "test":  # noqa: F405
    raise ImproperlyConfigured("LOKET_PAYMENT_PROVIDER=test takes no money; use mollie.")
