"""Settings shared by every environment.

This module is longer than 400 lines because every setting and its explanation stay in
one file, where an operator looks for them.

Configuration comes from the environment (12-factor). The defaults give the embedded
set-up of `make run`: a SQLite file and e-mails as files under ``var/``, no broker
(Celery tasks then run in-process right after the transaction commits).
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from core.security import media_sources, public_policy
from core.storage import storages_from_environment

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("LOKET_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "cms",
    "forms_builder",
    "dossiers",
    "theme",
    "wagtail_modeladmin",
    "formtools",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # Health endpoints answer before anything else (core/health.py); then one log line
    # per request (core/logging.py).
    "core.health.HealthCheckMiddleware",
    "core.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy (core/security.py), before whitenoise
    # so that static files get them too.
    "core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.sites.SiteCacheMiddleware",
    "cms.burgerprofiel.BurgerprofielMiddleware",
    "cms.middleware.ChosenLanguageMiddleware",
    # Anonymous visitors get home, topic and service pages from the cache (cms/page_cache.py):
    # after the site and the language are known, before the session and the user are read.
    "cms.page_cache.PageCacheMiddleware",
    # The site's branding and map settings from the cache (cms/page_cache.py).
    "cms.page_cache.SiteSettingsCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second step.
    "django_otp.middleware.OTPMiddleware",
    # Admin pages only for verified sessions (cms/two_factor; LOKET_ADMIN_2FA_REQUIRED).
    "cms.two_factor.middleware.TwoFactorMiddleware",
    # Editors and officers of one municipality do not reach another's pages (cms/tenancy.py).
    "cms.tenancy.AdminScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site_cache",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# DATABASE_URL, e.g. postgres://user:pass@host:5432/loket; default: SQLite under var/.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default (make run) for a small site with a few people at once: WAL
    # lets readers go on while one writes; a writer waits up to 5 s for another instead
    # of failing with "database is locked"; a transaction takes the write lock when it
    # starts (IMMEDIATE), so two transactions that read and then write never deadlock
    # (SQLite cannot make one of them wait halfway). synchronous=NORMAL is safe in WAL
    # mode (a power cut may lose the last commits, never corrupt the file). Its limits:
    # docs/OPERATIONS.md ("SQLite").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL;"
            ),
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database server fails a request (and /health/) in seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
#: Leaflet (maps of location questions), fetched from npm with a pinned integrity by
#: `make install` into var/leaflet/leaflet/, served as /static/leaflet/. Not in the
#: repository; without it location questions are plain inputs (forms_builder.fields.location).
LEAFLET_DIR = BASE_DIR / "var" / "leaflet"
STATICFILES_DIRS = [LEAFLET_DIR] if LEAFLET_DIR.is_dir() else []
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
#: Uploads of applicants live here: never under MEDIA_URL, only served by views that
#: check who is asking.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))

#: Local disk (default) or S3-compatible object storage: LOKET_STORAGE and the variables
#: described in core/storage.py and docs/OPERATIONS.md.
STORAGES = storages_from_environment(os.environ, private_root=PRIVATE_MEDIA_ROOT)

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Security headers -----------------------------------------------------------------
#: Content-Security-Policy of every response (django-csp; core/security.py): our own origin
#: only and no inline scripts or styles on the public site; the Wagtail admin adds what
#: Wagtail itself needs. LOKET_CSP_REPORT_URI: where browsers report violations (optional).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": public_policy(
        media_sources(os.environ), report_uri=os.environ.get("LOKET_CSP_REPORT_URI", "")
    ),
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Loket <loket@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cache ----------------------------------------------------------------------------
#: Rate-limit counters (core.ratelimit) live here. In production point CACHE_URL at Redis
#: (e.g. redis://127.0.0.1:6379/1) so that every web process shares them.
#: A Redis that is down is a cache miss, not an error (core.cache): the site keeps working
#: while the broker's Redis restarts. Short timeouts, so that it never holds a request up.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": CACHE_URL,
            # A Redis that hangs fails a request in seconds instead of holding it; a Redis
            # that is down is a cache miss (core.cache), not a failed request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
#: Seconds a public page or a header/footer fragment stays in the cache at most
#: (cms/page_cache.py); publishing, settings and the other changes listed there forget
#: it at once. LOKET_PAGE_CACHE=false switches the page cache off.
LOKET_PAGE_CACHE_SECONDS = int(os.environ.get("LOKET_PAGE_CACHE_SECONDS", "300"))
LOKET_PAGE_CACHE = env_bool("LOKET_PAGE_CACHE", True)
#: The release being deployed (e.g. the commit): part of the page cache's keys, so that a
#: new deployment never serves the previous one's cached pages (cms/page_cache.release).
LOKET_RELEASE = os.environ.get("LOKET_RELEASE", "")
#: How many reverse proxies in front of the site set X-Forwarded-For (0: none; then the
#: client's address is REMOTE_ADDR). Used for rate limits.
LOKET_TRUSTED_PROXIES = int(os.environ.get("LOKET_TRUSTED_PROXIES", "0"))

# --- Celery ---------------------------------------------------------------------------
#: Without a broker, tasks run in-process (eagerly). They are always queued with
#: transaction.on_commit, so even then they run only after the data they need is saved.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    #: Eager tasks still take a producer (Celery checks their serializer), which names a
    #: broker: without one kombu warns "No hostname was supplied" on every `make run`.
    #: The in-process memory transport with a host name; nothing is ever sent to it.
    CELERY_BROKER_WRITE_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
#: Publishing must not hang a web request when the broker is down: fail fast and let the
#: periodic outbox task pick the work up later.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TIMEZONE = TIME_ZONE
#: Workers log through Django's LOGGING (one JSON line per task in production).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
#: Days an unanswered question of the assistant is kept after it was last asked
#: (cms.assistant.services.delete_old_unanswered_questions, nightly).
LOKET_ASSISTANT_RETENTION_DAYS = int(os.environ.get("LOKET_ASSISTANT_RETENTION_DAYS", "365"))
#: On PostgreSQL (with pg_trgm), the assistant finds passages with full-text search
#: (cms/assistant/postgres.py); off ("0"), it ranks in the process as on SQLite.
LOKET_ASSISTANT_FULL_TEXT = os.environ.get("LOKET_ASSISTANT_FULL_TEXT", "1") == "1"
#: Months a replaced choice of letters (e-mail, paper, eBox) is kept after the newer
#: choice was given; 0 keeps them (dossiers.privacy.erasure.superseded_preferences).
LOKET_PREFERENCE_HISTORY_MONTHS = int(os.environ.get("LOKET_PREFERENCE_HISTORY_MONTHS", "24"))

CELERY_BEAT_SCHEDULE = {
    "check-deliveries": {
        "task": "dossiers.tasks.check_deliveries",
        "schedule": crontab(minute="*/15"),
    },
    "send-advice-reminders": {
        "task": "dossiers.advice.tasks.send_advice_reminders",
        "schedule": crontab(minute=40, hour=8),
    },
    "send-pending-webhooks": {
        "task": "dossiers.webhooks.tasks.send_pending_webhooks",
        "schedule": crontab(minute="*"),
    },
    "publish-pending-affairs": {
        "task": "dossiers.affairs.tasks.publish_pending_affairs",
        "schedule": crontab(minute="*"),
    },
    "send-pending-notifications": {
        "task": "dossiers.tasks.send_pending_notifications",
        "schedule": crontab(minute="*/5"),
    },
    "delete-expired-drafts": {
        "task": "forms_builder.tasks.delete_expired_drafts",
        "schedule": crontab(minute=17, hour=3),
    },
    "delete-old-sign-in-links": {
        "task": "dossiers.portal.tasks.delete_old_sign_in_tokens",
        "schedule": crontab(minute=27, hour=3),
    },
    "send-information-reminders": {
        "task": "dossiers.information.send_information_reminders",
        "schedule": crontab(minute=0, hour=9),
    },
    "delete-old-unanswered-questions": {
        "task": "cms.tasks.delete_old_unanswered_questions",
        "schedule": crontab(minute=37, hour=3),
    },
    "clear-expired-sessions": {
        "task": "cms.tasks.clear_expired_sessions",
        "schedule": crontab(minute=47, hour=3),
    },
    "delete-unreferenced-files": {
        "task": "core.tasks.delete_unreferenced_files",
        "schedule": crontab(minute=57, hour=3),
    },
    "queue-appointment-reminders": {
        "task": "dossiers.appointments.queue_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "erase-expired-personal-data": {
        "task": "dossiers.tasks.erase_expired_personal_data",
        "schedule": crontab(minute=37, hour=3),
    },
    "erase-expired-contact-data": {
        "task": "dossiers.tasks.erase_expired_contact_data",
        "schedule": crontab(minute=42, hour=3),
    },
    "expire-unpaid-applications": {
        "task": "dossiers.payments.tasks.expire_unpaid_applications",
        "schedule": crontab(minute=7, hour=4),
    },
    "run-proactive-rules": {
        "task": "dossiers.proactive.tasks.run_proactive_rules",
        "schedule": crontab(minute=27, hour=4),
    },
    "delete-old-api-calls": {
        "task": "dossiers.api.tasks.delete_old_api_calls",
        "schedule": crontab(minute=17, hour=4),
    },
    "check-started-online-payments": {
        "task": "dossiers.payments.tasks.check_started_payments",
        "schedule": crontab(minute="*/5"),
    },
}

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Loket"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Dutch stemming and stop words: "vergunningen" finds "vergunning".
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "dutch"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# --- Two-factor authentication for the admin (cms/two_factor) ---------------------------
#: Everyone who can use the Wagtail admin must set up an authenticator app (TOTP) and
#: enter a code from it after the password. Off: only those who set it up themselves
#: (in their account) are asked for a code. Production's default is on.
LOKET_ADMIN_2FA_REQUIRED = env_bool("LOKET_ADMIN_2FA_REQUIRED", False)
#: The secret behind the pseudonym and the encryption of a proven national register
#: number (dossiers.portal.vouched); empty: the SECRET_KEY. To change it, list the old
#: value in LOKET_IDENTITY_OLD_KEYS until ``manage.py rekey_identities`` has run.
LOKET_IDENTITY_KEY = os.environ.get("LOKET_IDENTITY_KEY", "")
#: Earlier identity keys, separated by spaces: proven identities sealed or pseudonymised
#: under them stay readable and findable until ``manage.py rekey_identities`` has moved
#: every dossier to the current key (docs/OPERATIONS.md, "Changing the identity key").
LOKET_IDENTITY_OLD_KEYS = os.environ.get("LOKET_IDENTITY_OLD_KEYS", "").split()
#: Staff may sign in to the admin with the government login (dossiers.portal.staff_login;
#: the default site's government login settings), at least at this level of assurance
#: (low, substantial or high); the provider then handles the second step.
LOKET_STAFF_GOVERNMENT_LOGIN = env_bool("LOKET_STAFF_GOVERNMENT_LOGIN", False)
LOKET_STAFF_GOVERNMENT_LOGIN_MINIMUM = os.environ.get(
    "LOKET_STAFF_GOVERNMENT_LOGIN_MINIMUM", "substantial"
)
#: The name the authenticator app shows next to the user name.
OTP_TOTP_ISSUER = os.environ.get("LOKET_ADMIN_2FA_ISSUER", WAGTAIL_SITE_NAME)
#: Wrong codes lock a device for 1, 2, 4, 8... seconds (django-otp's exponential
#: back-off); a right code resets the count. Never 0: that turns the throttle off.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# --- Loket ----------------------------------------------------------------------------
#: Absolute base URL used in links that leave the site (e-mails).
LOKET_BASE_URL = os.environ.get("LOKET_BASE_URL", WAGTAILADMIN_BASE_URL)

#: Appointments: the reminder e-mail goes out this many hours before the start
#: (0: no reminders). Appointments booked later than that get none.
LOKET_APPOINTMENT_REMINDER_HOURS = int(os.environ.get("LOKET_APPOINTMENT_REMINDER_HOURS", "24"))

# Mijn loket (dossiers.portal): passwordless sign-in for applicants.
#: How long a sign-in link works, in minutes (it works once).
LOKET_SIGNIN_LINK_MINUTES = int(os.environ.get("LOKET_SIGNIN_LINK_MINUTES", "15"))
# How long the link that proves an application's e-mail address works (days).
LOKET_EMAIL_CONFIRMATION_DAYS = int(os.environ.get("LOKET_EMAIL_CONFIRMATION_DAYS", "14"))
#: An applicant is signed out after this many minutes without a request...
LOKET_APPLICANT_IDLE_MINUTES = int(os.environ.get("LOKET_APPLICANT_IDLE_MINUTES", "120"))
#: ...and after this many hours in any case.
LOKET_APPLICANT_SESSION_HOURS = int(os.environ.get("LOKET_APPLICANT_SESSION_HOURS", "12"))
#: Rate limits as (requests, seconds): asking for a link per client address and per
#: e-mail address, and opening or using links per client address.
LOKET_SIGNIN_LIMITS = {
    "request_per_client": (20, 60 * 60),
    "request_per_address": (5, 15 * 60),
    "redeem_per_client": (30, 15 * 60),
}

#: "plain" (readable lines) or "json" (one JSON object per line, production's default);
#: both leave out personal data and secrets (core/logging.py). Always to stdout.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "class": "core.logging.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"class": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Through the handler above only: Django's own console handler (DEBUG) would
        # print records without redaction. loket.request has one line per request, so
        # runserver's own request lines are kept for errors.
        "django": {"level": "INFO"},
        "django.server": {"level": "WARNING", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Uploads and downloads (docs/OPERATIONS.md, "Uploads and downloads") ---------------
# Editors' documents are always served by Wagtail's view (never a redirect to the file
# storage), so its checks of private collections and its headers (nosniff, CSP) apply.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
#: Only PDFs open in the browser; every other document is a download (never HTML, SVG).
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
#: Image types editors may upload. Never SVG: it can carry scripts.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]

# --- Virus scanning (ClamAV through clamd; core/virusscan.py) ------------------------------
#: Scan every upload of applicants and officers (off by default).
LOKET_CLAMAV = env_bool("LOKET_CLAMAV", False)
#: Where clamd listens: tcp://host:port or unix:///path (Debian: /run/clamav/clamd.ctl).
LOKET_CLAMAV_ADDRESS = os.environ.get("LOKET_CLAMAV_ADDRESS", "unix:///run/clamav/clamd.ctl")
#: Seconds for each step of a scan: connecting (at most 5), sending, waiting for clamd.
LOKET_CLAMAV_TIMEOUT = float(os.environ.get("LOKET_CLAMAV_TIMEOUT", "30"))
#: When clamd cannot be reached: "closed" refuses the upload (try again later), "open"
#: accepts it unscanned and logs an error.
LOKET_CLAMAV_FAIL_MODE = os.environ.get("LOKET_CLAMAV_FAIL_MODE", "closed").strip().lower()

# --- Rate limits (core/ratelimit.py) --------------------------------------------------
#: Every public POST has a limit, as (requests, seconds) per key; docs/OPERATIONS.md
#: ("Rate limits and proxies") says which action uses which. Mijn loket's sign-in has
#: its own, LOKET_SIGNIN_LIMITS above. Generous for people (a ten-step form with errors
#: on every step stays far below), tight where an e-mail is sent.
#: Days an advice party's link keeps working after its deadline (dossiers.advice).
LOKET_ADVICE_LINK_DAYS = int(os.environ.get("LOKET_ADVICE_LINK_DAYS", "30"))

LOKET_RATE_LIMITS = {
    # Any POST to a page (every form step, the check page, the save page), to documents
    # and to sign-out, per client address; offices behind one address share it.
    "public_post_per_client": (300, 10 * 60),
    # Steps, check page and "save and continue later" of one draft.
    "form_post_per_draft": (100, 10 * 60),
    # Sending an application (each sends a confirmation e-mail).
    "form_submit_per_client": (30, 60 * 60),
    "form_submit_per_address": (10, 60 * 60),
    # E-mailing a resume link.
    "resume_link_per_client": (20, 60 * 60),
    "resume_link_per_address": (5, 60 * 60),
    # Every request behind a dossier link (GET too): a wall for link guessers.
    "dossier_link_per_client": (120, 60),
    # Messages, ratings, withdrawals and answers to questions on a dossier.
    "dossier_post_per_client": (20, 10 * 60),
    "information_answer_per_client": (20, 15 * 60),
    "dossier_post_per_dossier": (40, 60 * 60),
    # An advice party's page (dossiers.advice), per client.
    "advice_answer_per_client": (30, 15 * 60),
    # Questions to the assistant (GET too: each one is ranked and may be logged).
    "assistant_per_client": (60, 10 * 60),
    # Booking an appointment (each sends an e-mail), per client and per e-mail address;
    # opening and cancelling through an appointment's link (a wall for link guessers).
    "appointment_book_per_client": (20, 60 * 60),
    "appointment_book_per_address": (5, 24 * 60 * 60),
    "appointment_link_per_client": (60, 60),
    # Switching the language.
    "language_per_client": (60, 10 * 60),
    # The map's address search (forms_builder.street_views.address_search).
    "address_search_per_client": (60, 60),
    # Passwords of private pages and documents, Wagtail's front-end login.
    "password_per_client": (10, 15 * 60),
    # The REST API (dossiers.api), per client application (per address without a token).
    "api_per_client": (600, 60),
    # The admin's sign-in (officers and editors) per client, its second step (two-factor
    # code) and its "forgot password" e-mail.
    "admin_sign_in_per_client": (30, 15 * 60),
    # Wrong admin passwords (core.ratelimit.throttle_sign_in): per user name and client,
    # free tries before that client waits (5 s, doubling up to the seconds given); per
    # user name from all clients, how many before every client waits from its first
    # mistake. Never a lock-out: a client without mistakes always gets through.
    "admin_sign_in_per_username_and_client": (5, 15 * 60),
    "admin_sign_in_per_username": (10, 15 * 60),
    "admin_password_reset_per_client": (10, 60 * 60),
    # Payment providers' webhooks (dossiers.payments.online_views), per client address:
    # generous, a provider calls from a few addresses.
    "payment_webhook_per_client": (600, 60),
}


def _rate_limit_overrides(text: str) -> dict[str, tuple[int, int]]:
    """``name=requests/seconds,...`` from the environment, e.g.
    ``public_post_per_client=600/600``; a typo stops the start with a clear message."""
    overrides = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _sep, value = item.partition("=")
        requests, _slash, seconds = value.partition("/")
        valid = requests.isdigit() and seconds.isdigit() and int(seconds) > 0
        if name.strip() not in LOKET_RATE_LIMITS or not valid:
            raise ValueError(
                f"LOKET_RATE_LIMITS: {item!r} is not name=requests/seconds with a name of "
                f"{', '.join(LOKET_RATE_LIMITS)}"
            )
        overrides[name.strip()] = (int(requests), int(seconds))
    return overrides


LOKET_RATE_LIMITS |= _rate_limit_overrides(os.environ.get("LOKET_RATE_LIMITS", ""))

# --- Paying online (dossiers/payments/online.py; docs/betalingen.md) --------------------
#: The payment provider applicants pay with: "mollie", "test" (the built-in test
#: provider: a simulated checkout, for the demo and tests) or empty (no online paying).
LOKET_PAYMENT_PROVIDER = os.environ.get("LOKET_PAYMENT_PROVIDER", "").strip().lower()
#: Mollie's API key (live_... or test_...), from the environment only, never the database.
LOKET_MOLLIE_API_KEY = os.environ.get("MOLLIE_API_KEY", "")
LOKET_MOLLIE_API_URL = os.environ.get("MOLLIE_API_URL", "https://api.mollie.com/v2")
#: One Mollie method to offer (e.g. "bancontact"); empty lets the applicant choose.
LOKET_MOLLIE_METHOD = os.environ.get("MOLLIE_METHOD", "")
#: Online payments still "started" after this many minutes are asked about by the
#: periodic task dossiers.payments.tasks.check_started_payments.
LOKET_ONLINE_PAYMENT_CHECK_MINUTES = int(os.environ.get("LOKET_ONLINE_PAYMENT_CHECK_MINUTES", "15"))
#: Days an application paid when submitting waits for its fee; then it is closed as
#: "not paid" and never reaches a team (dossiers.payments.prepayment.expire_unpaid). 0: never.
#: Days the API call log keeps a call (dossiers.api.tasks, nightly). 0: keep all.
LOKET_API_LOG_DAYS = int(os.environ.get("LOKET_API_LOG_DAYS", "90"))
LOKET_UNPAID_APPLICATION_DAYS = int(os.environ.get("LOKET_UNPAID_APPLICATION_DAYS", "30"))
#: The test provider's callbacks (dossiers/payments/providers/test.py): lose them, delay
#: them (seconds), send each twice, or send older statuses after newer ones.
LOKET_TEST_PAYMENTS = {
    "drop_webhooks": env_bool("LOKET_TEST_PAYMENTS_DROP_WEBHOOKS", False),
    "delay_seconds": int(os.environ.get("LOKET_TEST_PAYMENTS_DELAY_SECONDS", "0")),
    "duplicate": env_bool("LOKET_TEST_PAYMENTS_DUPLICATE", False),
    "reorder": env_bool("LOKET_TEST_PAYMENTS_REORDER", False),
    "expire_minutes": int(os.environ.get("LOKET_TEST_PAYMENTS_EXPIRE_MINUTES", "60")),
    "secret": os.environ.get("LOKET_TEST_PAYMENTS_SECRET", ""),
}
#: The postcodes whose enterprises and establishments the KBO open-data import keeps
#: (dossiers.companies.importer), comma-separated: "9000,9030,9031".
LOKET_KBO_POSTCODES = [
    code.strip() for code in os.environ.get("LOKET_KBO_POSTCODES", "").split(",") if code.strip()
]

# --- The REST API and webhooks (dossiers/api, dossiers/webhooks; docs/api.md) -----------
#: Only what every DRF view may share: Wagtail's own admin API uses DRF too, so the
#: API's authentication, scopes, rate limit and problem details are set on its base view
#: (dossiers.api.views.ApiView), not here.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Loket API",
    "DESCRIPTION": "Dossiers, forms, messages, payments and appointments of Loket, for the "
    "municipality's other systems. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["dossiers.api.problems.only_api_v1"],
    "ENUM_NAME_OVERRIDES": {"DossierStatusEnum": "dossiers.constants.Status.choices"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dossiers.api.problems.add_problem_responses",
    ],
}
#: Seconds a webhook receiver has to answer before the attempt counts as failed.
LOKET_WEBHOOK_TIMEOUT = int(os.environ.get("LOKET_WEBHOOK_TIMEOUT", "10"))

#: The eBox for enterprises (issue #22): the adapter class (dotted path) that delivers
#: letters to it; empty: the eBox is not offered. ``dossiers.correspondence.ebox.LocalEbox``
#: simulates it in files under LOKET_EBOX_LOCAL_DIR (demo, tests); never the real one.
LOKET_EBOX_ADAPTER = os.environ.get("LOKET_EBOX_ADAPTER", "")
LOKET_EBOX_LOCAL_DIR = os.environ.get("LOKET_EBOX_LOCAL_DIR", str(BASE_DIR / "var" / "ebox"))
#: Days the eBox has to confirm a delivery; a letter not confirmed by then goes on paper.
LOKET_EBOX_CONFIRMATION_DAYS = int(os.environ.get("LOKET_EBOX_CONFIRMATION_DAYS", "7"))
#: The folder where the mail server drops bounces (one file each, RFC 3464); a letter
#: whose e-mail bounced for good goes on paper (manage.py check_deliveries).
LOKET_BOUNCE_DIR = os.environ.get("LOKET_BOUNCE_DIR", str(BASE_DIR / "var" / "bounces"))

#: Ongoing affairs in Mijn Burgerprofiel / Ondernemingsprofiel (issue #23): the adapter
#: class (dotted path) that publishes each public status change; empty: nothing is sent.
#: ``dossiers.affairs.adapters.HttpOngoingAffairs`` posts JSON to the URL with the bearer
#: token read from the environment variable named by LOKET_ONGOING_AFFAIRS_TOKEN_ENV.
LOKET_ONGOING_AFFAIRS_ADAPTER = os.environ.get("LOKET_ONGOING_AFFAIRS_ADAPTER", "")
LOKET_ONGOING_AFFAIRS_URL = os.environ.get("LOKET_ONGOING_AFFAIRS_URL", "")
LOKET_ONGOING_AFFAIRS_TOKEN_ENV = os.environ.get(
    "LOKET_ONGOING_AFFAIRS_TOKEN_ENV", "LOKET_ONGOING_AFFAIRS_TOKEN"
)
LOKET_ONGOING_AFFAIRS_TIMEOUT = int(os.environ.get("LOKET_ONGOING_AFFAIRS_TIMEOUT", "10"))
