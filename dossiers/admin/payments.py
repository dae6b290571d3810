"""The officer's side of payment requests: what the dossier view shows of them and the
actions (ask for payment, change the amount, cancel, mark as paid), each calling one
use case of :mod:`dossiers.payments.services`.

Like every back-office action, the forms post to their own URL and redirect back to
the dossier; refusals and mistakes come back as messages. The amount an officer types
is read in the officer's language (``12,50``); nothing else about money is taken from
the form: the fee comes from the dossier.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dossiers import permissions
from dossiers.admin import common
from dossiers.constants import OFFICER
from dossiers.exceptions import ActionRefused
from dossiers.models import Dossier
from dossiers.models.payment import MAX_AMOUNT, MIN_AMOUNT
from dossiers.payments import services as payments

AMOUNT_ERRORS = {
    "invalid": gettext_lazy("Fill in an amount in euro, e.g. 12,50."),
    "min_value": gettext_lazy("The amount must be at least 0,01 euro."),
    "max_value": gettext_lazy("The amount is too large."),
    "max_decimal_places": gettext_lazy("Use at most two decimals for the amount."),
    "max_digits": gettext_lazy("The amount is too large."),
    "max_whole_digits": gettext_lazy("The amount is too large."),
}


def amount_field(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=MIN_AMOUNT,
        max_value=MAX_AMOUNT,
        localize=True,
        error_messages=AMOUNT_ERRORS,
        **kwargs,
    )


class RequestPaymentForm(forms.Form):
    """Ask for payment: the fee of the form, or an amount the officer sets with a reason."""

    amount = amount_field(
        label=gettext_lazy("Amount in euro"),
        required=False,
        help_text=gettext_lazy("Leave empty to ask for the fee of the form."),
    )
    due_date = forms.DateField(
        label=gettext_lazy("Pay before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for the usual number of days."),
        error_messages={"invalid": gettext_lazy("Fill in a date, e.g. 2026-07-01.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=payments.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required when the amount differs from the fee."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The help texts are read out with their fields (the template gives them this id).
        for name, field in self.fields.items():
            field.widget.attrs["aria-describedby"] = f"id_{name}_help"


class ChangeAmountForm(forms.Form):
    amount = amount_field(label=gettext_lazy("New amount in euro"))
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=payments.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Say why the amount changes.")},
    )


class CloseForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=payments.MAX_TEXT)


#: The form of each action.
FORMS = {
    "request": RequestPaymentForm,
    "change": ChangeAmountForm,
    "cancel": CloseForm,
    "paid": CloseForm,
}


def inspect_context(view, dossier: Dossier) -> dict:
    """What the dossier view needs of payments: ``payment_requests`` (newest first),
    whether the officer may act (``can_request_payment``) and the Site's account."""
    payment_settings = payments.payment_settings_for(dossier)
    return {
        "payment_requests": list(
            dossier.payment_requests.select_related("created_by").order_by("-created_at", "-pk")
        ),
        "can_manage_payments": OFFICER in permissions.roles_on(view.request.user, dossier),
        "payments_configured": bool(payment_settings and payment_settings.is_complete),
        "payment_form": RequestPaymentForm(),
    }


def _first_error(form: forms.Form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Check the form.")


@require_POST
def payment_view(request, model_admin, instance_pk):
    """One action on the dossier's payment requests, named by ``payment-action``:
    ``request``, ``change``, ``cancel`` or ``paid``."""
    dossier = common.dossier_for(request, model_admin, instance_pk)
    action = request.POST.get("payment-action")
    if action not in FORMS:
        messages.error(request, _("Choose what to do with the payment."))
        return common.back_to(model_admin, dossier)
    payment_request = None
    if action != "request":
        chosen = request.POST.get("payment_request") or ""
        payment_request = (
            dossier.payment_requests.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        )
        if payment_request is None:
            messages.error(request, _("This payment request does not exist."))
            return common.back_to(model_admin, dossier)
    form = FORMS[action](request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return common.back_to(model_admin, dossier)
    data = form.cleaned_data
    try:
        if action == "request":
            done = payments.request_payment(
                dossier,
                request.user,
                amount=data["amount"],
                due_date=data["due_date"],
                reason=data["reason"],
            )
            text = _("The payment request is sent: %(reference)s.")
        elif action == "change":
            done = payments.change_amount(
                payment_request, request.user, data["amount"], data["reason"]
            )
            text = _("The amount is changed. The applicant gets an e-mail: %(reference)s.")
        elif action == "cancel":
            done = payments.cancel(payment_request, request.user, data["note"])
            text = _("The payment request %(reference)s is cancelled.")
        else:
            done = payments.mark_paid(payment_request, request.user, data["note"])
            text = _("The payment request %(reference)s is marked as paid.")
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, text % {"reference": done.display_reference})
    return common.back_to(model_admin, dossier)
