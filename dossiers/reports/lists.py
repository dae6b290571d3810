"""Lists of reports: the overdue reports per category (the officers' page) and the open
reports of the public map (category, rough place, status: never who reported it)."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.constants import OPEN_STATUSES, Status
from dossiers.models import Report

#: Decimals kept of a place on the public map: 3 is about a hundred metres.
ROUGH_DECIMALS = 3
#: Decimals kept of a place on the officers' map: 5 is about a metre.
MAP_DECIMALS = 5
#: Overdue reports listed per category on the officers' page (the oldest; the page
#: says how many more there are).
OVERDUE_SHOWN = 25
#: Rows of the public list under the map (the newest; the map shows them all).
PUBLIC_LIST_SHOWN = 100


def overdue(today: datetime.date | None = None, dossiers=None):
    """Open reports past their category's target time, oldest first; of ``dossiers``
    (a queryset: those an officer may see) when given."""
    today = today or timezone.localdate()
    queryset = Report.objects.filter(dossier__status__in=OPEN_STATUSES, due_on__lt=today)
    if dossiers is not None:
        queryset = queryset.filter(dossier__in=dossiers)
    return queryset.select_related("dossier", "category", "category__parent", "party").order_by(
        "due_on", "pk"
    )


def overdue_per_category(
    today: datetime.date | None = None, dossiers=None
) -> list[tuple[str, list[Report]]]:
    """:func:`overdue` grouped by category name (main › sub), alphabetically."""
    groups: dict[str, list[Report]] = {}
    for report in overdue(today, dossiers):
        name = report.category.full_name if report.category else _("No category")
        groups.setdefault(name, []).append(report)
    return sorted(groups.items())


def overdue_table(
    today: datetime.date | None = None, dossiers=None, shown: int = OVERDUE_SHOWN
) -> list[dict]:
    """The officers' overdue list in one query whatever the number of reports: per
    category (main › sub, alphabetically) its ``total`` and its ``shown`` oldest
    ``rows`` (values: ``dossier_id``, ``reference``, ``status`` label, ``due_on``,
    ``party``). Counting and choosing the oldest happen in the database (window
    functions), so 10,000 overdue reports cost no more Python than 25 a category."""
    per_category = [F("category_id")]
    ranked = (
        overdue(today, dossiers)
        .annotate(
            rank=Window(RowNumber(), partition_by=per_category, order_by=["due_on", "pk"]),
            total=Window(Count("pk"), partition_by=per_category),
        )
        .filter(rank__lte=shown)
        .values_list(
            "category__name",
            "category__parent__name",
            "total",
            "dossier_id",
            "dossier__reference",
            "dossier__status",
            "due_on",
            "party__name",
        )
        .order_by("due_on", "pk")
    )
    labels = {value: str(label) for value, label in Status.choices}
    groups: dict[str, dict] = {}
    for name, parent, total, dossier_id, reference, status, due_on, party in ranked:
        if name is None:
            name = _("No category")
        elif parent:
            name = f"{parent} › {name}"
        group = groups.setdefault(name, {"name": name, "total": total, "rows": []})
        group["rows"].append(
            {
                "dossier_id": dossier_id,
                "reference": reference,
                "status": labels.get(status, status),
                "due_on": due_on,
                "party": party,
            }
        )
    for group in groups.values():
        group["more"] = group["total"] - len(group["rows"])
    return [groups[name] for name in sorted(groups)]


def map_points(reports, decimals: int = MAP_DECIMALS, limit: int | None = None) -> dict:
    """A GeoJSON ``MultiPoint`` of ``reports`` (a queryset of reports with a place; at
    most ``limit``): two numbers a report, rounded to ``decimals``; one query, no model
    instances."""
    rows = reports.order_by().values_list("longitude", "latitude")
    if limit is not None:
        rows = rows[:limit]
    return {
        "type": "MultiPoint",
        "coordinates": [[round(lon, decimals), round(lat, decimals)] for lon, lat in rows],
    }


def rough(value: float | None) -> float | None:
    return None if value is None else round(value, ROUGH_DECIMALS)


def public_reports(site=None):
    """The open reports of public categories with a place (of ``site`` when given):
    what the public map may show."""
    queryset = Report.objects.filter(
        dossier__status__in=OPEN_STATUSES,
        merged_into__isnull=True,
        category__public=True,
        latitude__isnull=False,
    )
    if site is not None:
        queryset = queryset.filter(dossier__form_page__path__startswith=site.root_page.path)
    return queryset


def public_open_reports(site=None, limit: int | None = PUBLIC_LIST_SHOWN) -> list[dict]:
    """The newest ``limit`` open reports of public categories for the list under the
    public map: category, a place rounded to about a hundred metres, the status, the
    day. Never who reported it, nor the answers."""
    rows = (
        public_reports(site)
        .values_list(
            "category__name",
            "category__parent__name",
            "latitude",
            "longitude",
            "dossier__status",
            "dossier__submitted_at",
        )
        .order_by("-dossier__submitted_at")
    )
    if limit is not None:
        rows = rows[:limit]
    labels = {value: str(label) for value, label in Status.choices}
    return [
        {
            "category": f"{parent} › {name}" if parent else name,
            "latitude": rough(lat),
            "longitude": rough(lon),
            "status": labels.get(status, status),
            "reported_on": timezone.localdate(at).isoformat(),
        }
        for name, parent, lat, lon, status, at in rows
    ]
