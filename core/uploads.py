"""The one way to check, hold, reopen and name an uploaded file.

Every place that takes a file from a person (a form's upload field, an answer to a
question, a message) uses these helpers, so names are cleaned and content types judged
the same way everywhere:

- :func:`display_name`: the name to show (the browser's base name, never a path);
- :func:`storage_name`: the name to store under (safe characters, short);
- :func:`detected_content_type` / :func:`content_type_of`: what the bytes are, never
  what the browser said;
- :func:`hold` and :func:`reopen`: keep a checked upload in the private storage while
  the person goes on (a draft's step, an answer page with other mistakes), and open it
  again on a later request as a Django ``UploadedFile`` that carries ``loket_tmp_name``.

Storing a file for good on a record belongs to the record's app (e.g.
``dossiers.models.Attachment.from_upload``), which names and types it with these.
"""

from __future__ import annotations

import logging
import os
import secrets
from typing import Any

import filetype
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename

from core.storage import private_storage

logger = logging.getLogger(__name__)

#: The content type of bytes nobody recognises.
UNKNOWN_CONTENT_TYPE = "application/octet-stream"


def display_name(name: str | None, default: str = "file") -> str:
    """The file's own name without any folder the browser sent along (at most 255)."""
    return (os.path.basename(name or "") or default)[-255:]


def storage_name(name: str | None, default: str = "file") -> str:
    """A safe name to store a file under: letters, digits, ``-_.`` only; at most 100."""
    return get_valid_filename(display_name(name, default))[-100:]


def detected_content_type(uploaded) -> str | None:
    """The content type the file's first bytes show (None when unknown)."""
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(position)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def content_type_of(uploaded) -> str:
    """What the content is, not what the browser said it is (at most 100 characters)."""
    return (detected_content_type(uploaded) or UNKNOWN_CONTENT_TYPE)[:100]


def hold(uploaded, folder: str) -> dict[str, Any]:
    """Keep ``uploaded`` in the private storage under ``folder`` in a random sub-folder
    (unguessable, never clashing), and return what :func:`reopen` needs. A file that is
    already held (it has ``loket_tmp_name``) is not stored again."""
    name = getattr(uploaded, "loket_tmp_name", None)
    if name is None:
        uploaded.seek(0)
        name = private_storage().save(
            f"{folder}/{secrets.token_hex(16)}/{storage_name(uploaded.name)}", uploaded
        )
    return {
        "tmp_name": name,
        "name": display_name(uploaded.name, ""),
        "content_type": getattr(uploaded, "content_type", None),
        "size": uploaded.size,
        "charset": getattr(uploaded, "charset", None),
    }


def reopen(info: dict[str, Any], *, opened: bool = True) -> UploadedFile | None:
    """A held file (``info`` as :func:`hold` returned it) as an ``UploadedFile`` with
    ``loket_tmp_name``; None when it is gone from the storage (logged). Not ``opened``
    when only its name and size are shown."""
    handle = None
    if opened:
        try:
            handle = private_storage().open(info["tmp_name"])
        except OSError:
            logger.warning("Held file %s is missing", info["tmp_name"])
            return None
    uploaded = UploadedFile(
        file=handle,
        name=info["name"],
        content_type=info.get("content_type"),
        size=info.get("size"),
        charset=info.get("charset"),
    )
    uploaded.loket_tmp_name = info["tmp_name"]
    return uploaded


def delete_held(names) -> None:
    """Delete held files by their storage names; one that cannot be deleted is logged."""
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete held file %s", name)
