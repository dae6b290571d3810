"""The back office of reports (meldingen, issue #18).

- :class:`ReportsView`: the officer's open reports on a map (``?category=<id>``) and
  the overdue reports per category (past the category's target time; the oldest
  ``OVERDUE_SHOWN`` a category and how many more). The page counts the reports; the
  map loads them as one compact GeoJSON ``MultiPoint`` (:func:`points_view`). A
  constant number of queries, values only, so 10,000 open reports stay within the
  page-time targets (tests/bench/bench_reports_map.py).
- :class:`RoutingCheckView`: for administrators, the gaps (nobody handles a category in
  an area) and overlaps (several routes) of the routing.
- On a report's dossier page (:func:`inspect_context`, ``dossiers/admin/report.html``):
  the category, area, party and target day; forwarding to an outside party
  (:func:`forward_view`) and merging into another report (:func:`merge_view`).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column

from core.admin_screens import AdministratorScreen
from dossiers import permissions
from dossiers.constants import OFFICER, OPEN_STATUSES
from dossiers.exceptions import ActionRefused
from dossiers.models import Dossier, ExternalParty, Report, ReportCategory
from dossiers.reports import lists as report_lists
from dossiers.reports import services as reports
from forms_builder.fields.location import LocationWidget, leaflet_installed

from .common import OfficerMapScreen, back_to, dossier_for
from .links import DOSSIER_VIEW
from .site_snippets import SiteScopedForm, SiteScopedViewSet

#: Most reports drawn on the officers' map at once.
MAP_LIMIT = 20_000


def inspect_context(view, dossier: Dossier) -> dict:
    """``report`` (or None), the parties it can be forwarded to, the reports merged in."""
    report = (
        Report.objects.select_related(
            "category", "category__parent", "area", "party", "merged_into"
        )
        .select_related("merged_into__dossier")
        .filter(dossier=dossier)
        .first()
    )
    if report is None:
        return {"report": None}
    can_act = OFFICER in permissions.roles_on(view.request.user, dossier) and dossier.is_open
    return {
        "report": report,
        "report_can_act": can_act,
        "report_parties": list(ExternalParty.objects.filter(active=True)) if can_act else [],
        "report_followers": list(
            Report.objects.filter(merged_into=report).select_related("dossier")
        ),
    }


@require_POST
def forward_view(request, model_admin, instance_pk):
    """Forward the report to the chosen outside party (it gets its link)."""
    dossier = dossier_for(request, model_admin, instance_pk)
    chosen = request.POST.get("party", "")
    party = (
        ExternalParty.objects.filter(pk=chosen, active=True).first() if chosen.isdigit() else None
    )
    report = Report.objects.filter(dossier=dossier).first()
    if party is None or report is None:
        messages.error(request, _("Choose an outside party."))
        return back_to(model_admin, dossier)
    try:
        reports.forward_to_party(report, party, actor=request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The report went to %(party)s.") % {"party": party.name})
    return back_to(model_admin, dossier)


@require_POST
def merge_view(request, model_admin, instance_pk):
    """Merge this report into another report of the same problem (by reference)."""
    dossier = dossier_for(request, model_admin, instance_pk)
    reference = request.POST.get("into", "").strip()
    duplicate = Report.objects.filter(dossier=dossier).select_related("dossier").first()
    into = (
        Report.objects.filter(dossier__reference__iexact=reference)
        .select_related("dossier")
        .first()
        if reference
        else None
    )
    if duplicate is None or into is None or not permissions.can_view(request.user, into.dossier):
        messages.error(request, _("There is no report with this reference."))
        return back_to(model_admin, dossier)
    if OFFICER not in permissions.roles_on(request.user, dossier):
        raise PermissionDenied
    try:
        reports.merge(duplicate, into, officer=request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Report %(reference)s now follows %(into)s.")
            % {"reference": dossier.reference, "into": into.dossier.reference},
        )
    return back_to(model_admin, dossier)


class ReportsView(OfficerMapScreen):
    template_name = "dossiers/admin/reports.html"
    page_title = gettext_lazy("Reports")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = permissions.visible_dossiers(self.request.user, Dossier.objects.all())
        categories = list(visible_categories(self.request.user).select_related("parent"))
        chosen = chosen_category(self.request)
        count = open_reports_with_place(visible, chosen).count()
        points_url = reverse("dossiers_report_points")
        if chosen is not None:
            points_url += "?" + urlencode({"category": chosen})
        overdue_groups = report_lists.overdue_table(dossiers=visible)
        dossier_url = reverse(DOSSIER_VIEW, args=[_URL_MARK]).replace(str(_URL_MARK), "{}")
        for group in overdue_groups:
            for row in group["rows"]:
                row["url"] = dossier_url.format(row["dossier_id"])
        context.update(
            categories=categories,
            chosen=chosen,
            count=count,
            points_url=points_url,
            map_media=LocationWidget().media if count and leaflet_installed() else None,
            overdue_groups=overdue_groups,
            overdue_shown=report_lists.OVERDUE_SHOWN,
        )
        return context


def visible_categories(user):
    """The report categories an officer filters the map by: the shared ones and those of
    the municipalities the officer's teams serve (administrators: all)."""
    member = permissions.membership(user)
    if member.is_admin:
        return ReportCategory.objects.all()
    return ReportCategory.objects.filter(Q(site__isnull=True) | Q(site__in=sorted(member.site_ids)))


