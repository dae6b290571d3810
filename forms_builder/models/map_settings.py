"""Where the maps of location questions get their background (tiles), per Site."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

#: OpenStreetMap's own tile server: fine for a demo and light use (see its tile usage
#: policy); a municipality in production uses the Flemish base map or its own.
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "© OpenStreetMap-bijdragers"


def default_tile_url() -> str:
    """The tile address a new Site starts with: ``LOKET_DEFAULT_TILE_URL`` (the test
    settings point it at a closed local port, so no test reaches the network) or
    OpenStreetMap."""
    return getattr(settings, "LOKET_DEFAULT_TILE_URL", DEFAULT_TILE_URL)


def validate_tile_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValidationError(_("Give a web address that starts with https://."))
    missing = [name for name in ("{z}", "{x}", "{y}") if name not in value]
    if missing:
        raise ValidationError(
            _("The address must contain {z}, {x} and {y}; missing: %(missing)s")
            % {"missing": ", ".join(missing)}
        )


@register_setting(icon="site")
class MapSettings(BaseSiteSetting):
    """The background map of location questions and the officers' maps.

    The tiles come from another server: its origin is added to the pages'
    Content-Security-Policy (``img-src``) where a map is shown (:meth:`tile_origin`).
    """

    tile_url = models.CharField(
        _("tile address"),
        max_length=500,
        default=default_tile_url,
        validators=[validate_tile_url],
        help_text=_(
            "The address of the map tiles with {z}, {x} and {y}, e.g. "
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png or the Flemish base map "
            "(GRB) of Digitaal Vlaanderen. See the operations guide."
        ),
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=255,
        default=DEFAULT_ATTRIBUTION,
        help_text=_("Who made the map, shown in its corner, e.g. © OpenStreetMap-bijdragers."),
    )
    max_zoom = models.PositiveSmallIntegerField(_("largest zoom level"), default=19)
    centre_latitude = models.DecimalField(
        _("latitude of the centre"), max_digits=9, decimal_places=6, default=50.85
    )
    centre_longitude = models.DecimalField(
        _("longitude of the centre"), max_digits=9, decimal_places=6, default=4.35
    )
    zoom = models.PositiveSmallIntegerField(
        _("zoom level at the start"),
        default=15,
        help_text=_("15 shows a few streets; 13 a small town."),
    )

    class Meta:
        verbose_name = _("map")

    def clean(self):
        super().clean()
        if self.zoom and self.max_zoom and self.zoom > self.max_zoom:
            raise ValidationError(
                {"zoom": _("The zoom level at the start cannot be above the largest one.")}
            )

    def tile_origin(self) -> str:
        """The origin the tiles come from, as a CSP source: ``{s}`` (a tile server's
        letter) becomes a wildcard."""
        parts = urlsplit(self.tile_url.replace("{s}.", "placeholder-subdomain."))
        origin = f"{parts.scheme}://{parts.netloc}"
        return origin.replace("placeholder-subdomain.", "*.")

    def as_config(self) -> dict:
        """What the map script needs (forms_builder/static/forms_builder/js/location.js)."""
        return {
            "tileUrl": self.tile_url,
            "attribution": self.attribution,
            "maxZoom": self.max_zoom,
            "centre": [float(self.centre_latitude), float(self.centre_longitude)],
            "zoom": self.zoom,
        }
