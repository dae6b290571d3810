"""A database that cannot be reached gives a Dutch 503 page, not a 500."""

import pytest
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.utils import translation

from cms import sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_site_lookup(monkeypatch):
    """The first query of every request (the Site lookup, in a middleware) fails."""

    def fail_with(error):
        def find_site(request):
            raise error

        monkeypatch.setattr(sites, "find_site", find_site)

    return fail_with


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection to server at 127.0.0.1 failed: Connection refused"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_database_that_is_down_gives_a_503(client, home_page, failing_site_lookup, error):
    failing_site_lookup(error)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert '<html lang="nl">' in html
    with translation.override("nl"):
        assert f"<h1>{translation.gettext('Temporarily unavailable')}</h1>" in html
        kept = "What you filled in and saved is not lost. Please try again in a few minutes."
        assert translation.gettext(kept) in html
        assert translation.gettext(kept) != kept  # in Dutch


def test_the_503_page_follows_the_chosen_language(client, home_page, failing_site_lookup):
    failing_site_lookup(OperationalError("the database system is shutting down"))
    client.raise_request_exception = False
    client.cookies["django_language"] = "en"

    html = client.get("/").content.decode()

    assert '<html lang="en">' in html and "<h1>Temporarily unavailable</h1>" in html


def test_any_other_error_still_gives_the_500_page(client, home_page, failing_site_lookup):
    failing_site_lookup(RuntimeError("a bug"))
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    assert "Retry-After" not in response


def test_the_503_page_needs_no_request_context():
    html = render_to_string("503.html")

    assert '<html lang="nl">' in html
    assert "/static/theme/css/loket.css" in html
    assert 'href="/"' in html
