"""The applicant's answer page for a question of the municipality.

Reached from the status page (behind the dossier's secret link):
``/dossier/<id>/<key>/vraag/<question id>/``. A question of another dossier, or a
wrong link, is a 404 page. A question that is answered or closed already leads back
to the status page with a message, so a second click on "send" shows the result.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.ratelimit import by_url_kwarg, ratelimit
from core.security import private_page
from dossiers import services
from dossiers.constants import Status
from dossiers.exceptions import ActionRefused
from dossiers.information import services as information
from dossiers.information.forms import AnswerForms, HeldFiles

TEMPLATE = "dossiers/information/answer.html"


@require_http_methods(["GET", "POST"])
@ratelimit("information_answer_per_client", back=True)
@ratelimit("dossier_post_per_dossier", key=by_url_kwarg("public_id"), back=True)
def answer_page(request, public_id, key, request_id):
    dossier = services.get_dossier_by_link(public_id, key)
    if dossier is None:
        raise Http404
    information_request = dossier.information_requests.filter(pk=request_id).first()
    if information_request is None:
        raise Http404
    information_request.dossier = dossier
    held = HeldFiles(request, information_request)
    if not information_request.is_open or dossier.status != Status.INFO_REQUESTED:
        held.release()
        return back_to_status(request, dossier, information_request)

    if request.method == "POST":
        held_files = held.files()
        forms = AnswerForms(information_request, request.POST, request.FILES, held=held_files)
        if forms.is_valid():
            try:
                information.answer(
                    information_request,
                    text=forms.answer.cleaned_data.get("answer", ""),
                    files=forms.answer.files_by_document(),
                    corrected_values=forms.corrected_values(),
                )
            except information.AlreadyClosed:
                information_request.refresh_from_db()
                dossier.refresh_from_db()
                return back_to_status(request, dossier, information_request)
            except ActionRefused as exc:
                forms.add_error(str(exc))
            else:
                transaction.on_commit(held.release)
                messages.success(
                    request,
                    _(
                        "Thank you. We have received your answer. An officer looks at "
                        "your application again."
                    ),
                )
                return redirect(dossier.get_status_url())
            finally:
                for uploaded in (f for files in held_files.values() for f in files):
                    uploaded.close()
        held.keep(forms.answer)
        forms.answer.show_held(held.files(opened=False))
    else:
        forms = AnswerForms(information_request, held=held.files())
    return private_page(
        TemplateResponse(
            request,
            TEMPLATE,
            {
                "dossier": dossier,
                "information_request": information_request,
                "forms": forms,
                "form": forms,
                "status_url": dossier.get_status_url(),
            },
        )
    )


def back_to_status(request, dossier, information_request):
    """The question cannot be answered (any more): say why on the status page."""
    if information_request.answered_at is not None:
        messages.success(request, _("We have received your answer to this question."))
    else:
        messages.info(request, _("This question is closed. You do not need to answer it."))
    return redirect(dossier.get_status_url())