#: A number that never occurs in an admin URL otherwise: reversed once, replaced per row.
_URL_MARK = 987654321


def chosen_category(request) -> int | None:
    chosen = request.GET.get("category", "")
    return int(chosen) if chosen.isdigit() else None


def open_reports_with_place(visible, chosen: int | None):
    """The open reports with a place among ``visible`` dossiers, of category ``chosen``
    (or its subcategories) when given."""
    reports = Report.objects.filter(
        dossier__in=visible.filter(status__in=OPEN_STATUSES), latitude__isnull=False
    )
    if chosen is not None:
        reports = reports.filter(Q(category_id=chosen) | Q(category__parent_id=chosen))
    return reports


def points_view(request):
    """The officer's open reports (``?category=<id>``) as one compact GeoJSON
    ``MultiPoint`` for the map of :class:`ReportsView`: one query, two numbers a
    report, so the page itself stays small whatever the number of reports."""
    if not permissions.is_officer(request.user):
        raise PermissionDenied
    visible = permissions.visible_dossiers(request.user, Dossier.objects.all())
    reports = open_reports_with_place(visible, chosen_category(request))
    response = HttpResponse(
        json.dumps(report_lists.map_points(reports, limit=MAP_LIMIT), separators=(",", ":")),
        content_type="application/json",
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


class RoutingCheckView(AdministratorScreen):
    """Gaps and overlaps of the routing per category and area (administrators)."""

    template_name = "dossiers/admin/report_routing_check.html"
    page_title = gettext_lazy("Routing of reports: check")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        problems = reports.routing_problems()
        context.update(
            gaps=[each for each in problems if each.kind == "gap"],
            overlaps=[each for each in problems if each.kind == "overlap"],
        )
        return context


class ReportCategoryViewSet(SiteScopedViewSet):
    """Report categories as snippets, per municipality (dossiers/admin/site_snippets.py):
    a municipality's editors keep their own categories; the shared ones are the
    installation's."""

    model = ReportCategory
    list_display = ["full_name", Column("site", label=gettext_lazy("municipality"))]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("site"),
            FieldPanel("parent"),
            FieldPanel("handling_text"),
            FieldPanel("target_days"),
            FieldPanel("public"),
            FieldPanel("active"),
            FieldPanel("sort_order"),
        ],
        base_form_class=SiteScopedForm,
    )
