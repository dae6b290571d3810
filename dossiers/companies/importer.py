"""Importing the KBO open-data extract: a ZIP of CSV files, streamed.

The register (FOD Economie) publishes a full extract each month and update extracts in
between. A full extract has ``meta.csv``, ``code.csv``, ``enterprise.csv``,
``establishment.csv``, ``denomination.csv``, ``address.csv``, ``contact.csv`` and
``activity.csv``; an update has ``<name>_delete.csv`` (the numbers whose rows go) and
``<name>_insert.csv`` (the rows that come, in full) for each of them. Dates are written
dd-mm-yyyy, numbers 0201.310.929 (enterprises) and 2.123.456.789 (establishments).

What is kept: enterprises and establishments with an address in the installation's
postcodes (``LOKET_KBO_POSTCODES``), an enterprise also when one of its establishments
is there; their names, addresses (not those struck off), activities, and the code
descriptions of legal forms, NACE codes and statuses. Contact details are not kept.

How: each member is read with a csv reader straight from the ZIP (never unpacked, never
in memory whole). Which rows are kept is decided while reading (a set lookup per row);
the kept rows go to the database through a writer (:mod:`.writers`): on PostgreSQL
streamed with ``COPY`` into a staging table and applied with one set-based statement per
table, elsewhere (SQLite) in batches with ``bulk_create``. Only the set of numbers that
are kept is held in memory (the size of the area, not of the country). Everything
happens in one transaction: a failed import changes nothing.

- A full extract replaces everything: importing the same one twice gives the same data.
- An update must carry the number after the last imported extract's; it deletes, then
  inserts, then removes what no longer has an address in the area.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from dossiers.models import (
    CompanyActivity,
    CompanyAddress,
    CompanyName,
    Enterprise,
    Establishment,
    RegisterCode,
    RegisterExtract,
)

from . import rows as kbo
from .writers import BATCH_SIZE, writer_for

#: The code categories whose descriptions Loket shows, and the languages it keeps.
KEPT_CODE_CATEGORIES = {
    "JuridicalForm",
    "JuridicalSituation",
    "Status",
    "TypeOfEnterprise",
    "Nace2003",
    "Nace2008",
    "Nace2025",
    "ActivityGroup",
    "Classification",
}
KEPT_CODE_LANGUAGES = {"NL", "FR"}


class ImportRefused(Exception):
    """The file cannot be imported; the message (Dutch) says why."""


@dataclass
class ExtractInfo:
    """What ``meta.csv`` says about the extract."""

    number: int
    extract_type: str
    snapshot_date: datetime.date
    extract_timestamp: str = ""
    version: str = ""


@dataclass
class ImportResult:
    extract: RegisterExtract
    counts: dict[str, int] = field(default_factory=dict)


def configured_postcodes() -> set[str]:
    """The postcodes the installation serves (setting ``LOKET_KBO_POSTCODES``)."""
    return {str(code).strip() for code in getattr(settings, "LOKET_KBO_POSTCODES", []) if code}


class Extract:
    """An opened extract: its members by file name, read as CSV rows."""

    def __init__(self, fileobj: IO[bytes]):
        try:
            self.zip = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, OSError):
            raise ImportRefused(
                _("This is not a ZIP file. Upload the extract as you downloaded it.")
            ) from None
        # The register's ZIP holds the files at the top; a re-zipped folder one level
        # down works too.
        self.members = {
            info.filename.rsplit("/", 1)[-1].lower(): info.filename
            for info in self.zip.infolist()
            if not info.is_dir()
        }

    def has(self, name: str) -> bool:
        return f"{name}.csv" in self.members

    def rows(self, name: str, required: Iterable[str] = ()) -> Iterator[dict[str, str]]:
        """The rows of ``<name>.csv`` as dicts; refuses a file that misses a column."""
        member = self.members.get(f"{name}.csv")
        if member is None:
            raise ImportRefused(
                _("The file %(name)s.csv is missing from the ZIP.") % {"name": name}
            )
        with self.zip.open(member) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = csv.DictReader(text, restval="")  # a short row: its missing values empty
            try:
                header = reader.fieldnames or []
                missing = [column for column in required if column not in header]
                if missing:
                    raise ImportRefused(
                        _("The file %(name)s.csv misses the column(s) %(columns)s.")
                        % {"name": name, "columns": ", ".join(missing)}
                    )
                yield from reader
            except (csv.Error, UnicodeDecodeError, zipfile.BadZipFile):
                raise ImportRefused(
                    _("The file %(name)s.csv cannot be read (line %(line)s).")
                    % {"name": name, "line": reader.line_num}
                ) from None

    def info(self) -> ExtractInfo:
        meta = {row["Variable"]: row["Value"] for row in self.rows("meta", kbo.COLUMNS["meta"])}
        extract_type = (meta.get("ExtractType") or "").strip().lower()
        number = (meta.get("ExtractNumber") or "").strip()
        snapshot = kbo.parse_date(meta.get("SnapshotDate") or "")
        if extract_type not in RegisterExtract.Type.values or not number.isdigit() or not snapshot:
            raise ImportRefused(
                _(
                    "meta.csv does not say which extract this is "
                    "(ExtractType, ExtractNumber, SnapshotDate)."
                )
            )
        return ExtractInfo(
            number=int(number),
            extract_type=extract_type,
            snapshot_date=snapshot,
            extract_timestamp=(meta.get("ExtractTimestamp") or "").strip(),
            version=(meta.get("Version") or "").strip(),
        )


def import_extract(
    fileobj: IO[bytes], *, postcodes: Iterable[str] | None = None, imported_by: str = ""
) -> ImportResult:
    """Import the extract in ``fileobj`` (a ZIP), full or update, in one transaction.

    Raises :class:`ImportRefused` with a Dutch message for a file that is not an
    extract, misses files or columns, an update without a full extract before it, or an
    update whose number does not follow the last imported one.
    """
    postcodes = set(postcodes) if postcodes is not None else configured_postcodes()
    if not postcodes:
        raise ImportRefused(
            _("No postcodes are set for the register (LOKET_KBO_POSTCODES): nothing would be kept.")
        )
    extract = Extract(fileobj)
    info = extract.info()
    with transaction.atomic():
        last = RegisterExtract.objects.select_for_update().order_by("-imported_at", "-id").first()
        if info.extract_type == RegisterExtract.Type.UPDATE:
            if last is None:
                raise ImportRefused(_("Import a full extract first; an update only adds to one."))
            if info.number != last.number + 1:
                raise ImportRefused(
                    _(
                        "This update has number %(number)s, but the next one after the last "
                        "import (number %(last)s) is %(next)s. Import the updates in order, "
                        "or start again from a full extract."
                    )
                    % {"number": info.number, "last": last.number, "next": last.number + 1}
                )
        importer = _Importer(extract, postcodes, update=info.extract_type == "update")
        counts = importer.run()
        record = RegisterExtract.objects.create(
            number=info.number,
            extract_type=info.extract_type,
            snapshot_date=info.snapshot_date,
            extract_timestamp=info.extract_timestamp,
            version=info.version,
            counts=counts,
            imported_by=imported_by,
        )
    return ImportResult(extract=record, counts=counts)


def current_counts() -> dict[str, int]:
    """How many rows the register holds now, per kind."""
    return {
        "enterprises": Enterprise.objects.count(),
        "establishments": Establishment.objects.count(),
        "names": CompanyName.objects.count(),
        "addresses": CompanyAddress.objects.count(),
        "activities": CompanyActivity.objects.count(),
    }


class _Importer:
    """One run over an extract's files (see the module's docstring for the order)."""

    def __init__(self, extract: Extract, postcodes: set[str], *, update: bool):
        self.extract = extract
        self.postcodes = postcodes
        self.update = update
        self.suffix = "_insert" if update else ""
        self.deleted = 0
        self.writer = writer_for(connection)

    def run(self) -> dict[str, int]:
        if self.update:
            self.apply_deletions()
            known = set(Enterprise.objects.values_list("number", flat=True))
            known |= set(Establishment.objects.values_list("number", flat=True))
        else:
            self.writer.empty(
                Enterprise, Establishment, CompanyName, CompanyAddress, CompanyActivity
            )
            known = set()
        self.import_codes()
        # Who is in the area: entities with a (not struck-off) address in the postcodes,
        # then the enterprises of the establishments among them.
        in_area = known | {
            kbo.compact_number(row["EntityNumber"])
            for row in self.rows("address")
            if row["Zipcode"].strip() in self.postcodes and not row["DateStrikingOff"].strip()
        }
        establishments = []
        for row in self.rows("establishment"):
            number = kbo.compact_number(row["EstablishmentNumber"])
            if number in in_area:
                establishments.append(row)
                in_area.add(kbo.compact_number(row["EnterpriseNumber"]))
        self.write(
            Establishment, (kbo.establishment_values(row) for row in establishments), unique=True
        )
        self.write(
            Enterprise,
            (
                kbo.enterprise_values(row)
                for row in self.rows("enterprise")
                if kbo.compact_number(row["EnterpriseNumber"]) in in_area
            ),
            unique=True,
        )
        for name, build in (
            ("denomination", kbo.name_values),
            ("address", kbo.address_values),
            ("activity", kbo.activity_values),
        ):
            model = {
                "denomination": CompanyName,
                "address": CompanyAddress,
                "activity": CompanyActivity,
            }[name]
            self.write(
                model,
                (
                    build(row)
                    for row in self.rows(name)
                    if kbo.compact_number(row["EntityNumber"]) in in_area
                    and not (name == "address" and row["DateStrikingOff"].strip())
                ),
            )
        self.remove_outside_area()
        return {**current_counts(), "deleted": self.deleted}

    def rows(self, name: str) -> Iterator[dict[str, str]]:
        return self.extract.rows(name + self.suffix, kbo.COLUMNS[name])

    # --- deleting ---------------------------------------------------------------------

    def apply_deletions(self) -> None:
        for name, model, column in (
            ("enterprise", Enterprise, "number"),
            ("establishment", Establishment, "number"),
            ("denomination", CompanyName, "entity_number"),
            ("address", CompanyAddress, "entity_number"),
            ("activity", CompanyActivity, "entity_number"),
        ):
            key = kbo.DELETE_KEYS[name]
            numbers = (
                kbo.compact_number(row[key]) for row in self.extract.rows(f"{name}_delete", [key])
            )
            self.deleted += self.writer.delete_numbers(model, column, numbers)

    def remove_outside_area(self) -> None:
        """Drop what no longer has an address in the area (moved away, struck off), and
        the names, addresses and activities of what is gone: four set-based DELETEs."""
        self.deleted += self.writer.remove_outside_area(self.postcodes)

    # --- writing ----------------------------------------------------------------------

    def write(self, model, objects: Iterable, *, unique: bool = False) -> None:
        """Write ``objects``; with ``unique``, a row with the same number replaces the
        stored one (an update may re-insert without deleting first), the last one wins."""
        self.writer.write(model, objects, unique=unique)

    def import_codes(self) -> None:
        """The code descriptions: a ``code.csv`` (every full extract) replaces them all;
        an update's ``code_insert.csv`` replaces the codes it lists. Descriptions of codes
        the register no longer uses are left: nothing refers to them."""
        replace_all = not self.update or self.extract.has("code")
        name = "code" if replace_all else "code_insert"
        if self.update and not self.extract.has(name):
            return
        codes = {}
        for row in self.extract.rows(name, kbo.COLUMNS["code"]):
            if row["Category"] in KEPT_CODE_CATEGORIES and row["Language"] in KEPT_CODE_LANGUAGES:
                key = (row["Category"], row["Code"].strip(), row["Language"])
                codes[key] = row["Description"].strip()[:400]
        if replace_all:
            RegisterCode.objects.all().delete()
        else:
            for category, code, language in codes:
                RegisterCode.objects.filter(
                    category=category, code=code, language=language
                ).delete()
        RegisterCode.objects.bulk_create(
            [
                RegisterCode(category=category, code=code, language=language, description=text)
                for (category, code, language), text in codes.items()
            ],
            batch_size=BATCH_SIZE,
        )
