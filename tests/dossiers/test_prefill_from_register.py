"""Mijn loket prefills the company's name and address from the company register (KBO
open data) when no earlier dossier gave them (issue #14, item 24)."""

from __future__ import annotations

import time
from dataclasses import asdict

import pytest

from dossiers.models import CompanyAddress, CompanyName, Enterprise
from dossiers.portal import identity
from tests.conftest import make_form_page
from tests.dossiers.test_portal import AN, COMPANY_STEPS, input_value, submit_earlier

KBO = "0403170701"


@pytest.fixture
def company_page(home_page, team):
    return make_form_page(
        home_page, slug="premie", reference_prefix="PRE", steps=COMPANY_STEPS, team=team
    )


@pytest.fixture
def in_register(db):
    Enterprise.objects.create(number=KBO, status="AC", juridical_form="014")
    CompanyName.objects.create(entity_number=KBO, language="2", name_type="001", name="De Markt BV")
    CompanyAddress.objects.create(
        entity_number=KBO,
        address_type="REGO",
        postcode="9000",
        municipality_nl="Gent",
        street_nl="Korenmarkt",
        house_number="12",
        box="3",
    )


def sign_in_vouched(client, enterprise_number=KBO):
    """Sign in as a method that vouches for an enterprise number would (the government
    login does)."""
    session = client.session
    now = time.time()
    session[identity.SESSION_KEY] = {
        "identity": asdict(
            identity.ApplicantIdentity(method="oidc", email=AN, enterprise_number=enterprise_number)
        ),
        "signed_in_at": now,
        "last_seen": now,
    }
    session.save()


@pytest.mark.django_db
def test_without_an_earlier_dossier_the_seat_comes_from_the_register(
    client, company_page, in_register
):
    sign_in_vouched(client)

    html = client.get(company_page.url + "stap/1/").content.decode()

    assert input_value(html, "1-bedrijfsnaam") == "De Markt BV"
    assert input_value(html, "1-kbo") == "0403.170.701"
    assert input_value(html, "1-adres_zaak_street") == "Korenmarkt"
    assert input_value(html, "1-adres_zaak_number") == "12"
    assert input_value(html, "1-adres_zaak_box") == "3"
    assert input_value(html, "1-adres_zaak_postcode") == "9000"
    assert input_value(html, "1-adres_zaak_municipality") == "Gent"


@pytest.mark.django_db
def test_an_earlier_dossier_wins_over_the_register(client, company_page, in_register):
    submit_earlier(company_page, kbo=KBO)
    sign_in_vouched(client)

    html = client.get(company_page.url + "stap/1/").content.decode()

    assert input_value(html, "1-bedrijfsnaam") == "Café De Markt"
    assert input_value(html, "1-adres_zaak_street") == "Markt"
    assert input_value(html, "1-adres_zaak_number") == "1"


@pytest.mark.django_db
def test_an_enterprise_the_register_does_not_know_leaves_the_address_empty(
    client, company_page, in_register
):
    sign_in_vouched(client, enterprise_number="0202239951")

    html = client.get(company_page.url + "stap/1/").content.decode()

    assert input_value(html, "1-kbo") == "0202.239.951"
    assert input_value(html, "1-adres_zaak_street") is None
    assert input_value(html, "1-bedrijfsnaam") is None
