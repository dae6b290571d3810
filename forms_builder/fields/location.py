"""A location: a point or a zone on a map, or an address with a description.

The answer has three inputs, so it works with and without a map: the address, the
points (typed, or set on the map by mouse, touch or keyboard; see
``forms_builder/static/forms_builder/js/location.js``) and a description of the place.
Without JavaScript, or for someone who cannot use a map, an address plus a description
is enough. The server checks the points and measures a zone (:mod:`forms_builder.geometry`).

Stored as a GeoJSON Feature in WGS84 (``geometry`` is null when only an address was
given)::

    {"type": "Feature",
     "geometry": {"type": "Polygon", "coordinates": [[[3.7174, 51.0543], ...]]},
     "properties": {"address": "Kerkstraat 1, 9000 Gent", "description": "voor de zaak",
                    "area_m2": "24.5"}}

In formulas the answer is the zone's area in m² (empty for a point or no drawing), e.g.
``max(25, 0.30 * terras * dagen)``.
"""

from __future__ import annotations

import functools
from decimal import Decimal

from django import forms
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .. import geometry
from ..geometry import GeometryError
from .base import FieldType
from .registry import register
from .widgets import LabelledMultiWidget

SHAPE_CHOICES = [
    ("any", _("A point or a zone")),
    ("point", _("A point")),
    ("zone", _("A zone (rectangle or free shape)")),
]

#: Leaflet's files, as ``make install`` puts them in var/leaflet/ (not in the repository).
LEAFLET_JS = "leaflet/leaflet.js"
LEAFLET_CSS = "leaflet/leaflet.css"


@functools.cache
def leaflet_installed() -> bool:
    """Whether Leaflet was fetched (``make install``). Without it the question still
    works: the address, points and description are plain inputs."""
    return bool(finders.find(LEAFLET_JS))


class LocationWidget(LabelledMultiWidget):
    template_name = "forms_builder/widgets/location.html"

    def __init__(self, shape: str = "any", attrs=None):
        self.shape = shape
        super().__init__(
            {
                "address": (
                    _("Address"),
                    forms.TextInput(attrs={"autocomplete": "off", "maxlength": 255}),
                    True,
                ),
                "points": (
                    _("Points on the map (latitude, longitude)"),
                    forms.TextInput(
                        attrs={"inputmode": "decimal", "spellcheck": "false", "maxlength": 8000}
                    ),
                    True,
                ),
                "description": (
                    _("Description of the place"),
                    forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
                    True,
                ),
            },
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, dict):
            properties = value.get("properties") or {}
            return [
                properties.get("address", ""),
                geometry.points_text(value.get("geometry")),
                properties.get("description", ""),
            ]
        if isinstance(value, str):
            # A value from a link or an export: taken as the address.
            return [value, "", ""]
        return ["", "", ""]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["shape"] = self.shape
        context["widget"]["map"] = leaflet_installed()
        context["widget"]["map_settings_url"] = reverse("location_map_settings")
        context["widget"]["address_search_url"] = reverse("address_search")
        return context

    @property
    def media(self):
        if not leaflet_installed():
            return forms.Media()
        return forms.Media(
            css={"all": [LEAFLET_CSS, "forms_builder/css/location.css"]},
            js=[LEAFLET_JS, "forms_builder/js/location.js"],
        )


class LocationFormField(forms.MultiValueField):
    """Address, points and description; cleans to the stored Feature (or None)."""

    def __init__(self, shape: str = "any", **kwargs):
        self.shape = shape
        # Each input may be empty on its own: compress() sees the three together.
        fields = (
            forms.CharField(max_length=255, required=False),
            forms.CharField(max_length=8000, required=False),
            forms.CharField(max_length=1000, required=False),
        )
        kwargs.setdefault("widget", LocationWidget(shape))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        address, points_text, description = (
            str(part or "").strip() for part in (data_list or ("", "", ""))
        )
        try:
            shape = geometry.to_geometry(geometry.parse_points(points_text), self.shape)
        except GeometryError as error:
            raise ValidationError(str(error), code="geometry") from None
        if shape is None:
            if not (address or description):
                return None  # an unanswered optional question (Django checks required)
            if not (address and description):
                raise ValidationError(self.missing_message(), code="incomplete")
        area = geometry.area_m2(shape)
        return {
            "type": "Feature",
            "geometry": shape,
            "properties": {
                "address": address,
                "description": description,
                "area_m2": None if area is None else str(area),
            },
        }

    def missing_message(self) -> str:
        if self.shape == "zone":
            return gettext("Draw the zone on the map, or give the address and a description.")
        return gettext("Point out the place on the map, or give the address and a description.")


@register
class LocationField(FieldType):
    """A point or a zone on a map (or an address and a description without a map).

    Editors choose whether a point, a zone or either is asked. A zone's area is measured
    on the server and is the answer's value in formulas (a fee per m²).
    """

    type_id = "location"
    label = _("Location on a map")
    icon = "site"
    form_field_class = LocationFormField
    takes_default = False
    #: Pages asking this question show a map: they may load the Site's tiles
    #: (:func:`forms_builder.maps.has_map`).
    shows_map = True

    def option_blocks(self):
        return [
            (
                "shape",
                blocks.ChoiceBlock(
                    label=_("What the applicant points out"),
                    choices=SHAPE_CHOICES,
                    default="any",
                    required=False,
                    help_text=_(
                        "A zone's area in m² can be used in calculations, e.g. a fee per m²."
                    ),
                ),
            )
        ]

    def shape(self, field: dict) -> str:
        shape = (field.get("options") or {}).get("shape") or "any"
        return shape if shape in dict(SHAPE_CHOICES) else "any"

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        kwargs["shape"] = self.shape(field)
        return kwargs

    def posted_names(self, field):
        return [f"{field['name']}_{part}" for part in ("address", "points", "description")]

    def formula_value(self, value, field):
        return area_of(value)

    def map_geometry(self, value, field):
        return value.get("geometry") if isinstance(value, dict) else None

    def display(self, value, field):
        if not isinstance(value, dict):
            return ""
        properties = value.get("properties") or {}
        parts = []
        shape = value.get("geometry")
        if shape and shape.get("type") == "Point":
            parts.append(gettext("Point %(points)s") % {"points": geometry.points_text(shape)})
        elif shape:
            parts.append(
                gettext("Zone of %(area)s, corners %(points)s")
                % {
                    "area": geometry.show_area(area_of(value) or Decimal(0)),
                    "points": geometry.points_text(shape),
                }
            )
        if properties.get("address"):
            parts.append(gettext("Address: %(address)s") % {"address": properties["address"]})
        if properties.get("description"):
            parts.append(properties["description"])
        return ". ".join(parts)

    def sample_value(self, field):
        square = geometry.to_geometry(
            [(50.85, 4.35), (50.85, 4.3501), (50.8501, 4.3501), (50.8501, 4.35)], "zone"
        )
        return {
            "type": "Feature",
            "geometry": square,
            "properties": {
                "address": str(_("Example address")),
                "description": "",
                "area_m2": str(geometry.area_m2(square)),
            },
        }


def area_of(value) -> Decimal | None:
    """The stored area of a location answer in m², or None (a point, no drawing)."""
    if not isinstance(value, dict):
        return None
    area = (value.get("properties") or {}).get("area_m2")
    return Decimal(area) if area else None
