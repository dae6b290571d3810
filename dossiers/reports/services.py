"""Reports from residents (meldingen), from report to resolution.

A form with the stage "report" (:data:`dossiers.stages.REPORT`) makes a dossier in the
status "reported" and, in the same transaction, a :class:`~dossiers.models.Report`
(:func:`file_report`): the category from the question "category of the report", the place
from the first location question, the street from the first address question.

Routing (:func:`routes_for`): the routes of the subcategory go first, then those of its
main category; within one category a route of an area that holds the report (the point
in its district, or its street in its list) goes before a route for the whole
municipality. The route sends the report to a team (the dossier's team) or to an outside
party: the ``forward_to_party`` transition, the party e-mailed a secret link to mark it
resolved (:func:`forward_to_party`, :func:`resolve_by_party`). Two routes on the same
level are an overlap, none a gap: :func:`routing_problems` lists both for the admin check.

Merging (:func:`merge`): a duplicate follows the report it is merged into: every
report transition made on that one is made on the duplicate too (:func:`after_transition`,
a listener of :mod:`dossiers.workflow`), so both reporters hear the same. Reopening
(:func:`reopen`) works on the report that leads, within the site's reopen window.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import workflow
from dossiers.constants import APPLICANT, OPEN_STATUSES, SYSTEM, EventType, Status
from dossiers.exceptions import ActionRefused
from dossiers.models import (
    Dossier,
    Event,
    ExternalParty,
    Report,
    ReportArea,
    ReportCategory,
    ReportRoute,
)
from dossiers.outbox import notify
from dossiers.stages import REPORT
from forms_builder import geometry
from forms_builder.fields import get_field_type
from forms_builder.schema import input_fields


def is_report(dossier: Dossier) -> bool:
    return REPORT in (dossier.stages or [])


# --- reading a report's answers ----------------------------------------------------------


@dataclass(frozen=True)
class ReportAnswers:
    category_id: str
    place: dict | None
    street: str


def answers_of(dossier: Dossier) -> ReportAnswers:
    """The category, place and street in the dossier's answers (the first of each)."""
    category_id, place, street = "", None, ""
    answers = dossier.answers or {}
    for step, field in input_fields(dossier.schema):
        value = answers.get(step["id"], {}).get(field["name"])
        if value in (None, "", []):
            continue
        field_type = get_field_type(field["type"])
        if field["type"] == "report_category" and not category_id and isinstance(value, dict):
            category_id = str(value.get("id", ""))
        place = place or field_type.map_geometry(value, field)
        if not street and isinstance(value, dict) and value.get("street"):
            street = str(value["street"])
    return ReportAnswers(category_id, place, street)


def centre_of(place: dict | None) -> tuple[float, float] | None:
    """(latitude, longitude) of a point, or the mean of a zone's corners."""
    if not place:
        return None
    points = geometry.corners(place)
    if not points:
        return None
    return (
        sum(lat for lat, _lon in points) / len(points),
        sum(lon for _lat, lon in points) / len(points),
    )


# --- routing -----------------------------------------------------------------------------


def routes_for(category: ReportCategory, place: dict | None, street: str) -> list[ReportRoute]:
    """The routes that hold for a report of ``category`` at ``place`` / in ``street``,
    on the most specific level that has any (see the module's docstring). More than one:
    an overlap (the first is used)."""
    levels = [category] + ([category.parent] if category.parent_id else [])
    routes = list(
        ReportRoute.objects.filter(category__in=levels)
        .select_related("area", "team", "party")
        .order_by("pk")
    )
    for level in levels:
        mine = [route for route in routes if route.category_id == level.pk]
        in_area = [r for r in mine if r.area_id and r.area.contains(place, street)]
        if in_area:
            return in_area
        everywhere = [route for route in mine if not route.area_id]
        if everywhere:
            return everywhere
    return []


@dataclass(frozen=True)
class RoutingProblem:
    category: ReportCategory
    #: The area checked; None for a place outside every area.
    area: ReportArea | None
    #: "gap" (nobody handles it) or "overlap" (several routes).
    kind: str
    routes: tuple[ReportRoute, ...] = ()


