"""The street suggestions of address questions "only in this municipality": a small
JSON endpoint that ``forms_builder/js/streets.js`` asks as the applicant types.

``GET /straten/?gemeente=<NIS code>&q=<text>`` → ``{"streets": ["Kerkstraat", ...]}``:
at most :data:`forms_builder.streets.SEARCH_LIMIT` names of streets in use. Public data
(the register's open data), so no sign-in; it reads and never writes.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from core.ratelimit import ratelimit

from . import streets

#: Most addresses the map's address search returns.
LOCATE_LIMIT = 8

#: Fewer characters than this give no suggestions (too many streets match).
MIN_QUERY_LENGTH = 2


@require_GET
def street_suggestions(request):
    query = request.GET.get("q", "")[:100]
    nis_code = request.GET.get("gemeente", "")[:5]
    register = streets.current_register()
    names: list[str] = []
    if register is not None and len(streets.comparable(query)) >= MIN_QUERY_LENGTH:
        names = [
            street.name for street in register.search_streets(query, nis_code, streets.SEARCH_LIMIT)
        ]
    response = JsonResponse({"streets": names})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
@ratelimit("address_search_per_client", methods=("GET",))
def address_search(request):
    """The map's address search (``forms_builder/js/location.js``):
    ``GET /adressen/zoek/?q=Kerkstraat 12`` → ``{"addresses": [{"label", "lat", "lon"}]}``
    from the imported address register; rate-limited per client (each search is a
    query over the register)."""
    query = request.GET.get("q", "")[:120]
    register = streets.current_register()
    found = []
    if register is not None and len(streets.comparable(query)) >= MIN_QUERY_LENGTH:
        found = [
            {"label": each.label, "lat": each.latitude, "lon": each.longitude}
            for each in register.locate(query, LOCATE_LIMIT)
        ]
    response = JsonResponse({"addresses": found})
    response["Cache-Control"] = "public, max-age=300"
    return response
