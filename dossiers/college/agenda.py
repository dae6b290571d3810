"""The list of a college meeting as a PDF agenda: per proposal the dossier's
reference, the application, the applicant and the proposed decision, on the
municipality's letterhead.

Made when asked (the back office's link) and not stored: it shows the list as it is
now. A tagged PDF/UA-1 document through :func:`dossiers.outbox.letters.html_to_pdf`.
The agenda is the municipality's own paper, so it is in the site's language.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms.models.branding import DEFAULT_BRAND_COLOUR
from core.colours import safe_colour
from dossiers.models import CollegeMeeting
from dossiers.outbox.letters import default_branding, html_to_pdf, logo_data_uri


def render_agenda_html(meeting: CollegeMeeting, dossiers: QuerySet | None = None) -> str:
    """The agenda as HTML, in the site's language; of the proposals about ``dossiers``
    only, when given (what the reader may see: dossiers.permissions)."""
    branding = default_branding()
    proposals = meeting.proposals.select_related("dossier").order_by("prepared_at", "pk")
    if dossiers is not None:
        proposals = proposals.filter(dossier__in=dossiers)
    proposals = list(proposals)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "meeting": meeting,
            "date": date_format(meeting.date, "j F Y"),
            "proposals": proposals,
            "language": settings.LANGUAGE_CODE,
            "municipality": branding.display_name if branding else "Loket",
            "address_lines": branding.address_lines if branding else [],
            "logo": logo_data_uri(branding),
            "brand_colour": safe_colour(
                getattr(branding, "brand_colour", ""), DEFAULT_BRAND_COLOUR
            ),
        }
        return render_to_string("dossiers/letters/college_agenda.html", context)


def agenda_pdf(meeting: CollegeMeeting, dossiers: QuerySet | None = None) -> bytes:
    return html_to_pdf(render_agenda_html(meeting, dossiers))


def agenda_filename(meeting: CollegeMeeting) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        label = _("college agenda")
    return f"{slugify(label)}-{meeting.date.isoformat()}.pdf"
