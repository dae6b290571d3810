"""A location answer in the back office: the officer's dossier view shows it as text and
on a small map (whose tiles the page's CSP allows), and the inbox exports the places as
GeoJSON (and as text in CSV)."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Site

from dossiers import export
from dossiers.models import Dossier
from forms_builder.models import MapSettings
from tests.factories import DossierFactory, FormSnapshotFactory

SCHEMA = {
    "steps": [
        {
            "id": "step-1",
            "title": "Waar?",
            "fields": [
                {
                    "id": "f1",
                    "type": "location",
                    "name": "terras",
                    "label": "Waar staat het terras?",
                    "help_text": "",
                    "required": True,
                    "maps_to": "",
                    "options": {"shape": "any"},
                }
            ],
        }
    ]
}
ZONE = {
    "type": "Feature",
    "geometry": {
        "type": "Polygon",
        "coordinates": [
            [[3.72, 51.05], [3.7201, 51.05], [3.7201, 51.0501], [3.72, 51.0501], [3.72, 51.05]]
        ],
    },
    "properties": {"address": "Markt 1, Gent", "description": "voor de zaak", "area_m2": "78.0"},
}
ONLY_ADDRESS = {
    "type": "Feature",
    "geometry": None,
    "properties": {"address": "Kerkstraat 2", "description": "naast de kerk", "area_m2": None},
}


@pytest.fixture
def dossiers(economy):
    snapshot = FormSnapshotFactory(schema=SCHEMA)
    return [
        DossierFactory(snapshot=snapshot, team=economy, answers={"step-1": {"terras": ZONE}}),
        DossierFactory(
            snapshot=snapshot, team=economy, answers={"step-1": {"terras": ONLY_ADDRESS}}
        ),
    ]


def test_the_officer_sees_the_zone_as_text_and_on_a_map(client, officer, dossiers):
    MapSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={"tile_url": "https://tegels.voorbeeld.be/{z}/{x}/{y}.png"},
    )
    client.force_login(officer)
    response = client.get(reverse("dossiers_dossier_modeladmin_inspect", args=[dossiers[0].pk]))

    html = response.content.decode()
    assert "Zone van 78,0 m², hoeken 51.05, 3.72; 51.05, 3.7201" in html
    assert "data-location-view" in html and "leaflet/leaflet.js" in html
    policy = response.headers["Content-Security-Policy"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert "https://tegels.voorbeeld.be" in img_src
    assert "blob:" in img_src  # the admin's own relaxation is kept


def test_a_dossier_without_a_place_loads_no_map(client, officer, dossiers):
    client.force_login(officer)
    response = client.get(reverse("dossiers_dossier_modeladmin_inspect", args=[dossiers[1].pk]))

    html = response.content.decode()
    assert "Adres: Kerkstraat 2. naast de kerk" in html
    assert "data-location-view" not in html and "leaflet" not in html
    assert "tile.openstreetmap.org" not in response.headers["Content-Security-Policy"]


def test_the_places_are_exported_as_geojson(dossiers):
    response = export.export_response(
        Dossier.objects.order_by("pk"), export.get_format("geojson"), with_answers=True
    )
    collection = json.loads(b"".join(part for part in response.streaming_content))

    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"].endswith('.geojson"')
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]  # the answer without a drawn place is not a feature
    assert feature["geometry"] == ZONE["geometry"]
    assert feature["properties"] == {
        "reference": dossiers[0].reference,
        "form": "Aanvraag terrasvergunning",
        "status": "Ingediend",
        "question": "Waar staat het terras?",
        "address": "Markt 1, Gent",
        "description": "voor de zaak",
        "area_m2": "78.0",
    }


def test_the_csv_export_has_the_place_as_text(dossiers):
    response = export.export_response(
        Dossier.objects.order_by("pk"), export.get_format("csv"), with_answers=True
    )
    content = b"".join(
        part if isinstance(part, bytes) else part.encode() for part in response.streaming_content
    ).decode("utf-8-sig")

    assert "Zone van 78,0 m², hoeken 51.05, 3.72;" in content.replace('"', "")
    assert "Adres: Kerkstraat 2. naast de kerk" in content
