"""Lists of reports: the overdue reports per category (the officers' page) and the open
reports of the public map (category, rough place, status: never who reported it)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.constants import OPEN_STATUSES, Status
from dossiers.models import Report

#: Decimals kept of a place on the public map: 3 is about a hundred metres.
ROUGH_DECIMALS = 3


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


def rough(value: float | None) -> float | None:
    return None if value is None else round(value, ROUGH_DECIMALS)


def public_open_reports(site=None) -> list[dict]:
    """The open reports of public categories for the public map: category, a place
    rounded to about a hundred metres, the status, the day. Never who reported it,
    nor the answers."""
    queryset = Report.objects.filter(
        dossier__status__in=OPEN_STATUSES,
        merged_into__isnull=True,
        category__public=True,
        latitude__isnull=False,
    )
    if site is not None:
        queryset = queryset.filter(dossier__form_page__path__startswith=site.root_page.path)
    rows = queryset.values_list(
        "category__name",
        "category__parent__name",
        "latitude",
        "longitude",
        "dossier__status",
        "dossier__submitted_at",
    ).order_by("-dossier__submitted_at")[:2000]
    return [
        {
            "category": f"{parent} › {name}" if parent else name,
            "latitude": rough(lat),
            "longitude": rough(lon),
            "status": str(Status(status).label),
            "reported_on": timezone.localdate(at).isoformat(),
        }
        for name, parent, lat, lon, status, at in rows
    ]
