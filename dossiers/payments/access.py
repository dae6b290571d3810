"""Who may do the finance work: the "Financiën" group (made by a data migration) and
administrators. Finance staff see payments, statements, refunds and payouts, and of a
dossier only its reference, amount and status; they are no officers, so the dossier
itself stays closed to them (:mod:`dossiers.permissions`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dossiers.exceptions import ActionRefused
from dossiers.models.statement import FINANCE_PERMISSION

#: The name of the group the data migration makes.
FINANCE_GROUP = "Financiën"


def is_finance(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm(FINANCE_PERMISSION)
    )


def require_finance(user) -> None:
    """Refuse with a plain message when ``user`` does not do the finance work."""
    if not is_finance(user):
        raise ActionRefused(_("Only finance staff can do this."))
