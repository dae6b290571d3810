"""Occupations of the public domain and events on one map and a calendar (issue #18).

``?from=YYYY-MM-DD&weeks=N&form=<form title>``: the standing occupations (see
dossiers.occupancy) with a day in those weeks (default: this week and the next three), of
one form (the type: terraces, road works, events...) or all; on a map and as a list per
week, Monday to Sunday. Occupations that share ground and days with another one are
marked. One query for the occupations (plus one for the form titles) whatever their
number.
"""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dossiers import occupancy
from dossiers.models import Dossier
from forms_builder.fields.location import LocationWidget, leaflet_installed

from .. import permissions
from .common import OfficerMapScreen
from .links import DOSSIER_VIEW

#: How many weeks the page may show at once.
MAX_WEEKS = 12


def _day(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else default
    except ValueError:
        return default


def _weeks(text: str | None) -> int:
    return min(MAX_WEEKS, max(1, int(text))) if (text or "").isdigit() else 4


class OccupationsView(OfficerMapScreen):
    template_name = "dossiers/admin/occupations.html"
    page_title = gettext_lazy("Occupations of the public domain")
    header_icon = "site"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = _day(self.request.GET.get("from"), timezone.localdate())
        monday = chosen - dt.timedelta(days=chosen.weekday())
        weeks = _weeks(self.request.GET.get("weeks"))
        last_day = monday + dt.timedelta(days=7 * weeks - 1)
        member = permissions.membership(self.request.user)
        # An officer sees the ground of the municipalities their teams serve.
        site_ids = None if member.is_admin else sorted(member.site_ids)
        standing = Dossier.objects.filter(status__in=occupancy.STANDING_STATUSES)
        if site_ids is not None:
            standing = standing.filter(site_id__in=site_ids)
        form_titles = list(
            standing.order_by("form_title").values_list("form_title", flat=True).distinct()
        )
        form_title = self.request.GET.get("form", "")
        if form_title not in form_titles:
            form_title = ""
        found = occupancy.occupations_between(monday, last_day, form_title, site_ids)
        flagged = occupancy.conflicting(found)
        rows = [
            {
                "occupation": each,
                "conflict": each.dossier.pk in flagged,
                "url": reverse(DOSSIER_VIEW, args=[each.dossier.pk]),
            }
            for each in found
        ]
        week_list = []
        for number in range(weeks):
            start = monday + dt.timedelta(days=7 * number)
            end = start + dt.timedelta(days=6)
            week_list.append(
                {
                    "start": start,
                    "end": end,
                    "rows": [
                        row
                        for row in rows
                        if row["occupation"].start <= end and start <= row["occupation"].end
                    ],
                }
            )
        collection = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": row["occupation"].place,
                    "properties": {"reference": row["occupation"].dossier.reference},
                }
                for row in rows
                if row["occupation"].place  # one known only by its street has no shape
            ],
        }
        context.update(
            monday=monday,
            weeks=weeks,
            form_titles=form_titles,
            form_title=form_title,
            week_list=week_list,
            count=len(rows),
            conflicts=len(flagged),
            collection=json.dumps(collection),
            map_media=LocationWidget().media if rows and leaflet_installed() else None,
        )
        return context
