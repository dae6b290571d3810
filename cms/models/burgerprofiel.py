"""The Flemish government's global header (Burgerprofiel / Mijn Burgerprofiel) per Site:
fields of :class:`cms.models.SiteBranding` (the setting every page reads already, so
the header costs no query of its own).

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
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

#: The widget server of the Flemish government, production.
DEFAULT_WIDGET_SERVER = "https://prod.widgets.burgerprofiel.vlaanderen.be"


class GlobalHeaderSettings(models.Model):
    """Which global header widget the site shows, and from which server."""

    global_header_enabled = models.BooleanField(
        _("show the Flemish global header (Burgerprofiel)"),
        default=False,
        help_text=_(
            "Shows the header of the Flemish government above the site's own header, "
            "with the link to Mijn Burgerprofiel."
        ),
    )
    global_header_server = models.URLField(
        _("widget server"),
        default=DEFAULT_WIDGET_SERVER,
        help_text=_("Only the address of the server, without a path. Use https."),
    )
    global_header_widget_id = models.CharField(
        _("id of the header widget"),
        max_length=100,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", _("Use only letters, digits and hyphens."))],
        help_text=_("The id you got when you made the header in the widget platform."),
    )

    global_header_panel = MultiFieldPanel(
        [
            FieldPanel("global_header_enabled"),
            FieldPanel("global_header_server"),
            FieldPanel("global_header_widget_id"),
        ],
        heading=_("Flemish global header"),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        parts = urlsplit(self.global_header_server or "")
        local = parts.hostname in ("localhost", "127.0.0.1")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            errors["global_header_server"] = _("Only the address of the server, without a path.")
        elif parts.scheme != "https" and not local:
            errors["global_header_server"] = _("Use https.")
        if self.global_header_enabled and not self.global_header_widget_id:
            errors["global_header_widget_id"] = _("Fill this in to show the header.")
        if errors:
            raise ValidationError(errors)

    @property
    def global_header_origin(self) -> str:
        parts = urlsplit(self.global_header_server or "")
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""

    @property
    def shows_global_header(self) -> bool:
        return bool(
            self.global_header_enabled
            and self.global_header_widget_id
            and self.global_header_origin
        )

    @property
    def global_header_script(self) -> str:
        """The header widget's embed script (the widget platform's v1 address)."""
        return f"{self.global_header_origin}/api/v1/widget/{self.global_header_widget_id}/embed"
