"""The decision letter: HTML with the municipality's letterhead, turned into a PDF.

:func:`render_decision_letter_html` renders ``dossiers/letters/decision.html`` in the
applicant's language with the branding of the dossier's Site (name, logo, address);
:func:`html_to_pdf` makes the PDF with WeasyPrint without the network (the logo is
inlined as a data URI, nothing else is fetched); :func:`ensure_decision_letter` stores
it on the dossier as an :class:`~dossiers.models.Attachment` of kind
``decision_letter`` in private storage.

A letter belongs to the dossier's current decision: one made at or after
``decided_at``. A dossier that is reopened and decided again gets a new letter; the old
one stays in its files.
"""

from __future__ import annotations

import base64
import logging
import mimetypes

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms.models.branding import DEFAULT_BRAND_COLOUR
from core.colours import safe_colour
from dossiers.constants import Outcome
from dossiers.models import Attachment, AttachmentKind, DecisionLetterTemplate, Dossier, Permit
from dossiers.outbox import kinds, letter_texts

logger = logging.getLogger(__name__)

#: Sent when a decision letter is made, inside its transaction, with ``dossier`` and
#: ``letter`` (the Attachment): the letters on paper and in the eBox listen
#: (dossiers.correspondence.printing.on_decision_letter_made, connected in apps.py).
decision_letter_made = Signal()


def site_for(dossier: Dossier):
    """The dossier's Site (its municipality); for a dossier without one the form's Site,
    else the default one (None without Sites)."""
    from wagtail.models import Site

    if dossier.site_id:
        return dossier.site
    site = None
    if dossier.form_page_id:
        site = dossier.form_page.get_site()
    return site or Site.objects.filter(is_default_site=True).first() or Site.objects.first()


def branding_for(dossier: Dossier):
    """The branding settings of the dossier's Site (the form's Site, else the default)."""
    from cms.models.branding import SiteBranding

    site = site_for(dossier)
    return SiteBranding.for_site(site) if site else None


def default_branding():
    """The branding of the default Site, for the municipality's own papers that belong
    to no dossier (a college agenda); None without Sites."""
    from wagtail.models import Site

    from cms.models.branding import SiteBranding

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return SiteBranding.for_site(site) if site else None


