"""The permit's period and place, suggested from the answers (issue #16).

The officer approving (or proposing to the college) finds the permit's fields filled
in and changes them where needed. Where they come from, first match wins:

1. the questions the editor marked with "Use the answer as: Period of the permit" (a
   period, or a date that becomes the first day) and "Place of the permit" (an address
   or a text);
2. else the answers recognised by their field type: the first period (``date_range``),
   else the first date (``date``: the first day); the first address (``address``).

What the dossier's frozen schema says counts, not the form as it is now.
"""

from __future__ import annotations

import datetime

from dossiers.models import Dossier
from forms_builder.fields import get_field_type
from forms_builder.schema import input_fields

#: The "use the answer as" targets of the permit (forms_builder.fields.base).
PERIOD = "permit_period"
PLACE = "permit_place"
#: Field types recognised without the editor's marking, in order of preference.
PERIOD_TYPES = ("date_range", "date")
PLACE_TYPES = ("address",)


def _period(value) -> tuple[str, str] | None:
    """(first day, last day) in ISO notation from a period or a date; None otherwise."""
    if isinstance(value, dict):
        start, end = value.get("start"), value.get("end")
    else:
        start, end = value, ""
    try:
        start = datetime.date.fromisoformat(str(start)).isoformat()
        end = datetime.date.fromisoformat(str(end)).isoformat() if end else ""
    except ValueError:
        return None
    return start, end


def _place(value, field: dict) -> str:
    try:
        text = get_field_type(field["type"]).display(value, field)
    except (KeyError, TypeError, ValueError):
        text = value if isinstance(value, str) else ""
    return " ".join(str(text).split())


def suggested_details(dossier: Dossier) -> dict[str, str]:
    """``valid_from``, ``valid_until`` and ``place`` as far as the answers tell them
    (keys left out where they do not)."""
    answered = []
    for step, field in input_fields(dossier.schema or {"steps": []}):
        value = (dossier.answers or {}).get(step["id"], {}).get(field["name"])
        if value not in (None, "", {}, []):
            answered.append((field, value))

    def first(target: str, types: tuple[str, ...]):
        marked = [(f, v) for f, v in answered if f.get("maps_to") == target]
        if marked:
            return marked
        return [(f, v) for kind in types for f, v in answered if f["type"] == kind]

    details: dict[str, str] = {}
    for _field, value in first(PERIOD, PERIOD_TYPES):
        period = _period(value)
        if period:
            details["valid_from"] = period[0]
            if period[1]:
                details["valid_until"] = period[1]
            break
    for field, value in first(PLACE, PLACE_TYPES):
        place = _place(value, field)
        if place:
            details["place"] = place[:300]
            break
    return details
