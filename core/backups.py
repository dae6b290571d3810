"""Backup archives of a Loket installation: the database plus the public and private files.

``manage.py backup DIR`` writes ``DIR/loket-backup-<UTC time>.tar``; ``manage.py restore
ARCHIVE`` puts one back into an empty database and empty file storages. An archive holds:

- ``manifest.json``: format version, when, the database vendor, the latest migration of
  every app, how many files of each storage;
- ``database.pgdump`` (``pg_dump --format=custom``: one consistent snapshot, restored with
  ``pg_restore``) or ``database.sqlite3`` (a copy made with SQLite's online backup API);
- ``files/default/...`` and ``files/private/...``: every file of the public media storage
  and of the private storage (applicants' uploads, letters), read through Django's storage
  API, so local disk and S3 are backed up alike.

The database is dumped first, then the files are copied: a file saved in between is in
the archive without a row that points to it (harmless), and every row in the dump finds
its file, unless the file was deleted meanwhile (a draft's upload that expired).

PostgreSQL is dumped and restored with ``pg_dump`` and ``pg_restore`` of the server's own
major version: ``/usr/lib/postgresql/<major>/bin`` (Debian's layout), else ``--pg-bin-dir``
or ``LOKET_PG_BIN_DIR``, else the ones on ``PATH``. The connection settings reach them as
``PG*`` environment variables, never on the command line.
"""

from __future__ import annotations

import io
import json
import os
import posixpath
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
#: The storages whose files are backed up, by their name in ``STORAGES``.
STORAGE_ALIASES = ("default", "private")
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


@dataclass
class Summary:
    archive: Path
    vendor: str
    files: dict[str, int]


# --- storages ---------------------------------------------------------------------------


def storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage`` (recursively; nothing when the folder is missing)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from storage_files(storage, posixpath.join(folder, sub) if folder else sub)


def _add_storage(tar: tarfile.TarFile, alias: str, log) -> int:
    storage = storages[alias]
    count = 0
    for name in storage_files(storage):
        info = tarfile.TarInfo(f"files/{alias}/{name}")
        info.mtime = int(timezone.now().timestamp())
        try:
            info.size = storage.size(name)
            with storage.open(name, "rb") as handle:
                tar.addfile(info, handle)
        except FileNotFoundError:  # deleted since it was listed (an expired draft's file)
            log(f"Skipped {alias}:{name}: deleted during the backup.")
            continue
        count += 1
    return count


def _safe_name(name: str) -> str:
    """``name`` if it is a plain relative path inside a storage, else an error."""
    if not name or name.startswith("/") or ".." in name.split("/") or "\\" in name:
        raise CommandError(f"Unsafe file name in the archive: {name!r}")
    return name


# --- database: which, and is it empty ---------------------------------------------------


def vendor() -> str:
    if connection.vendor not in DUMP_NAMES:
        raise CommandError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def table_names() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def latest_migrations() -> dict[str, str]:
    if MigrationRecorder.Migration._meta.db_table not in table_names():
        return {}
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


# --- PostgreSQL -------------------------------------------------------------------------


def _server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _tool_major(path: str) -> int | None:
    output = subprocess.run(
        [path, "--version"], capture_output=True, text=True, timeout=30, check=False
    ).stdout
    match = re.search(r"\s(\d+)(?:\.\d+)?", output)
    return int(match.group(1)) if match else None


def pg_tool(name: str, bin_dir: str = "") -> str:
    """The path of ``pg_dump``/``pg_restore`` of the server's major version."""
    major = _server_major()
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin") / name]
    if bin_dir:
        candidates.insert(0, Path(bin_dir) / name)
    found = [str(path) for path in candidates if path.exists()]
    if on_path := shutil.which(name):
        found.append(on_path)
    for path in found:
        if _tool_major(path) == major:
            return path
    raise CommandError(
        f"No {name} of PostgreSQL {major} found (tried {', '.join(found) or 'nothing'}). "
        f"Install the PostgreSQL {major} client (Debian: postgresql-client-{major}) or "
        "give its bin directory with --pg-bin-dir."
    )


