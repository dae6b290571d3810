"""The officer's side of a grant (a subsidy or premium paid out): what the dossier view
shows of it and the actions (grant, change, approve), each calling one use case of
:mod:`dossiers.payments.grants`. Like every back-office action, the forms post to their
own URL and redirect back to the dossier; refusals come back as messages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dossiers import permissions
from dossiers.admin import common
from dossiers.admin.payments import amount_field
from dossiers.constants import OFFICER, Outcome
from dossiers.exceptions import ActionRefused
from dossiers.models import Dossier, Grant
from dossiers.payments import grants
from dossiers.payments.services import MAX_TEXT


class GrantForm(forms.Form):
    amount = amount_field(
        label=gettext_lazy("Amount in euro"),
        required=False,
        help_text=gettext_lazy("Leave empty to grant the proposed amount."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required when the amount differs from the proposed amount."),
    )
    iban = forms.CharField(label=gettext_lazy("New IBAN"), required=False, max_length=42)


def inspect_context(view, dossier: Dossier) -> dict:
    """What the dossier view needs of the grant: ``grant`` (or None), the proposed
    amount, the applicant's IBAN and what the user may do."""
    user = view.request.user
    grant = Grant.objects.filter(dossier=dossier).select_related("granted_by").first()
    is_officer = OFFICER in permissions.roles_on(user, dossier)
    proposed = grants.proposed_amount(dossier)
    return {
        "grant": grant,
        "grant_proposed": proposed,
        "grant_iban": grants.applicant_iban(dossier),
        # Only forms that propose an amount (premiums, subsidies) are paid out.
        "can_grant": is_officer
        and grant is None
        and proposed is not None
        and dossier.decision_outcome == Outcome.APPROVED,
        "can_change_grant": is_officer and grant is not None and grant.state in grants.CHANGEABLE,
        "can_approve_grant": grant is not None
        and grant.state == "granted"
        and grants.can_approve(user, grant),
    }


@require_POST
def grant_view(request, model_admin, instance_pk):
    """One action on the dossier's grant, named by ``grant-action``: ``grant``,
    ``change`` or ``approve``."""
    dossier = common.dossier_for(request, model_admin, instance_pk)
    action = request.POST.get("grant-action")
    form = GrantForm(request.POST)
    if action not in ("grant", "change", "approve") or not form.is_valid():
        messages.error(request, _("Check the form."))
        return common.back_to(model_admin, dossier)
    data = form.cleaned_data
    grant = Grant.objects.filter(dossier=dossier).first()
    try:
        if action == "grant":
            grants.grant(dossier, request.user, amount=data["amount"], reason=data["reason"])
            text = _("The amount is granted. Someone else must approve it now.")
        elif grant is None:
            raise ActionRefused(_("This dossier has no grant."))
        elif action == "change":
            grants.change(
                grant, request.user, reason=data["reason"], amount=data["amount"], iban=data["iban"]
            )
            text = _("The grant is changed. Someone else must approve it again.")
        else:
            grants.approve(grant, request.user)
            text = _("The grant is approved. It goes into the next payout batch.")
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, text)
    return common.back_to(model_admin, dossier)
