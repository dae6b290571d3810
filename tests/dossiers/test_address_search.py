"""The map's address search: addresses of the imported register with their place, as
JSON, rate-limited per client (issue #18)."""

import pytest
from django.urls import reverse

from cms.demo.places import DEMO_ADDRESSES, DEMO_NIS_CODE
from dossiers.places.importer import import_addresses
from forms_builder.streets import split_house_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db):
    with DEMO_ADDRESSES.open("rb") as fileobj:
        import_addresses(fileobj, municipality=DEMO_NIS_CODE, file_name=DEMO_ADDRESSES.name)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kerkstraat 12", ("Kerkstraat", "12")),
        ("Markt, 7b", ("Markt", "7b")),
        ("Sint-Jansplein", ("Sint-Jansplein", "")),
    ],
)
def test_the_house_number_is_split_off(query, expected):
    assert split_house_number(query) == expected


def test_an_address_gives_its_place(register, client):
    response = client.get(reverse("address_search"), {"q": "markt 2"})

    assert response.status_code == 200
    first = response.json()["addresses"][0]
    assert first["label"].startswith("Markt 2")
    assert (first["lat"], first["lon"]) == pytest.approx((51.0501, 3.72014))


def test_a_street_alone_gives_its_addresses_and_nonsense_gives_none(register, client):
    streets = client.get(reverse("address_search"), {"q": "Kerkstr"}).json()["addresses"]
    assert streets and all(each["label"].startswith("Kerkstraat") for each in streets)
    assert client.get(reverse("address_search"), {"q": "Nergensstraat 1"}).json() == {
        "addresses": []
    }
    assert client.get(reverse("address_search"), {"q": "a"}).json() == {"addresses": []}


def test_the_search_is_rate_limited(register, client, settings):
    settings.LOKET_RATE_LIMITS = {
        **settings.LOKET_RATE_LIMITS,
        "address_search_per_client": (2, 60),
    }
    codes = [client.get(reverse("address_search"), {"q": "Markt"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_map_offers_the_search_button(home_page, client):
    from forms_builder.fields.location import LocationWidget

    html = LocationWidget("point").render("plaats", None, {"id": "id_plaats"})
    assert 'data-location-search="/adressen/zoek/"' in html
