"""Payout batches: approved grants paid out with one SEPA credit-transfer file
(ISO 20022 pain.001.001.09), made with sepaxml and validated against the standard's
XSD (shipped with sepaxml) before it is stored (keep it small).

- :func:`create_batches` every approved grant not paid out yet, one batch per
  municipality (the site of the grants' dossiers, paid from that site's account), one
  transfer per dossier (the dossier's reference is the EndToEndId) to the IBAN of the
  grant; :func:`create_batch` when the grants are of one municipality
- :func:`batch_file`    the stored file, after checking it is the one that was made
- :func:`book_debit`    a debit line of a bank statement (camt.053) whose end-to-end
  id is a reference in an exported batch: the grant is paid out

A batch is never changed once made: its bytes and their SHA-256 are stored (and
logged), and its grants cannot change any more.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from sepaxml import SepaTransfer
from sepaxml.validation import ValidationError as SepaValidationError
from wagtail.models import Site

from dossiers.constants import EventType
from dossiers.exceptions import ActionRefused
from dossiers.models import (
    Dossier,
    Event,
    Grant,
    GrantState,
    InformationRequest,
    LineState,
    PaymentSettings,
    PayoutBatch,
)
from dossiers.payments import access

logger = logging.getLogger(__name__)

SCHEMA = "pain.001.001.09"


def _settings(site: Site | None) -> PaymentSettings:
    found = PaymentSettings.for_site(site) if site else None
    if found is None or not found.is_complete:
        raise ActionRefused(
            _(
                "Fill in the account (name, IBAN and BIC) of %(municipality)s in the "
                "settings under Payments first."
            )
            % {"municipality": site.site_name or site.hostname if site else "?"}
        )
    return found


def create_batches(user, *, execution_date: datetime.date | None = None) -> list[PayoutBatch]:
    """Payout batches of every approved grant of the user's municipalities that is in
    none yet: one batch per municipality (the site of the grant's dossier; a dossier
    without one: the default site), paid from that municipality's account. Refused as
    a whole when there is no grant, or a municipality's account is not filled in."""
    access.require_finance(user)
    today = timezone.localdate()
    execution_date = execution_date or today
    if execution_date < today:
        raise ActionRefused(_("The execution date cannot be in the past."))
    default = Site.objects.filter(is_default_site=True).first()
    with transaction.atomic():
        grants = list(
            access.by_dossier_site(user, Grant.objects.select_for_update(of=("self",)))
            .filter(state=GrantState.APPROVED, batch__isnull=True)
            # A condition before payout still open keeps the grant out (grants.py).
            .exclude(
                Exists(
                    InformationRequest.objects.filter(
                        dossier_id=OuterRef("dossier_id"), closed_at__isnull=True
                    )
                )
            )
            .select_related("dossier__site")
            .order_by("dossier__reference")
        )
        if not grants:
            raise ActionRefused(_("There are no approved grants to pay out."))
        per_site: dict[int | None, list[Grant]] = {}
        sites: dict[int | None, Site | None] = {}
        for each in grants:
            site = each.dossier.site or default
            key = site.pk if site else None
            per_site.setdefault(key, []).append(each)
            sites[key] = site
        accounts = {key: _settings(site) for key, site in sites.items()}
        made = [
            _make_batch(user, sites[key], accounts[key], per_site[key], execution_date)
            for key in sorted(per_site, key=lambda key: (key is None, key or 0))
        ]
    for batch in made:
        logger.info(
            "payout batch exported",
            extra={"batch": batch.pk, "sha256": batch.sha256, "transfers": batch.count},
        )
    return made


def create_batch(user, *, execution_date: datetime.date | None = None) -> PayoutBatch:
    """The payout batch of :func:`create_batches` when the grants are of one
    municipality (an installation of one municipality); refused when of several."""
    with transaction.atomic():
        made = create_batches(user, execution_date=execution_date)
        if len(made) != 1:
            raise ActionRefused(_("The grants are of several municipalities."))
    return made[0]


def _make_batch(user, site, account, grants, execution_date) -> PayoutBatch:
    transfer = SepaTransfer(
        {
            "name": account.creditor_name,
            "IBAN": account.iban,
            "BIC": account.bic,
            "batch": True,
            "currency": "EUR",
        },
        schema=SCHEMA,
        clean=True,
    )
    for each in grants:
        transfer.add_payment(
            {
                "name": each.account_holder,
                "IBAN": each.iban,
                "amount": int(each.amount * 100),
                "execution_date": execution_date,
                "description": f"{each.dossier.form_title} {each.dossier.reference}"[:140],
                "endtoend_id": each.dossier.reference,
            }
        )
    try:
        content = transfer.export(validate=True)
    except SepaValidationError:
        raise ActionRefused(
            _("The payout file does not meet the SEPA standard. Check the grants' accounts.")
        ) from None
    digest = hashlib.sha256(content).hexdigest()
    batch = PayoutBatch.objects.create(
        site=site,
        message_id=transfer.msg_id[:35],
        execution_date=execution_date,
        xml=content,
        sha256=digest,
        total=sum((each.amount for each in grants), Decimal("0.00")),
        count=len(grants),
        created_by=user,
    )
    for each in grants:
        each.state = GrantState.EXPORTED
        each.batch = batch
        each.save(update_fields=["state", "batch"])
        Event.objects.create(
            dossier_id=each.dossier_id,
            type=EventType.PAYOUT_EXPORTED,
            actor=user,
            data={"grant": each.pk, "batch": batch.pk, "amount": str(each.amount)},
        )
    return batch


def batch_file(batch: PayoutBatch) -> bytes:
    """The batch's file; refused when its bytes are not those that were made."""
    content = bytes(batch.xml)
    if hashlib.sha256(content).hexdigest() != batch.sha256:
        logger.error("payout batch changed", extra={"batch": batch.pk})
        raise ActionRefused(_("This payout file was changed after it was made. Do not use it."))
    return content


def book_debit(line, user) -> str:
    """Book a debit statement line: the payout of the grant whose dossier reference is
    the line's end-to-end id, when the amount is the grant's; else not for Loket."""
    dossier = grant = None
    if line.end_to_end_id:
        dossier = Dossier.objects.select_for_update().filter(reference=line.end_to_end_id).first()
    if dossier is not None:
        grant = (
            Grant.objects.select_for_update()
            .filter(dossier=dossier, state=GrantState.EXPORTED, amount=-line.amount)
            .first()
        )
    if grant is None:
        line.state = LineState.OTHER
        line.save(update_fields=["state"])
        return LineState.OTHER
    grant.state = GrantState.PAID
    grant.paid_at = timezone.now()
    grant.save(update_fields=["state", "paid_at"])
    line.grant = grant
    line.state = LineState.PAYOUT
    line.matched_at = grant.paid_at
    line.save(update_fields=["grant", "state", "matched_at"])
    Event.objects.create(
        dossier=dossier,
        type=EventType.PAYOUT_PAID,
        actor=user,
        data={"grant": grant.pk, "line": line.pk, "amount": str(grant.amount)},
    )
    return LineState.PAYOUT
