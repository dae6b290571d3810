"""The print batch as one PDF for the mail room."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from dossiers.models import PrintBatch
from dossiers.outbox.letters import render_decision_letter_html, render_message_letter_html


def batch_pdf(batch: PrintBatch) -> bytes:
    """One tagged PDF (PDF/UA-1) for the batch: per letter an address sheet whose
    address sits in the window of a DL/C5 envelope (left, 50 mm from the top), then
    the letter as it is in the dossier (a decision letter made again from the same
    decision; another message as a letter with the letterhead)."""

    # Imported here, as in dossiers.outbox.letters: WeasyPrint is slow to import.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    documents = []
    for letter in batch.letters.select_related("dossier", "notification__dossier").order_by("pk"):
        sheet = render_to_string(
            "dossiers/letters/address_sheet.html",
            {"letter": letter, "lines": letter.recipient.splitlines()},
        )
        if letter.notification_id is not None and letter.attachment_id is None:
            content = render_message_letter_html(letter.notification)
        else:
            content = render_decision_letter_html(letter.dossier)
        for html in (sheet, content):
            documents.append(
                HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).render()
            )
    if not documents:
        return b""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(pdf_variant="pdf/ua-1")
