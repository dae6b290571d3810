"""Signing in to Mijn loket with the Flemish government's login (ACM/IDM, OpenID Connect).

The only module that talks OpenID Connect. authlib builds the authorisation request
(with ``state``, ``nonce`` and PKCE S256) and exchanges the code; joserfc (authlib's
JOSE library) checks the ID token: signature against the provider's published keys,
issuer, audience, expiry, issued-at and nonce. The result is an
:class:`~dossiers.portal.identity.ApplicantIdentity` holding only what the provider
vouched for; :mod:`dossiers.portal.views` signs it in.

The configuration is a site setting (:class:`dossiers.models.GovernmentLoginSettings`);
Loket proves who it is to the token endpoint with a client secret or with a private key
(``private_key_jwt``, RFC 7523: a short-lived assertion signed with joserfc, see
:class:`PrivateKeyAssertion`); either comes from the environment variable the setting
names. A site can demand a minimum level of assurance: the ID token's ``acr`` is read
by :func:`assurance_of`, and a sign-in below the minimum is refused ("too_low"). The provider's
discovery document and keys are cached for an hour; an ID token signed with a key the
cache does not know makes one fresh fetch of the keys (the provider rotated them).

This module is longer than 400 lines because it is the one place that speaks OpenID
Connect (metadata, Loket's own credential, the flow, the ID token, logout); split off
the client credential first if it grows further.

Pending sign-ins live in the session, by ``state``: each works once and for
:data:`PENDING_MINUTES`, and a browser keeps at most :data:`MAX_PENDING` (two tabs,
or back and "sign in" again, do not spoil each other).
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_qs
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, RSAKey
from stdnum.be import vat as enterprise_numbers
from stdnum.exceptions import ValidationError as NumberError

from dossiers.models import GovernmentLoginSettings
from dossiers.models.portal import ASSURANCE_WORDS, Assurance
from dossiers.portal.identity import ApplicantIdentity, SignInMethod, register

logger = logging.getLogger(__name__)

#: The method id stored in the identity.
METHOD_ID = "oidc-vlaanderen"
#: Session keys: sign-ins under way (by state), and what logging out at the provider needs.
PENDING_KEY = "loket-oidc-pending"
LOGOUT_KEY = "loket-oidc-logout"
PENDING_MINUTES = 15
MAX_PENDING = 5
#: Seconds the provider's metadata and keys are cached; seconds of clock skew allowed.
CACHE_SECONDS = 3600
LEEWAY_SECONDS = 60
TIMEOUT_SECONDS = 10
#: Signature algorithms accepted for ID tokens (never "none", never HMAC with the secret).
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]
#: RFC 7523's client assertion type, and how long an assertion is valid (seconds).
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_SECONDS = 60


class SignInFailed(Exception):
    """The sign-in cannot be completed. ``reason`` says which page the applicant sees:
    "expired" (unknown or used state), "cancelled" (the provider returned an error),
    "failed" (code exchange or ID token refused), "unavailable" (provider unreachable or
    Loket's own key unusable), "too_low" (a level of assurance below the site's minimum)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def settings_for(request: HttpRequest) -> GovernmentLoginSettings:
    return GovernmentLoginSettings.for_request(request)


def is_ready(request: HttpRequest | None) -> bool:
    if request is None:
        return False
    try:
        return settings_for(request).is_ready
    except Exception:  # no Site for this host
        return False


# --- provider metadata --------------------------------------------------------------------


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SignInFailed("unavailable", f"{url}: {exc}") from exc
    if not isinstance(data, dict):
        raise SignInFailed("unavailable", f"{url}: not a JSON object")
    return data


def metadata(config: GovernmentLoginSettings) -> dict:
    """The provider's discovery document (cached)."""
    key = f"oidc-metadata:{config.discovery_url}"
    data = cache.get(key)
    if data is None:
        data = _get_json(config.discovery_url)
        for needed in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not data.get(needed):
                raise SignInFailed("unavailable", f"discovery document without {needed}")
        cache.set(key, data, CACHE_SECONDS)
    return data


