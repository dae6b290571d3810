"""The street suggestions of address questions "only in this municipality": a small
JSON endpoint that ``forms_builder/js/streets.js`` asks as the applicant types.

``GET /straten/?gemeente=<NIS code>&q=<text>`` → ``{"streets": ["Kerkstraat", ...]}``:
at most :data:`forms_builder.streets.SEARCH_LIMIT` names of streets in use. Public data
(the register's open data), so no sign-in; it reads and never writes.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from . import streets

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
