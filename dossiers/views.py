"""Applicant-facing views of a dossier: the status page behind the secret link."""

from django.http import Http404
from django.template.response import TemplateResponse

from forms_builder.schema import display_answers

from . import services
from .constants import STATUS_EXPLANATIONS


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
        },
    )
