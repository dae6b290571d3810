"""The advice party's page: reads the parts of the application it may see and answers.

Reached through the link in the party's e-mail: ``/dossier/advies/<id>/<key>/``. No
account; the link is the party's key (see :func:`dossiers.advice.services.find_by_link`).
A link that does not work gets a page that says why, in plain Dutch, with status 404
(unknown or wrong) or 410 (expired, answered, closed). Every request behind a link is
rate-limited per client, like the applicant's status link.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.ratelimit import ratelimit
from dossiers.advice import services
from dossiers.advice.forms import AdviceAnswerForm
from dossiers.exceptions import ActionRefused

TEMPLATE = "dossiers/advice/answer.html"
INVALID_TEMPLATE = "dossiers/advice/link_invalid.html"


def refused(request, link: services.Link):
    """The page that says why the link does not work: 410 for a link that was right
    but no longer works, 404 for any other."""
    status = 410 if link.known else 404
    return TemplateResponse(request, INVALID_TEMPLATE, {"reason": link.reason}, status=status)


@require_http_methods(["GET", "POST"])
@ratelimit("dossier_link_per_client", back=True)
@ratelimit("advice_answer_per_client", back=True)
def answer_page(request, public_id, key):
    link = services.find_by_link(public_id, key)
    if link.request is None:
        return refused(request, link)
    advice_request = link.request
    done = False
    if request.method == "POST":
        form = AdviceAnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.answer(
                    advice_request,
                    verdict=form.cleaned_data["verdict"],
                    conditions=form.cleaned_data.get("conditions", ""),
                    files=form.uploaded_files(),
                )
            except ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                done = True
    else:
        form = AdviceAnswerForm()
    if done:
        return TemplateResponse(
            request, "dossiers/advice/thanks.html", {"advice_request": advice_request}
        )
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            "advice_request": advice_request,
            "dossier": advice_request.dossier,
            "sections": services.shared_answers(advice_request),
            "files": list(advice_request.shared_files.all()),
            "form": form,
            "key": key,
        },
    )


@require_safe
@ratelimit("dossier_link_per_client", back=True)
def shared_file(request, public_id, key, attachment_pk):
    """A file the officer shared with the party; any other file of any dossier is a 404."""
    link = services.find_by_link(public_id, key)
    if link.request is None:
        return refused(request, link)
    attachment = link.request.shared_files.filter(pk=attachment_pk).first()
    if attachment is None:
        return refused(
            request, services.Link(None, _("This file is not part of the request for advice."))
        )
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)
