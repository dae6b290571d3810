"""Shared fixtures: small builders for forms and dossiers."""

import pytest

from cms.demo import TERRACE_STEPS, ensure_home_page, ensure_team, load_demo
from forms_builder.models import ApplicationFormPage
from tests.clamd import clamd, virus_scanning  # noqa: F401 - fixtures


@pytest.fixture
def home_page(db):
    return ensure_home_page()


@pytest.fixture
def team(db):
    return ensure_team("Lokale economie", "economie@voorbeeld.be")


def make_form_page(parent, **kwargs) -> ApplicationFormPage:
    """An ApplicationFormPage under ``parent``; defaults give the demo terrace form."""
    defaults = {
        "title": "Aanvraag terrasvergunning",
        "slug": "aanvraag-terras",
        "steps": TERRACE_STEPS,
        "reference_prefix": "TER",
        "decision_term_days": 30,
    }
    defaults.update(kwargs)
    return parent.add_child(instance=ApplicationFormPage(**defaults))


@pytest.fixture
def form_page(home_page, team):
    return make_form_page(home_page, team=team)


@pytest.fixture(scope="session", autouse=True)
def end_stray_database_sessions(django_db_setup, django_db_blocker):
    """On PostgreSQL, end connections that threads left open (the live server's request
    threads, concurrency tests) before pytest-django drops the test database; otherwise
    the drop fails with "database is being accessed by other users"."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every test starts with an empty cache, so rate-limit counters of one test never
    refuse the requests of the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def demo(db):
    """The whole demo municipality (a few seconds: use it where the content matters)."""
    load_demo()


@pytest.fixture(autouse=True)
def shared_schemas_unchanged():
    """Form versions' schemas are parsed once per process and shared between requests
    (:class:`forms_builder.models.snapshot.FrozenJSONField`): a test fails when the code
    it ran changed one of those shared values."""
    from forms_builder.models.snapshot import changed_parsed_values, forget_parsed_values

    forget_parsed_values()
    yield
    changed = changed_parsed_values()
    forget_parsed_values()
    assert not changed, f"a shared form schema was changed in place: {changed}"
