"""Maps on pages: the tile server's settings for the map script, and the
Content-Security-Policy that lets the page load its tiles.

The tiles come from the server in the Site's :class:`~forms_builder.models.MapSettings`
(OpenStreetMap, the Flemish base map...), which the strict policy of every page would
block: a page that shows a map adds that origin to its ``img-src``
(:func:`core.security.allow_images_from`), and only such a page, so the settings are
read only where a map is.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from core.security import allow_images_from

from .fields import get_field_type
from .models.map_settings import MapSettings


def has_map(schema: dict) -> bool:
    """Whether a form asks for a location anywhere (any step)."""
    return any(
        getattr(get_field_type(field["type"]), "shows_map", False)
        for step in schema.get("steps", [])
        for field in step.get("fields", [])
    )


def media_for(sections: list[dict]):
    """The map's scripts and styles (a ``forms.Media``) when a row of ``sections`` (as
    :func:`forms_builder.schema.display_answers` gives them) has a place to show; None
    when none has, or Leaflet is not installed."""
    from .fields.location import LocationWidget, leaflet_installed

    if not leaflet_installed():
        return None
    if any(row.get("geometry") for section in sections for row in section["rows"]):
        return LocationWidget().media
    return None


def allow_tiles(request, response):
    """Let ``response`` load the Site's map tiles (one query, for the settings)."""
    allow_images_from(response, [MapSettings.for_request(request).tile_origin()])
    return response


@require_safe
def map_settings(request):
    """The Site's map settings as JSON, for the map script (cacheable for a while: a
    changed tile server reaches browsers within minutes)."""
    response = JsonResponse(MapSettings.for_request(request).as_config())
    response["Cache-Control"] = "public, max-age=300"
    return response