def routing_problems() -> list[RoutingProblem]:
    """Gaps and overlaps of the routing, per category that can be chosen and per area
    (and for a place in no area): what the admin check lists."""
    categories = [
        category
        for category in ReportCategory.objects.filter(active=True).select_related("parent")
        if not category.subcategories.filter(active=True).exists()
    ]
    areas = list(ReportArea.objects.all())
    problems = []
    for category in categories:
        for area in [*areas, None]:
            found = _routes_in_area(category, area)
            if not found:
                problems.append(RoutingProblem(category, area, "gap"))
            elif len(found) > 1:
                problems.append(RoutingProblem(category, area, "overlap", tuple(found)))
    return problems


def _routes_in_area(category: ReportCategory, area: ReportArea | None) -> list[ReportRoute]:
    """The routes a report of ``category`` in ``area`` (None: in no area) gets."""
    levels = [category] + ([category.parent] if category.parent_id else [])
    for level in levels:
        routes = list(level.routes.select_related("area", "team", "party").order_by("pk"))
        in_area = [r for r in routes if area is not None and r.area_id == area.pk]
        if in_area:
            return in_area
        everywhere = [route for route in routes if not route.area_id]
        if everywhere:
            return everywhere
    return []


# --- filing and forwarding ---------------------------------------------------------------


def file_report(dossier: Dossier) -> Report:
    """Keep the report of a dossier just submitted and route it (in the submit's
    transaction): its team, or forwarded to an outside party with its link."""
    found = answers_of(dossier)
    category = (
        ReportCategory.objects.select_related("parent").filter(pk=found.category_id).first()
        if found.category_id.isdigit()
        else None
    )
    centre = centre_of(found.place)
    target = category.target() if category else None
    report = Report.objects.create(
        dossier=dossier,
        category=category,
        place=found.place,
        street=found.street[:200],
        latitude=centre[0] if centre else None,
        longitude=centre[1] if centre else None,
        due_on=(
            timezone.localdate(dossier.submitted_at) + datetime.timedelta(days=target)
            if target is not None
            else None
        ),
    )
    routes = routes_for(category, found.place, found.street) if category else []
    if not routes:
        return report
    route = routes[0]
    report.area = route.area
    report.save(update_fields=["area"])
    if route.team_id and dossier.team_id != route.team_id:
        previous = dossier.team
        dossier.team = route.team
        dossier.save(update_fields=["team", "updated_at"])
        Event.objects.create(
            dossier=dossier,
            type=EventType.TEAM_CHANGED,
            data={
                "from": previous.name if previous else "",
                "to": route.team.name,
                "cause": "report_routing",
            },
        )
    if route.party_id:
        forward_to_party(report, route.party, actor=None)
    return report


def forward_to_party(report: Report, party: ExternalParty, *, actor) -> Report:
    """Send the report to ``party``: the ``forward_to_party`` transition (the reporter
    reads who fixes it) and an e-mail to the party with a new secret link to mark it
    resolved. ``actor`` None: routing at submission (the system)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        workflow.transition(
            report.dossier,
            "forward_to_party",
            actor=actor,
            actor_kind=SYSTEM if actor is None else None,
            data={"party": party.name},
        )
        key = report.new_party_key()
        report.party = party
        report.save(update_fields=["party", "party_key_hash"])
        # The reports merged into this one followed it to the party (see after_transition).
        Report.objects.filter(merged_into=report).update(party=party)
        event = Event.objects.create(
            dossier=report.dossier,
            type=EventType.REPORT_SENT_TO_PARTY,
            actor=actor,
            data={"party": party.name},
        )
        # The key is not stored: the e-mail is written now, with the link in it.
        event.party_link = report_party_link(report, key)
        notify.queue_for_event(event)
    return report


def report_party_link(report: Report, key: str) -> str:
    from django.conf import settings
    from django.urls import reverse

    path = reverse("dossiers:report_party", kwargs={"link_id": report.party_link_id, "key": key})
    return settings.LOKET_BASE_URL.rstrip("/") + path


def find_by_party_link(link_id, key: str) -> Report | None:
    """The report behind a party's link while it waits for that party; else None."""
    report = (
        Report.objects.select_related("dossier", "party", "category", "category__parent")
        .filter(party_link_id=link_id)
        .first()
    )
    if report is None or not report.party_key_matches(key):
        return None
    if report.dossier.status != Status.FORWARDED_EXTERNAL:
        return None
    return report


