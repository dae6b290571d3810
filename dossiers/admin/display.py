"""How the back office shows a dossier's status, officer and decision date (HTML)."""

from __future__ import annotations

import datetime

from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dossiers.models import Dossier
from dossiers.services import person_name as officer_name

__all__ = ["due_text", "municipality_name", "officer_name", "status_tag"]


def municipality_name(dossier: Dossier) -> str:
    """The municipality a dossier belongs to: its Site's name (select the site with
    the dossier); empty for an old dossier without one."""
    site = dossier.site if dossier.site_id else None
    if site is None:
        return ""
    return site.site_name or site.hostname


def due_text(dossier: Dossier, today: datetime.date | None = None) -> str:
    """How much time is left to decide, as the inbox and the dossier show it (HTML)."""
    if dossier.waits_for_completeness:
        return format_html(
            '<span class="loket-due loket-due--waiting" title="{}">{}</span>',
            dossier.term_explanation(),
            _("Starts when complete"),
        )
    days = dossier.days_left(today)
    if days is None:
        return ""
    if dossier.due_paused_on:
        text = ngettext("Paused: %(days)s day left", "Paused: %(days)s days left", max(days, 0)) % {
            "days": max(days, 0)
        }
        return format_html('<span class="loket-due loket-due--paused">{}</span>', text)
    if days < 0:
        text = ngettext("%(days)s day too late", "%(days)s days too late", -days) % {"days": -days}
        return format_html('<strong class="loket-due loket-due--overdue">{}</strong>', text)
    if days == 0:
        return format_html('<strong class="loket-due loket-due--today">{}</strong>', _("Today"))
    text = ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}
    return format_html('<span class="loket-due">{}</span>', text)


def status_tag(dossier: Dossier) -> str:
    return format_html(
        '<span class="loket-status loket-status--{}" data-status="{}">{}</span>',
        dossier.status,
        dossier.status,
        dossier.get_status_display(),
    )
