"""One-time links of Mijn loket: signing in, and proving an application's address."""

import os

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class OneTimeLink(models.Model):
    """A link e-mailed to an address that works once and for a short time.

    Only a hash of the token is stored; the link holds the token itself. Used up with
    one conditional UPDATE of :attr:`used_at`.
    """

    email = models.EmailField(_("e-mail address"), db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        abstract = True


class SignInToken(OneTimeLink):
    """A one-time sign-in link for "Mijn loket", e-mailed to the applicant
    (see :mod:`dossiers.portal.tokens`)."""

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self):
        return f"{self.email} ({self.created_at:%Y-%m-%d %H:%M})"


class EmailConfirmation(OneTimeLink):
    """A link that proves the applicant of a dossier owns the address it went to
    (see :mod:`dossiers.portal.confirmation`).

    Sent when a dossier is submitted by someone not signed in to Mijn loket with that
    address; opening it (and pressing its button) sets ``Dossier.email_verified_at``.
    """

    dossier = models.ForeignKey(
        "Dossier", on_delete=models.CASCADE, related_name="email_confirmations"
    )

    class Meta:
        verbose_name = _("e-mail confirmation link")
        verbose_name_plural = _("e-mail confirmation links")

    def __str__(self):
        return f"{self.dossier_id} ({self.created_at:%Y-%m-%d %H:%M})"


#: The name of an environment variable: letters, digits and underscores.
_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


@register_setting(icon="key")
class GovernmentLoginSettings(BaseSiteSetting):
    """Signing in to Mijn loket with the Flemish government's login (ACM/IDM, OpenID
    Connect), per Site (docs/OPERATIONS.md, "Government sign-in"). The client secret is
    never stored here: only the name of the environment variable that holds it."""

    enabled = models.BooleanField(
        _("offer the government login"),
        default=False,
        help_text=_("Applicants can sign in to My desk with the government's login."),
    )
    discovery_url = models.URLField(
        _("discovery address"),
        blank=True,
        max_length=500,
        help_text=_(
            "The provider's OpenID Connect configuration, ending in "
            "/.well-known/openid-configuration."
        ),
    )
    client_id = models.CharField(_("client id"), max_length=255, blank=True)
    client_secret_env = models.CharField(
        _("environment variable with the client secret"),
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(
                _ENV_NAME,
                _("Use only letters, digits and underscores, e.g. LOKET_OIDC_SECRET."),
            )
        ],
        help_text=_("The name of the variable, e.g. LOKET_OIDC_SECRET; never the secret itself."),
    )
    scopes = models.CharField(
        _("scopes"),
        max_length=255,
        default="openid profile vo",
        help_text=_("Separated by spaces; openid is always asked."),
    )
    enterprise_claim = models.CharField(
        _("claim with the enterprise number"),
        max_length=100,
        default="vo_orgcode",
        help_text=_("The claim that holds the KBO number of the enterprise the person acts for."),
    )

    panels = [
        FieldPanel("enabled"),
        FieldPanel("discovery_url"),
        FieldPanel("client_id"),
        FieldPanel("client_secret_env"),
        FieldPanel("scopes"),
        FieldPanel("enterprise_claim"),
    ]

    class Meta:
        verbose_name = _("government login")

    def clean(self):
        super().clean()
        if self.enabled:
            missing = {
                name: _("Fill this in to offer the government login.")
                for name in ("discovery_url", "client_id", "client_secret_env")
                if not getattr(self, name)
            }
            if missing:
                raise ValidationError(missing)

    @property
    def client_secret(self) -> str:
        """The client secret from the environment ("" when the variable is not set)."""
        return os.environ.get(self.client_secret_env, "") if self.client_secret_env else ""

    @property
    def is_ready(self) -> bool:
        """Switched on, filled in, and its secret present in the environment."""
        return bool(self.enabled and self.discovery_url and self.client_id and self.client_secret)

    @property
    def scope_list(self) -> list[str]:
        scopes = self.scopes.split()
        return scopes if "openid" in scopes else ["openid", *scopes]
