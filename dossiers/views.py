"""Applicant-facing views of a dossier: the status page behind the secret link."""

from django.http import FileResponse, Http404
from django.template.response import TemplateResponse

from forms_builder.schema import display_answers

from . import information, letters, services
from .constants import STATUS_EXPLANATIONS
from .models import AttachmentKind


def status_page(request, public_id, key):
    dossier = services.get_dossier_by_link(public_id, key)
    if dossier is None:
        raise Http404
    return TemplateResponse(
        request,
        "dossiers/status_page.html",
        {
            "dossier": dossier,
            "explanation": STATUS_EXPLANATIONS.get(dossier.status, ""),
            "events": services.public_events(dossier),
            "answers": display_answers(dossier.schema, dossier.answers),
            "decision_letter": letters.current_letter(dossier),
            "information_request": information.open_request(dossier),
        },
    )


def decision_letter(request, public_id, key, attachment_pk):
    """Download a decision letter of the dossier behind the secret link.

    Only decision letters of that very dossier: any other file, or a letter of another
    dossier, is a 404.
    """
    dossier = services.get_dossier_by_link(public_id, key)
    if dossier is None:
        raise Http404
    letter = dossier.attachments.filter(
        pk=attachment_pk, kind=AttachmentKind.DECISION_LETTER
    ).first()
    if letter is None:
        raise Http404
    try:
        handle = letter.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=letter.original_name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
