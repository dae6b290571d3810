"""The places in the dossiers of an inbox export, as a GeoJSON FeatureCollection.

One Feature per answer that points out a place (a location question: a point or a
zone, WGS84), with the dossier's reference, form and status and the answer's question,
address, description and area in m² as properties, so a GIS (QGIS, the municipality's
geo-loket) opens the file as it is. Answers without a drawn place (an address and a
description only) are in the CSV and XLSX exports, not here. Streamed like the CSV.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from dossiers.export import CHUNK_SIZE, ExportFormat, register
from dossiers.models import Dossier
from forms_builder.fields import get_field_type
from forms_builder.schema import input_fields


def features(queryset: QuerySet[Dossier]) -> Iterator[dict]:
    """A Feature for every answer with a place, dossier by dossier (in chunks)."""
    queryset = queryset.defer(None).select_related("snapshot")
    for dossier in queryset.iterator(chunk_size=CHUNK_SIZE):
        answers = dossier.answers or {}
        for step, field in input_fields(dossier.schema):
            value = answers.get(step["id"], {}).get(field["name"])
            place = get_field_type(field["type"]).map_geometry(value, field)
            if not place:
                continue
            properties = value.get("properties") or {}
            yield {
                "type": "Feature",
                "geometry": place,
                "properties": {
                    "reference": dossier.reference,
                    "form": dossier.form_title,
                    "status": str(dossier.get_status_display()),
                    "question": field["label"],
                    "address": properties.get("address", ""),
                    "description": properties.get("description", ""),
                    "area_m2": properties.get("area_m2"),
                },
            }


@register
class GeoJsonFormat(ExportFormat):
    format_id = "geojson"
    label = _("Download the places (GeoJSON)")
    content_type = "application/geo+json"
    extension = "geojson"

    def dossiers_response(self, queryset, *, reveal_sensitive):
        def stream():
            yield '{"type": "FeatureCollection", "features": ['
            for number, feature in enumerate(features(queryset)):
                yield ("," if number else "") + "\n" + json.dumps(feature, ensure_ascii=False)
            yield "\n]}\n"

        return StreamingHttpResponse(stream(), content_type=self.content_type)
