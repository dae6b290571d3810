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


# --- occupations of the public domain: the same place in the same period ---------------

OCCUPATION_SCHEMA = {
    "steps": [
        {
            "id": "step-1",
            "title": "Waar en wanneer?",
            "fields": [
                SCHEMA["steps"][0]["fields"][0],
                {
                    "id": "f2",
                    "type": "date_range",
                    "name": "periode",
                    "label": "Wanneer?",
                    "help_text": "",
                    "required": True,
                    "maps_to": "",
                    "options": {},
                },
            ],
        }
    ]
}


def zone(*corners):
    ring = [[lon, lat] for lat, lon in corners]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        "properties": {"address": "", "description": "", "area_m2": "1.0"},
    }


SQUARE = zone((51.05, 3.72), (51.05, 3.7202), (51.0502, 3.7202), (51.0502, 3.72))
OVERLAPPING = zone((51.0501, 3.7201), (51.0501, 3.7203), (51.0503, 3.7203), (51.0503, 3.7201))
APART = zone((51.06, 3.73), (51.06, 3.7302), (51.0602, 3.7302), (51.0602, 3.73))


def occupation(team, place, start, end, **extra):
    snapshot = FormSnapshotFactory(schema=OCCUPATION_SCHEMA)
    answers = {"step-1": {"terras": place, "periode": {"start": start, "end": end}}}
    return DossierFactory(snapshot=snapshot, team=team, answers=answers, **extra)


def test_zones_overlap_touch_contain_or_lie_apart():
    from forms_builder.geometry import overlaps

    assert overlaps(SQUARE["geometry"], OVERLAPPING["geometry"])
    assert not overlaps(SQUARE["geometry"], APART["geometry"])
    inner = zone((51.05005, 3.72005), (51.05005, 3.72010), (51.0501, 3.7201))["geometry"]
    assert overlaps(SQUARE["geometry"], inner) and overlaps(inner, SQUARE["geometry"])
    point_inside = {"type": "Point", "coordinates": [3.7201, 51.0501]}
    point_outside = {"type": "Point", "coordinates": [3.7301, 51.0601]}
    assert overlaps(point_inside, SQUARE["geometry"])
    assert not overlaps(point_outside, SQUARE["geometry"])


def test_two_occupations_of_one_place_in_one_period_are_flagged_on_both(
    client, officer, economy, django_assert_num_queries
):
    from dossiers import occupancy
    from dossiers.constants import Status

    first = occupation(economy, SQUARE, "2027-05-01", "2027-05-31")
    second = occupation(economy, OVERLAPPING, "2027-05-20", "2027-06-10")
    occupation(economy, OVERLAPPING, "2027-06-11", "2027-06-30")  # later: no conflict
    occupation(economy, APART, "2027-05-01", "2027-05-31")  # elsewhere: no conflict
    occupation(economy, SQUARE, "2027-05-01", "2027-05-31", status=Status.REJECTED)

    with django_assert_num_queries(1):
        assert [each.dossier for each in occupancy.conflicts(first)] == [second]
    assert [each.dossier for each in occupancy.conflicts(second)] == [first]

    client.force_login(officer)
    for dossier, other in ((first, second), (second, first)):
        url = reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])
        html = client.get(url).content.decode()
        assert "data-occupation-conflicts" in html and other.reference in html
        assert "data-conflict-place" in html and "data-conflict-street" not in html


def test_the_occupations_page_lists_them_per_week_with_their_conflicts(client, officer, economy):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = occupation(economy, SQUARE, "2027-05-03", "2027-05-09")
    second = occupation(economy, OVERLAPPING, "2027-05-05", "2027-05-12")
    client.force_login(officer)
    url = reverse("dossiers_occupations") + "?from=2027-05-04&weeks=2"

    client.get(url)  # the first request fills the caches (site, settings, session)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "Week van 3 mei tot 9 mei 2027" in html
    assert html.count("data-conflict") == 3  # both in week 1, the second in week 2 too
    assert first.reference in html and second.reference in html
    assert "data-location-view" in html

    for start, end in (("03", "04"), ("05", "06"), ("07", "08"), ("10", "11")):
        occupation(economy, APART, f"2027-05-{start}", f"2027-05-{end}")  # one after another
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count("data-conflict") == 3  # the others lie apart
    assert len(many) == len(few)

    event = occupation(economy, APART, "2027-05-08", "2027-05-09", form_title="Evenement")
    events_only = client.get(url + "&form=Evenement").content.decode()
    assert event.reference in events_only and first.reference not in events_only


STREET_SCHEMA = {
    "steps": [
        {
            "id": "step-1",
            "title": "Waar en wanneer?",
            "fields": [
                {
                    "id": "f1",
                    "type": "address",
                    "name": "adres",
                    "label": "Straat",
                    "help_text": "",
                    "required": True,
                    "maps_to": "",
                    "options": {"local_only": True},
                },
                OCCUPATION_SCHEMA["steps"][0]["fields"][1],
            ],
        }
    ]
}


def street_occupation(team, street, start, end):
    snapshot = FormSnapshotFactory(schema=STREET_SCHEMA)
    address = {
        "street": street,
        "number": "1",
        "box": "",
        "postcode": "9999",
        "municipality": "Voorbeeld",
        "street_id": "190001",
        "address_id": "1",
    }
    answers = {"step-1": {"adres": address, "periode": {"start": start, "end": end}}}
    return DossierFactory(snapshot=snapshot, team=team, answers=answers)


def test_two_occupations_of_one_street_in_one_period_are_flagged_on_both(client, officer, economy):
    """Road works known only by their street (no zone drawn) conflict with another
    occupation of that street in the same days (issue #18)."""
    from dossiers import occupancy

    first = street_occupation(economy, "Kerkstraat", "2027-05-01", "2027-05-31")
    second = street_occupation(economy, "kerkstraat", "2027-05-20", "2027-06-10")
    street_occupation(economy, "Kerkstraat", "2027-06-11", "2027-06-30")  # later
    street_occupation(economy, "Markt", "2027-05-01", "2027-05-31")  # another street

    assert [each.dossier for each in occupancy.conflicts(first)] == [second]
    assert [each.dossier for each in occupancy.conflicts(second)] == [first]
    client.force_login(officer)
    url = reverse("dossiers_dossier_modeladmin_inspect", args=[first.pk])
    html = client.get(url).content.decode()
    assert "data-occupation-conflicts" in html and second.reference in html
    # The officer reads why: the same street, not a drawn place.
    assert "data-conflict-street" in html and "data-conflict-place" not in html
    assert [reason for _, reason in occupancy.explained_conflicts(first)] == ["street"]
    weeks = client.get(reverse("dossiers_occupations"), {"from": "2027-05-03"}).content.decode()
    assert first.reference in weeks and "data-conflict" in weeks