def logo_data_uri(branding) -> str:
    """The logo as a data URI (empty when there is none or it cannot be read)."""
    image = getattr(branding, "logo", None)
    if image is None:
        return ""
    try:
        with image.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        logger.warning("Logo %s could not be read for a decision letter", image.pk)
        return ""
    mime = mimetypes.guess_type(image.file.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def decided_by_name(dossier: Dossier) -> str:
    user = dossier.decided_by
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def permit_conditions(dossier: Dossier) -> str:
    """The conditions of the dossier's standing permit (with those of the advice the
    officer took over); empty without one."""
    if dossier.pk is None:  # the example of a template's preview
        return ""
    permit = Permit.objects.filter(dossier=dossier, withdrawn_at__isnull=True).first()
    return permit.conditions.strip() if permit is not None else ""


def render_decision_letter_html(
    dossier: Dossier, template: DecisionLetterTemplate | None = None
) -> str:
    """The letter as HTML, in the applicant's language: the letterhead, the decision
    in words, the form's letter template (opening, legal basis, standard conditions, how
    to appeal: :mod:`.letter_texts`) around the officer's decision text, and the
    permit's conditions. Without a template the built-in text on how to appeal stands
    in the letter. ``template`` replaces the stored one (an editor's preview)."""
    branding = branding_for(dossier)
    municipality = branding.display_name if branding else "Loket"
    language = kinds.supported_language(dossier.language)
    approved = dossier.decision_outcome == Outcome.APPROVED
    context = {
        "dossier": dossier,
        "branding": branding,
        "municipality": municipality,
        "address_lines": branding.address_lines if branding else [],
        "logo": logo_data_uri(branding),
        "brand_colour": safe_colour(getattr(branding, "brand_colour", ""), DEFAULT_BRAND_COLOUR),
        "date": timezone.localtime(dossier.decided_at or timezone.now()).date(),
        "decided_by": decided_by_name(dossier),
    }
    with translation.override(language):
        if template is None:
            template = DecisionLetterTemplate.for_dossier(dossier, language)
        parts = letter_texts.parts_for(template, dossier, municipality)
        conditions = [parts.conditions.strip(), permit_conditions(dossier)] if approved else []
        context.update(
            parts=parts,
            conditions=[each for each in conditions if each],
        )
        return render_to_string("dossiers/letters/decision.html", context)


def render_message_letter_html(notification) -> str:
    """A message of the dossier (the text of its e-mail ``notification``) as a letter
    with the municipality's letterhead, for paper or the eBox
    (:mod:`dossiers.correspondence.printing`)."""
    dossier = notification.dossier
    branding = branding_for(dossier)
    with translation.override(kinds.supported_language(dossier.language)):
        return render_to_string(
            "dossiers/letters/message.html",
            {
                "dossier": dossier,
                "subject": notification.subject,
                "body": notification.body,
                "municipality": branding.display_name if branding else "Loket",
                "address_lines": branding.address_lines if branding else [],
                "logo": logo_data_uri(branding),
                "brand_colour": safe_colour(
                    getattr(branding, "brand_colour", ""), DEFAULT_BRAND_COLOUR
                ),
                "date": timezone.localtime(notification.created_at or timezone.now()).date(),
            },
        )


def example_letter_html(template: DecisionLetterTemplate) -> str:
    """The letter ``template`` makes for a made-up approval of its form (the editor's
    preview): no real dossier, so no applicant's data."""
    now = timezone.now()
    with translation.override(template.language):
        example = Dossier(
            reference="TER-2026-00042",
            form_page=template.form_page,
            form_title=template.form_page.title if template.form_page_id else _("Application"),
            applicant_name="An Peeters",
            company_name="Café De Markt",
            language=template.language,
            submitted_at=now,
            decided_at=now,
            decision_outcome=Outcome.APPROVED,
            decision_text=_("Here comes the text of the decision that the officer writes."),
        )
    try:
        return render_decision_letter_html(example, template)
    except kinds.TextError as exc:
        return escape(str(exc))


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF/UA-1 document: its structure, language and title come from the HTML
    (docs/OPERATIONS.md, "Accessible PDFs"). Only data URIs are fetched (the logo), never
    the network or the disk."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    return document.write_pdf(pdf_variant="pdf/ua-1")


def current_letter(dossier: Dossier) -> Attachment | None:
    """The letter of the dossier's current decision, if it was made."""
    if not dossier.decision_outcome or dossier.decided_at is None:
        return None
    return (
        dossier.attachments.filter(
            kind=AttachmentKind.DECISION_LETTER, created_at__gte=dossier.decided_at
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def letter_filename(dossier: Dossier) -> str:
    with translation.override(dossier.language or settings.LANGUAGE_CODE):
        label = _("decision")
    return f"{slugify(label)}-{dossier.reference}.pdf"


def ensure_decision_letter(dossier_id: int) -> Attachment | None:
    """Make and store the letter of the dossier's current decision unless it exists.

    Idempotent: an existing letter for the current decision is returned as it is
    (skipped, not regenerated). A new letter is also queued for paper or the eBox when
    the company or applicant chose so (:data:`decision_letter_made`).
    The dossier row is locked, so two workers never make
    two letters. Returns None for a dossier without a decision.
    """
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("decided_by", "form_page")
            .filter(pk=dossier_id)
            .first()
        )
        if dossier is None or not dossier.decision_outcome:
            return None
        existing = current_letter(dossier)
        if existing is not None:
            return existing
        pdf = html_to_pdf(render_decision_letter_html(dossier))
        letter = store_pdf(dossier, AttachmentKind.DECISION_LETTER, letter_filename(dossier), pdf)
        # On paper or in the eBox too, when the company or applicant chose so.
        decision_letter_made.send(sender=Attachment, dossier=dossier, letter=letter)
        return letter


def store_pdf(dossier, kind: str, filename: str, pdf: bytes) -> Attachment:
    """Keep a PDF the municipality made (a letter, a receipt) with the dossier, in
    private storage."""
    attachment = Attachment(
        dossier=dossier,
        kind=kind,
        original_name=filename,
        size=len(pdf),
        content_type="application/pdf",
    )
    attachment.file.save(attachment.original_name, ContentFile(pdf), save=False)
    attachment.save()
    return attachment
