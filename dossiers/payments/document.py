"""The payment request as a PDF: the amount, the date to pay by, the account, the
structured communication and the EPC QR code (with a text alternative), on the
municipality's letterhead.

Made when the applicant asks for it (the status page's link) and not stored: it is
small, and it always shows the request as it is now (a changed amount, a cancelled
request). It uses the decision letter's letterhead and its safe PDF rendering
(:mod:`dossiers.outbox.letters`: a tagged PDF/UA-1 document, nothing fetched from the
network or the disk).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms.models.branding import DEFAULT_BRAND_COLOUR
from core.colours import safe_colour
from dossiers.models import Dossier
from dossiers.outbox.letters import branding_for, html_to_pdf, logo_data_uri
from dossiers.payments import services


def render_payment_request_html(dossier: Dossier, shown: services.PaymentView) -> str:
    """The payment request as HTML, in the applicant's language."""
    branding = branding_for(dossier)
    context = {
        "dossier": dossier,
        "payment": shown,
        "payment_request": shown.request,
        "municipality": branding.display_name if branding else "Loket",
        "address_lines": branding.address_lines if branding else [],
        "logo": logo_data_uri(branding),
        "brand_colour": safe_colour(getattr(branding, "brand_colour", ""), DEFAULT_BRAND_COLOUR),
    }
    with translation.override(dossier.language or settings.LANGUAGE_CODE):
        return render_to_string("dossiers/letters/payment_request.html", context)


def payment_request_pdf(dossier: Dossier) -> bytes | None:
    """The PDF of the request the applicant sees now, or None when there is none."""
    shown = services.shown_request(dossier, qr="png")
    if shown is None:
        return None
    return html_to_pdf(render_payment_request_html(dossier, shown))


def payment_request_filename(dossier: Dossier) -> str:
    with translation.override(dossier.language or settings.LANGUAGE_CODE):
        label = _("payment request")
    return f"{slugify(label)}-{dossier.reference}.pdf"
