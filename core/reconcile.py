"""Private storage reconciled with the database: files no row refers to are deleted.

A file can be left behind with nothing pointing at it: the process dies while a
submission copies uploads into a dossier (the transaction rolls back, the copies stay),
a draft row is removed by hand, a step is abandoned half way. Such files hold personal
data nobody can reach or erase, so a nightly task (:func:`delete_unreferenced_files`,
queued by ``core.tasks.delete_unreferenced_files``) walks the private storage and deletes
every file that no row refers to and that is older than a day (younger files may belong
to a request still running).

Core knows the storage, not the apps: each app that keeps files in the private storage
registers a :class:`FileReferences` in ``file_references`` (in its ``AppConfig.ready()``)
that lists the names its rows refer to. Without any registered source the walk refuses
to run, because then every file would look unreferenced.

The log says how many files were deleted, never which: names can hold personal data.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Iterator

from django.core.files.storage import Storage
from django.utils import timezone

from core.registry import Registry
from core.storage import private_storage

logger = logging.getLogger(__name__)

#: Files younger than this are never deleted: their row may not be committed yet.
MINIMUM_AGE = datetime.timedelta(days=1)


class FileReferences:
    """The names in the private storage that one app's rows refer to. Subclass it, set
    ``source_id`` and register an instance with ``file_references.register``."""

    #: A short, unique name of the source (e.g. ``"drafts"``).
    source_id: str = ""

    def names(self) -> Iterable[str]:
        """Every private-storage name a row of this source refers to."""
        raise NotImplementedError


file_references: Registry[FileReferences] = Registry(
    "source of file references", id_attribute="source_id"
)


class NoFileReferences(RuntimeError):
    """No app says which files it refers to: reconciling would delete everything."""


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``folder``, depth first."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder}/" if folder else ""
    for name in files:
        yield prefix + name
    for sub in folders:
        yield from walk(storage, prefix + sub)


def referenced_names() -> set[str]:
    """The names every registered source refers to."""
    sources = file_references.all()
    if not sources:
        raise NoFileReferences("No app registered its file references.")
    return {name for source in sources for name in source.names() if name}


def delete_unreferenced_files(*, minimum_age: datetime.timedelta = MINIMUM_AGE) -> int:
    """Delete the private files no row refers to that are older than ``minimum_age``;
    returns how many. Safe to run twice, or at the same time as requests: the names are
    read before the walk, and a file of a row written since is younger than a day."""
    storage = private_storage()
    referenced = referenced_names()
    cutoff = timezone.now() - minimum_age
    deleted = failed = 0
    for name in walk(storage):
        if name in referenced:
            continue
        try:
            if storage.get_modified_time(name) >= cutoff:
                continue
            storage.delete(name)
            deleted += 1
        except OSError:
            failed += 1
    logger.info(
        "Storage reconciled: %d unreferenced files deleted, %d could not be deleted",
        deleted,
        failed,
    )
    return deleted
