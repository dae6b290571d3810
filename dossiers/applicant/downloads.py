"""How a dossier's file leaves the site: always as a download, never as a page.

The applicant's file view (:mod:`dossiers.views`) and the officers' (``dossiers.admin``)
both answer with :func:`download_response`:

- ``Content-Disposition: attachment`` with the original name (Django quotes it, and
  writes ``filename*`` for names that are not ASCII);
- a ``Content-Type`` from :data:`SAFE_CONTENT_TYPES` only: what an upload field
  accepts (checked on the file's first bytes when it came in) and the PDFs Loket makes.
  Anything else, e.g. ``text/html`` or ``image/svg+xml`` stored by older versions that
  trusted the browser, goes out as ``application/octet-stream``;
- ``X-Content-Type-Options: nosniff``, so the browser never guesses another type;
- ``Content-Security-Policy: default-src 'none'; sandbox``, so even a file opened
  from the download bar cannot run scripts in the site's origin;
- not cached, and the private link never sent on as the referrer.
"""

from __future__ import annotations

from typing import BinaryIO

from django.http import FileResponse

from core.uploads import CONTENT_TYPES
from forms_builder.fields.file_types import KNOWN_FILE_TYPES

#: The content types a download may be sent with; others become octet-stream.
SAFE_CONTENT_TYPES = frozenset(
    {content_type for _label, types in KNOWN_FILE_TYPES.values() for content_type in types}
    | set(CONTENT_TYPES.values())
    | {"application/pdf"}
) - {None}
FALLBACK_CONTENT_TYPE = "application/octet-stream"


def safe_content_type(content_type: str | None) -> str:
    """``content_type`` when it is one a download may have, else octet-stream."""
    cleaned = (content_type or "").split(";", 1)[0].strip().lower()
    return cleaned if cleaned in SAFE_CONTENT_TYPES else FALLBACK_CONTENT_TYPE


def download_response(handle: BinaryIO, *, filename: str, content_type: str) -> FileResponse:
    """A download of ``handle`` named ``filename`` (see the module docstring)."""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=safe_content_type(content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
