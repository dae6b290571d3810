"""Applicant-facing views of a dossier, all behind the dossier's secret link.

Request handling only: what the page shows comes from :mod:`dossiers.status`, the work
from :mod:`dossiers.messages.services`, :mod:`dossiers.feedback` and :mod:`dossiers.outbox.receipt`.

Every view answers a wrong or unknown link with the (Dutch) 404 page, and counts each
request against the client's limit for these links (:data:`link_limit`), so floods of
guessed links are refused; posts count against tighter limits too, per client and per
dossier (:data:`post_limit`, :data:`dossier_post_limit`). The limits are the setting
``LOKET_RATE_LIMITS``.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.ratelimit import by_url_kwarg, ratelimit
from core.security import private_page
from dossiers import services
from dossiers.applicant import status
from dossiers.applicant.downloads import download_response
from dossiers.constants import Status
from dossiers.exceptions import ActionRefused
from dossiers.feedback import forms as feedback_forms
from dossiers.feedback import services as feedback
from dossiers.information import services as information
from dossiers.messages import forms as message_forms
from dossiers.messages import services as messaging
from dossiers.models import Attachment, Dossier
from dossiers.outbox import receipt
from dossiers.permissions import NEVER_SENT

#: Every request behind a dossier link: generous for people, a wall for link guessers.
link_limit = ratelimit("dossier_link_per_client", methods=("GET", "POST"))
#: Messages, ratings and withdrawals from one client...
post_limit = ratelimit("dossier_post_per_client", back=True)
#: ...and on one dossier, from wherever they come.
dossier_post_limit = ratelimit("dossier_post_per_dossier", key=by_url_kwarg("public_id"), back=True)

#: The status page's forms tell which one was sent with this field.
FORM_FIELD = "sending"


def dossier_or_404(public_id, key) -> Dossier:
    dossier = services.get_dossier_by_link(public_id, key)
    if dossier is None:
        raise Http404
    return dossier


@link_limit
@post_limit
@dossier_post_limit
def status_page(request, public_id, key):
    """The dossier as the applicant sees it. Posts: a new message, or a rating."""
    dossier = dossier_or_404(public_id, key)
    if dossier.status in NEVER_SENT:
        return pay_to_submit_page(request, dossier)
    information_request = information.open_request(dossier)
    # While a question that asks for documents is open, its answer is the one way to
    # send files (a question without documents takes none, so messages still do).
    files_allowed = not (information_request and information_request.documents)
    message_form = message_forms.MessageForm(prefix="message", files_allowed=files_allowed)
    rating_form = feedback_forms.RatingForm(prefix="rating")
    if request.method == "POST":
        sending = request.POST.get(FORM_FIELD)
        if sending == "message":
            message_form = message_forms.MessageForm(
                request.POST, request.FILES, prefix="message", files_allowed=files_allowed
            )
            if send_message(request, dossier, message_form):
                return redirect(dossier.get_status_url() + "#messages")
        elif sending == "rating":
            rating_form = feedback_forms.RatingForm(request.POST, prefix="rating")
            if save_rating(request, dossier, rating_form):
                return redirect(dossier.get_status_url() + "#rating")
        else:
            return redirect(dossier.get_status_url())
    context = status.page_context(dossier)
    context.update(
        message_form=message_form,
        rating_form=rating_form,
        form_field=FORM_FIELD,
        information_request=information_request,
    )
    response = private_page(TemplateResponse(request, "dossiers/status_page.html", context))
    if context["online_payment"] and context["online_payment"].checkout_origins:
        # The "pay online" form is redirected to the provider's checkout: CSP
        # form-action covers redirects (dossiers.payments.online_views.start).
        response._csp_update = {"form-action": list(context["online_payment"].checkout_origins)}
    return response


def pay_to_submit_page(request, dossier: Dossier):
    """The page of an application that waits for its fee, instead of the status page
    (dossiers.payments.prepayment): nothing to post here but the payment itself."""
    if request.method == "POST":
        return redirect(dossier.get_status_url())
    context = status.pay_to_submit_context(dossier)
    response = private_page(
        TemplateResponse(request, "dossiers/payments/pay_to_submit.html", context)
    )
    if context["online_payment"] and context["online_payment"].checkout_origins:
        response._csp_update = {"form-action": list(context["online_payment"].checkout_origins)}
    return response


def send_message(request, dossier: Dossier, form) -> bool:
    """Send the applicant's message; False (with the errors on the form) when not."""
    if not form.is_valid():
        return False
    try:
        messaging.send_from_applicant(
            dossier,
            form.cleaned_data["body"],
            form.cleaned_data["files"],
            token=form.cleaned_data["token"],
        )
    except ActionRefused as exc:
        form.add_error(None, str(exc))
        return False
    messages.success(request, _("Your message was sent. We will answer you as soon as we can."))
    return True


def save_rating(request, dossier: Dossier, form) -> bool:
    """Store the applicant's rating; False (with the errors on the form) when not."""
    if not form.is_valid():
        return False
    try:
        _rating, created = feedback.rate(
            dossier, form.cleaned_data["score"], form.cleaned_data["comment"]
        )
    except ActionRefused as exc:
        form.add_error(None, str(exc))
        return False
    if created:
        messages.success(request, _("Thank you for your rating."))
    else:
        messages.info(request, _("Thank you. You rated our service before; that rating stays."))
    return True


@link_limit
@post_limit
@dossier_post_limit
def withdraw(request, public_id, key):
    """Ask for confirmation, then withdraw the application (only before a decision)."""
    dossier = dossier_or_404(public_id, key)
    form = feedback_forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback.withdraw(dossier, form.cleaned_data["reason"])
        except ActionRefused:
            dossier.refresh_from_db(fields=["status"])
            if dossier.status == Status.WITHDRAWN:
                messages.info(request, _("Your application is withdrawn."))
            else:
                messages.error(request, no_withdrawal_text(dossier))
        else:
            messages.success(
                request,
                _("Your application is withdrawn. We have let the municipality know."),
            )
        return redirect(dossier.get_status_url())
    response = TemplateResponse(
        request,
        "dossiers/status/withdraw.html",
        {
            "dossier": dossier,
            "form": form,
            "can_withdraw": feedback.can_withdraw(dossier),
            "no_withdrawal_text": no_withdrawal_text(dossier),
        },
    )
    return private_page(response)


def no_withdrawal_text(dossier: Dossier) -> str:
    if dossier.status == Status.WITHDRAWN:
        return _("You have already withdrawn this application.")
    return _("You can no longer withdraw this application: we have already decided on it.")


@link_limit
def applicant_file(request, public_id, key, attachment_pk):
    """Download a file of the dossier behind the secret link: its letters, its receipt,
    the files of its messages and the documents sent in answer to a question. Any other
    file, or a file of another dossier, is a 404."""
    dossier = dossier_or_404(public_id, key)
    attachment = dossier.attachments.filter(
        pk=attachment_pk, kind__in=status.APPLICANT_FILE_KINDS
    ).first()
    if attachment is None:
        raise Http404
    return file_response(attachment)


@link_limit
def receipt_pdf(request, public_id, key):
    """Download the receipt (made the first time it is asked for)."""
    dossier = dossier_or_404(public_id, key)
    attachment = receipt.ensure_receipt(dossier.pk)
    if attachment is None:
        raise Http404
    return file_response(attachment)


def file_response(attachment: Attachment) -> FileResponse:
    """The file as a download that cannot run as a page of the site (see
    :mod:`dossiers.downloads`)."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return download_response(
        handle, filename=attachment.original_name, content_type=attachment.content_type
    )
