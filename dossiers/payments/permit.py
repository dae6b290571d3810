"""The stage "payment before the permit": once the payment request of an approved
dossier is paid, the permit is issued (the ``issue_permit`` transition of
:mod:`dossiers.workflow`, guarded by :class:`dossiers.stages.PaymentStage`)."""

from __future__ import annotations

from dossiers import stages, workflow
from dossiers.constants import SYSTEM
from dossiers.models import Dossier

#: The transition that issues the permit.
ISSUE_PERMIT = "issue_permit"


def issue_when_paid(dossier: Dossier) -> bool:
    """Issue the permit when the dossier's procedure has the payment stage and the
    stage allows it now (approved, paid, not issued yet). Called inside the transaction
    that booked the payment. Returns whether it was issued."""
    if not stages.uses(dossier, stages.PAYMENT):
        return False
    spec = workflow.TRANSITIONS[ISSUE_PERMIT]
    dossier.refresh_from_db(fields=["status"])
    if dossier.status not in spec.sources or stages.refusal(dossier, stages.PAYMENT, ISSUE_PERMIT):
        return False
    workflow.transition(dossier, ISSUE_PERMIT, actor_kind=SYSTEM)
    return True
