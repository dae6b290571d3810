"""Mijn loket in a real browser with the government's login: an entrepreneur signs in at
the local OpenID Connect provider of tests/oidc_provider.py, sees their enterprise's
dossiers (only those the login vouched for, never a number typed in a form), and signs
out, which ends the provider's session too. A site that demands a higher level of
assurance refuses the same sign-in with a plain page. An officer signs in to the admin
with the same login when staff sign-in is on. axe-core checks every page of Loket on
the way.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from wagtail.models import Site

from dossiers.models import GovernmentLoginSettings
from dossiers.models.portal import Assurance
from tests import oidc_provider
from tests.e2e.test_portal import click_and_load
from tests.factories import DossierFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

KBO = oidc_provider.DEFAULT_CLAIMS["vo_orgcode"]


@pytest.fixture
def provider():
    server = oidc_provider.FakeProvider()
    yield server
    server.stop()


@pytest.fixture
def government_login(provider, monkeypatch):
    monkeypatch.setenv("LOKET_E2E_OIDC_SECRET", oidc_provider.CLIENT_SECRET)
    config = GovernmentLoginSettings.for_site(Site.objects.get(is_default_site=True))
    config.enabled = True
    config.discovery_url = provider.discovery_url
    config.client_id = oidc_provider.CLIENT_ID
    config.client_secret_env = "LOKET_E2E_OIDC_SECRET"
    config.full_clean()
    config.save()
    return config


def sign_in_with_the_government_login(page, base: str) -> None:
    page.goto(base + "/mijn-loket/aanmelden/")
    button = page.locator("main a[href^='/mijn-loket/aanmelden/overheid/']")
    assert button.inner_text().startswith("Aanmelden met de aanmelddienst van de overheid")
    # Loket → the provider (which consents at once) → Loket's callback → Mijn loket.
    click_and_load(page, button)


def test_entrepreneur_signs_in_sees_the_enterprise_dossiers_and_signs_out(
    live_server, new_page, axe, provider, government_login
):
    ours = DossierFactory(applicant_email="boekhouder@bakkerij.be", vouched_enterprise=KBO)
    DossierFactory(applicant_email="iemand@elders.be", vouched_enterprise="0202239951")
    # Someone typed the enterprise's number in a form: that proves nothing.
    DossierFactory(applicant_email="iemand@elders.be", enterprise_number=KBO)
    base = live_server.url

    page = new_page()
    page.goto(base + "/mijn-loket/aanmelden/")
    axe(page, "sign-in page with the government login")
    sign_in_with_the_government_login(page, base)
    assert page.url == base + "/mijn-loket/"
    main = page.locator("main")
    assert "U bent aangemeld als An Peeters." in main.inner_text()
    assert f"U ziet ook de aanvragen van onderneming {KBO}." in main.inner_text()
    cards = page.locator("[data-dossiers] > li")
    assert [cards.nth(i).get_attribute("data-reference") for i in range(cards.count())] == [
        ours.reference
    ]
    axe(page, "Mijn loket after the government login")

    # Signing out goes past the provider's end_session and back to the sign-in page.
    click_and_load(page, page.locator("main form[action='/mijn-loket/afmelden/'] button"))
    assert page.url == base + "/mijn-loket/aanmelden/"
    [logout] = provider.logouts
    assert logout["client_id"] == oidc_provider.CLIENT_ID
    assert logout["id_token_hint"]
    page.goto(base + "/mijn-loket/")
    assert page.url.startswith(base + "/mijn-loket/aanmelden/")


def test_a_sign_in_below_the_minimum_level_gets_a_plain_page(
    live_server, new_page, axe, provider, government_login
):
    government_login.minimum_assurance = Assurance.HIGH
    government_login.save()
    page = new_page()
    page.goto(live_server.url + "/mijn-loket/aanmelden/")
    button = page.locator("main a[href^='/mijn-loket/aanmelden/overheid/']")
    with page.expect_navigation() as navigation:
        button.click()
    assert navigation.value.status == 403
    assert page.locator("[data-oidc-problem='too_low']").count() == 1
    assert "niet veilig genoeg" in page.locator("main").inner_text()
    axe(page, "level of assurance too low")
    page.goto(live_server.url + "/mijn-loket/")
    assert page.url.startswith(live_server.url + "/mijn-loket/aanmelden/")


@override_settings(LOKET_STAFF_GOVERNMENT_LOGIN=True, LOKET_ADMIN_2FA_REQUIRED=True)
def test_an_officer_signs_in_to_the_admin_with_the_government_login(
    live_server, new_page, axe, provider, government_login
):
    UserFactory(username="an", email="an.officer@voorbeeld.be", is_staff=True, is_superuser=True)
    provider.claims.update(email="an.officer@voorbeeld.be", email_verified=True)
    base = live_server.url

    page = new_page()
    page.goto(base + "/admin/login/")
    axe(page, "the admin's sign-in page with the government login")
    button = page.locator("[data-staff-government-login] a")
    assert button.inner_text() == "Aanmelden met de aanmelddienst van de overheid (itsme, eID, ...)"
    click_and_load(page, button)
    # The provider did the second step: straight into the admin, no code asked.
    assert page.url == base + "/admin/"
