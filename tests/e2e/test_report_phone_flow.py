"""A report (melding) on a phone, in a real browser: three screens (what with a photo from
the camera, where on the map, an e-mail address), the confirmation, and the outside party
that marks it resolved through its link. axe-core checks every screen; map tiles come
from a local tile server (issue #18)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from wagtail.models import Site

from cms.demo import ensure_home_page, ensure_team
from cms.demo.forms import REPORT_STEPS
from dossiers.models import Dossier, ExternalParty, ReportCategory, ReportRoute
from forms_builder.models import MapSettings
from tests.conftest import make_form_page

from .test_location_map import tab_to, tile_server  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
#: A small JPEG is not needed: the photo is optional; the camera attributes are checked.


@pytest.fixture
def report_form(tile_server):  # noqa: F811
    home = ensure_home_page()
    MapSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={
            "tile_url": tile_server.url + "/{z}/{x}/{y}.png",
            "attribution": "Testkaart",
            "centre_latitude": "51.05",
            "centre_longitude": "3.72",
            "zoom": 18,
        },
    )
    lights = ReportCategory.objects.create(
        name="Straatverlichting", handling_text="Fluvius herstelt de lamp.", target_days=10
    )
    ReportCategory.objects.create(name="Lamp brandt niet", parent=lights)
    grid = ExternalParty.objects.create(name="Fluvius", email="meldingen@fluvius.test")
    ReportRoute.objects.create(category=lights, party=grid)
    return make_form_page(
        home,
        title="Probleem melden",
        slug="probleem-melden",
        reference_prefix="MEL",
        steps=REPORT_STEPS,
        stages=["report"],
        team=ensure_team("Openbaar domein", "openbaardomein@voorbeeld.be"),
    )


def next_screen(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Volgende").click()


def test_a_report_on_a_phone_in_three_screens(live_server, new_page, axe, report_form):
    page = new_page(**PHONE)
    page.goto(live_server.url + report_form.url)

    # Screen 1: what, with the camera for the photo.
    photo = page.locator("input[type=file]")
    assert photo.get_attribute("accept") == "image/*"
    assert photo.get_attribute("capture") == "environment"
    axe(page, "screen 1: what is wrong")
    page.select_option("select[name='1-categorie']", label="Lamp brandt niet")
    page.fill("[name='1-omschrijving']", "De lamp brandt al een week niet.")
    next_screen(page)

    # Screen 2: where, on the map with the keyboard (or an address and a description).
    page.wait_for_selector(".leaflet-tile-loaded")
    axe(page, "screen 2: where")
    tab_to(page, "[data-location-map]")
    page.keyboard.press("Enter")
    assert page.input_value("[name='2-plaats_points']")
    next_screen(page)

    # Screen 3: an e-mail address to hear more.
    axe(page, "screen 3: stay informed")
    page.fill("[name='3-email']", "an@voorbeeld.be")
    next_screen(page)
    assert "/controleren/" in page.url
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    assert "Melding ontvangen" in page.locator("main").inner_text()
    assert page.locator("[data-report-updates]").count() == 1
    axe(page, "the confirmation of a report")

    dossier = Dossier.objects.get()
    assert dossier.status == "forwarded_external"
    to_party = next(m for m in mail.outbox if m.to == ["meldingen@fluvius.test"])
    link = re.search(r"http\S+/melding/partij/\S+/", to_party.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    party = new_page(**PHONE)
    party.goto(live_server.url + path)
    axe(party, "the outside party's page")
    party.fill("textarea[name=message]", "Lamp vervangen.")
    with party.expect_navigation():
        party.get_by_role("button", name="Zet op opgelost").click()
    assert "opgelost" in party.locator("main").inner_text()
    dossier.refresh_from_db()
    assert dossier.status == "resolved"
