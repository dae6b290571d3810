"""A company as Mijn loket shows it: register data, establishments here, NACE activities.

:func:`company_profile` reads only the imported register (no call to the KBO) for an
enterprise number that a sign-in method vouched for; the portal never passes a number
someone typed. "Here" means the postcodes the installation serves
(``LOKET_KBO_POSTCODES``), the same ones the import keeps.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When

from dossiers.models import (
    CompanyActivity,
    CompanyAddress,
    CompanyName,
    Enterprise,
    Establishment,
    RegisterCode,
    RegisterExtract,
)

from .importer import configured_postcodes
from .lookup import LANGUAGE_ORDER, address_parts, format_establishment_number, one_line_address

#: The register's name types, as Mijn loket calls them.
NAME_TYPES = {"001": "legal", "002": "abbreviation", "003": "trade"}


@dataclass
class Activity:
    """One NACE code of an enterprise or establishment, with its description."""

    code: str
    version: str
    description: str
    main: bool

    @property
    def formatted(self) -> str:
        """``56101`` → ``56.101``, as NACE codes are written."""
        return f"{self.code[:2]}.{self.code[2:]}" if len(self.code) > 2 else self.code


@dataclass
class EstablishmentHere:
    number: str
    name: str
    address: str
    start_date: datetime.date | None
    activities: list[Activity] = field(default_factory=list)


@dataclass
class CompanyProfile:
    """What the register says about one enterprise, and of which extract."""

    number: str
    name: str
    other_names: list[str]
    legal_form: str
    #: The register's code of the legal form (610 for a BV), for matching services.
    legal_form_code: str
    active: bool
    start_date: datetime.date | None
    seat: str
    activities: list[Activity]
    establishments: list[EstablishmentHere]
    extract_date: datetime.date | None

    @property
    def formatted_number(self) -> str:
        return f"{self.number[:4]}.{self.number[4:7]}.{self.number[7:]}"

    def nace_codes(self) -> set[str]:
        """Every NACE code of the enterprise and its establishments here."""
        codes = {activity.code for activity in self.activities}
        for establishment in self.establishments:
            codes |= {activity.code for activity in establishment.activities}
        return codes


def _descriptions(category_codes: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Descriptions (Dutch, else French) of (category, code) pairs, in one query."""
    found: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    codes = {code for _category, code in category_codes}
    for category, code, language, text in RegisterCode.objects.filter(code__in=codes).values_list(
        "category", "code", "language", "description"
    ):
        if (category, code) in category_codes:
            found[(category, code)][language] = text
    return {key: texts.get("NL") or texts.get("FR") or "" for key, texts in found.items()}


def _activities(numbers: list[str]) -> dict[str, list[Activity]]:
    rows = list(
        CompanyActivity.objects.filter(entity_number__in=numbers)
        .order_by("entity_number", "classification", "nace_code")
        .values_list("entity_number", "nace_version", "nace_code", "classification")
    )
    # The newest NACE version the register gives an entity is the one to show.
    newest: dict[str, str] = {}
    for number, version, _code, _class in rows:
        newest[number] = max(newest.get(number, ""), version)
    texts = _descriptions({(f"Nace{version}", code) for _n, version, code, _c in rows})
    result: dict[str, list[Activity]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for number, version, code, classification in rows:
        if version != newest[number] or (number, code) in seen:
            continue
        seen.add((number, code))
        result[number].append(
            Activity(
                code=code,
                version=version,
                description=texts.get((f"Nace{version}", code), ""),
                main=classification == "MAIN",
            )
        )
    for activities in result.values():
        activities.sort(key=lambda activity: (not activity.main, activity.code))
    return result


def company_profile(number: str) -> CompanyProfile | None:
    """The register's data on the enterprise ``number`` (10 digits), or None when the
    imported register does not hold it. A fixed number of queries."""
    enterprise = Enterprise.objects.filter(number=number).first()
    if enterprise is None:
        return None
    postcodes = configured_postcodes()
    units = list(Establishment.objects.filter(enterprise_number=number).order_by("number"))
    numbers = [number, *(unit.number for unit in units)]
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entity, name_type, name in (
        CompanyName.objects.filter(entity_number__in=numbers)
        .order_by("entity_number", "name_type", LANGUAGE_ORDER, "name")
        .values_list("entity_number", "name_type", "name")
    ):
        if name not in (known for _type, known in names[entity]):
            names[entity].append((name_type, name))
    addresses: dict[str, list[CompanyAddress]] = defaultdict(list)
    for address in CompanyAddress.objects.filter(entity_number__in=numbers).order_by(
        Case(
            When(address_type="REGO", then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ):
        addresses[address.entity_number].append(address)
    activities = _activities(numbers)
    establishments = []
    for unit in units:
        here = [a for a in addresses[unit.number] if not postcodes or a.postcode in postcodes]
        if not here:
            continue
        establishments.append(
            EstablishmentHere(
                number=format_establishment_number(unit.number),
                name=names[unit.number][0][1] if names[unit.number] else "",
                address=one_line_address(address_parts(here[0])),
                start_date=unit.start_date,
                activities=activities.get(unit.number, []),
            )
        )
    own = names[number]
    seat = addresses[number][0] if addresses[number] else None
    extract = RegisterExtract.objects.order_by("-imported_at", "-id").first()
    legal_form = _descriptions({("JuridicalForm", enterprise.juridical_form)}).get(
        ("JuridicalForm", enterprise.juridical_form), enterprise.juridical_form
    )
    return CompanyProfile(
        number=number,
        name=own[0][1] if own else "",
        other_names=[name for _type, name in own[1:]],
        legal_form=legal_form,
        legal_form_code=enterprise.juridical_form,
        active=enterprise.is_active,
        start_date=enterprise.start_date,
        seat=one_line_address(address_parts(seat)) if seat is not None else "",
        activities=activities.get(number, []),
        establishments=establishments,
        extract_date=extract.snapshot_date if extract else None,
    )
