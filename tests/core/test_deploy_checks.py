"""``manage.py check --deploy`` refuses a production set-up that would run badly
(core/checks.py, issue #13)."""

import pytest
from django.core import checks

#: The checks read the settings only; no connection is made to the overridden database.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")

GOOD = {
    "DATABASES": {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "loket"}},
    "CACHES": {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://redis.example.org:6379/1",
        }
    },
    "CELERY_BROKER_URL": "redis://redis.example.org:6379/0",
    "LOKET_BASE_URL": "https://loket.example.org",
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "LOKET_TRUSTED_PROXIES": 1,
}


def loket_errors(settings, **overrides) -> set[str]:
    for name, value in {**GOOD, **overrides}.items():
        setattr(settings, name, value)
    found = checks.run_checks(include_deployment_checks=True)
    return {m.id for m in found if m.id.startswith("loket.E2") and m.level >= checks.ERROR}


def test_a_good_production_set_up_passes(settings):
    assert loket_errors(settings) == set()


def test_the_deploy_checks_do_not_run_without_deploy(settings):
    settings.CELERY_BROKER_URL = ""
    assert not [m for m in checks.run_checks() if m.id == "loket.E203"]


@pytest.mark.parametrize(
    "overrides, error",
    [
        ({"DATABASES": {"default": {"ENGINE": "django.db.backends.sqlite3"}}}, "loket.E201"),
        (
            {"CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}},
            "loket.E202",
        ),
        (
            {"CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}},
            "loket.E202",
        ),
        ({"CELERY_BROKER_URL": ""}, "loket.E203"),
        ({"LOKET_BASE_URL": ""}, "loket.E204"),
        ({"LOKET_BASE_URL": "http://localhost:8000"}, "loket.E204"),
        ({"LOKET_BASE_URL": "http://127.0.0.1:8000/"}, "loket.E204"),
        ({"LOKET_TRUSTED_PROXIES": 0}, "loket.E205"),
    ],
    ids=[
        "sqlite",
        "local-memory cache",
        "dummy cache",
        "no broker",
        "no base url",
        "localhost",
        "127.0.0.1",
        "no trusted proxy",
    ],
)
def test_each_bad_setting_is_an_error(settings, overrides, error):
    assert loket_errors(settings, **overrides) == {error}


def test_no_proxy_header_needs_no_proxy_count(settings):
    assert loket_errors(settings, SECURE_PROXY_SSL_HEADER=None, LOKET_TRUSTED_PROXIES=0) == set()
