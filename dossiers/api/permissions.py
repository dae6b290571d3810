"""Scopes: each view names the scope a call needs per HTTP method."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions


class HasScope(permissions.BasePermission):
    """A call needs a valid client token, and the scope the view names for its method
    in ``required_scopes`` (``{"GET": "dossiers:read", "POST": "dossiers:transition"}``).
    A method the view does not name needs no scope beyond a token (OPTIONS, HEAD take
    GET's)."""

    message = _("This token may not do this.")

    def has_permission(self, request, view):
        client = request.auth
        if client is None:
            raise exceptions.NotAuthenticated(_("Send a token: Authorization: Bearer <token>."))
        scopes = getattr(view, "required_scopes", {})
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        needed = scopes.get(method)
        if needed and not client.has_scope(needed):
            raise exceptions.PermissionDenied(
                _("This token has no scope %(scope)s.") % {"scope": needed}
            )
        return True
