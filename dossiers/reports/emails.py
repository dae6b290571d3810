"""The e-mails of reports: kinds of the outbox, registered on import
(DossiersConfig.ready()).

The reporter is e-mailed when the handling starts and when the report is handled (with
the category's text on how it is handled), only when an e-mail address was given; the
outside party gets the report with its secret link.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from dossiers.constants import EventType
from dossiers.models import Report
from dossiers.outbox import kinds as email_kinds

HANDLING = email_kinds.Placeholder(
    "afhandeling",
    gettext_lazy("how reports of this category are handled (the category's text)"),
    gettext_lazy("The grid operator replaces the lamp within ten working days."),
)
PARTY = email_kinds.Placeholder(
    "partij", gettext_lazy("the outside party that fixes it"), "Fluvius"
)


def _report_of(event) -> Report | None:
    return (
        Report.objects.select_related("category", "category__parent", "party")
        .filter(dossier_id=event.dossier_id)
        .first()
    )


def _transition_is(event, name: str) -> bool:
    return (
        event.type == EventType.STATUS_CHANGED
        and event.public
        and (event.data or {}).get("transition") == name
    )


@email_kinds.register
class ReportInProgress(email_kinds.NotificationKind):
    kind_id = "report_in_progress"
    label = gettext_lazy("Report being handled (to the reporter)")
    template = "report_in_progress"

    def matches(self, event):
        return _transition_is(event, "start_handling")


@email_kinds.register
class ReportResolved(email_kinds.NotificationKind):
    kind_id = "report_resolved"
    label = gettext_lazy("Report handled (to the reporter)")
    template = "report_resolved"
    extra_placeholders = (HANDLING,)

    def matches(self, event):
        return _transition_is(event, "resolve")

    def placeholders(self, event):
        report = _report_of(event)
        handling = report.category.handling() if report and report.category else ""
        return {**super().placeholders(event), HANDLING.name: handling}

    def context(self, event):
        report = _report_of(event)
        return {
            **super().context(event),
            "handling": report.category.handling() if report and report.category else "",
        }


@email_kinds.register
class ReportToParty(email_kinds.NotificationKind):
    """The report to the outside party, with its link to mark it resolved. The key is
    not stored: :func:`dossiers.reports.services.forward_to_party` puts the link on the
    event object it hands to the outbox (``event.party_link``)."""

    kind_id = "report_to_party"
    label = gettext_lazy("Report forwarded (to the outside party)")
    audience = email_kinds.TO_OFFICERS
    template = "report_to_party"
    extra_placeholders = (PARTY,)

    def matches(self, event):
        return event.type == EventType.REPORT_SENT_TO_PARTY

    def recipients(self, event):
        report = _report_of(event)
        if report is None or report.party is None or not getattr(event, "party_link", ""):
            return []
        return [report.party.email]

    def placeholders(self, event):
        return {**super().placeholders(event), PARTY.name: (event.data or {}).get("party", "")}

    def context(self, event):
        report = _report_of(event)
        return {
            **super().context(event),
            "report": report,
            "party_url": getattr(event, "party_link", ""),
        }
