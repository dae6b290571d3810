"""Who may do the finance work: the "Financiën" group (made by a data migration) and
administrators. Finance staff see payments, statements, refunds and payouts, and of a
dossier only its reference, amount and status; they are no officers, so the dossier
itself stays closed to them (:mod:`dossiers.permissions`).

Finance staff work for municipalities (Wagtail Sites, docs/gemeenten.md): those the
teams they are in serve. On an installation of one municipality, finance staff in no
team see it all (as before there were several); with several municipalities, finance
staff in no team see nothing but administrators see everything. Payments, refunds and
grants are of the municipality of their dossier; a bank statement is of the
municipality whose account (Settings → Payments) it is of; a payout batch is of the
municipality that pays it."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import Site

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


_CACHE_ATTRIBUTE = "_loket_finance_sites"


def finance_sites(user) -> frozenset[int] | None:
    """The ids of the sites whose money ``user`` handles; None for every site
    (administrators; finance staff of an installation of one municipality). Read once
    per user object."""
    from dossiers.permissions import membership

    cached = getattr(user, _CACHE_ATTRIBUTE, False)
    if cached is not False:
        return cached
    member = membership(user)
    if member.is_admin:
        result = None
    elif member.site_ids:
        result = member.site_ids
    elif Site.objects.count() <= 1:
        result = None
    else:
        result = frozenset()
    setattr(user, _CACHE_ATTRIBUTE, result)
    return result


def handles_dossier(user, dossier) -> bool:
    """Whether ``dossier``'s money is of one of the municipalities of finance ``user``."""
    if not is_finance(user):
        return False
    sites = finance_sites(user)
    return sites is None or dossier.site_id in sites


def by_dossier_site(user, queryset, dossier="dossier__"):
    """``queryset`` (payment requests, refunds, grants, statement lines through
    ``dossier``) narrowed to the municipalities of ``user``."""
    sites = finance_sites(user)
    if sites is None:
        return queryset
    return queryset.filter(**{f"{dossier}site_id__in": sorted(sites)})


def accounts_of(user) -> list[str] | None:
    """The IBANs (compact) of the municipalities of ``user``; None for every account."""
    from dossiers.models import PaymentSettings

    sites = finance_sites(user)
    if sites is None:
        return None
    return sorted(
        iban
        for iban in PaymentSettings.objects.filter(site_id__in=sorted(sites)).values_list(
            "iban", flat=True
        )
        if iban
    )


def visible_statements(user, queryset=None):
    """The bank statements of the accounts of the municipalities of ``user``."""
    from dossiers.models import BankStatement

    queryset = BankStatement.objects.all() if queryset is None else queryset
    accounts = accounts_of(user)
    return queryset if accounts is None else queryset.filter(account__in=accounts)


def visible_batches(user, queryset=None):
    """The payout batches paid by the municipalities of ``user``."""
    from dossiers.models import PayoutBatch

    queryset = PayoutBatch.objects.all() if queryset is None else queryset
    sites = finance_sites(user)
    return queryset if sites is None else queryset.filter(Q(site_id__in=sorted(sites)))


def require_account(user, account: str) -> None:
    """Refuse a bank statement of an account that is not of one of the user's
    municipalities."""
    accounts = accounts_of(user)
    if accounts is not None and account not in accounts:
        raise ActionRefused(_("This statement is of an account of another municipality."))
