"""Staff signing in to the admin with the government login (optional, off by default),
against the local provider of tests/oidc_provider.py: the account is the one whose
e-mail address the provider verified, at a high enough level; the provider handles the
second step; anything else signs nobody in."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from dossiers.portal import identity
from tests.dossiers import test_portal_oidc as base
from tests.factories import UserFactory

#: The local provider and the site configured for it, as in test_portal_oidc.py.
provider, login = base.provider, base.login

STAFF_START = "/mijn-loket/aanmelden/overheid/medewerker/"
ADMIN_LOGIN = "/admin/login/"
EMAIL = "an.officer@voorbeeld.be"

staff_on = override_settings(LOKET_STAFF_GOVERNMENT_LOGIN=True)


@pytest.fixture
def officer(db):
    return UserFactory(
        username="an", email="An.Officer@Voorbeeld.be", is_staff=True, is_superuser=True
    )


@pytest.fixture
def verified(provider):
    provider.claims.update(email=EMAIL, email_verified=True)
    return provider


def staff_sign_in(client, url=STAFF_START):
    callback = base.provider_answer(base.to_provider(client, url))
    return client.get(callback)


def test_off_by_default_nothing_is_offered_or_reachable(client, login, officer):
    assert client.get(STAFF_START).status_code == 404
    assert b"data-staff-government-login" not in client.get(ADMIN_LOGIN).content


@staff_on
def test_the_admin_sign_in_page_offers_it_when_on(client, login):
    page = client.get(ADMIN_LOGIN + "?next=/admin/pages/").content.decode()
    assert "data-staff-government-login" in page
    assert "Aanmelden met de aanmelddienst van de overheid (itsme, eID, ...)" in page
    assert f"{STAFF_START}?next=%2Fadmin%2Fpages%2F" in page


@staff_on
def test_the_verified_address_signs_in_its_account(client, login, verified, officer):
    response = staff_sign_in(client, STAFF_START + "?next=/admin/pages/")
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    # The admin session, not an applicant's identity.
    assert identity.current_identity(response.wsgi_request) is None
    assert int(client.session["_auth_user_id"]) == officer.pk


@staff_on
@override_settings(LOKET_ADMIN_2FA_REQUIRED=True)
def test_the_provider_did_the_second_step(client, login, verified, officer):
    staff_sign_in(client)
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200  # not sent to set up or type Loket's own code
    # A password sign-in of the same account is still asked for the code.
    client.logout()
    client.force_login(officer)
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


@staff_on
@pytest.mark.parametrize(
    "claims",
    [
        {"email_verified": False},  # an address the provider did not verify
        {"email": "someone.else@voorbeeld.be"},  # no account with that address
        {"acr": "https://data.vlaanderen.be/id/concept/burgerprofiel/assurance/low"},
    ],
)
def test_anything_else_signs_nobody_in(client, login, verified, officer, claims):
    verified.claims.update(claims)
    response = staff_sign_in(client)
    assert response.status_code == 302 and response["Location"] == ADMIN_LOGIN
    assert "_auth_user_id" not in client.session
    page = client.get(ADMIN_LOGIN).content.decode()
    assert "U kunt zich niet als medewerker aanmelden met de aanmelddienst van de overheid" in page


@staff_on
def test_an_account_without_admin_access_is_refused(client, login, verified, officer):
    officer.is_superuser = officer.is_staff = False
    officer.save()
    response = staff_sign_in(client)
    assert response["Location"] == ADMIN_LOGIN
    assert "_auth_user_id" not in client.session


@staff_on
def test_two_accounts_with_the_address_are_refused(client, login, verified, officer):
    UserFactory(username="an2", email=EMAIL, is_superuser=True, is_staff=True)
    staff_sign_in(client)
    assert "_auth_user_id" not in client.session


@staff_on
@override_settings(LOKET_STAFF_GOVERNMENT_LOGIN_MINIMUM="high")
def test_the_minimum_level_is_a_setting(client, login, verified, officer):
    staff_sign_in(client)  # substantial is below high
    assert "_auth_user_id" not in client.session


def test_a_staff_sign_in_started_while_on_is_not_finished_once_off(
    client, login, verified, officer
):
    with staff_on:
        callback = base.provider_answer(base.to_provider(client, STAFF_START))
    assert client.get(callback).status_code == 404
    assert "_auth_user_id" not in client.session
