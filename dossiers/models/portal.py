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


def _env_name_validator():
    return RegexValidator(
        _ENV_NAME, _("Use only letters, digits and underscores, e.g. LOKET_OIDC_SECRET.")
    )


class ClientAuthentication(models.TextChoices):
    """How Loket proves who it is to the provider's token endpoint."""

    CLIENT_SECRET = "client_secret_basic", _("a client secret")
    PRIVATE_KEY = "private_key_jwt", _("a private key (private_key_jwt)")


class Assurance(models.IntegerChoices):
    """Levels of assurance of a sign-in (eIDAS), lowest first. The provider's ``acr``
    claim is read as one of them by :func:`dossiers.portal.oidc.assurance_of`."""

    NONE = 0, _("no minimum")
    LOW = 1, _("low")
    SUBSTANTIAL = 2, _("substantial")
    HIGH = 3, _("high")


#: Levels an operator can write in "other acr values", in Dutch or English.
ASSURANCE_WORDS = {
    "low": Assurance.LOW,
    "laag": Assurance.LOW,
    "substantial": Assurance.SUBSTANTIAL,
    "substantieel": Assurance.SUBSTANTIAL,
    "high": Assurance.HIGH,
    "hoog": Assurance.HIGH,
}


def parse_assurance_values(text: str) -> dict[str, int]:
    """The lines ``<acr value> = <level>`` of :attr:`GovernmentLoginSettings.assurance_values`
    as a dict; raises ValidationError naming the first line it cannot read."""
    values = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        value, sep, word = line.rpartition("=")
        level = ASSURANCE_WORDS.get(word.strip().lower())
        if not sep or not value.strip() or level is None:
            raise ValidationError(
                _('Line %(number)s: write an acr value, "=" and low, substantial or high.')
                % {"number": number}
            )
        values[value.strip()] = int(level)
    return values


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
        validators=[_env_name_validator()],
        help_text=_("The name of the variable, e.g. LOKET_OIDC_SECRET; never the secret itself."),
    )
    client_authentication = models.CharField(
        _("Loket signs in to the provider with"),
        max_length=30,
        choices=ClientAuthentication.choices,
        default=ClientAuthentication.CLIENT_SECRET,
    )
    private_key_env = models.CharField(
        _("environment variable with the private key"),
        max_length=100,
        blank=True,
        validators=[_env_name_validator()],
        help_text=_(
            "The name of the variable, e.g. LOKET_OIDC_KEY. It holds the key (PEM or JWK) "
            "or the path of the file with the key; never put the key itself here."
        ),
    )
    private_key_id = models.CharField(
        _("key id (kid)"),
        max_length=100,
        blank=True,
        help_text=_("The kid under which the provider knows the public key, if it asks for one."),
    )
    minimum_assurance = models.PositiveSmallIntegerField(
        _("minimum level of assurance"),
        choices=Assurance.choices,
        default=Assurance.NONE,
        help_text=_("A sign-in at a lower level is refused and gives no access."),
    )
    assurance_values = models.TextField(
        _("other acr values"),
        blank=True,
        help_text=_(
            'One per line: the acr value, "=" and low, substantial or high, e.g. '
            "urn:be:vlaanderen:acm:loa:3 = substantial. Values that end in low, "
            "substantial or high are known already."
        ),
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
        FieldPanel("client_authentication"),
        FieldPanel("client_secret_env"),
        FieldPanel("private_key_env"),
        FieldPanel("private_key_id"),
        FieldPanel("scopes"),
        FieldPanel("enterprise_claim"),
        FieldPanel("minimum_assurance"),
        FieldPanel("assurance_values"),
    ]

    class Meta:
        verbose_name = _("government login")

    def clean(self):
        super().clean()
        errors = {}
        try:
            parse_assurance_values(self.assurance_values)
        except ValidationError as exc:
            errors["assurance_values"] = exc.messages
        if self.enabled:
            needed = ["discovery_url", "client_id", self.credential_field]
            for name in needed:
                if not getattr(self, name):
                    errors[name] = _("Fill this in to offer the government login.")
        if errors:
            raise ValidationError(errors)

    @property
    def uses_private_key(self) -> bool:
        return self.client_authentication == ClientAuthentication.PRIVATE_KEY

    @property
    def credential_field(self) -> str:
        """The field naming the environment variable with Loket's credential."""
        return "private_key_env" if self.uses_private_key else "client_secret_env"

    @property
    def credential_present(self) -> bool:
        """Whether the environment variable with Loket's secret or private key is set."""
        name = getattr(self, self.credential_field)
        return bool(name and os.environ.get(name, ""))

    @property
    def client_secret(self) -> str:
        """The client secret from the environment ("" when the variable is not set)."""
        return os.environ.get(self.client_secret_env, "") if self.client_secret_env else ""

    @property
    def is_ready(self) -> bool:
        """Switched on, filled in, and its secret or private key present in the environment."""
        return bool(
            self.enabled and self.discovery_url and self.client_id and self.credential_present
        )

    @property
    def scope_list(self) -> list[str]:
        scopes = self.scopes.split()
        return scopes if "openid" in scopes else ["openid", *scopes]

    @property
    def assurance_map(self) -> dict[str, int]:
        """The operator's own acr values and their levels ({} when the text is invalid)."""
        try:
            return parse_assurance_values(self.assurance_values)
        except ValidationError:
            return {}
