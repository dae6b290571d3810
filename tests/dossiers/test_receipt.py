"""The receipt: a PDF of the answers as submitted, made once, downloadable behind the
status-page link."""

import re
import zlib

import pytest
from django.urls import reverse

from dossiers import services
from dossiers.models import AttachmentKind, InformationRequest
from dossiers.outbox import receipt
from tests.factories import terrace_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(form_page):
    schema = form_page.get_schema()
    return services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )


def receipt_url(dossier):
    return reverse(
        "dossiers:receipt", kwargs={"public_id": dossier.public_id, "key": dossier.access_key}
    )


def pdf_text(pdf: bytes) -> bytes:
    """The PDF's own bytes and those of its compressed streams (its metadata among them)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_the_pdf_holds_the_reference(dossier):
    attachment = receipt.ensure_receipt(dossier.pk)

    with attachment.file.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF")
    assert dossier.reference.encode() in pdf_text(pdf)
    assert attachment.kind == AttachmentKind.RECEIPT
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name.endswith(f"{dossier.reference}.pdf")


def test_the_html_has_the_answers_as_submitted(dossier):
    html = receipt.render_receipt_html(dossier)

    for text in (dossier.reference, "Aanvraag terrasvergunning", "Café De Markt", "Open terras"):
        assert text in html
    assert "Uw e-mailadres" in html  # the question as the editor wrote it then


def test_corrected_answers_do_not_change_it(dossier):
    step2 = dossier.schema["steps"][1]["id"]
    dossier.answers[step2]["soort"] = "Gesloten terras"
    dossier.save()
    InformationRequest.objects.create(
        dossier=dossier,
        question="Welk soort terras?",
        answered_at=dossier.submitted_at,
        changes=[
            {
                "step": step2,
                "name": "soort",
                "label": "Soort",
                "before": "Open terras",
                "after": "Gesloten terras",
            }
        ],
    )

    assert receipt.submitted_answers(dossier)[step2]["soort"] == "Open terras"
    html = receipt.render_receipt_html(dossier)
    assert "Open terras" in html
    assert "Gesloten terras" not in html


def test_made_once(dossier):
    first = receipt.ensure_receipt(dossier.pk)
    second = receipt.ensure_receipt(dossier.pk)

    assert first.pk == second.pk
    assert dossier.attachments.filter(kind=AttachmentKind.RECEIPT).count() == 1


def test_downloaded_from_the_status_page(client, dossier):
    page = client.get(dossier.get_status_url()).content.decode()
    assert receipt_url(dossier) in page

    response = client.get(receipt_url(dossier))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(receipt_url(dossier)).status_code == 200
    assert dossier.attachments.filter(kind=AttachmentKind.RECEIPT).count() == 1


def test_another_dossiers_receipt_is_not_reachable(client, dossier, form_page):
    schema = form_page.get_schema()
    other = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    other_receipt = receipt.ensure_receipt(other.pk)

    url = reverse(
        "dossiers:file",
        kwargs={
            "public_id": dossier.public_id,
            "key": dossier.access_key,
            "attachment_pk": other_receipt.pk,
        },
    )

    assert client.get(url).status_code == 404
    assert not dossier.attachments.filter(kind=AttachmentKind.RECEIPT).exists()
