"""``manage.py backup`` and ``manage.py restore``: dossiers with files survive a round
trip into a new, empty database and empty file folders.

The archive is made in-process from the test database (PostgreSQL in CI, SQLite by
default); the restore runs as an operator runs it, ``manage.py restore`` in a process of
its own, into a database of its own (a separate PostgreSQL database, or a new SQLite
file) and folders of its own, and a third process reads back what is there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import uuid
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection

from core import backups
from dossiers.models import Attachment
from tests.core.conftest import require
from tests.core.state import installation_state
from tests.factories import DossierFactory

REPO_ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
TIMEOUT = 180

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def manage(*args, env, check=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def read_state(env) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "tests.core.state"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def postgres_admin_url(settings: dict, database: str) -> str:
    user = quote(settings.get("USER") or "", safe="")
    password = quote(settings.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{database}"


def _admin(sql: str) -> None:
    import psycopg

    params = dict(connection.get_connection_params())
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(sql)


@pytest.fixture
def restore_target(tmp_path):
    """Environment variables for processes that use a new, empty database and empty
    file folders; the database is dropped afterwards."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "LOKET_VAR_DIR": str(tmp_path / "restored-var"),
    }
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        yield env
        return
    name = f"loket_restore_{uuid.uuid4().hex[:10]}"
    _admin(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = postgres_admin_url(connection.settings_dict, name)
    try:
        yield env
    finally:
        _admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        _admin(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture
def dossiers_with_files():
    """Three dossiers with files in the private storage, and an image in public media."""
    made = []
    for number in range(3):
        dossier = DossierFactory(answers={"step-1": {"naam": f"Aanvrager {number}", "nr": number}})
        for name, content in (("plan.pdf", PDF + bytes([number])), ("foto.jpg", os.urandom(2048))):
            attachment = Attachment(dossier=dossier, original_name=name, size=len(content))
            attachment.file.save(name, ContentFile(content), save=True)
            made.append(attachment.file.name)
    public_name = storages["default"].save(
        f"images/logo-{uuid.uuid4().hex[:8]}.png", ContentFile(PDF)
    )
    yield
    for name in made:
        storages["private"].delete(name)
    storages["default"].delete(public_name)


def backup_tools_available() -> None:
    if connection.vendor == "postgresql":
        try:
            backups.pg_tool("pg_dump")
            backups.pg_tool("pg_restore")
        except Exception as exc:  # noqa: BLE001
            require(False, f"the PostgreSQL client tools are missing: {exc}")


def test_backup_and_restore_into_an_empty_installation(
    dossiers_with_files, restore_target, tmp_path
):
    backup_tools_available()
    before = installation_state()
    assert len(before["dossiers"]) == 3

    out = StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out, stderr=StringIO())
    archive = Path(out.getvalue().strip())
    assert archive.parent == tmp_path / "backups" and archive.name.startswith("loket-backup-")
    assert [path.name for path in archive.parent.iterdir()] == [archive.name]  # no leftovers
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"] == connection.vendor
    assert manifest["files"]["private"] >= 6
    assert "dossiers" in manifest["migrations"]

    restored = manage("restore", str(archive), env=restore_target)
    assert "Restored" in restored.stdout
    assert read_state(restore_target) == before
    manage("migrate", "--check", env=restore_target)  # the schema is complete

    refused = manage("restore", str(archive), env=restore_target, check=False)
    assert refused.returncode != 0
    assert "not empty" in refused.stderr

    manage("restore", "--force", str(archive), env=restore_target)
    assert read_state(restore_target) == before


def test_restore_refuses_an_archive_that_is_not_a_backup(tmp_path, restore_target):
    bogus = tmp_path / "bogus.tar"
    with tarfile.open(bogus, "w") as tar:
        tar.add(__file__, arcname="notes.txt")

    refused = manage("restore", str(bogus), env=restore_target, check=False)

    assert refused.returncode != 0
    assert "no manifest.json" in refused.stderr
