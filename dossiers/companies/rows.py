"""The KBO open-data files' rows: their columns, and turning a row into the values of a
model's fields (a dict by field name; the writers make rows or model objects of it).

Column names are the register's (FOD Economie's "Cookbook KBO Open data"); a file may
have more columns than these (``JuridicalFormCAC``, ``CountryFR``): they are ignored.
"""

from __future__ import annotations

import datetime

#: The columns each file must have (the register's names; more columns are ignored).
COLUMNS = {
    "meta": ["Variable", "Value"],
    "code": ["Category", "Code", "Language", "Description"],
    "enterprise": [
        "EnterpriseNumber",
        "Status",
        "JuridicalSituation",
        "TypeOfEnterprise",
        "JuridicalForm",
        "StartDate",
    ],
    "establishment": ["EstablishmentNumber", "StartDate", "EnterpriseNumber"],
    "denomination": ["EntityNumber", "Language", "TypeOfDenomination", "Denomination"],
    "address": [
        "EntityNumber",
        "TypeOfAddress",
        "CountryNL",
        "Zipcode",
        "MunicipalityNL",
        "MunicipalityFR",
        "StreetNL",
        "StreetFR",
        "HouseNumber",
        "Box",
        "ExtraAddressInfo",
        "DateStrikingOff",
    ],
    "activity": ["EntityNumber", "ActivityGroup", "NaceVersion", "NaceCode", "Classification"],
}

#: The column with the number in each ``<name>_delete.csv``.
DELETE_KEYS = {
    "enterprise": "EnterpriseNumber",
    "establishment": "EstablishmentNumber",
    "denomination": "EntityNumber",
    "address": "EntityNumber",
    "activity": "EntityNumber",
}


def compact_number(number: str) -> str:
    """``0201.310.929`` → ``0201310929``; ``2.123.456.789`` → ``2123456789``."""
    compact = number.replace(".", "")
    if compact.isdigit():  # the register's own spelling: the fast way (millions of rows)
        return compact
    return "".join(ch for ch in number if ch.isdigit())


def parse_date(value: str) -> datetime.date | None:
    """A register date (dd-mm-yyyy), None when empty or not a date."""
    try:
        return datetime.datetime.strptime(value.strip(), "%d-%m-%Y").date()
    except ValueError:
        return None


def enterprise_values(row: dict[str, str]) -> dict:
    return dict(
        number=compact_number(row["EnterpriseNumber"]),
        status=row["Status"].strip()[:2],
        juridical_situation=row["JuridicalSituation"].strip()[:3],
        type_of_enterprise=row["TypeOfEnterprise"].strip()[:1],
        juridical_form=row["JuridicalForm"].strip()[:3],
        start_date=parse_date(row["StartDate"]),
    )


def establishment_values(row: dict[str, str]) -> dict:
    return dict(
        number=compact_number(row["EstablishmentNumber"]),
        enterprise_number=compact_number(row["EnterpriseNumber"]),
        start_date=parse_date(row["StartDate"]),
    )


def name_values(row: dict[str, str]) -> dict:
    return dict(
        entity_number=compact_number(row["EntityNumber"]),
        language=row["Language"].strip()[:1],
        name_type=row["TypeOfDenomination"].strip()[:3],
        name=row["Denomination"].strip()[:320],
    )


def address_values(row: dict[str, str]) -> dict:
    return dict(
        entity_number=compact_number(row["EntityNumber"]),
        address_type=row["TypeOfAddress"].strip()[:4],
        country=row["CountryNL"].strip()[:100],
        postcode=row["Zipcode"].strip()[:20],
        municipality_nl=row["MunicipalityNL"].strip()[:200],
        municipality_fr=row["MunicipalityFR"].strip()[:200],
        street_nl=row["StreetNL"].strip()[:200],
        street_fr=row["StreetFR"].strip()[:200],
        house_number=row["HouseNumber"].strip()[:22],
        box=row["Box"].strip()[:20],
        extra=row["ExtraAddressInfo"].strip()[:200],
    )


def activity_values(row: dict[str, str]) -> dict:
    return dict(
        entity_number=compact_number(row["EntityNumber"]),
        activity_group=row["ActivityGroup"].strip()[:6],
        nace_version=row["NaceVersion"].strip()[:4],
        nace_code=row["NaceCode"].strip()[:8],
        classification=row["Classification"].strip()[:4],
    )
