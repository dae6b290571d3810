"""Government sign-in: Loket proving itself with a private key (``private_key_jwt``,
RFC 7523) instead of a client secret, and a site's minimum level of assurance.

Against the local provider of tests/oidc_provider.py, which checks the client assertion
with the public key registered for the client.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.core.exceptions import ValidationError
from joserfc.jwk import ECKey, KeySet, RSAKey

from dossiers.models.portal import Assurance
from dossiers.portal import identity, oidc
from tests import oidc_provider
from tests.dossiers import test_portal_oidc as base

OVERVIEW_URL, SIGN_IN_URL, START_URL = base.OVERVIEW_URL, base.SIGN_IN_URL, base.START_URL
sign_in = base.sign_in
#: The local provider and the site configured for it, as in test_portal_oidc.py.
provider, login = base.provider, base.login

RSA_KEY = RSAKey.generate_key(2048, private=True)
EC_KEY = ECKey.generate_key("P-256", private=True)


KID = "loket-2026"


def pem(key) -> str:
    return key.as_pem(private=True).decode()


def registered(key) -> KeySet:
    """What the operator registered with the provider: the public half, under KID."""
    return KeySet([type(key).import_key({**key.as_dict(private=False), "kid": KID})])


@pytest.fixture
def key_login(login, provider, monkeypatch):
    """The site signs in to the provider with RSA_KEY (PEM in LOKET_TEST_OIDC_KEY); the
    provider knows only its public half, and there is no client secret at all."""
    monkeypatch.delenv("LOKET_TEST_OIDC_SECRET")
    monkeypatch.setenv("LOKET_TEST_OIDC_KEY", pem(RSA_KEY))
    provider.client_auth = "private_key_jwt"
    provider.client_keys = registered(RSA_KEY)
    login.client_authentication = "private_key_jwt"
    login.client_secret_env = ""
    login.private_key_env = "LOKET_TEST_OIDC_KEY"
    login.private_key_id = KID
    login.full_clean()
    login.save()
    return login


def test_signs_in_with_a_private_key_assertion(client, key_login, provider):
    assert SIGN_IN_URL and START_URL.encode() in client.get(SIGN_IN_URL).content
    response, _callback = sign_in(client)
    assert response.status_code == 302 and response["Location"] == OVERVIEW_URL
    assert identity.current_identity(response.wsgi_request).name == "An Peeters"
    [assertion] = provider.assertions
    assert assertion["header"] == {"alg": "RS256", "typ": "JWT", "kid": KID}
    claims = assertion["claims"]
    assert claims["iss"] == claims["sub"] == oidc_provider.CLIENT_ID
    assert claims["aud"] == f"{provider.issuer}/token"
    assert claims["exp"] - claims["iat"] == oidc.ASSERTION_SECONDS


def test_each_token_request_gets_a_fresh_assertion(client, key_login, provider):
    sign_in(client)
    client.get("/mijn-loket/afmelden/")
    response, _callback = sign_in(client)
    assert response.status_code == 302 and response["Location"] == OVERVIEW_URL
    first, second = provider.assertions
    assert first["claims"]["jti"] != second["claims"]["jti"]


def test_an_ec_key_from_a_file_signs_with_es256(client, key_login, provider, tmp_path, monkeypatch):
    key_file = tmp_path / "loket-oidc.pem"
    key_file.write_text(pem(EC_KEY))
    monkeypatch.setenv("LOKET_TEST_OIDC_KEY", str(key_file))
    provider.client_keys = registered(EC_KEY)
    response, _callback = sign_in(client)
    assert response.status_code == 302 and response["Location"] == OVERVIEW_URL
    assert provider.assertions[0]["header"]["alg"] == "ES256"


def test_a_jwk_in_the_variable_works_too(client, key_login, provider, monkeypatch):
    monkeypatch.setenv("LOKET_TEST_OIDC_KEY", json.dumps(RSA_KEY.as_dict(private=True)))
    response, _callback = sign_in(client)
    assert response.status_code == 302 and response["Location"] == OVERVIEW_URL


def test_a_key_the_provider_does_not_know_is_refused(client, key_login, provider, monkeypatch):
    monkeypatch.setenv("LOKET_TEST_OIDC_KEY", pem(RSAKey.generate_key(2048, private=True)))
    response, _callback = sign_in(client)
    assert response.status_code == 400
    assert b'data-oidc-problem="failed"' in response.content
    assert identity.current_identity(response.wsgi_request) is None
    assert provider.assertions == []


def test_an_unusable_key_shows_a_plain_page_and_never_logs_the_key(
    client, key_login, monkeypatch, tmp_path, caplog
):
    monkeypatch.setenv("LOKET_TEST_OIDC_KEY", str(tmp_path / "missing.pem"))
    with caplog.at_level(logging.WARNING):
        page = client.get(START_URL)
    assert page.status_code == 503
    assert b'data-oidc-problem="unavailable"' in page.content
    monkeypatch.setenv("LOKET_TEST_OIDC_KEY", '{"kty": "RSA", ')
    assert client.get(START_URL).status_code == 503
    public_only = RSA_KEY.as_pem(private=False).decode()
    monkeypatch.setenv("LOKET_TEST_OIDC_KEY", public_only)
    with caplog.at_level(logging.WARNING):
        assert client.get(START_URL).status_code == 503
    assert "not an RSA or EC private key" in caplog.text
    assert public_only.splitlines()[1] not in caplog.text


def test_without_the_variable_the_button_is_not_offered(client, key_login, monkeypatch):
    monkeypatch.delenv("LOKET_TEST_OIDC_KEY")
    assert START_URL.encode() not in client.get(SIGN_IN_URL).content


def test_settings_ask_for_the_key_variable_when_a_key_is_chosen(key_login):
    key_login.private_key_env = ""
    with pytest.raises(ValidationError) as error:
        key_login.full_clean()
    assert "private_key_env" in error.value.message_dict
    key_login.private_key_env = "NOT A NAME"
    with pytest.raises(ValidationError):
        key_login.full_clean()


# --- the level of assurance ---------------------------------------------------------------


SUBSTANTIAL = oidc_provider.DEFAULT_CLAIMS["acr"]


@pytest.mark.parametrize(
    "acr, level",
    [
        (SUBSTANTIAL, Assurance.SUBSTANTIAL),
        ("https://data.vlaanderen.be/id/concept/burgerprofiel/assurance/low", Assurance.LOW),
        ("http://eidas.europa.eu/LoA/high", Assurance.HIGH),
        ("urn:be:vlaanderen:acm:loa:substantial", Assurance.SUBSTANTIAL),
        ("urn:be:vlaanderen:acm:loa:3", Assurance.SUBSTANTIAL),  # the site's own value
        ("urn:be:vlaanderen:acm:loa:9", Assurance.NONE),
        ("", Assurance.NONE),
        (None, Assurance.NONE),
        (42, Assurance.NONE),
    ],
)
def test_assurance_of_acr_values(login, acr, level):
    login.assurance_values = "urn:be:vlaanderen:acm:loa:3 = substantieel\n"
    assert oidc.assurance_of(login, acr) == level


def test_other_acr_values_are_checked_at_save(login):
    login.assurance_values = "urn:x:1 = high\nurn:x:2 = medium"
    with pytest.raises(ValidationError) as error:
        login.full_clean()
    assert error.value.message_dict["assurance_values"] == [
        'Regel 2: schrijf een acr-waarde, "=" en low, substantial of high.'
    ]


def test_a_sign_in_at_the_minimum_level_works(client, login):
    login.minimum_assurance = Assurance.SUBSTANTIAL
    login.save()
    response, _callback = sign_in(client)
    assert response.status_code == 302 and response["Location"] == OVERVIEW_URL
    signed_in = identity.current_identity(response.wsgi_request)
    assert signed_in.extra["assurance"] == Assurance.SUBSTANTIAL


@pytest.mark.parametrize(
    "acr", ["https://data.vlaanderen.be/id/concept/burgerprofiel/assurance/low", None]
)
def test_a_sign_in_below_the_minimum_gets_a_plain_page_and_no_session(client, login, provider, acr):
    login.minimum_assurance = Assurance.SUBSTANTIAL
    login.save()
    if acr is None:
        del provider.claims["acr"]
    else:
        provider.claims["acr"] = acr
    response, _callback = sign_in(client)
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-oidc-problem="too_low"' in page
    assert "De manier waarop u zich aanmeldde, is niet veilig genoeg" in page
    assert identity.current_identity(response.wsgi_request) is None
    assert oidc.LOGOUT_KEY not in client.session
    assert client.get(OVERVIEW_URL).status_code == 302


def test_a_high_minimum_refuses_substantial(client, login):
    login.minimum_assurance = Assurance.HIGH
    login.save()
    response, _callback = sign_in(client)
    assert response.status_code == 403


def test_the_page_with_the_sign_out_form_may_send_it_on_to_the_provider(client, login, provider):
    """The sign-out form posts to Loket, which redirects to the provider: the page's CSP
    form-action must allow the provider, or the browser stops at the redirect."""
    sign_in(client)
    policy = client.get(OVERVIEW_URL)["Content-Security-Policy"]
    [form_action] = [d for d in policy.split(";") if d.strip().startswith("form-action")]
    assert form_action.split()[1:] == ["'self'", provider.issuer]
    assert oidc.logout_origin({"end_session_endpoint": "javascript:alert(1)"}) == ""
    assert oidc.logout_origin(None) == ""