def _key_set(meta: dict, *, fresh: bool = False) -> KeySet:
    key = f"oidc-jwks:{meta['jwks_uri']}"
    data = None if fresh else cache.get(key)
    if data is None:
        data = _get_json(meta["jwks_uri"])
        cache.set(key, data, CACHE_SECONDS)
    try:
        return KeySet.import_key_set(data)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise SignInFailed("unavailable", f"unusable JWKS: {exc}") from exc


# --- Loket's own credential -------------------------------------------------------------


def private_key(config: GovernmentLoginSettings) -> RSAKey | ECKey:
    """Loket's private key from the environment variable the setting names: the key itself
    (PEM or a JWK as JSON) or the path of a file holding it. Raises SignInFailed
    ("unavailable") without quoting the variable's content."""
    value = os.environ.get(config.private_key_env, "").strip() if config.private_key_env else ""
    if not value:
        raise SignInFailed("unavailable", f"private key: {config.private_key_env} is not set")
    if not value.startswith(("-----BEGIN", "{")):
        try:
            value = Path(value).read_text().strip()
        except OSError as exc:
            raise SignInFailed("unavailable", f"private key file: {exc.strerror}") from exc
    try:
        data = json.loads(value) if value.startswith("{") else value
    except ValueError as exc:
        raise SignInFailed("unavailable", "private key: a JWK that is not valid JSON") from exc
    for key_type in (RSAKey, ECKey):
        try:
            key = key_type.import_key(data)
        except (JoseError, ValueError, TypeError, KeyError):
            continue
        if key.is_private:
            return key
    raise SignInFailed("unavailable", "private key: not an RSA or EC private key")


class PrivateKeyAssertion:
    """authlib client authentication ``private_key_jwt`` (RFC 7523, section 2.2; OpenID
    Connect Core, section 9): adds a JWT signed with Loket's private key to the token
    request. Issuer and subject are the client id, the audience is the token endpoint;
    a fresh ``jti`` and a lifetime of :data:`ASSERTION_SECONDS` keep it from being
    replayed. authlib calls it with the request it is about to send."""

    name = "private_key_jwt"

    def __init__(self, key: RSAKey | ECKey, *, kid: str = ""):
        self.key = key
        self.kid = kid
        self.alg = "RS256" if isinstance(key, RSAKey) else _ec_algorithm(key)

    def assertion(self, client_id: str, audience: str) -> str:
        now = int(time.time())
        header = {"alg": self.alg, "typ": "JWT"}
        if self.kid:
            header["kid"] = self.kid
        claims = {
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "jti": generate_token(32),
            "iat": now,
            "exp": now + ASSERTION_SECONDS,
        }
        return jwt.encode(header, claims, self.key, algorithms=[self.alg])

    def __call__(self, auth, method, uri, headers, body):
        body = add_params_to_qs(
            body or "",
            [
                ("client_id", auth.client_id),
                ("client_assertion_type", ASSERTION_TYPE),
                ("client_assertion", self.assertion(auth.client_id, uri)),
            ],
        )
        return uri, headers, body


def _ec_algorithm(key: ECKey) -> str:
    curve = key.as_dict(private=False).get("crv")
    algorithms = {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}
    if curve not in algorithms:
        raise SignInFailed("unavailable", f"private key: unsupported curve {curve}")
    return algorithms[curve]


def _client(config: GovernmentLoginSettings, redirect_uri: str) -> OAuth2Session:
    if config.uses_private_key:
        secret = None
        method = PrivateKeyAssertion(private_key(config), kid=config.private_key_id)
    else:
        secret, method = config.client_secret, "client_secret_basic"
    return OAuth2Session(
        client_id=config.client_id,
        client_secret=secret,
        scope=" ".join(config.scope_list),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method=method,
    )


def callback_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("portal:oidc_callback"))


