"""Mijn loket: signing in with the government's login (OpenID Connect).

Against the local provider of tests/oidc_provider.py (a real HTTP server on loopback):
the browser is the Django test client for Loket and ``requests`` for the provider, so
every redirect is followed the way a browser would.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.exceptions import ValidationError
from django.urls import reverse
from joserfc.jwk import RSAKey
from wagtail.models import Site

from dossiers.models import GovernmentLoginSettings
from dossiers.portal import identity, oidc
from tests import oidc_provider
from tests.factories import DossierFactory

START_URL = "/mijn-loket/aanmelden/overheid/"
SIGN_IN_URL = "/mijn-loket/aanmelden/"
OVERVIEW_URL = "/mijn-loket/"
SIGN_OUT_URL = "/mijn-loket/afmelden/"
KBO = "0403019261"


@pytest.fixture(scope="module")
def provider():
    server = oidc_provider.FakeProvider()
    yield server
    server.stop()


@pytest.fixture
def login(db, provider, monkeypatch):
    """The default site offers the government login of the local provider."""
    provider.reset()
    monkeypatch.setenv("LOKET_TEST_OIDC_SECRET", oidc_provider.CLIENT_SECRET)
    config = GovernmentLoginSettings.for_site(Site.objects.get(is_default_site=True))
    config.enabled = True
    config.discovery_url = provider.discovery_url
    config.client_id = oidc_provider.CLIENT_ID
    config.client_secret_env = "LOKET_TEST_OIDC_SECRET"
    config.full_clean()
    config.save()
    return config


def to_provider(client, url=START_URL):
    """Start signing in; returns the provider's authorisation URL."""
    response = client.get(url)
    assert response.status_code == 302, response.content
    return response["Location"]


