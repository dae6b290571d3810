"""The permit document: issued with an approval, checked by anyone through its QR code,
withdrawn by an officer.

A form whose procedure uses the "permit" stage (:mod:`dossiers.stages`) issues a
:class:`~dossiers.models.Permit` in the transaction of the approval
(:func:`issue`, called by the stage): the period, the place and the conditions come
with the approval's data (the officer's screen, or the college proposal), and the
conditions of advice answers are added when the officer chose so. The permit's token is
its public verification page (:func:`verify`): only its state, kind, period and place.
An officer may withdraw it (:func:`withdraw`): recorded as an event the applicant sees.
A later refusal of a reopened dossier withdraws it too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import permissions
from dossiers.constants import OFFICER, EventType
from dossiers.exceptions import ActionRefused
from dossiers.models import Dossier, Event, Permit, PermitState, Verdict
from dossiers.outbox import notify

#: The keys of a deciding transition's data that describe the permit.
DETAIL_KEYS = ("valid_from", "valid_until", "place", "conditions", "advice_conditions")

#: The longest place or conditions text, in characters.
MAX_PLACE = 300
MAX_CONDITIONS = 5000


def _date(value, message: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ActionRefused(message) from None


def advice_conditions(dossier: Dossier) -> list[str]:
    """The conditions given with advice on ``dossier`` ("party: conditions"), oldest
    first; what the officer may take over into the permit."""
    return [
        f"{each.party.name}: {each.conditions}"
        for each in dossier.advice_requests.select_related("party").filter(
            answered_at__isnull=False, verdict=Verdict.CONDITIONAL
        )
        if each.conditions.strip()
    ]


def permit_kind(dossier: Dossier) -> str:
    """The kind of permit as a police officer reads it: the form's title without a
    leading "Aanvraag" ("Aanvraag terrasvergunning" → "Terrasvergunning")."""
    title = dossier.form_title.strip()
    for lead in ("aanvraag ", "application for "):
        if title.lower().startswith(lead) and len(title) > len(lead):
            title = title[len(lead) :].strip()
            return title[:1].upper() + title[1:]
    return title


def check_details(dossier: Dossier, data: dict) -> dict:
    """The permit's details from ``data`` (see :data:`DETAIL_KEYS`), checked: dates,
    the end not before the start, a place. Raises :class:`ActionRefused` in Dutch."""
    valid_from = _date(data.get("valid_from"), _("Give the first day the permit is valid."))
    valid_until = _date(data.get("valid_until"), _("Give the last day the permit is valid."))
    if valid_until < valid_from:
        raise ActionRefused(_("The last day of the permit cannot be before its first day."))
    place = str(data.get("place", "")).strip()
    if not place:
        raise ActionRefused(_("Give the place the permit is for."))
    conditions = str(data.get("conditions", "")).strip()
    if len(place) > MAX_PLACE or len(conditions) > MAX_CONDITIONS:
        raise ActionRefused(_("The place or the conditions of the permit are too long."))
    parts = [conditions] if conditions else []
    if str(data.get("advice_conditions", "")).lower() in ("1", "on", "true"):
        parts += advice_conditions(dossier)
    return {
        "valid_from": valid_from,
        "valid_until": valid_until,
        "place": place,
        "conditions": "\n\n".join(parts),
    }


def issue(dossier: Dossier, data: dict, actor) -> Permit:
    """Issue (or, after a new approval of a reopened dossier, renew) the permit of
    ``dossier``, in the caller's transaction with the dossier row locked (the approving
    transition). A renewed permit keeps its token: the QR code printed earlier checks
    the permit as it is now. The approval's event records it (its data hold the
    details)."""
    details = check_details(dossier, data)
    permit = Permit.objects.filter(dossier=dossier).first() or Permit(dossier=dossier)
    for name, value in details.items():
        setattr(permit, name, value)
    permit.kind = permit_kind(dossier)
    permit.issued_at = timezone.now()
    permit.withdrawn_at = permit.withdrawn_by = None
    permit.withdrawal_reason = ""
    permit.save()
    return permit


def withdraw(dossier: Dossier, officer, *, reason: str) -> Permit:
    """Withdraw the permit of ``dossier``: its verification page says so from now on,
    and the applicant reads it on the status page (a public ``permit_withdrawn``
    event with the reason). Refuses (Dutch) an officer not of the dossier's team, no
    reason, no permit, or a permit withdrawn already."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Say why the permit is withdrawn."))
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if officer is not None and OFFICER not in permissions.roles_on(officer, locked):
            raise ActionRefused(_("You may not do this on this dossier."))
        permit = Permit.objects.select_for_update().filter(dossier=locked).first()
        if permit is None:
            raise ActionRefused(_("This dossier has no permit."))
        if permit.withdrawn_at is not None:
            raise ActionRefused(_("This permit was already withdrawn."))
        event = _withdraw(permit, officer, reason)
        # The applicant hears it by e-mail too (a refusal after all has its own letter).
        notify.queue_for_event(event)
    return permit


def _withdraw(permit: Permit, actor, reason: str) -> Event:
    permit.withdrawn_at = timezone.now()
    permit.withdrawn_by = actor
    permit.withdrawal_reason = reason
    permit.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return Event.objects.create(
        dossier=permit.dossier,
        type=EventType.PERMIT_WITHDRAWN,
        actor=actor,
        public=True,
        data={"reason": reason},
    )


def refused_after_all(dossier: Dossier, actor) -> None:
    """A reopened dossier was refused: its permit (if any, still standing) is
    withdrawn, in the caller's transaction."""
    permit = Permit.objects.filter(dossier=dossier, withdrawn_at__isnull=True).first()
    if permit is not None:
        _withdraw(permit, actor, _("The application was refused after all."))


@dataclass(frozen=True)
class Verification:
    """What the public verification page shows: nothing personal."""

    state: str
    state_label: str
    kind: str
    valid_from: datetime.date
    valid_until: datetime.date
    place: str


def verify(token: str) -> Verification | None:
    """The public facts of the permit with ``token``; None for an unknown token."""
    permit = Permit.objects.filter(token=str(token or "")).first()
    if permit is None:
        return None
    state = permit.state()
    return Verification(
        state=state,
        state_label=str(PermitState(state).label),
        kind=permit.kind,
        valid_from=permit.valid_from,
        valid_until=permit.valid_until,
        place=permit.place,
    )