# --- starting ---------------------------------------------------------------------------


def authorization_url(request: HttpRequest, next_url: str, *, purpose: str = "") -> str:
    """Remember a new pending sign-in in the session and return the provider's URL.
    ``purpose`` "staff" makes the callback sign in a staff account
    (:mod:`dossiers.portal.staff_login`) instead of an applicant."""
    config = settings_for(request)
    meta = metadata(config)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    now = time.time()
    pending = {
        s: entry
        for s, entry in (request.session.get(PENDING_KEY) or {}).items()
        if now - entry.get("at", 0) < PENDING_MINUTES * 60
    }
    pending[state] = {
        "nonce": nonce,
        "verifier": verifier,
        "next": next_url,
        "at": now,
        "purpose": purpose,
    }
    newest = sorted(pending.items(), key=lambda item: item[1]["at"])[-MAX_PENDING:]
    request.session[PENDING_KEY] = dict(newest)
    with _client(config, callback_uri(request)) as client:
        url, _state = client.create_authorization_url(
            meta["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
        )
    return url


# --- the callback -----------------------------------------------------------------------


@dataclass
class Result:
    identity: ApplicantIdentity
    next_url: str


def take_pending(request: HttpRequest, state: str) -> dict | None:
    """The pending sign-in of ``state``, removed from the session (it works once)."""
    pending = dict(request.session.get(PENDING_KEY) or {})
    entry = pending.pop(state, None) if state else None
    if entry is not None:
        request.session[PENDING_KEY] = pending
        if time.time() - entry.get("at", 0) >= PENDING_MINUTES * 60:
            return None
    return entry


def complete(request: HttpRequest, entry: dict) -> Result:
    """Exchange the code of this callback and check its ID token; raises SignInFailed."""
    if request.GET.get("error"):
        raise SignInFailed("cancelled", request.GET.get("error", "")[:100])
    code = request.GET.get("code", "")
    if not code:
        raise SignInFailed("failed", "no code")
    config = settings_for(request)
    meta = metadata(config)
    try:
        with _client(config, callback_uri(request)) as client:
            token = client.fetch_token(
                meta["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=entry["verifier"],
                timeout=TIMEOUT_SECONDS,
            )
    except OAuthError as exc:
        raise SignInFailed("failed", f"token endpoint: {exc.error}") from exc
    except (requests.RequestException, ValueError) as exc:
        raise SignInFailed("unavailable", f"token endpoint: {exc}") from exc
    id_token = token.get("id_token")
    if not id_token:
        raise SignInFailed("failed", "no id_token")
    claims = validate_id_token(config, meta, id_token, nonce=entry["nonce"])
    level = assurance_of(config, claims.get("acr"))
    if level < config.minimum_assurance:
        raise SignInFailed(
            "too_low", f"acr {str(claims.get('acr'))[:100]!r} below {config.minimum_assurance}"
        )
    request.session[LOGOUT_KEY] = {
        "id_token": id_token,
        "end_session_endpoint": meta.get("end_session_endpoint", ""),
        "client_id": config.client_id,
    }
    return Result(identity=identity_from_claims(config, claims), next_url=entry.get("next", ""))


def validate_id_token(config: GovernmentLoginSettings, meta: dict, id_token: str, *, nonce: str):
    """The ID token's claims once its signature, issuer, audience, expiry and nonce are
    right; raises SignInFailed("failed") otherwise."""
    try:
        decoded = _decode(meta, id_token)
    except JoseError:
        try:  # the provider may have rotated its keys since they were cached
            decoded = _decode(meta, id_token, fresh=True)
        except JoseError as exc:
            raise SignInFailed("failed", f"ID token signature: {exc}") from exc
    claims = decoded.claims
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": meta["issuer"]},
        aud={"essential": True, "value": config.client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise SignInFailed("failed", f"ID token claims: {exc}") from exc
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != config.client_id:
        raise SignInFailed("failed", "ID token for several audiences without our azp")
    return claims


def _decode(meta: dict, id_token: str, *, fresh: bool = False):
    try:
        return jwt.decode(id_token, _key_set(meta, fresh=fresh), algorithms=ALGORITHMS)
    except (ValueError, TypeError) as exc:  # not a JWT at all
        raise JoseError(str(exc)) from exc


def assurance_of(config: GovernmentLoginSettings, acr) -> int:
    """The level of assurance (:class:`~dossiers.models.portal.Assurance`) of an ``acr``
    claim: first the operator's own values, then any value whose last part (after ``/``,
    ``:`` or ``#``) is low, substantial or high, as the eIDAS and the Flemish URIs are.
    Anything else, or no ``acr`` at all, is level 0 and passes no minimum."""
    if not isinstance(acr, str) or not acr.strip():
        return Assurance.NONE
    acr = acr.strip()
    own = config.assurance_map
    if acr in own:
        return own[acr]
    last = acr.replace("#", "/").replace(":", "/").rstrip("/").rsplit("/", 1)[-1]
    return int(ASSURANCE_WORDS.get(last.lower(), Assurance.NONE))


def enterprise_number(value) -> str:
    """A KBO number as 10 digits (the way enterprise number answers are stored), or ""."""
    if not isinstance(value, str | int) or not str(value).strip():
        return ""
    text = str(value).strip()
    if text.upper().startswith("BE"):
        text = text[2:]
    try:
        return enterprise_numbers.compact(enterprise_numbers.validate(text))
    except NumberError:
        return ""


def identity_from_claims(config: GovernmentLoginSettings, claims: dict) -> ApplicantIdentity:
    """The applicant as the provider vouched for them. The e-mail address counts only
    when the provider says it verified it; the enterprise only as a valid KBO number."""
    email = claims.get("email") if claims.get("email_verified") is True else ""
    name = " ".join(
        str(claims.get(part, "")).strip() for part in ("given_name", "family_name")
    ).strip()
    return ApplicantIdentity(
        method=METHOD_ID,
        email=email if isinstance(email, str) else "",
        enterprise_number=enterprise_number(claims.get(config.enterprise_claim)),
        national_id=str(claims.get("rrn") or ""),
        name=name or str(claims.get("name") or ""),
        extra={
            "acr": str(claims.get("acr") or ""),
            "assurance": assurance_of(config, claims.get("acr")),
            "issuer": str(claims.get("iss") or ""),
            "subject": str(claims.get("sub") or ""),
        },
    )


# --- logging out ------------------------------------------------------------------------


def logout_url(request: HttpRequest, logout: dict | None, post_logout_uri: str) -> str:
    """The provider's end-session URL for this sign-in, or "" when it offers none."""
    if not logout or not logout.get("end_session_endpoint"):
        return ""
    query = urlencode(
        {
            "id_token_hint": logout.get("id_token", ""),
            "client_id": logout.get("client_id", ""),
            "post_logout_redirect_uri": post_logout_uri,
        }
    )
    endpoint = logout["end_session_endpoint"]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def logout_origin(logout: dict | None) -> str:
    """The origin of the provider's end-session endpoint, or "". The sign-out form posts
    to Loket, which redirects there: a page's CSP ``form-action`` also governs that
    redirect, so the page with the form must allow this origin."""
    endpoint = urlsplit((logout or {}).get("end_session_endpoint") or "")
    if endpoint.scheme not in ("http", "https") or not endpoint.netloc:
        return ""
    return f"{endpoint.scheme}://{endpoint.netloc}"


@register
class GovernmentLoginMethod(SignInMethod):
    """The Flemish government's login (eID, itsme and the other means it brokers)."""

    method_id = METHOD_ID
    label = _("Sign in with the government's login (itsme, eID, ...)")

    def start_url(self, next_url: str = "") -> str:
        url = reverse("portal:oidc_start")
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url

    def is_available(self, request: HttpRequest | None = None) -> bool:
        return is_ready(request)
