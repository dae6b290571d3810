"""The types of file an upload question can accept, and the list editors choose from.

Built in: :data:`FILE_TYPES`, offered to every editor. An administrator adds others
from :data:`EXTRA_FILE_TYPES` (Settings → Types of file for uploads, the model
:class:`forms_builder.models.UploadFileType`); every type, built in or added, has its
whole-file check in :data:`core.uploads.CONTAINER_CHECKS`.
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import uploads

#: extension → (what editors see, the content types its magic bytes may show).
FILE_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("PDF", ("application/pdf",)),
    "jpg": ("JPEG", ("image/jpeg",)),
    "jpeg": ("JPEG", ("image/jpeg",)),
    "png": ("PNG", ("image/png",)),
    "heic": ("HEIC", ("image/heic",)),
    "docx": (
        _("Word (docx)"),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/zip",
        ),
    ),
    "xlsx": (
        _("Excel (xlsx)"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"),
    ),
    "odt": (
        _("OpenDocument text (odt)"),
        ("application/vnd.oasis.opendocument.text", "application/zip"),
    ),
    "ods": (
        _("OpenDocument spreadsheet (ods)"),
        ("application/vnd.oasis.opendocument.spreadsheet", "application/zip"),
    ),
}
#: Types an administrator can add to the list editors choose from (Settings → Types of
#: file for uploads, :class:`forms_builder.models.UploadFileType`); each has its
#: content check in :data:`core.uploads.CONTAINER_CHECKS`. Legacy Office files are OLE2
#: containers, which the first bytes do not always tell apart: their check reads the
#: container's directory instead.
EXTRA_FILE_TYPES: dict[str, tuple[str, tuple[str | None, ...]]] = {
    "gif": ("GIF", ("image/gif",)),
    "doc": (
        _("Word 97-2003 (doc)"),
        ("application/msword", "application/x-ole-storage", "application/vnd.ms-excel", None),
    ),
    "xls": (
        _("Excel 97-2003 (xls)"),
        ("application/vnd.ms-excel", "application/x-ole-storage", "application/msword", None),
    ),
}
#: Every type an upload field can accept (what a form's frozen schema may name).
KNOWN_FILE_TYPES = {**FILE_TYPES, **EXTRA_FILE_TYPES}
DEFAULT_TYPES = ["pdf", "jpg", "jpeg", "png"]
TYPE_CHOICES = [
    (ext, format_lazy("{} (.{})", label, ext)) for ext, (label, _types) in FILE_TYPES.items()
]


def type_choices() -> list[tuple[str, str]]:
    """What editors choose from: the built-in types, then those the administrator
    added (read when the editor opens the form)."""
    from ..models.upload_types import UploadFileType

    added = [
        (row.extension, f"{row.label} (.{row.extension})")
        for row in UploadFileType.objects.order_by("extension")
        if row.extension in KNOWN_FILE_TYPES and row.extension not in FILE_TYPES
    ]
    return TYPE_CHOICES + added


def stored_content_type(ext: str, detected: str | None) -> str:
    """The content type a checked file is kept with: the administrator's for an added
    type, else what its bytes show, else the one its check stands for."""
    if ext in EXTRA_FILE_TYPES:
        from ..models.upload_types import UploadFileType

        row = UploadFileType.objects.filter(extension=ext).first()
        if row is not None and row.content_type:
            return row.content_type
    return detected or uploads.CONTENT_TYPES.get(ext, uploads.UNKNOWN_CONTENT_TYPE)
