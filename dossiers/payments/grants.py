"""Grants: the amount of a subsidy or premium an officer gives on a dossier, and the
second person's approval before it can be paid out (keep it small).

- :func:`proposed_amount`  what the form's calculation proposes
- :func:`grant`            the officer grants an amount (the proposed one, or another
  with a reason) to the IBAN the applicant gave, in the name the applicant gave
  (:func:`account_holder`)
- :func:`change`           change the amount or the IBAN (with a reason): an approved
  grant needs a new approval
- :func:`approve`          a second person approves (the two-person rule: never the
  person who granted or last changed it; the database refuses it too)

A condition before payout ("a report with three photos before 1 December") is a
question to the applicant (:mod:`dossiers.information`): while one is open, the grant
is not approved and stays out of payout batches (:func:`waits_for_applicant`).

Every use case writes an event on the dossier. Payout batches are in
:mod:`dossiers.payments.payouts`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as NumberError

from dossiers import permissions
from dossiers.constants import LEAD, OFFICER, EventType, Outcome
from dossiers.exceptions import ActionRefused
from dossiers.models import Dossier, Event, Grant, GrantState, InformationRequest
from dossiers.payments import access
from dossiers.payments.services import MAX_TEXT, _clean_amount
from forms_builder.calculations import calculations_of
from forms_builder.schema import mapped_values

#: The type of the form question whose answer is the account to pay to.
IBAN_FIELD_TYPE = "iban"
#: What a question "maps to" when its answer is the name on that account.
ACCOUNT_HOLDER = "account_holder"
#: States in which a grant can still be changed.
CHANGEABLE = (GrantState.GRANTED, GrantState.APPROVED)


def proposed_amount(dossier: Dossier) -> Decimal | None:
    """The amount the form proposes: the last calculation of the form that is not the
    fee and has an amount (calculations come in the order they are computed, so the
    last one is the result, e.g. "voorgestelde_premie"); None when there is none."""
    stored = dossier.calculations or {}
    found = None
    for item in calculations_of(dossier.schema):
        if item.get("is_fee"):
            continue
        try:
            value = Decimal(str(stored.get(item["name"])))
        except (InvalidOperation, ValueError):
            continue
        if value.is_finite() and value > 0:
            found = value.quantize(Decimal("0.01"))
    return found


def applicant_iban(dossier: Dossier) -> str:
    """The IBAN the applicant gave in the form (the first IBAN question answered),
    checked; empty when there is none or it is not valid."""
    for step in dossier.schema.get("steps") or []:
        for field in step.get("fields") or []:
            if field.get("type") != IBAN_FIELD_TYPE:
                continue
            value = (dossier.answers.get(step.get("id")) or {}).get(field.get("name"))
            if value:
                try:
                    return stdnum_iban.validate(str(value), check_country=False)
                except NumberError:
                    return ""
    return ""


def account_holder(dossier: Dossier) -> str:
    """The name on the account the money goes to: the answer to the question the editor
    marked "Name of the account holder", else the company's name, else the applicant's,
    else the reference (a bank transfer needs a name). At most 70 characters, the
    length of a SEPA creditor name."""
    given = str(mapped_values(dossier.schema, dossier.answers).get(ACCOUNT_HOLDER) or "")
    name = " ".join(given.split()) or dossier.company_name or dossier.applicant_name
    return (name or dossier.reference)[:70]


def _clean_iban(value: str) -> str:
    try:
        return stdnum_iban.validate(value or "", check_country=False)
    except NumberError:
        raise ActionRefused(
            _("This is not a valid IBAN. Check the account number, e.g. BE71 0961 2345 6769.")
        ) from None


def _reason(text: str, required: str | None = None) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ActionRefused(required)
    if len(text) > MAX_TEXT:
        raise ActionRefused(
            _("Keep the text shorter than %(count)d characters.") % {"count": MAX_TEXT}
        )
    return text


def _event(grant: Grant, actor, event_type: str, **data) -> Event:
    return Event.objects.create(
        dossier_id=grant.dossier_id,
        type=event_type,
        actor=actor,
        public=False,
        data={"grant": grant.pk, "amount": str(grant.amount), "iban": grant.iban, **data},
    )


def grant(dossier: Dossier, officer, *, amount: Decimal | None = None, reason: str = "") -> Grant:
    """Grant an amount on an approved dossier. ``amount`` None is the proposed amount;
    another amount needs a reason. The money goes to the IBAN the applicant gave."""
    reason = _reason(reason)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if OFFICER not in permissions.roles_on(officer, locked):
            raise ActionRefused(_("Only an officer of this dossier's team can do this."))
        if locked.decision_outcome != Outcome.APPROVED:
            raise ActionRefused(_("Only an approved application can get a grant."))
        if Grant.objects.filter(dossier=locked).exists():
            raise ActionRefused(_("This dossier has a grant already. Change it instead."))
        proposed = proposed_amount(locked)
        if amount is None:
            if proposed is None:
                raise ActionRefused(_("The form proposes no amount. Fill in the amount."))
            amount = proposed
        elif amount != proposed and not reason:
            raise ActionRefused(_("Say why the amount differs from the proposed amount."))
        amount = _clean_amount(amount)
        iban = applicant_iban(locked)
        if not iban:
            raise ActionRefused(_("The applicant gave no valid IBAN in the form."))
        created = Grant.objects.create(
            dossier=locked,
            proposed_amount=proposed,
            amount=amount,
            reason=reason,
            iban=iban,
            account_holder=account_holder(locked),
            granted_by=officer,
            granted_at=timezone.now(),
        )
        _event(
            created,
            officer,
            EventType.GRANTED,
            proposed=str(proposed) if proposed is not None else "",
            reason=reason,
        )
    return created


def change(
    grant: Grant, officer, *, reason: str, amount: Decimal | None = None, iban: str = ""
) -> Grant:
    """Change the amount or the IBAN of a grant not paid out yet, with a reason. The
    grant waits for a (new) approval, and the one who changed it cannot give it."""
    reason = _reason(reason, _("Say why the grant changes."))
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=grant.dossier_id)
        if OFFICER not in permissions.roles_on(officer, dossier):
            raise ActionRefused(_("Only an officer of this dossier's team can do this."))
        locked = Grant.objects.select_for_update().get(pk=grant.pk)
        if locked.state not in CHANGEABLE:
            raise ActionRefused(_("This grant is in a payout batch and cannot change any more."))
        before = {"amount": str(locked.amount), "iban": locked.iban, "state": locked.state}
        if amount is not None:
            locked.amount = _clean_amount(amount)
        if iban:
            locked.iban = _clean_iban(iban)
        if locked.amount == Decimal(before["amount"]) and locked.iban == before["iban"]:
            raise ActionRefused(_("Nothing changes: the amount and the IBAN are the same."))
        locked.reason = reason
        locked.state = GrantState.GRANTED
        locked.granted_by = officer
        locked.granted_at = timezone.now()
        locked.approved_by = None
        locked.approved_at = None
        locked.save()
        _event(locked, officer, EventType.GRANT_CHANGED, reason=reason, before=before)
    return locked


def waits_for_applicant(dossier_id: int) -> bool:
    """Whether a question to the applicant (a condition before payout) is still open."""
    return InformationRequest.objects.filter(dossier_id=dossier_id, closed_at__isnull=True).exists()


def can_approve(user, grant: Grant) -> bool:
    """Finance staff of the dossier's municipality and the team's leads approve, never
    the person who granted it."""
    if grant.granted_by_id == getattr(user, "pk", None):
        return False
    return access.handles_dossier(user, grant.dossier) or LEAD in permissions.roles_on(
        user, grant.dossier
    )


def approve(grant: Grant, user) -> Grant:
    """A second person approves the grant; then it can go into a payout batch."""
    with transaction.atomic():
        Dossier.objects.select_for_update().get(pk=grant.dossier_id)
        locked = Grant.objects.select_for_update().select_related("dossier").get(pk=grant.pk)
        if locked.granted_by_id == user.pk:
            raise ActionRefused(
                _("You granted this amount yourself. Someone else must approve it.")
            )
        if not can_approve(user, locked):
            raise ActionRefused(_("Only finance staff or a team lead can approve a grant."))
        if locked.state != GrantState.GRANTED:
            raise ActionRefused(_("This grant does not wait for an approval."))
        if waits_for_applicant(locked.dossier_id):
            raise ActionRefused(
                _("A question to the applicant is still open. It must be answered first.")
            )
        locked.state = GrantState.APPROVED
        locked.approved_by = user
        locked.approved_at = timezone.now()
        locked.save(update_fields=["state", "approved_by", "approved_at"])
        _event(locked, user, EventType.GRANT_APPROVED)
    return locked
