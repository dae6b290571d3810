"""Belgian addresses: the postcode must exist and the municipality must fit it."""

import pytest
from django.utils import translation

from forms_builder.fields import postcodes

from .test_field_types import clean, errors


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def address(postcode, municipality):
    return ["Kerkstraat", "12", "", postcode, municipality]


def test_a_postcode_belgium_does_not_have_is_refused():
    assert errors("address", address("9999", "Voorbeeld")) == [
        "Postcode 9999 bestaat niet in België. Kijk de postcode na."
    ]


@pytest.mark.parametrize(
    ("postcode", "municipality"),
    [
        ("9000", "Gent"),
        ("9000", "gent"),
        ("9000", "Gand"),  # French
        ("1000", "Bruxelles"),
        ("1000", "BRUSSEL"),
        ("4780", "Sankt Vith"),  # German-speaking area
        ("4780", "saint vith"),  # case, hyphen and accent insensitive
        ("1040", "Etterbeek"),  # a code of two municipalities
        ("1040", "Brussel"),
        ("9030", "Mariakerke"),  # a sub-municipality: not in the list, so accepted
    ],
)
def test_the_municipality_of_the_postcode_is_accepted(postcode, municipality):
    assert clean("address", address(postcode, municipality))["postcode"] == postcode


def test_a_municipality_of_another_postcode_is_refused():
    assert errors("address", address("9000", "Antwerpen")) == [
        "Postcode 9000 hoort bij Gent, niet bij Antwerpen. Kijk de postcode en de gemeente na."
    ]


def test_the_list_knows_the_merged_municipalities_of_2025():
    assert postcodes.name_of("9820") == "Merelbeke-Melle"
    assert postcodes.fits("9090", "Merelbeke-Melle")
    assert not postcodes.exists("9999")
