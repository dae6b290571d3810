"""Occupations of the public domain: dossiers that ask for a place and a period.

A dossier is an occupation when its answers hold a place (a location question with a
point or zone drawn, :meth:`FieldType.map_geometry`) and a period (a date range,
:meth:`FieldType.period`): a terrace, road works, a container, an event. Two
occupations *conflict* when their places share ground and their periods share a day;
the officer's dossier view flags the conflict on both dossiers (it is computed from
either side), so nobody approves two uses of the same pavement at once.

Only occupations that still stand count: submitted, in progress or approved; rejected,
withdrawn and closed dossiers do not. One query reads the candidates (their answers and
frozen schemas); the comparison is plain geometry in Python (forms_builder.geometry).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from forms_builder import geometry
from forms_builder.fields import get_field_type
from forms_builder.schema import input_fields

from .constants import OPEN_STATUSES, Status
from .models import Dossier

#: Statuses whose occupation stands (or may stand): the open ones and approved.
STANDING_STATUSES = (*OPEN_STATUSES, Status.FORWARDED, Status.APPROVED)


@dataclass(frozen=True)
class Occupation:
    dossier: Dossier
    place: dict
    start: datetime.date
    end: datetime.date


def occupation_of(dossier: Dossier) -> Occupation | None:
    """The dossier's first place and first period, or None when it lacks either."""
    answers = dossier.answers or {}
    place = period = None
    for step, field in input_fields(dossier.schema):
        value = answers.get(step["id"], {}).get(field["name"])
        field_type = get_field_type(field["type"])
        place = place or field_type.map_geometry(value, field)
        period = period or field_type.period(value, field)
    if not (place and period):
        return None
    return Occupation(dossier, place, *period)


def conflicts(dossier: Dossier) -> list[Occupation]:
    """The other standing occupations whose place and period overlap this dossier's
    (none when the dossier is no occupation), in reference order. One query."""
    own = occupation_of(dossier)
    if own is None:
        return []
    candidates = (
        Dossier.objects.filter(status__in=STANDING_STATUSES)
        .exclude(pk=dossier.pk)
        .select_related("snapshot")
        .only("pk", "reference", "form_title", "status", "answers", "snapshot__schema")
        .order_by("reference")
    )
    found = []
    for other in candidates.iterator(chunk_size=2000):
        occupation = occupation_of(other)
        if (
            occupation is not None
            and occupation.start <= own.end
            and own.start <= occupation.end
            and geometry.overlaps(own.place, occupation.place)
        ):
            found.append(occupation)
    return found
