"""Client applications of the REST API (dossiers.api): their tokens and the log of
their calls."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.tokens import hash_token

#: What every token starts with, so that a leaked one is recognised in logs and scanners.
TOKEN_PREFIX = "loket_"


class ApiScope(models.TextChoices):
    """What a client application may read or do. A call needs the scope of its
    resource and action (dossiers.api.permissions)."""

    FORMS_READ = "forms:read", _("Read forms and their versions")
    DOSSIERS_READ = "dossiers:read", _("Read dossiers, their answers, files and events")
    DOSSIERS_TRANSITION = "dossiers:transition", _("Change the status of dossiers")
    MESSAGES_READ = "messages:read", _("Read messages")
    PAYMENTS_READ = "payments:read", _("Read payment requests")
    APPOINTMENTS_READ = "appointments:read", _("Read appointments")


class ApiClient(models.Model):
    """One client application (a case-management system, a data warehouse) with its
    token. The database keeps only the token's SHA-256 (core.tokens): the token is
    shown once, when the administrator creates the client."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    #: The municipality (Wagtail Site) the client sees; dossiers of forms under the
    #: site's root page only.
    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name=_("municipality (site)"), on_delete=models.CASCADE
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    #: Whether sensitive answers (national register numbers) are sent in full.
    reveal_sensitive = models.BooleanField(_("sees sensitive answers in full"), default=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to revoke the token at once.")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    #: The first characters of the token, to tell tokens apart in the admin.
    token_hint = models.CharField(_("token starts with"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def new_token(self) -> str:
        """Give the client a new token and return it (the only moment it is known)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.token_hint = token[: len(TOKEN_PREFIX) + 4]
        return token

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class ApiCall(models.Model):
    """One call to the API: who, what, when and the answer's status."""

    client = models.ForeignKey(
        ApiClient,
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    status = models.PositiveSmallIntegerField(_("status"))
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.method} {self.path} {self.status}"
