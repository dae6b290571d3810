"""``manage.py import_addresses <file> [--municipality NIS]``: import the Flemish address
register's open data (the CSV, or the ZIP it comes in); see :mod:`dossiers.places.importer`.

Safe to run again with the same or a newer file: unchanged rows stay as they are, changed
ones are updated, and addresses no longer in the file are marked retired. A refused file
changes nothing and the command exits with an error.
"""

import os
import time

from django.core.management.base import BaseCommand, CommandError

from dossiers.places.importer import ImportRefused, import_addresses


class Command(BaseCommand):
    help = "Import the streets and addresses of the Flemish address register (CSV or ZIP)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file, or the ZIP it was downloaded in.")
        parser.add_argument(
            "--municipality",
            default="",
            help="Only this municipality's addresses: its NIS code (5 digits, e.g. 44021).",
        )

    def handle(self, *args, path: str, municipality: str = "", **options):
        started = time.monotonic()
        try:
            with open(path, "rb") as fileobj:
                result = import_addresses(
                    fileobj,
                    municipality=municipality,
                    file_name=os.path.basename(path),
                    imported_by="manage.py import_addresses",
                )
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        counts = ", ".join(f"{name} {count}" for name, count in result.counts.items())
        self.stdout.write(
            f"Imported addresses from {os.path.basename(path)} in "
            f"{time.monotonic() - started:.1f} s: {counts}."
        )
