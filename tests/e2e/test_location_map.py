"""The location question in a real browser, with map tiles from a local tile server
(never the network): drawing a zone with the keyboard only, and answering without
JavaScript (an address and a description). axe-core checks every state; the browser's
Content-Security-Policy reports fail the test (the tile server is another origin, which
the page must allow)."""

from __future__ import annotations

import base64
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from wagtail.models import Site

from cms.demo import ensure_home_page, ensure_team
from forms_builder.models import MapSettings
from tests.conftest import make_form_page
from tests.factories import field_block, step_block

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: A 1×1 grey PNG: every tile of the local tile server.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg=="
)


class TileServer:
    """A tiny tile server on a free local port; remembers the tiles asked for."""

    def __init__(self):
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                if not re.fullmatch(r"/\d+/\d+/\d+\.png", self.path):
                    self.send_error(404)
                    return
                server.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(TILE)))
                self.end_headers()
                self.wfile.write(TILE)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def tile_server():
    with TileServer() as server:
        yield server


@pytest.fixture
def zone_form(tile_server):
    home = ensure_home_page()
    site = Site.objects.get(is_default_site=True)
    MapSettings.objects.update_or_create(
        site=site,
        defaults={
            "tile_url": tile_server.url + "/{z}/{x}/{y}.png",
            "attribution": "Testkaart",
            "centre_latitude": "51.05",
            "centre_longitude": "3.72",
            "zoom": 18,
        },
    )
    return make_form_page(
        home,
        title="Inname met kaart",
        slug="inname-kaart",
        reference_prefix="INK",
        steps=[
            step_block(
                "Waar?",
                field_block("location", "Waar staat het terras?", "terras", shape="any"),
            )
        ],
        team=ensure_team("Terrassen", "terrassen@voorbeeld.be"),
    )


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_draw_a_rectangle_with_the_keyboard_only(
    live_server, new_page, axe, zone_form, tile_server
):
    page = new_page()
    page.goto(live_server.url + zone_form.url)
    page.wait_for_selector(".leaflet-tile-loaded")
    assert tile_server.requests  # the tiles came from the local server
    axe(page, "a step with a map")

    tab_to(page, "input[value=point]")
    page.keyboard.press("ArrowDown")  # the radio group: a rectangle
    assert page.is_checked("input[value=rectangle]")
    tab_to(page, "[data-location-map]")
    page.keyboard.press("Enter")  # a corner at the cross in the middle
    status = page.locator(".location__status")
    assert "Punten: 1" in status.inner_text()
    for key in ("ArrowRight", "ArrowRight", "ArrowDown", "ArrowDown"):
        page.keyboard.press(key)
    page.wait_for_timeout(400)  # the pan animates
    page.keyboard.press("Enter")  # the opposite corner
    points = page.input_value("[name='1-terras_points']")
    assert points.count(";") == 3, points  # a rectangle: four corners
    assert page.locator(".location__map path.leaflet-interactive").count() >= 1
    axe(page, "a map with a drawn rectangle")

    page.keyboard.press("Delete")  # undo the last corner, then set it again
    assert "Punten: 1" in status.inner_text()
    page.keyboard.press("Enter")
    assert page.input_value("[name='1-terras_points']").count(";") == 3

    tab_to(page, "button.button:not(.button--secondary)")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/controleren/" in page.url
    shown = page.locator("main").inner_text()
    assert re.search(r"Zone van [\d.,]+ m²", shown), shown
    axe(page, "the check page with a zone")


def test_without_javascript_an_address_and_a_description_are_enough(
    live_server, new_page, axe, zone_form
):
    # axe needs JavaScript itself: it checks the page with every script of the site
    # blocked, which is what a browser without JavaScript gets.
    blocked = new_page()
    blocked.route("**/*.js", lambda route: route.abort())
    blocked.goto(live_server.url + zone_form.url)
    assert not blocked.locator(".location__map-area").is_visible()
    axe(blocked, "a location question without its scripts")

    page = new_page(java_script_enabled=False)
    page.goto(live_server.url + zone_form.url)
    assert not page.locator(".location__map-area").is_visible()
    page.fill("[name='1-terras_address']", "Markt 1, 9000 Gent")
    with page.expect_navigation():
        page.get_by_role("button", name="Volgende").click()
    assert "beschrijving" in page.locator(".error-summary").inner_text()

    page.fill("[name='1-terras_description']", "Op de stoep voor de zaak, 4 bij 3 meter")
    with page.expect_navigation():
        page.get_by_role("button", name="Volgende").click()
    assert "/controleren/" in page.url
    shown = page.locator("main").inner_text()
    assert "Markt 1, 9000 Gent" in shown and "Op de stoep voor de zaak" in shown


def test_officers_see_occupations_and_a_dossier_on_a_map(live_server, new_page, axe, tile_server):
    from django.contrib.auth import get_user_model

    from tests.dossiers.test_location_answers import OVERLAPPING, SQUARE, occupation

    from .test_form_builder_journey import admin_login, click_and_load

    ensure_home_page()
    MapSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={"tile_url": tile_server.url + "/{z}/{x}/{y}.png", "attribution": "Testkaart"},
    )
    team = ensure_team("Terrassen", "terrassen@voorbeeld.be")
    first = occupation(team, SQUARE, "2027-05-03", "2027-05-09")
    occupation(team, OVERLAPPING, "2027-05-05", "2027-05-12")
    get_user_model().objects.create_superuser("beheerder", "b@example.org", "geheim-wachtwoord")
    page = new_page()
    admin_login(page, live_server.url, "beheerder", "geheim-wachtwoord")

    page.goto(live_server.url + "/admin/dossiers/occupations/?from=2027-05-04&weeks=2")
    page.wait_for_selector(".location-view .leaflet-tile-loaded")
    assert page.locator("tr[data-conflict]").count() == 3
    axe(page, "the occupations on a map", include=".loket-dossier")

    tile_server.requests.clear()
    click_and_load(page, page.get_by_role("link", name=first.reference).first)
    page.wait_for_selector(".location-view .leaflet-tile-loaded")
    assert tile_server.requests
    assert page.locator("[data-occupation-conflicts]").is_visible()
    axe(page, "a dossier with a zone on a map", include=".loket-dossier")
