"""The Flemish government's global header (Burgerprofiel / Mijn Burgerprofiel) per Site.

Off by default. When switched on, every public page loads the header widget's script
from the configured widget server, and the page's Content-Security-Policy allows that
one origin (see :mod:`cms.burgerprofiel`). Nothing else about the strict policy changes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

#: The widget server of the Flemish government, production.
DEFAULT_WIDGET_SERVER = "https://prod.widgets.burgerprofiel.vlaanderen.be"


@register_setting(icon="globe")
class BurgerprofielSettings(BaseSiteSetting):
    """Which global header widget the site shows, and from which server."""

    enabled = models.BooleanField(
        _("show the Flemish global header (Burgerprofiel)"),
        default=False,
        help_text=_(
            "Shows the header of the Flemish government above the site's own header, "
            "with the link to Mijn Burgerprofiel."
        ),
    )
    widget_server = models.URLField(
        _("widget server"),
        default=DEFAULT_WIDGET_SERVER,
        help_text=_("Only the address of the server, without a path. Use https."),
    )
    header_widget_id = models.CharField(
        _("id of the header widget"),
        max_length=100,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", _("Use only letters, digits and hyphens."))],
        help_text=_("The id you got when you made the header in the widget platform."),
    )

    panels = [FieldPanel("enabled"), FieldPanel("widget_server"), FieldPanel("header_widget_id")]

    class Meta:
        verbose_name = _("Flemish global header")

    def clean(self):
        super().clean()
        errors = {}
        parts = urlsplit(self.widget_server or "")
        local = parts.hostname in ("localhost", "127.0.0.1")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            errors["widget_server"] = _("Only the address of the server, without a path.")
        elif parts.scheme != "https" and not local:
            errors["widget_server"] = _("Use https.")
        if self.enabled and not self.header_widget_id:
            errors["header_widget_id"] = _("Fill this in to show the header.")
        if errors:
            raise ValidationError(errors)

    @property
    def origin(self) -> str:
        parts = urlsplit(self.widget_server or "")
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""

    @property
    def is_active(self) -> bool:
        return bool(self.enabled and self.header_widget_id and self.origin)

    @property
    def header_script_url(self) -> str:
        """The header widget's embed script (the widget platform's v1 address)."""
        return f"{self.origin}/api/v1/widget/{self.header_widget_id}/embed"
