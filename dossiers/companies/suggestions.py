"""Proactive services: "Dit kan ook voor u interessant zijn".

Editors tag a service page with NACE codes (or their beginnings: 56 for all horeca) and
legal forms (Promote tab, "Suggest to companies"). A company whose activities (its own or
those of its establishments) or legal form match sees the service suggested on its page
in Mijn loket and on the confirmation after an application. Services whose form the
company already applied with are left out, and so is the form just sent.

The company is always the one a sign-in method vouched for; the number typed in a form
never chooses suggestions.
"""

from __future__ import annotations

from django.db.models import Q

from cms.models import ServicePage
from dossiers.models import CompanyActivity, Dossier, Enterprise, Establishment

#: At most this many suggestions are shown.
MAX_SUGGESTIONS = 3


def company_codes(number: str) -> tuple[set[str], str] | None:
    """The NACE codes of the enterprise and its establishments, and its legal form; None
    when the register does not hold the enterprise or it stopped."""
    enterprise = Enterprise.objects.filter(number=number).only("status", "juridical_form").first()
    if enterprise is None or not enterprise.is_active:
        return None
    units = Establishment.objects.filter(enterprise_number=number).values("number")
    codes = set(
        CompanyActivity.objects.filter(
            Q(entity_number=number) | Q(entity_number__in=units)
        ).values_list("nace_code", flat=True)
    )
    return codes, enterprise.juridical_form


def suggested_services(
    number: str,
    *,
    site=None,
    nace_codes: set[str] | None = None,
    legal_form: str | None = None,
    leave_out_form_id: int | None = None,
) -> list[ServicePage]:
    """The live service pages (of ``site``, when given) tagged for the enterprise
    ``number``, by title, at most :data:`MAX_SUGGESTIONS`. Pass ``nace_codes`` and
    ``legal_form`` when they are known already (the profile page)."""
    if not number:
        return []
    if nace_codes is None or legal_form is None:
        found = company_codes(number)
        if found is None:
            return []
        nace_codes, legal_form = found
    pages = ServicePage.objects.live().exclude(suggest_for_nace="", suggest_for_legal_forms="")
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    applied = set(
        Dossier.objects.filter(enterprise_number=number)
        .exclude(form_page_id=None)
        .values_list("form_page_id", flat=True)
    )
    if leave_out_form_id:
        applied.add(leave_out_form_id)
    suggestions = [
        page
        for page in pages.order_by("title")
        if page.suits_company(nace_codes, legal_form)
        and (page.form_page_id is None or page.form_page_id not in applied)
    ]
    return suggestions[:MAX_SUGGESTIONS]
