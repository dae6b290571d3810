"""``manage.py check --deploy``: a production set-up that would run, but badly.

Each of these settings lets the site start and serve pages, so nothing else notices:
SQLite locks under several writers, a per-process cache counts rate limits per worker,
without a broker every e-mail and PDF is made inside a web request, links in e-mails
pointing at localhost do not work for anybody, and with proxies in front but none
trusted every applicant shares the proxy's address (and its rate limits). They are
errors, so a deployment that checks its settings stops there (see docs/OPERATIONS.md).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

#: Hosts that only the server itself can reach.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}
#: Cache backends that are not shared between processes.
PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(deploy=True)
def database_is_not_sqlite(app_configs=None, **kwargs) -> list[Error]:
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        return []
    return [
        Error(
            "The database is SQLite.",
            hint="Set DATABASE_URL to a PostgreSQL database (postgres://user:pass@host/loket).",
            id="loket.E201",
        )
    ]


@register(Tags.caches, deploy=True)
def cache_is_shared(app_configs=None, **kwargs) -> list[Error]:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PROCESS_CACHES:
        return []
    return [
        Error(
            f"The cache ({backend.rsplit('.', 1)[-1]}) is not shared between processes: "
            "rate limits would count per worker.",
            hint="Set CACHE_URL to a Redis server (redis://host:6379/1).",
            id="loket.E202",
        )
    ]


@register(deploy=True)
def celery_has_a_broker(app_configs=None, **kwargs) -> list[Error]:
    if getattr(settings, "CELERY_BROKER_URL", ""):
        return []
    return [
        Error(
            "No Celery broker: e-mails and PDFs would be made inside web requests.",
            hint="Set CELERY_BROKER_URL (redis://host:6379/0) and run a worker and beat.",
            id="loket.E203",
        )
    ]


@register(deploy=True)
def base_url_is_public(app_configs=None, **kwargs) -> list[Error]:
    base_url = getattr(settings, "LOKET_BASE_URL", "") or ""
    if base_url and (urlsplit(base_url).hostname or "") not in LOCAL_HOSTS:
        return []
    return [
        Error(
            f"LOKET_BASE_URL ({base_url or 'not set'}) is not a public address: links in "
            "e-mails would not work.",
            hint="Set LOKET_BASE_URL to the site's address, e.g. https://loket.gemeente.be.",
            id="loket.E204",
        )
    ]


@register(Tags.security, deploy=True)
def proxies_are_counted(app_configs=None, **kwargs) -> list[Error]:
    if not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return []
    if getattr(settings, "LOKET_TRUSTED_PROXIES", 0) > 0:
        return []
    return [
        Error(
            "SECURE_PROXY_SSL_HEADER trusts a reverse proxy, but LOKET_TRUSTED_PROXIES is 0: "
            "every applicant would have the proxy's address, and share its rate limits.",
            hint="Set LOKET_TRUSTED_PROXIES to the number of proxies that set "
            "X-Forwarded-For (usually 1).",
            id="loket.E205",
        )
    ]
