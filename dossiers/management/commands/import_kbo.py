"""``manage.py import_kbo <zip>``: import a KBO open-data extract (full or update).

Keeps the enterprises and establishments with an address in ``LOKET_KBO_POSTCODES``
(or in ``--postcodes``); see :mod:`dossiers.companies.importer`. Updates must be
imported in order; a refused file changes nothing and the command exits with an error.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from dossiers.companies.importer import ImportRefused, import_extract


class Command(BaseCommand):
    help = "Import a KBO open-data extract (the ZIP of CSV files), full or update."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The ZIP file as downloaded from the register.")
        parser.add_argument(
            "--postcodes",
            help="Comma-separated postcodes to keep, instead of LOKET_KBO_POSTCODES.",
        )

    def handle(self, *args, path: str, postcodes: str | None = None, **options):
        codes = (
            [code.strip() for code in postcodes.split(",") if code.strip()] if postcodes else None
        )
        started = time.monotonic()
        try:
            with open(path, "rb") as fileobj:
                result = import_extract(
                    fileobj, postcodes=codes, imported_by="manage.py import_kbo"
                )
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        extract = result.extract
        counts = ", ".join(f"{name} {count}" for name, count in result.counts.items())
        self.stdout.write(
            f"Imported KBO extract {extract.number} ({extract.extract_type}, "
            f"{extract.snapshot_date:%d-%m-%Y}) in {time.monotonic() - started:.1f} s: {counts}."
        )
