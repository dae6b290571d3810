"""A tiny OpenID Connect provider for tests, shaped like the Flemish government's login.

A WSGI server in a thread on 127.0.0.1 serves discovery, JWKS, authorize (consents at
once for :attr:`FakeProvider.claims`), token (client secret or a ``private_key_jwt``
assertion checked against :attr:`FakeProvider.client_keys`, one-time codes, PKCE S256,
redirect URI checked) and end_session. ID tokens are signed with an RSA key made when
the provider starts. Knobs on the provider make it misbehave the ways a test needs:
``id_token_overrides`` (e.g. another nonce, an expired ``exp``) and ``sign_with``
(another key: a bad signature).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "loket-test"
CLIENT_SECRET = "s3cret-of-the-test-client"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

#: The claims of a person of the Flemish login: national register number, names, the
#: organisation code (the KBO number of the enterprise they act for) and the level.
DEFAULT_CLAIMS = {
    "sub": "f3a6c1b2-0000-4000-8000-000000000001",
    "rrn": "85073003328",
    "given_name": "An",
    "family_name": "Peeters",
    "vo_orgcode": "0403019261",
    "acr": "https://data.vlaanderen.be/id/concept/burgerprofiel/assurance/substantial",
}


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class FakeProvider:
    def __init__(self):
        self.first_key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig"})
        self.reset()
        self._server = make_server("127.0.0.1", 0, self.app, WSGIServer, _QuietHandler)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def reset(self):
        self.key = self.first_key
        self.claims = dict(DEFAULT_CLAIMS)
        self.id_token_overrides: dict = {}
        self.sign_with = None
        self.codes: dict[str, dict] = {}
        self.logouts: list[dict] = []
        self.token_requests = 0
        #: "client_secret_basic", or "private_key_jwt" with the client's public keys.
        self.client_auth = "client_secret_basic"
        self.client_keys: KeySet | None = None
        #: Header and claims of every client assertion accepted, and the jti values seen.
        self.assertions: list[dict] = []
        self._seen_jti: set[str] = set()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    # --- WSGI -------------------------------------------------------------------------

    def app(self, environ, start_response):
        path = environ["PATH_INFO"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
            "/logout": self.end_session,
        }
        handler = routes.get(path)
        if handler is None:
            return self._json(start_response, "404 Not Found", {"error": "not_found"})
        return handler(environ, query, start_response)

    def _json(self, start_response, status, data):
        body = json.dumps(data).encode()
        start_response(status, [("Content-Type", "application/json")])
        return [body]

    def _redirect(self, start_response, url):
        start_response("302 Found", [("Location", url)])
        return [b""]

    def discovery(self, environ, query, start_response):
        return self._json(
            start_response,
            "200 OK",
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "end_session_endpoint": f"{self.issuer}/logout",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "private_key_jwt",
                ],
                "code_challenge_methods_supported": ["S256"],
            },
        )

    def jwks(self, environ, query, start_response):
        return self._json(start_response, "200 OK", KeySet([self.key]).as_dict(private=False))

    def authorize(self, environ, query, start_response):
        assert query.get("response_type") == "code", query
        assert query.get("client_id") == CLIENT_ID, query
        assert query.get("code_challenge_method") == "S256", query
        assert "openid" in query.get("scope", "").split(), query
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce"),
            "challenge": query["code_challenge"],
            "used": False,
        }
        separator = "&" if "?" in query["redirect_uri"] else "?"
        target = urlencode({"code": code, "state": query.get("state", "")})
        return self._redirect(start_response, f"{query['redirect_uri']}{separator}{target}")

    def token(self, environ, query, start_response):
        self.token_requests += 1
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        if not self._client_authenticated(environ, form):
            return self._json(start_response, "401 Unauthorized", {"error": "invalid_client"})
        grant = self.codes.get(form.get("code", ""))
        if grant is None or grant["used"] or form.get("redirect_uri") != grant["redirect_uri"]:
            return self._json(start_response, "400 Bad Request", {"error": "invalid_grant"})
        grant["used"] = True
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if challenge != grant["challenge"]:
            return self._json(start_response, "400 Bad Request", {"error": "invalid_grant"})
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **self.claims,
            **self.id_token_overrides,
        }
        signing_key = self.sign_with or self.key
        id_token = jwt.encode({"alg": "RS256", "kid": signing_key.kid}, claims, signing_key)
        return self._json(
            start_response,
            "200 OK",
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            },
        )

    def _client_authenticated(self, environ, form) -> bool:
        if self.client_auth == "client_secret_basic":
            auth = environ.get("HTTP_AUTHORIZATION", "")
            expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            return auth == f"Basic {expected}"
        return self._assertion_valid(environ, form)

    def _assertion_valid(self, environ, form) -> bool:
        """RFC 7523, section 3: a JWT signed with a key registered for the client, issued
        by and about the client, for this token endpoint, not expired, used once."""
        if environ.get("HTTP_AUTHORIZATION") or form.get("client_secret"):
            return False
        if form.get("client_assertion_type") != ASSERTION_TYPE or self.client_keys is None:
            return False
        try:
            token = jwt.decode(
                form.get("client_assertion", ""),
                self.client_keys,
                algorithms=["RS256", "PS256", "ES256", "ES384"],
            )
        except (JoseError, ValueError):
            return False
        claims = token.claims
        now = time.time()
        checks = (
            claims.get("iss") == CLIENT_ID,
            claims.get("sub") == CLIENT_ID,
            form.get("client_id", CLIENT_ID) == CLIENT_ID,
            claims.get("aud") == f"{self.issuer}/token",
            isinstance(claims.get("exp"), int) and now < claims["exp"] <= now + 600,
            bool(claims.get("jti")) and claims.get("jti") not in self._seen_jti,
        )
        if not all(checks):
            return False
        self._seen_jti.add(claims["jti"])
        self.assertions.append({"header": token.header, "claims": claims})
        return True

    def end_session(self, environ, query, start_response):
        self.logouts.append(query)
        return self._redirect(start_response, query.get("post_logout_redirect_uri", self.issuer))
