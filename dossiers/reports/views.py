"""The public pages of reports: the reporter reopens a handled report (behind the
status link), the outside party marks a report resolved (behind its own secret link),
and the public map of open reports (a site setting; never who reported it).

Every page behind a link is rate-limited per client, like the status link.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_http_methods, require_safe
from wagtail.models import Site

from core.ratelimit import ratelimit
from core.security import private_page
from dossiers.applicant.views import dossier_or_404
from dossiers.exceptions import ActionRefused
from dossiers.models import ReportSettings
from dossiers.reports import lists as report_lists
from dossiers.reports import services
from dossiers.reports.forms import PartyResolveForm, ReopenForm
from forms_builder import maps
from forms_builder.fields.location import LocationWidget, leaflet_installed

#: How long the public map is cached (it shows reports rounded, a few minutes late).
PUBLIC_MAP_SECONDS = 300


@require_http_methods(["GET", "POST"])
@ratelimit("dossier_link_per_client", methods=("GET", "POST"))
@ratelimit("dossier_post_per_client", back=True)
def reopen(request, public_id, key):
    """The reporter says the problem is not solved: reopens within the window."""
    dossier = dossier_or_404(public_id, key)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen(dossier, form.cleaned_data["reason"])
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your report is open again. We look at it once more."))
        return redirect(dossier.get_status_url())
    response = TemplateResponse(
        request, "dossiers/reports/reopen.html", {"dossier": dossier, "form": form}
    )
    return private_page(response)


@require_http_methods(["GET", "POST"])
@ratelimit("dossier_link_per_client", back=True)
def party_page(request, link_id, key):
    """The outside party reads the report and marks it resolved."""
    report = services.find_by_party_link(link_id, key)
    if report is None:
        return TemplateResponse(request, "dossiers/reports/party_link_invalid.html", status=404)
    form = PartyResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_by_party(report, form.cleaned_data.get("message", ""))
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            return TemplateResponse(
                request, "dossiers/reports/party_thanks.html", {"report": report}
            )
    response = TemplateResponse(
        request, "dossiers/reports/party.html", {"report": report, "form": form}
    )
    return private_page(response)


@require_safe
@cache_page(PUBLIC_MAP_SECONDS)
def public_map(request):
    """The open reports of this site on a map (all of them: one compact GeoJSON
    ``MultiPoint``, rounded to about a hundred metres), with a list of the newest that
    works without JavaScript: category, rough place, status, day. 404 unless the site
    switched it on. Cached for every visitor alike (:data:`PUBLIC_MAP_SECONDS`)."""
    site = Site.find_for_request(request)
    if site is None or not ReportSettings.for_site(site).public_map:
        raise Http404
    points = report_lists.map_points(
        report_lists.public_reports(site), decimals=report_lists.ROUGH_DECIMALS
    )
    total = len(points["coordinates"])
    reports = report_lists.public_open_reports(site) if total else []
    with_map = bool(total) and leaflet_installed()
    response = TemplateResponse(
        request,
        "dossiers/reports/public_map.html",
        {
            "reports": reports,
            "total": total,
            "collection": json.dumps(points, separators=(",", ":")) if with_map else "",
            "map_media": LocationWidget().media if with_map else None,
        },
    )
    if with_map:
        maps.allow_tiles(request, response)
    return response
