"""Signing in to Mijn loket with the Flemish government's login (ACM/IDM, OpenID Connect).

The only module that talks OpenID Connect. authlib builds the authorisation request
(with ``state``, ``nonce`` and PKCE S256) and exchanges the code; joserfc (authlib's
JOSE library) checks the ID token: signature against the provider's published keys,
issuer, audience, expiry, issued-at and nonce. The result is an
:class:`~dossiers.portal.identity.ApplicantIdentity` holding only what the provider
vouched for; :mod:`dossiers.portal.views` signs it in.

The configuration is a site setting (:class:`dossiers.models.GovernmentLoginSettings`);
the client secret comes from the environment variable it names. The provider's
discovery document and keys are cached for an hour; an ID token signed with a key the
cache does not know makes one fresh fetch of the keys (the provider rotated them).

Pending sign-ins live in the session, by ``state``: each works once and for
:data:`PENDING_MINUTES`, and a browser keeps at most :data:`MAX_PENDING` (two tabs,
or back and "sign in" again, do not spoil each other).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from stdnum.be import vat as enterprise_numbers
from stdnum.exceptions import ValidationError as NumberError

from dossiers.models import GovernmentLoginSettings
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


class SignInFailed(Exception):
    """The sign-in cannot be completed. ``reason`` says which page the applicant sees:
    "expired" (unknown or used state), "cancelled" (the provider returned an error),
    "failed" (code exchange or ID token refused), "unavailable" (provider unreachable)."""

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


def _client(config: GovernmentLoginSettings, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=config.client_id,
        client_secret=config.client_secret,
        scope=" ".join(config.scope_list),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


def callback_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("portal:oidc_callback"))


# --- starting ---------------------------------------------------------------------------


def authorization_url(request: HttpRequest, next_url: str) -> str:
    """Remember a new pending sign-in in the session and return the provider's URL."""
    config = settings_for(request)
    meta = metadata(config)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    now = time.time()
    pending = {
        s: entry
        for s, entry in (request.session.get(PENDING_KEY) or {}).items()
        if now - entry.get("at", 0) < PENDING_MINUTES * 60
    }
    pending[state] = {"nonce": nonce, "verifier": verifier, "next": next_url, "at": now}
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
