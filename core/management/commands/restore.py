"""``manage.py restore ARCHIVE``: restore a backup archive into an empty installation."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backups


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty database and empty "
        "file storages. Refuses a database with tables or storages with files unless "
        "--force. Run `manage.py migrate` afterwards. See docs/OPERATIONS.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a loket-backup-*.tar file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="drop every table of the database first and overwrite files of the same name",
        )
        parser.add_argument(
            "--pg-bin-dir",
            default=os.environ.get("LOKET_PG_BIN_DIR", ""),
            help="directory of pg_restore, when it is not in /usr/lib/postgresql/<major>/bin",
        )

    def handle(self, *args, archive, force, pg_bin_dir, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"No such archive: {path}")
        summary = backups.restore(
            path, force=force, bin_dir=pg_bin_dir, log=lambda line: self.stderr.write(line)
        )
        files = ", ".join(f"{count} {alias}" for alias, count in summary.files.items())
        self.stdout.write(
            f"Restored the {summary.vendor} database and {files} files from {path.name}. "
            "Now run `manage.py migrate` (it does nothing when the code is of the same version)."
        )
