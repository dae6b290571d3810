"""Importing the Flemish address register's open data: one CSV file, streamed.

The file is the register's address list as the federal BeST service publishes it for
the Flemish Region (``openaddress-bevlg.zip``, one CSV inside; the data of the
Adressenregister of Digitaal Vlaanderen): one row per address, a box number being an
address of its own, with the columns

    EPSG:3812_x, EPSG:3812_y, EPSG:4326_lat, EPSG:4326_lon, address_id, box_number,
    house_number, municipality_id, municipality_name_de, municipality_name_fr,
    municipality_name_nl, postcode, postname_fr, postname_nl, street_id, streetname_de,
    streetname_fr, streetname_nl, region_code, status

``address_id`` and ``street_id`` are the register's objectIds, ``municipality_id`` the
NIS code, ``status`` one of current, proposed, reserved, retired. The ZIP or the CSV
taken out of it are both accepted. The coordinates in WGS84 are kept when present.

How: rows are read one by one (the ZIP is never unpacked) and written in batches of
:data:`BATCH_SIZE`: per batch, the streets and addresses it names are read, new ones
created, changed ones updated, and every row seen is stamped with this import's id.
Afterwards, whatever of the imported municipalities was not stamped is no longer in the
register's file and is marked retired. So memory does not grow with the file, and an
import of the same file twice changes nothing. Everything happens in one transaction: a
refused or failed import changes nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from dossiers.models import Address, AddressImport, PlaceStatus, Street
from forms_builder.streets import comparable

#: Rows read and written per batch.
BATCH_SIZE = 2000

#: The columns an import cannot do without.
REQUIRED_COLUMNS = (
    "address_id",
    "house_number",
    "box_number",
    "municipality_id",
    "municipality_name_nl",
    "postcode",
    "street_id",
    "streetname_nl",
    "status",
)

#: The fields of an address an import compares and writes.
ADDRESS_FIELDS = (
    "street_id",
    "house_number",
    "box_number",
    "postcode",
    "nis_code",
    "municipality",
    "latitude",
    "longitude",
    "status",
)
STREET_FIELDS = (
    "name_nl",
    "name_fr",
    "name_de",
    "search_name",
    "nis_code",
    "municipality",
    "status",
)


class ImportRefused(Exception):
    """The file cannot be imported; the message (Dutch) says why."""


@dataclass
class ImportResult:
    run: AddressImport
    counts: dict[str, int] = field(default_factory=dict)


def open_rows(fileobj: IO[bytes]) -> Iterator[dict[str, str]]:
    """The rows of the CSV in ``fileobj`` (a CSV, or a ZIP with one CSV), as dicts."""
    if zipfile.is_zipfile(fileobj):
        fileobj.seek(0)
        archive = zipfile.ZipFile(fileobj)
        members = [info for info in archive.infolist() if info.filename.lower().endswith(".csv")]
        if len(members) != 1:
            raise ImportRefused(
                _("The ZIP file must hold exactly one CSV file with the addresses.")
            )
        with archive.open(members[0]) as raw:
            yield from _csv_rows(raw)
    else:
        fileobj.seek(0)
        yield from _csv_rows(fileobj)


def _csv_rows(raw: IO[bytes]) -> Iterator[dict[str, str]]:
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text, restval="")
    try:
        header = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = header
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise ImportRefused(
                _(
                    "This is not the address register's CSV file: the column(s) %(columns)s "
                    "are missing."
                )
                % {"columns": ", ".join(missing)}
            )
        yield from reader
    except (csv.Error, UnicodeDecodeError, zipfile.BadZipFile):
        raise ImportRefused(
            _("The file cannot be read (line %(line)s). Upload it as you downloaded it.")
            % {"line": max(reader.line_num, 1)}
        ) from None
    finally:
        text.detach()


def import_addresses(
    fileobj: IO[bytes], *, municipality: str = "", file_name: str = "", imported_by: str = ""
) -> ImportResult:
    """Import the register's CSV in ``fileobj``; with ``municipality`` (a NIS code) only
    that municipality's rows. Returns the counts: read, skipped, streets and addresses
    created, updated, unchanged and retired.

    Raises :class:`ImportRefused` (Dutch message) for a file that is not the register's
    CSV, or that holds no address (of the municipality asked for).
    """
    municipality = (municipality or "").strip()
    if municipality and not (municipality.isdigit() and len(municipality) == 5):
        raise ImportRefused(_("A NIS code has 5 digits, like 44021."))
    with transaction.atomic():
        run = AddressImport.objects.create(
            file_name=file_name[:255], municipality=municipality, imported_by=imported_by
        )
        importer = _Importer(run.pk, municipality)
        importer.run(open_rows(fileobj))
        run.counts = importer.counts
        run.save(update_fields=["counts"])
    return ImportResult(run=run, counts=importer.counts)


def current_counts() -> dict[str, int]:
    """How many streets and addresses in use the register holds now."""
    return {
        "streets": Street.objects.filter(status=PlaceStatus.CURRENT).count(),
        "addresses": Address.objects.filter(status=PlaceStatus.CURRENT).count(),
    }


class _Importer:
    """One run over the file (see the module's docstring)."""

    def __init__(self, stamp: int, municipality: str):
        self.stamp = stamp
        self.municipality = municipality
        #: The NIS codes in the file (a few hundred at most: Flanders has 285).
        self.municipalities: set[str] = set()
        self.counts = dict.fromkeys(
            (
                "read",
                "skipped",
                "streets_created",
                "streets_updated",
                "streets_retired",
                "created",
                "updated",
                "unchanged",
                "retired",
            ),
            0,
        )

    def run(self, rows: Iterator[dict[str, str]]) -> None:
        batch: list[dict] = []
        for row in rows:
            nis_code = row["municipality_id"].strip()
            if self.municipality and nis_code != self.municipality:
                continue
            self.counts["read"] += 1
            values = self.values(row)
            if values is None:
                self.counts["skipped"] += 1
                continue
            self.municipalities.add(nis_code)
            batch.append(values)
            if len(batch) >= BATCH_SIZE:
                self.write(batch)
                batch = []
        if batch:
            self.write(batch)
        if not self.municipalities:
            if self.municipality:
                raise ImportRefused(
                    _("The file holds no address of the municipality with NIS code %(nis)s.")
                    % {"nis": self.municipality}
                )
            raise ImportRefused(_("The file holds no address."))
        self.retire_missing()

    def values(self, row: dict[str, str]) -> dict | None:
        """A row's street and address, or None for a row that cannot be used."""
        address_id = row["address_id"].strip()
        street_id = row["street_id"].strip()
        number = row["house_number"].strip()
        name = row["streetname_nl"].strip() or row.get("streetname_fr", "").strip()
        status = row["status"].strip().lower()
        if not (address_id and street_id and number and name) or status not in PlaceStatus.values:
            return None
        municipality = (
            row["municipality_name_nl"].strip() or row.get("municipality_name_fr", "").strip()
        )
        street = {
            "name_nl": name[:200],
            "name_fr": row.get("streetname_fr", "").strip()[:200],
            "name_de": row.get("streetname_de", "").strip()[:200],
            "search_name": comparable(name)[:200],
            "nis_code": row["municipality_id"].strip(),
            "municipality": municipality[:100],
            "status": PlaceStatus.CURRENT,
        }
        address = {
            "house_number": number[:20],
            "box_number": row["box_number"].strip()[:40],
            "postcode": row["postcode"].strip()[:4],
            "nis_code": street["nis_code"],
            "municipality": street["municipality"],
            "latitude": _coordinate(row.get("EPSG:4326_lat", "")),
            "longitude": _coordinate(row.get("EPSG:4326_lon", "")),
            "status": status,
        }
        return {
            "address_id": address_id,
            "street_id": street_id,
            "street": street,
            "address": address,
        }

    # --- writing ----------------------------------------------------------------------

    def write(self, batch: list[dict]) -> None:
        streets = self.write_streets({values["street_id"]: values["street"] for values in batch})
        addresses = {values["address_id"]: values for values in batch}
        existing = Address.objects.in_bulk(list(addresses), field_name="address_id")
        created, changed, unchanged = [], [], []
        for address_id, values in addresses.items():
            wanted = {**values["address"], "street_id": streets[values["street_id"]]}
            stored = existing.get(address_id)
            if stored is None:
                created.append(Address(address_id=address_id, seen_in=self.stamp, **wanted))
            elif any(getattr(stored, name) != wanted[name] for name in ADDRESS_FIELDS):
                for name in ADDRESS_FIELDS:
                    setattr(stored, name, wanted[name])
                stored.seen_in = self.stamp
                changed.append(stored)
            else:
                unchanged.append(stored.pk)
        Address.objects.bulk_create(created)
        Address.objects.bulk_update(changed, [*ADDRESS_FIELDS, "seen_in"])
        Address.objects.filter(pk__in=unchanged).update(seen_in=self.stamp)
        self.counts["created"] += len(created)
        self.counts["updated"] += len(changed)
        self.counts["unchanged"] += len(unchanged)

    def write_streets(self, streets: dict[str, dict]) -> dict[str, int]:
        """Create or update the batch's streets; their primary keys by street id."""
        existing = Street.objects.in_bulk(list(streets), field_name="street_id")
        created, changed, seen = [], [], []
        for street_id, wanted in streets.items():
            stored = existing.get(street_id)
            if stored is None:
                created.append(Street(street_id=street_id, seen_in=self.stamp, **wanted))
            elif any(getattr(stored, name) != wanted[name] for name in STREET_FIELDS):
                for name in STREET_FIELDS:
                    setattr(stored, name, wanted[name])
                stored.seen_in = self.stamp
                changed.append(stored)
            elif stored.seen_in != self.stamp:
                seen.append(stored.pk)
        Street.objects.bulk_create(created)
        Street.objects.bulk_update(changed, [*STREET_FIELDS, "seen_in"])
        Street.objects.filter(pk__in=seen).update(seen_in=self.stamp)
        self.counts["streets_created"] += len(created)
        self.counts["streets_updated"] += len(changed)
        return dict(
            Street.objects.filter(street_id__in=list(streets)).values_list("street_id", "pk")
        )

    def retire_missing(self) -> None:
        """Mark retired what the imported municipalities have and the file no longer has."""
        self.counts["retired"] = (
            Address.objects.filter(nis_code__in=self.municipalities)
            .exclude(seen_in=self.stamp)
            .exclude(status=PlaceStatus.RETIRED)
            .update(status=PlaceStatus.RETIRED)
        )
        self.counts["streets_retired"] = (
            Street.objects.filter(nis_code__in=self.municipalities)
            .exclude(seen_in=self.stamp)
            .exclude(status=PlaceStatus.RETIRED)
            .update(status=PlaceStatus.RETIRED)
        )


def _coordinate(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip()).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() and abs(value) <= 180 else None