def resolve_by_party(report: Report, message: str = "") -> Report:
    """The outside party marks the report resolved through its link (which then stops
    working)."""
    with transaction.atomic():
        workflow.transition(
            report.dossier,
            "resolve",
            actor_kind=SYSTEM,
            expected_status=Status.FORWARDED_EXTERNAL,
            data={
                "message": message.strip(),
                "by_party": report.party.name if report.party else "",
            },
        )
        Report.objects.filter(pk=report.pk).update(party_key_hash="")
    return report


# --- reopening and merging ---------------------------------------------------------------


def leading(report: Report) -> Report:
    """The report that leads: the one a merged report follows (followed to the end)."""
    seen = {report.pk}
    while report.merged_into_id and report.merged_into_id not in seen:
        report = Report.objects.select_related("dossier").get(pk=report.merged_into_id)
        seen.add(report.pk)
    return report


def reopen(dossier: Dossier, reason: str, *, actor=None) -> Dossier:
    """The reporter (through the status link) or an officer reopens a handled report,
    within the reopen window; a merged report reopens the report it follows (and so
    itself)."""
    report = Report.objects.select_related("dossier").get(dossier=dossier)
    lead = leading(report)
    workflow.transition(
        lead.dossier,
        "reopen_report",
        actor=actor,
        actor_kind=APPLICANT if actor is None else None,
        data={"reason": reason.strip()},
    )
    dossier.refresh_from_db()
    return dossier


def merge(duplicate: Report, into: Report, *, officer) -> Report:
    """Merge ``duplicate`` into ``into`` (same problem): the duplicate takes the status
    of the report it now follows and follows it from here on; its reporter is told."""
    into = leading(into)
    if duplicate.pk == into.pk:
        raise ActionRefused(_("A report cannot be merged with itself."))
    if duplicate.dossier.status not in OPEN_STATUSES:
        raise ActionRefused(_("Only an open report can be merged into another."))
    with transaction.atomic():
        duplicate = (
            Report.objects.select_for_update().select_related("dossier").get(pk=duplicate.pk)
        )
        duplicate.merged_into = into
        # A duplicate of a forwarded report names the same outside party (it gets no
        # link of its own: the party marks the report it follows resolved).
        duplicate.party_id = into.party_id
        duplicate.save(update_fields=["merged_into", "party"])
        Report.objects.filter(merged_into=duplicate).update(merged_into=into, party=into.party_id)
        Event.objects.create(
            dossier=duplicate.dossier,
            type=EventType.REPORT_MERGED,
            actor=officer,
            public=True,
            data={"into": into.dossier.reference},
        )
        Event.objects.create(
            dossier=into.dossier,
            type=EventType.REPORT_MERGED,
            actor=officer,
            data={"merged": duplicate.dossier.reference},
        )
        _follow(duplicate.dossier, Dossier.objects.get(pk=into.dossier_id))
    return duplicate


def _follow(dossier: Dossier, lead: Dossier) -> None:
    """Bring ``dossier`` to the status of ``lead`` with the transition that leads there."""
    dossier.refresh_from_db()
    if dossier.status == lead.status:
        return
    for spec in workflow.TRANSITIONS.values():
        if spec.stage == REPORT and dossier.status in spec.sources and spec.target == lead.status:
            last = lead.events.filter(to_status=lead.status).order_by("-pk").first()
            data = {k: v for k, v in (last.data if last else {}).items() if k != "transition"}
            workflow.transition(dossier, spec.name, actor_kind=SYSTEM, data=data)
            return


def after_transition(dossier: Dossier, spec) -> None:
    """A listener of :mod:`dossiers.workflow`: keeps ``resolved_at`` and makes every
    report transition on the reports merged into this one too."""
    if spec.stage != REPORT:
        return
    if spec.target == Status.RESOLVED:
        Report.objects.filter(dossier=dossier).update(resolved_at=timezone.now())
    elif spec.target == Status.REOPENED:
        Report.objects.filter(dossier=dossier).update(resolved_at=None)
    followers = Dossier.objects.filter(report__merged_into__dossier=dossier)
    last = dossier.events.filter(type=EventType.STATUS_CHANGED).order_by("-pk").first()
    data = {k: v for k, v in (last.data if last else {}).items() if k != "transition"}
    for follower in followers:
        if follower.status in spec.sources:
            workflow.transition(follower, spec.name, actor_kind=SYSTEM, data=data)
