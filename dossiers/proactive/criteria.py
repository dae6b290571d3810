"""What a rule finds: its candidates, each with the reason an officer reads.

:func:`candidates` reads the imported company register (:mod:`dossiers.models.company`)
or the permits of the rule's municipality, and returns plain :class:`Candidate`
objects; it writes nothing. The service (:mod:`.services`) turns them into invitations.

Companies: an active enterprise matches when it has its seat or an establishment with
an address in the rule's postcodes (empty: the register's, ``LOKET_KBO_POSTCODES``),
that place started within the rule's number of days (when given), one NACE code of the
place or the enterprise starts with one of the rule's beginnings (when given), and its
legal form is one of the rule's (when given). A fixed number of queries per run.

Renewal: a permit of the rule's form, of a dossier of the rule's municipality, not
withdrawn, that ends between today and today + the rule's days, unless the holder
already applied again with that form after the permit was issued.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from dossiers.companies.importer import configured_postcodes
from dossiers.companies.lookup import address_parts, format_establishment_number, one_line_address
from dossiers.models import (
    CompanyActivity,
    CompanyAddress,
    CompanyName,
    Dossier,
    Enterprise,
    Establishment,
    Permit,
    ProactiveRule,
    RuleKind,
)
from forms_builder.fields import get_field_type
from forms_builder.schema import input_fields

#: Names of the legal name (001) before trade names, Dutch before French.
_NAME_ORDER = {"001": 0, "003": 1, "002": 2}


@dataclass
class Candidate:
    """One company or permit a rule found."""

    #: Once per rule: "company:<number>" or "permit:<id>".
    subject_key: str
    enterprise_number: str
    company_name: str
    reason: str
    dossier: Dossier | None = None
    ends_on: datetime.date | None = None
    link: str = ""


def candidates(rule: ProactiveRule, *, today: datetime.date) -> list[Candidate]:
    """Everything ``rule`` finds on ``today``, invited before or not."""
    if rule.kind == RuleKind.RENEWAL:
        return renewal_candidates(rule, today=today)
    return company_candidates(rule, today=today)


# --- companies ---------------------------------------------------------------------------


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def company_candidates(rule: ProactiveRule, *, today: datetime.date) -> list[Candidate]:
    postcodes = rule.postcode_list() or sorted(configured_postcodes())
    if not postcodes:
        return []
    since = (
        today - datetime.timedelta(days=rule.started_within_days)
        if rule.started_within_days is not None
        else None
    )
    # The places here: seats (REGO) of enterprises and establishments (BAET).
    addresses = {
        address.entity_number: address
        for address in CompanyAddress.objects.filter(
            postcode__in=postcodes, address_type__in=("REGO", "BAET")
        ).order_by("entity_number", "pk")
    }
    if not addresses:
        return []
    units = {
        unit.number: unit
        for unit in Establishment.objects.filter(number__in=list(addresses)).only(
            "number", "enterprise_number", "start_date"
        )
    }
    enterprise_numbers = {unit.enterprise_number for unit in units.values()} | {
        number for number in addresses if number not in units
    }
    enterprises = {
        enterprise.number: enterprise
        for enterprise in Enterprise.objects.filter(number__in=enterprise_numbers, status="AC")
    }
    forms = rule.legal_form_codes()
    if forms:
        enterprises = {n: e for n, e in enterprises.items() if e.juridical_form in forms}
    prefixes = rule.nace_prefixes()
    codes: dict[str, set[str]] = defaultdict(set)
    if prefixes:
        matching = Q()
        for prefix in prefixes:
            matching |= Q(nace_code__startswith=prefix)
        for entity, code in CompanyActivity.objects.filter(
            matching, entity_number__in=[*enterprises, *units]
        ).values_list("entity_number", "nace_code"):
            codes[entity].add(code)

    found: dict[str, Candidate] = {}
    # An establishment here says more than the seat: establishments first.
    for entity, address in sorted(
        addresses.items(), key=lambda item: (item[0] not in units, item[0])
    ):
        unit = units.get(entity)
        number = unit.enterprise_number if unit else entity
        enterprise = enterprises.get(number)
        if enterprise is None or number in found:
            continue
        started = unit.start_date if unit else enterprise.start_date
        if since is not None and (started is None or started < since or started > today):
            continue
        place_codes = codes[entity] | codes[number]
        if prefixes and not place_codes:
            continue
        place = one_line_address(address_parts(address))
        if unit:
            where = _("Establishment %(number)s at %(address)s") % {
                "number": format_establishment_number(entity),
                "address": place,
            }
        else:
            where = _("Seat at %(address)s") % {"address": place}
        parts = [where]
        if started:
            parts.append(_("started on %(date)s") % {"date": _date(started)})
        if place_codes:
            parts.append(
                _("NACE %(codes)s")
                % {"codes": ", ".join(f"{c[:2]}.{c[2:]}" for c in sorted(place_codes))}
            )
        if forms:
            parts.append(_("legal form %(code)s") % {"code": enterprise.juridical_form})
        found[number] = Candidate(
            subject_key=f"company:{number}",
            enterprise_number=number,
            company_name="",
            reason="; ".join(parts) + ".",
        )
    _add_names(found)
    link = form_link(rule.proposed_form())
    # The company's last dossier in the municipality carries the e-mail (one query).
    last: dict[str, Dossier] = {}
    for dossier in Dossier.objects.filter(
        enterprise_number__in=list(found), site_id=rule.site_id
    ).order_by("-submitted_at", "-pk"):
        last.setdefault(dossier.enterprise_number, dossier)
    for number, candidate in found.items():
        candidate.dossier = last.get(number)
        candidate.link = link
    return list(found.values())


def _add_names(found: dict[str, Candidate]) -> None:
    """The enterprises' names (the legal name first), in one query."""
    best: dict[str, tuple[int, str]] = {}
    for entity, name_type, language, name in CompanyName.objects.filter(
        entity_number__in=list(found)
    ).values_list("entity_number", "name_type", "language", "name"):
        rank = (_NAME_ORDER.get(name_type, 9), 0 if language == "2" else 1)
        if entity not in best or rank < best[entity][0]:
            best[entity] = (rank, name)
    for number, candidate in found.items():
        candidate.company_name = best[number][1] if number in best else ""


