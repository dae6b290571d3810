"""The permit as a PDF: the municipality's letterhead, the decision, the period and the
place, the conditions, and a QR code that opens the permit's public verification page
(with a text alternative that gives its address).

Made when the applicant or an officer asks for it and not stored: it always shows the
permit as it is now (a withdrawn permit says so on the paper too). A tagged PDF/UA-1
document through :func:`dossiers.outbox.letters.html_to_pdf`.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms.models.branding import DEFAULT_BRAND_COLOUR
from core.colours import safe_colour
from dossiers.models import Dossier, Permit
from dossiers.outbox.letters import branding_for, decided_by_name, html_to_pdf, logo_data_uri


def render_permit_html(permit: Permit) -> str:
    """The permit as HTML, in the applicant's language."""
    dossier = permit.dossier
    branding = branding_for(dossier)
    url = permit.get_absolute_verification_url()
    context = {
        "dossier": dossier,
        "permit": permit,
        "state": permit.state(),
        "verification_url": url,
        "qr_code": segno.make(url, error="m").png_data_uri(scale=5, border=4),
        "municipality": branding.display_name if branding else "Loket",
        "address_lines": branding.address_lines if branding else [],
        "logo": logo_data_uri(branding),
        "brand_colour": safe_colour(getattr(branding, "brand_colour", ""), DEFAULT_BRAND_COLOUR),
        "date": timezone.localtime(dossier.decided_at or permit.issued_at).date(),
        "decided_by": decided_by_name(dossier),
    }
    with translation.override(dossier.language or settings.LANGUAGE_CODE):
        return render_to_string("dossiers/letters/permit.html", context)


def permit_pdf(dossier: Dossier) -> bytes | None:
    """The PDF of the dossier's permit, or None when it has none."""
    permit = Permit.objects.select_related("dossier").filter(dossier=dossier).first()
    if permit is None:
        return None
    return html_to_pdf(render_permit_html(permit))


def permit_filename(dossier: Dossier) -> str:
    with translation.override(dossier.language or settings.LANGUAGE_CODE):
        label = _("permit")
    return f"{slugify(label)}-{dossier.reference}.pdf"
