"""The Flemish global header (Burgerprofiel): off by default; when a site turns it on,
its public pages load the widget script and their CSP allows that one origin only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site

from cms.models import SiteBranding
from cms.page_cache import HIT_HEADER
from tests.burgerprofiel_stub import WIDGET_ID

from .builders import make_service

pytestmark = pytest.mark.django_db

ORIGIN = "https://widgets.example.test"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.fixture
def header(home_page):
    config = SiteBranding.for_site(Site.objects.get(is_default_site=True))
    config.global_header_enabled = True
    config.global_header_server = ORIGIN
    config.global_header_widget_id = WIDGET_ID
    config.full_clean()
    config.save()
    return config


def test_off_by_default(client, home_page):
    assert SiteBranding._meta.get_field("global_header_enabled").default is False
    response = client.get(home_page.url)
    assert b"data-burgerprofiel-header" not in response.content
    assert directives(response)["script-src"] == ["'self'"]


def test_a_site_that_shows_it_loads_the_script_and_allows_only_its_origin(
    client, home_page, header
):
    header.global_header_enabled = False
    header.save()
    without = directives(client.get("/mijn-loket/aanmelden/"))
    header.global_header_enabled = True
    header.save()
    service = make_service(home_page)
    for url in (home_page.url, service.url, "/mijn-loket/aanmelden/"):
        response = client.get(url)
        script = f'<script src="{ORIGIN}/api/v1/widget/{WIDGET_ID}/embed"></script>'
        assert script in response.content.decode(), url
        policy = directives(response)
        for name in ("script-src", "style-src", "img-src", "font-src", "connect-src"):
            assert policy[name] == [*without[name], ORIGIN], (url, name)
        for name in ("default-src", "form-action", "frame-ancestors", "object-src"):
            assert policy[name] == without[name], (url, name)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_pages_from_the_page_cache_keep_the_origin_without_a_query(
    client, home_page, header, django_assert_num_queries
):
    SiteBranding.for_site(home_page.get_site())  # as on every site that is set up
    service = make_service(home_page)
    assert client.get(service.url)[HIT_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get(service.url)
    assert second[HIT_HEADER] == "hit"
    assert ORIGIN in directives(second)["script-src"]
    assert b"data-burgerprofiel-header" in second.content


def test_turning_it_off_takes_effect_at_once(client, home_page, header):
    assert ORIGIN in directives(client.get("/mijn-loket/aanmelden/"))["script-src"]
    header.global_header_enabled = False
    header.save()
    response = client.get("/mijn-loket/aanmelden/")
    assert b"data-burgerprofiel-header" not in response.content
    assert ORIGIN not in response["Content-Security-Policy"]


def test_the_admin_does_not_load_it(admin_client, header):
    response = admin_client.get("/admin/")
    assert ORIGIN not in response["Content-Security-Policy"]
    assert b"data-burgerprofiel-header" not in response.content


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"global_header_widget_id": ""},
            "global_header_widget_id",
            "Vul dit in om de hoofding te tonen.",
        ),
        (
            {"global_header_server": "http://widgets.example.test"},
            "global_header_server",
            "Gebruik https.",
        ),
        (
            {"global_header_server": f"{ORIGIN}/api/v1"},
            "global_header_server",
            "Alleen het adres van de server, zonder pad.",
        ),
        (
            {"global_header_widget_id": 'abc"><script>'},
            "global_header_widget_id",
            "Gebruik alleen letters, cijfers en koppeltekens.",
        ),
    ],
)
def test_settings_are_checked(header, changes, field, message):
    for name, value in changes.items():
        setattr(header, name, value)
    with pytest.raises(ValidationError) as error:
        header.full_clean()
    assert message in error.value.message_dict[field]
