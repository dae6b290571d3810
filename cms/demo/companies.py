"""A tiny KBO open-data extract with the demo companies, built in memory.

The files and columns are the register's own (see dossiers.companies.importer); the
numbers pass the check digits. ``load_demo`` imports it for the demo postcode, so the
"Look up" button of the demo forms finds these companies.
"""

from __future__ import annotations

import csv
import io
import zipfile

from dossiers.companies.importer import import_extract
from dossiers.models import ContactPreference, LetterChannel, RegisterExtract

#: The demo companies' postcode (a real one: the postcode check refuses 9999).
DEMO_POSTCODES = {"9000"}

HEADERS = {
    "meta": ["Variable", "Value"],
    "code": ["Category", "Code", "Language", "Description"],
    "enterprise": [
        "EnterpriseNumber",
        "Status",
        "JuridicalSituation",
        "TypeOfEnterprise",
        "JuridicalForm",
        "JuridicalFormCAC",
        "StartDate",
    ],
    "establishment": ["EstablishmentNumber", "StartDate", "EnterpriseNumber"],
    "denomination": ["EntityNumber", "Language", "TypeOfDenomination", "Denomination"],
    "address": [
        "EntityNumber",
        "TypeOfAddress",
        "CountryNL",
        "CountryFR",
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
    "contact": ["EntityNumber", "EntityContact", "ContactType", "Value"],
    "activity": ["EntityNumber", "ActivityGroup", "NaceVersion", "NaceCode", "Classification"],
}


def zip_extract(files: dict[str, list[list[str]]]) -> bytes:
    """A ZIP like the register's: ``files`` maps a file name without ``.csv`` (e.g.
    "enterprise", "address_delete") to its rows; the header comes from :data:`HEADERS`
    (for ``*_delete`` files: the first column only), quoted as the register quotes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in files.items():
            base, _sep, kind = name.partition("_")
            header = HEADERS[base][:1] if kind == "delete" else HEADERS[base]
            text = io.StringIO()
            writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
            archive.writestr(f"{name}.csv", text.getvalue())
    return buffer.getvalue()


def meta_rows(number: int, extract_type: str, date: str) -> list[list[str]]:
    return [
        ["SnapshotDate", date],
        ["ExtractTimestamp", f"{date} 05:03:03"],
        ["ExtractType", extract_type],
        ["ExtractNumber", str(number)],
        ["Version", "1.0.0"],
    ]


def _address(number, street, house, postcode="9000", municipality="Voorbeeld", kind="REGO"):
    return [
        number,
        kind,
        "",
        "",
        postcode,
        municipality,
        municipality,
        street,
        street,
        house,
        "",
        "",
        "",
    ]


def demo_extract() -> bytes:
    """The demo companies: Kapsalon Lotte (seat and one establishment in Voorbeeld) and
    Café De Markt, a BV with its seat elsewhere and its café on the Markt."""
    return zip_extract(
        {
            "meta": meta_rows(1, "full", "01-12-2026"),
            "code": [
                ["JuridicalForm", "014", "NL", "Naamloze vennootschap"],
                ["JuridicalForm", "610", "NL", "Besloten vennootschap"],
                ["Nace2008", "96021", "NL", "Haarverzorging"],
                ["Nace2008", "56301", "NL", "Cafés en bars"],
            ],
            "enterprise": [
                ["0403.170.701", "AC", "000", "2", "014", "", "01-03-2012"],
                ["0417.497.106", "AC", "000", "2", "610", "", "15-06-2018"],
            ],
            "establishment": [
                ["2.100.000.160", "01-03-2012", "0403.170.701"],
                ["2.200.000.181", "15-06-2018", "0417.497.106"],
            ],
            "denomination": [
                ["0403.170.701", "2", "001", "Kapsalon Lotte"],
                ["0417.497.106", "2", "001", "De Markt"],
                ["2.200.000.181", "2", "003", "Café De Markt"],
            ],
            "address": [
                _address("0403.170.701", "Stationsstraat", "14"),
                _address("2.100.000.160", "Stationsstraat", "14", kind="BAET"),
                _address("0417.497.106", "Kerkstraat", "3", "9000", "Gent"),
                _address("2.200.000.181", "Markt", "1", kind="BAET"),
            ],
            "contact": [],
            "activity": [
                ["0403.170.701", "001", "2008", "96021", "MAIN"],
                ["0417.497.106", "001", "2008", "56301", "MAIN"],
            ],
        }
    )


def ensure_demo_companies() -> None:
    """Import the demo extract once (a few milliseconds); never over a real import. The
    hair salon chose letters on paper (once)."""
    if not ContactPreference.objects.filter(enterprise_number="0403170701").exists():
        ContactPreference.objects.create(
            enterprise_number="0403170701",
            channel=LetterChannel.PAPER,
            postal_address="Kapsalon Lotte NV\nStationsstraat 14\n9000 Voorbeeld",
            given_via="demo",
        )
    if RegisterExtract.objects.exists():
        return
    import_extract(io.BytesIO(demo_extract()), postcodes=DEMO_POSTCODES, imported_by="load_demo")
