"""The Flemish global header in a real browser: with the site setting on, the public
pages run the header widget's script from the (local stand-in) widget server under the
strict CSP, which allows that one origin; with it off, nothing is loaded."""

from __future__ import annotations

import pytest
from wagtail.models import Site

from cms.models import SiteBranding
from tests.burgerprofiel_stub import WIDGET_ID, WidgetServer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def widget_server():
    server = WidgetServer()
    yield server
    server.stop()


def test_the_global_header_runs_under_the_csp_only_when_switched_on(
    live_server, new_page, axe, widget_server, home_page
):
    page = new_page()
    page.goto(live_server.url + "/mijn-loket/aanmelden/")
    assert page.locator("[data-stub-global-header]").count() == 0
    assert widget_server.requests == []

    config = SiteBranding.for_site(Site.objects.get(is_default_site=True))
    config.global_header_enabled = True
    config.global_header_server = widget_server.origin
    config.global_header_widget_id = WIDGET_ID
    config.full_clean()
    config.save()

    # new_page fails the test on any CSP violation the browser reports.
    page.goto(live_server.url + "/mijn-loket/aanmelden/")
    header = page.locator("[data-burgerprofiel-header] [data-stub-global-header]")
    header.wait_for()
    assert header.inner_text() == "Vlaanderen is open (test header)"
    assert widget_server.requests == [f"/api/v1/widget/{WIDGET_ID}/embed"]
    axe(page, "sign-in page with the global header")
