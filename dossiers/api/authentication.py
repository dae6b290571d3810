"""A bearer token per client application (dossiers.models.ApiClient).

``Authorization: Bearer loket_...``. The token is looked up by its SHA-256
(core.tokens), so the database never holds one that works. A revoked (inactive)
client's token is refused like a wrong one, with its own message.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from core.tokens import hash_token
from dossiers.models import ApiClient

#: A client's ``last_used_at`` is written at most this often (seconds), not per call.
LAST_USED_PRECISION = 60


class ClientTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].decode(errors="replace").lower() != self.keyword.lower() or len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as: Bearer <token>."))
        token = header[1].decode(errors="replace")
        client = (
            ApiClient.objects.select_related("site__root_page")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if client is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        if not client.is_active:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        now = timezone.now()
        if (
            client.last_used_at is None
            or (now - client.last_used_at).total_seconds() > LAST_USED_PRECISION
        ):
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        request.api_client = client
        return (None, client)

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ClientTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI document describes the token (a bearer token)."""

    target_class = ClientTokenAuthentication
    name = "clientToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A client application's token."}
