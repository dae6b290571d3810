"""The receipt: a PDF of the answers as they were submitted, for the applicant.

Made the first time someone asks for it (the status page's link) and kept as an
:class:`~dossiers.models.Attachment` of kind ``receipt`` in private storage, so it is
rendered once per dossier. It uses the decision letter's letterhead and its safe PDF
rendering (:mod:`dossiers.outbox.letters`: nothing is fetched from the network or the disk).

Answers corrected later in answer to an information request do not change the receipt:
it shows the answers from before every correction (see :func:`submitted_answers`).
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms.models.branding import DEFAULT_BRAND_COLOUR
from core.colours import safe_colour
from dossiers.models import Attachment, AttachmentKind, Dossier
from dossiers.outbox.letters import branding_for, html_to_pdf, logo_data_uri, store_pdf
from forms_builder.schema import display_answers, stored_calculation_sections


def submitted_answers(dossier: Dossier) -> dict:
    """The answers as submitted: the dossier's answers with every correction made in
    answer to an information request undone (latest first)."""
    answers = copy.deepcopy(dossier.answers or {})
    answered = dossier.information_requests.filter(answered_at__isnull=False).order_by(
        "-answered_at", "-pk"
    )
    for request in answered:
        for change in reversed(request.changes or []):
            step, name = change.get("step"), change.get("name")
            if not step or not name:
                continue
            step_answers = answers.setdefault(step, {})
            if change.get("before") is None:
                step_answers.pop(name, None)
            else:
                step_answers[name] = change["before"]
    return answers


def render_receipt_html(dossier: Dossier) -> str:
    """The receipt as HTML, in the applicant's language."""
    branding = branding_for(dossier)
    answers = submitted_answers(dossier)
    with translation.override(dossier.language or settings.LANGUAGE_CODE):
        context = {
            "dossier": dossier,
            "municipality": branding.display_name if branding else "Loket",
            "address_lines": branding.address_lines if branding else [],
            "logo": logo_data_uri(branding),
            "brand_colour": safe_colour(
                getattr(branding, "brand_colour", ""), DEFAULT_BRAND_COLOUR
            ),
            "submitted_at": timezone.localtime(dossier.submitted_at),
            "answers": display_answers(dossier.schema, answers)
            + stored_calculation_sections(dossier.schema, dossier.calculations, answers),
        }
        return render_to_string("dossiers/letters/receipt.html", context)


def receipt_filename(dossier: Dossier) -> str:
    with translation.override(dossier.language or settings.LANGUAGE_CODE):
        label = _("receipt")
    return f"{slugify(label)}-{dossier.reference}.pdf"


def ensure_receipt(dossier_id: int) -> Attachment | None:
    """The dossier's receipt, made and stored now when it does not exist yet.

    Idempotent: the dossier row is locked while checking and making, so two requests
    at the same moment make one receipt. Returns None for an unknown dossier.
    """
    existing = Attachment.objects.filter(dossier_id=dossier_id, kind=AttachmentKind.RECEIPT)
    receipt = existing.order_by("pk").first()
    if receipt is not None:
        return receipt
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("snapshot", "form_page")
            .filter(pk=dossier_id)
            .first()
        )
        if dossier is None:
            return None
        receipt = existing.order_by("pk").first()
        if receipt is not None:
            return receipt
        pdf = html_to_pdf(render_receipt_html(dossier))
        return store_pdf(dossier, AttachmentKind.RECEIPT, receipt_filename(dossier), pdf)