# --- renewal -----------------------------------------------------------------------------


def renewal_candidates(rule: ProactiveRule, *, today: datetime.date) -> list[Candidate]:
    if rule.permit_form_id is None:
        return []
    until = today + datetime.timedelta(days=rule.days_before_end)
    permits = (
        Permit.objects.filter(
            dossier__form_page_id=rule.permit_form_id,
            dossier__site_id=rule.site_id,
            withdrawn_at=None,
            valid_until__gte=today,
            valid_until__lte=until,
        )
        .select_related("dossier")
        .order_by("valid_until", "pk")
    )
    form = rule.proposed_form()
    found = []
    for permit in permits:
        dossier = permit.dossier
        if _applied_again(dossier, permit, form):
            continue
        found.append(
            Candidate(
                subject_key=f"permit:{permit.pk}",
                enterprise_number=dossier.enterprise_number[:10],
                company_name=dossier.company_name or dossier.applicant_name,
                reason=_("%(kind)s of dossier %(reference)s ends on %(date)s.")
                % {
                    "kind": permit.kind,
                    "reference": dossier.reference,
                    "date": _date(permit.valid_until),
                },
                dossier=dossier,
                ends_on=permit.valid_until,
                link=form_link(form, previous=dossier),
            )
        )
    return found


def _applied_again(dossier: Dossier, permit: Permit, form) -> bool:
    """Whether the holder sent the proposed form again after the permit was issued."""
    if form is None:
        return False
    holder = (
        Q(enterprise_number=dossier.enterprise_number)
        if dossier.enterprise_number
        else Q(applicant_email__iexact=dossier.applicant_email)
    )
    if not dossier.enterprise_number and not dossier.applicant_email:
        return False
    return (
        Dossier.objects.filter(holder, form_page=form, submitted_at__gt=permit.issued_at)
        .exclude(pk=dossier.pk)
        .exists()
    )


# --- the link ----------------------------------------------------------------------------


def form_link(form, *, previous: Dossier | None = None) -> str:
    """The address of ``form`` for an e-mail; with ``previous``, the answers of that
    dossier to the questions the editor allows to be filled in from a link
    ("Can be filled in from a link"), by the same machine name. Sensitive answers (a
    national register number) never go into a link."""
    if form is None:
        return ""
    address = settings.LOKET_BASE_URL.rstrip("/") + form.url
    if previous is None:
        return address
    answered: dict[str, Any] = {}
    for step_answers in (previous.answers or {}).values():
        if isinstance(step_answers, dict):
            answered.update(step_answers)
    query: list[tuple[str, str]] = []
    for _step, field in input_fields(form.get_schema()):
        value = answered.get(field["name"])
        if not field.get("prefill") or value in (None, "", [], {}):
            continue
        if get_field_type(field["type"]).sensitive:
            continue
        if isinstance(value, list) and all(isinstance(each, str) for each in value):
            query.extend((field["name"], each) for each in value)
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            query.append((field["name"], str(value)))
    return f"{address}?{urlencode(query)}" if query else address
