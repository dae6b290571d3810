"""Occupations of the public domain: dossiers that ask for a place and a period.

A dossier is an occupation when its answers hold a place (a location question with a
point or zone drawn, :meth:`FieldType.map_geometry`, or a street of the municipality's
list, an address question "only in this municipality") and a period (a date range,
:meth:`FieldType.period`): a terrace, road works, a container, an event. Two
occupations *conflict* when their periods share a day and their places share ground or
they are in the same street;
the officer's dossier view flags the conflict on both dossiers (it is computed from
either side), so nobody approves two uses of the same pavement at once.

Only occupations that still stand count: submitted, in progress or approved; rejected,
withdrawn and closed dossiers do not. One query reads the candidates (their answers and
frozen schemas); the comparison is plain geometry in Python (forms_builder.geometry).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from forms_builder import geometry
from forms_builder.fields import get_field_type
from forms_builder.schema import input_fields
from forms_builder.streets import comparable

from .constants import OPEN_STATUSES, Status
from .models import Dossier

#: Statuses whose occupation stands (or may stand): the open ones and approved.
STANDING_STATUSES = (*OPEN_STATUSES, Status.FORWARDED, Status.APPROVED)


@dataclass(frozen=True)
class Occupation:
    dossier: Dossier
    #: The GeoJSON geometry drawn; None when only a street was given.
    place: dict | None
    start: datetime.date
    end: datetime.date
    #: The street of the municipality's list, as :func:`comparable` sees it ("" for none).
    street: str = ""


def occupation_of(dossier: Dossier) -> Occupation | None:
    """The dossier's first place, first street and first period, or None when it lacks
    a period or both a place and a street."""
    answers = dossier.answers or {}
    place = period = None
    street = ""
    for step, field in input_fields(dossier.schema):
        value = answers.get(step["id"], {}).get(field["name"])
        field_type = get_field_type(field["type"])
        place = place or field_type.map_geometry(value, field)
        period = period or field_type.period(value, field)
        if not street and isinstance(value, dict) and value.get("street_id"):
            # An address "only in this municipality" (its register ids are kept).
            street = comparable(str(value.get("street", "")))
    if not (period and (place or street)):
        return None
    return Occupation(dossier, place, *period, street=street)


def _standing():
    return (
        Dossier.objects.filter(status__in=STANDING_STATUSES)
        .select_related("snapshot")
        .only("pk", "reference", "form_title", "status", "answers", "snapshot__schema")
        .order_by("reference")
    )


#: Why two occupations conflict (see :func:`conflict_reason`).
SAME_STREET = "street"
SAME_PLACE = "place"


def conflict_reason(one: Occupation, other: Occupation) -> str:
    """:data:`SAME_STREET` when both occupy the same street in shared days,
    :data:`SAME_PLACE` when their drawn places overlap in shared days, else ""."""
    if not (one.start <= other.end and other.start <= one.end):
        return ""
    if one.street and one.street == other.street:
        return SAME_STREET
    if one.place and other.place and geometry.overlaps(one.place, other.place):
        return SAME_PLACE
    return ""


def _conflict(one: Occupation, other: Occupation) -> bool:
    return bool(conflict_reason(one, other))


def occupations_between(
    first_day: datetime.date,
    last_day: datetime.date,
    form_title: str = "",
    site_ids: Iterable[int] | None = None,
) -> list[Occupation]:
    """The standing occupations with a day from ``first_day`` to ``last_day`` (of the
    form ``form_title`` when given; of the municipalities ``site_ids`` when given), by
    start. One query."""
    queryset = _standing()
    if site_ids is not None:
        queryset = queryset.filter(site_id__in=list(site_ids))
    if form_title:
        queryset = queryset.filter(form_title=form_title)
    found = [
        each
        for each in map(occupation_of, queryset.iterator(chunk_size=2000))
        if each is not None and each.start <= last_day and first_day <= each.end
    ]
    return sorted(found, key=lambda each: (each.start, each.dossier.reference))


def conflicting(occupations: list[Occupation]) -> set[int]:
    """The pks of the dossiers among ``occupations`` that conflict with another one."""
    flagged = set()
    for index, one in enumerate(occupations):
        for other in occupations[index + 1 :]:
            if _conflict(one, other):
                flagged |= {one.dossier.pk, other.dossier.pk}
    return flagged


def conflicts(dossier: Dossier) -> list[Occupation]:
    """The other standing occupations whose place and period overlap this dossier's
    (none when the dossier is no occupation), in reference order. One query."""
    return [each for each, _reason in explained_conflicts(dossier)]


def explained_conflicts(dossier: Dossier) -> list[tuple[Occupation, str]]:
    """:func:`conflicts` with the :func:`conflict_reason` of each. One query."""
    own = occupation_of(dossier)
    if own is None:
        return []
    # Ground is a municipality's own: another municipality's occupations never conflict.
    candidates = (
        _standing().filter(site_id=dossier.site_id).exclude(pk=dossier.pk).iterator(chunk_size=2000)
    )
    found = ((each, conflict_reason(own, each)) for each in map(occupation_of, candidates) if each)
    return [(each, reason) for each, reason in found if reason]
