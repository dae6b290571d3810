"""``manage.py backup DIR``: write a backup archive of the database and all files."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand

from core import backups


class Command(BaseCommand):
    help = (
        "Write a backup archive (the database, the public media and the private files) "
        "into a directory: DIR/loket-backup-<UTC time>.tar. See docs/OPERATIONS.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write the archive (created if missing)")
        parser.add_argument(
            "--pg-bin-dir",
            default=os.environ.get("LOKET_PG_BIN_DIR", ""),
            help="directory of pg_dump, when it is not in /usr/lib/postgresql/<major>/bin",
        )

    def handle(self, *args, directory, pg_bin_dir, **options):
        summary = backups.backup(
            Path(directory), bin_dir=pg_bin_dir, log=lambda line: self.stderr.write(line)
        )
        files = ", ".join(f"{count} {alias}" for alias, count in summary.files.items())
        self.stderr.write(f"Backed up the {summary.vendor} database and {files} files.")
        # The archive's path alone on stdout, for scripts.
        self.stdout.write(str(summary.archive))
