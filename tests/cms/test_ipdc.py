"""The identifier of a service in the Flemish catalogue of products and services
(IPDC/LPDC): editors fill it in (format checked), the service page's structured data
and the API's forms carry it."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from tests.conftest import make_form_page
from tests.dossiers.api.conftest import make_client

from .builders import make_service

pytestmark = pytest.mark.django_db

CONCEPT_ID = "0f2d5b9e-3c1a-4b7e-9d4f-2a6c8e1b7d30"


@pytest.mark.parametrize("code", ["1502", "7", "12345678", CONCEPT_ID, CONCEPT_ID.upper()])
def test_product_numbers_and_concept_ids_are_accepted(home_page, code):
    service = make_service(home_page)
    service.ipdc_code = code
    service.full_clean()


@pytest.mark.parametrize(
    "code", ["IPDC-1502", "15 02", "123456789", "-1", CONCEPT_ID[:-1], f"{CONCEPT_ID}0"]
)
def test_other_values_are_refused_in_dutch(home_page, code):
    service = make_service(home_page)
    service.ipdc_code = code
    with pytest.raises(ValidationError) as error:
        service.full_clean()
    messages = error.value.message_dict["ipdc_code"]
    assert any(m.startswith("Vul het productnummer uit de Vlaamse catalogus in") for m in messages)


def test_the_editor_fills_it_in_on_the_promote_tab(admin_client, home_page):
    service = make_service(home_page)
    page = admin_client.get(f"/admin/pages/{service.pk}/edit/").content.decode()
    assert 'name="ipdc_code"' in page
    assert "IPDC/LPDC-productnummer" in page


def test_structured_data_names_the_catalogue_identifier(client, home_page):
    service = make_service(home_page, ipdc_code="1502")
    soup = BeautifulSoup(client.get(service.url).content, "html.parser")
    [data] = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    assert data["identifier"] == {"@type": "PropertyValue", "propertyID": "IPDC", "value": "1502"}
    service.ipdc_code = ""
    service.save_revision().publish()
    soup = BeautifulSoup(client.get(service.url).content, "html.parser")
    [data] = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    assert "identifier" not in data


def test_the_api_gives_each_form_the_code_of_its_service(client, home_page, team):
    under_service = make_form_page(make_service(home_page, ipdc_code="1502"), team=team)
    linked = make_form_page(home_page, team=team, slug="evenement", reference_prefix="EVE")
    make_service(home_page, "Evenement aanvragen", form_page=linked, ipdc_code=CONCEPT_ID)
    alone = make_form_page(home_page, team=team, slug="ander", reference_prefix="AND")
    _api_client, token = make_client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    listed = client.get("/api/v1/forms/", **auth).json()
    codes = {form["id"]: form["ipdc_code"] for form in listed}
    assert codes == {under_service.pk: "1502", linked.pk: CONCEPT_ID, alone.pk: None}
    detail = client.get(f"/api/v1/forms/{under_service.pk}/", **auth).json()
    assert detail["ipdc_code"] == "1502"