def provider_answer(authorize_url: str) -> str:
    """What the provider sends the browser back to (path and query on Loket)."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/mijn-loket/aanmelden/overheid/terug/"
    return f"{location.path}?{location.query}"


def sign_in(client, url=START_URL):
    callback = provider_answer(to_provider(client, url))
    return client.get(callback), callback


def test_the_sign_in_page_offers_the_login_only_when_configured(client, login, monkeypatch):
    sign_in_page = client.get(SIGN_IN_URL).content.decode()
    assert START_URL in sign_in_page
    assert "Aanmelden met de aanmelddienst van de overheid (itsme, eID, ...)" in sign_in_page
    monkeypatch.delenv("LOKET_TEST_OIDC_SECRET")  # no secret in the environment
    assert START_URL.encode() not in client.get(SIGN_IN_URL).content
    page = client.get(START_URL)
    assert page.status_code == 503
    assert b"data-oidc-problem" in page.content


def test_the_secret_is_never_in_the_database(login):
    assert GovernmentLoginSettings._meta.get_field("client_secret_env")
    field_names = {f.name for f in GovernmentLoginSettings._meta.get_fields()}
    assert "client_secret" not in field_names
    login.client_secret_env = "NOT A NAME"
    with pytest.raises(ValidationError):
        login.full_clean()


def test_authorisation_request_has_state_nonce_and_pkce(client, login):
    query = parse_qs(urlsplit(to_provider(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["scope"][0].split() == ["openid", "profile", "vo"]
    assert query["redirect_uri"] == ["http://testserver/mijn-loket/aanmelden/overheid/terug/"]


def test_happy_path_signs_in_with_what_the_provider_proved(client, login):
    response, _callback = sign_in(client, f"{START_URL}?next=/mijn-loket/%3Fx%3D1")
    assert response.status_code == 302 and response["Location"] == "/mijn-loket/?x=1"
    signed_in = identity.current_identity(response.wsgi_request)
    assert signed_in.method == "oidc-vlaanderen"
    assert signed_in.name == "An Peeters"
    assert signed_in.national_id == "85073003328"
    assert signed_in.enterprise_number == KBO
    assert signed_in.extra["acr"].endswith("/substantial")
    assert signed_in.email == ""  # the provider gave no verified address
    page = client.get(OVERVIEW_URL)
    assert page.status_code == 200
    assert "U bent aangemeld als <strong>An Peeters</strong>." in page.content.decode()
    assert f"U ziet ook de aanvragen van onderneming {KBO}." in page.content.decode()


def test_enterprise_dossiers_are_shown_and_only_those(client, login):
    ours = DossierFactory(applicant_email="someone@else.be", vouched_enterprise=KBO)
    other = DossierFactory(applicant_email="someone@else.be", vouched_enterprise="0202239951")
    blank = DossierFactory(applicant_email="", enterprise_number="", email_verified_at=None)
    # Typed in a form (anyone can type it): never access.
    typed = DossierFactory(applicant_email="someone@else.be", enterprise_number=KBO)
    sign_in(client)
    html = client.get(OVERVIEW_URL).content.decode()
    assert ours.reference in html
    assert other.reference not in html
    assert blank.reference not in html
    assert typed.reference not in html


def test_a_verified_email_also_shows_that_address_dossiers(client, login, provider):
    provider.claims.update(email="An@CafeDeMarkt.be", email_verified=True, vo_orgcode="")
    mine = DossierFactory(applicant_email="an@cafedemarkt.be", enterprise_number="")
    sign_in(client)
    html = client.get(OVERVIEW_URL).content.decode()
    assert mine.reference in html


def test_an_unverified_email_or_a_bad_kbo_number_gives_no_access(client, login, provider):
    provider.claims.update(email="an@cafedemarkt.be", email_verified=False, vo_orgcode="12345")
    theirs = DossierFactory(applicant_email="an@cafedemarkt.be", enterprise_number="12345")
    response, _ = sign_in(client)
    signed_in = identity.current_identity(response.wsgi_request)
    assert signed_in.email == "" and signed_in.enterprise_number == ""
    assert theirs.reference not in client.get(OVERVIEW_URL).content.decode()


def test_wrong_state_shows_a_fresh_sign_in_button(client, login):
    callback = provider_answer(to_provider(client))
    tampered = callback.replace("state=", "state=x")
    page = client.get(tampered)
    assert page.status_code == 400
    assert b'data-oidc-problem="expired"' in page.content
    assert "Deze aanmelding is niet meer geldig." in page.content.decode()
    assert START_URL.encode() in page.content
    assert identity.current_identity(page.wsgi_request) is None


def test_refresh_and_back_after_signing_in_go_on_to_mijn_loket(client, login, provider):
    response, callback = sign_in(client)
    assert response.status_code == 302
    again = client.get(callback)  # refresh: the same state and code again
    assert again.status_code == 302 and again["Location"] == OVERVIEW_URL
    assert provider.token_requests == 1  # the used code was not sent again


def test_replayed_code_is_refused_by_a_clear_page(client, login, provider):
    callback = provider_answer(to_provider(client))
    code = parse_qs(urlsplit(callback).query)["code"][0]
    assert client.get(callback).status_code == 302  # signed in with the code
    client.post(SIGN_OUT_URL)
    # A new attempt in this browser, but the old (used) code comes back with its state.
    state = parse_qs(urlsplit(to_provider(client)).query)["state"][0]
    replay = client.get(f"/mijn-loket/aanmelden/overheid/terug/?code={code}&state={state}")
    assert replay.status_code == 400
    assert b'data-oidc-problem="failed"' in replay.content
    assert START_URL.encode() in replay.content
    assert identity.current_identity(replay.wsgi_request) is None


def test_wrong_nonce_is_refused(client, login, provider):
    provider.id_token_overrides = {"nonce": "not-the-nonce"}
    page, _ = sign_in(client)
    assert page.status_code == 400 and b'data-oidc-problem="failed"' in page.content
    assert identity.current_identity(page.wsgi_request) is None


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
        {"aud": "another-client"},
        {"iss": "https://evil.example"},
    ],
    ids=["expired", "audience", "issuer"],
)
def test_tokens_with_wrong_claims_are_refused(client, login, provider, overrides):
    provider.id_token_overrides = overrides
    page, _ = sign_in(client)
    assert page.status_code == 400 and b'data-oidc-problem="failed"' in page.content
    assert identity.current_identity(page.wsgi_request) is None


def test_invalid_signature_is_refused(client, login, provider):
    provider.sign_with = provider.other_key
    page, _ = sign_in(client)
    assert page.status_code == 400 and b'data-oidc-problem="failed"' in page.content
    assert identity.current_identity(page.wsgi_request) is None


def test_cancelled_at_the_provider(client, login):
    authorize = urlsplit(to_provider(client))
    state = parse_qs(authorize.query)["state"][0]
    page = client.get(f"/mijn-loket/aanmelden/overheid/terug/?error=access_denied&state={state}")
    assert page.status_code == 200 and b'data-oidc-problem="cancelled"' in page.content
    assert START_URL.encode() in page.content


def test_logout_ends_the_provider_session_too(client, login, provider):
    sign_in(client)
    response = client.post(SIGN_OUT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{provider.issuer}/logout?")
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert back.headers["Location"] == "http://testserver/mijn-loket/aanmelden/"
    logout = provider.logouts[-1]
    assert logout["id_token_hint"].count(".") == 2
    assert logout["client_id"] == oidc_provider.CLIENT_ID
    assert client.get(OVERVIEW_URL).status_code == 302  # signed out here too
    assert oidc.LOGOUT_KEY not in client.session


def test_email_link_sign_out_stays_local(client, login, provider):
    request_session = client.session
    request_session[identity.SESSION_KEY] = {
        "identity": {"method": "email_link", "email": "an@cafedemarkt.be"},
        "signed_in_at": time.time(),
        "last_seen": time.time(),
    }
    request_session.save()
    response = client.post(SIGN_OUT_URL)
    assert response["Location"] == SIGN_IN_URL
    assert provider.logouts == []


def test_enterprise_number_normalisation():
    assert oidc.enterprise_number("BE 0403.019.261") == KBO
    assert oidc.enterprise_number("0403019261") == KBO
    assert oidc.enterprise_number("0403019262") == ""
    assert oidc.enterprise_number(None) == ""
    assert oidc.enterprise_number({"x": 1}) == ""


def test_rotated_keys_are_fetched_again(client, login, provider):
    sign_in(client)  # the provider's keys are now in the cache
    client.post(SIGN_OUT_URL)
    provider.key = RSAKey.generate_key(2048, parameters={"kid": "key-2", "use": "sig"})
    response, _ = sign_in(client)
    assert response.status_code == 302
    assert identity.current_identity(response.wsgi_request).method == "oidc-vlaanderen"


def test_a_provider_that_cannot_be_reached_shows_a_plain_page(client, login):
    login.discovery_url = "http://127.0.0.1:9/.well-known/openid-configuration"
    login.save()
    page = client.get(START_URL)
    assert page.status_code == 503
    assert "De aanmelddienst van de overheid is nu niet bereikbaar." in page.content.decode()


def test_the_overview_query_count_does_not_grow(client, login, django_assert_max_num_queries):
    sign_in(client)
    DossierFactory.create_batch(2, applicant_email="x@y.be", vouched_enterprise=KBO)
    with django_assert_max_num_queries(30) as few:
        client.get(OVERVIEW_URL)
    DossierFactory.create_batch(8, applicant_email="x@y.be", vouched_enterprise=KBO)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(OVERVIEW_URL)
    assert page.content.decode().count("TER-2026-") >= 10


class TestSettingsScreen:
    def url(self):
        site = Site.objects.get(is_default_site=True)
        return reverse(
            "wagtailsettings:edit", args=["dossiers", "governmentloginsettings", site.pk]
        )

    def test_the_screen_opens(self, admin_client):
        assert admin_client.get(self.url()).status_code == 200

    def test_switching_on_needs_the_details(self, admin_client):
        response = admin_client.post(
            self.url(),
            {"enabled": "on", "scopes": "openid profile vo", "enterprise_claim": "vo_orgcode"},
        )
        assert response.status_code == 200
        assert "Vul dit in om de aanmelddienst van de overheid aan te bieden." in (
            response.content.decode()
        )
        assert not GovernmentLoginSettings.objects.filter(enabled=True).exists()

    def test_a_secret_instead_of_a_variable_name_is_refused(self, admin_client, provider):
        response = admin_client.post(
            self.url(),
            {
                "enabled": "on",
                "discovery_url": provider.discovery_url,
                "client_id": "loket",
                "client_secret_env": "s3cret with spaces!",
                "scopes": "openid profile vo",
                "enterprise_claim": "vo_orgcode",
            },
        )
        assert "Gebruik alleen letters, cijfers en liggende streepjes" in (
            response.content.decode()
        )
        assert not GovernmentLoginSettings.objects.filter(enabled=True).exists()


def test_an_attempt_older_than_fifteen_minutes_has_expired(client, login, monkeypatch):
    callback = provider_answer(to_provider(client))
    later = time.time() + oidc.PENDING_MINUTES * 60 + 1
    monkeypatch.setattr(oidc.time, "time", lambda: later)
    page = client.get(callback)
    assert page.status_code == 400 and b'data-oidc-problem="expired"' in page.content
    assert identity.current_identity(page.wsgi_request) is None


def test_two_tabs_do_not_spoil_each_other(client, login):
    first = provider_answer(to_provider(client))
    second = provider_answer(to_provider(client))
    assert client.get(first).status_code == 302  # the first tab signs in
    assert client.get(second)["Location"] == OVERVIEW_URL  # the second one too