def pg_environment() -> dict[str, str]:
    """The environment that points libpq's tools at Django's database."""
    settings = connection.settings_dict
    options = settings.get("OPTIONS") or {}
    env = dict(os.environ)
    values = {
        "PGDATABASE": settings.get("NAME"),
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGSSLMODE": options.get("sslmode"),
        "PGCONNECT_TIMEOUT": options.get("connect_timeout"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(
        command, env=pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise CommandError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def dump_postgresql(target: Path, bin_dir: str = "") -> None:
    _run([pg_tool("pg_dump", bin_dir), "--format=custom", f"--file={target}"])


def restore_postgresql(source: Path, bin_dir: str = "") -> None:
    tool = pg_tool("pg_restore", bin_dir)
    connection.close()
    _run(
        [
            tool,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ]
    )


def drop_postgresql_tables() -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in table_names():
            cursor.execute(f"DROP TABLE IF EXISTS {quote(table)} CASCADE")


# --- SQLite -----------------------------------------------------------------------------


def _sqlite_path() -> str:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise CommandError(f"An in-memory SQLite database cannot be backed up ({name}).")
    return name


def copy_sqlite(source: str, target: str) -> None:
    """Copy a SQLite database with the online backup API (consistent while in use)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


# --- the two commands -------------------------------------------------------------------


def backup(directory: Path, *, bin_dir: str = "", log=print) -> Summary:
    """Write a new archive into ``directory``; its summary."""
    kind = vendor()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    archive = directory / f"loket-backup-{stamp}.tar"
    if archive.exists():
        raise CommandError(f"{archive} exists already.")
    partial = directory / f".{archive.name}.partial"
    with tempfile.TemporaryDirectory(dir=directory, prefix=".loket-backup-") as work:
        dump = Path(work) / DUMP_NAMES[kind]
        if kind == "postgresql":
            dump_postgresql(dump, bin_dir)
        else:
            copy_sqlite(_sqlite_path(), str(dump))
        try:
            # Personal data: readable by the owner only, whatever the umask.
            partial.touch(mode=0o600)
            partial.chmod(0o600)
            with tarfile.open(partial, "w") as tar:
                tar.add(dump, arcname=dump.name)
                files = {alias: _add_storage(tar, alias, log) for alias in STORAGE_ALIASES}
                manifest = {
                    "format": FORMAT,
                    "created": timezone.now().isoformat(),
                    "database": kind,
                    "migrations": latest_migrations(),
                    "files": files,
                }
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(timezone.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
            partial.rename(archive)
        finally:
            partial.unlink(missing_ok=True)
    return Summary(archive=archive, vendor=kind, files=files)


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except KeyError:
        raise CommandError("Not a Loket backup: the archive has no manifest.json.") from None
    if manifest.get("format") != FORMAT:
        raise CommandError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def restore(archive: Path, *, force: bool = False, bin_dir: str = "", log=print) -> Summary:
    """Restore ``archive`` into this installation's database and storages.

    Refuses unless the database has no tables and the storages no files; with ``force``
    it drops every table first and overwrites files of the same name (other files stay).
    """
    kind = vendor()
    with tarfile.open(archive, "r") as tar:
        manifest = read_manifest(tar)
        if manifest["database"] != kind:
            raise CommandError(
                f"The archive holds a {manifest['database']} database; this installation "
                f"uses {kind}."
            )
        members = [
            (member, alias, _safe_name(member.name[len(f"files/{alias}/") :]))
            for member in tar.getmembers()
            for alias in STORAGE_ALIASES
            if member.isfile() and member.name.startswith(f"files/{alias}/")
        ]
        if not force:
            if table_names():
                raise CommandError(
                    "The database is not empty. Restore into a new, empty database, or "
                    "use --force to drop every table in it first."
                )
            for alias in STORAGE_ALIASES:
                if next(storage_files(storages[alias]), None) is not None:
                    raise CommandError(
                        f"The {alias!r} file storage is not empty. Restore into empty "
                        "folders (or buckets), or use --force to overwrite files."
                    )
        with tempfile.TemporaryDirectory(prefix="loket-restore-") as work:
            dump = Path(work) / DUMP_NAMES[kind]
            with tar.extractfile(DUMP_NAMES[kind]) as source, open(dump, "wb") as target:
                shutil.copyfileobj(source, target)
            if kind == "postgresql":
                if force:
                    drop_postgresql_tables()
                restore_postgresql(dump, bin_dir)
            else:
                connection.close()
                copy_sqlite(str(dump), _sqlite_path())
        files = {alias: 0 for alias in STORAGE_ALIASES}
        for member, alias, name in members:
            storage = storages[alias]
            if storage.exists(name):
                storage.delete(name)
            try:
                saved = storage.save(name, File(tar.extractfile(member), name=name))
            except SuspiciousFileOperation as exc:
                raise CommandError(f"Unsafe file name in the archive: {name!r}") from exc
            if saved != name:
                raise CommandError(f"{alias}:{name} was stored as {saved}.")
            files[alias] += 1
    connection.close()
    return Summary(archive=archive, vendor=kind, files=files)
