"""The one way to check, hold, reopen and name an uploaded file.

Every place that takes a file from a person (a form's upload field, an answer to a
question, a message) uses these helpers, so names are cleaned and content types judged
the same way everywhere:

- :func:`display_name`: the name to show (the browser's base name, never a path);
- :func:`storage_name`: the name to store under (safe characters, short);
- :func:`detected_content_type` / :func:`content_type_of`: what the bytes are, never
  what the browser said;
- :func:`check_container`: whether the whole file is what its extension says (a PDF
  that opens, an office file with the parts its type needs, an image Pillow opens),
  and :func:`reencoded_image`: an image drawn again, without anything hidden in it;
- :func:`hold` and :func:`reopen`: keep a checked upload in the private storage while
  the person goes on (a draft's step, an answer page with other mistakes), and open it
  again on a later request as a Django ``UploadedFile`` that carries ``loket_tmp_name``.

Storing a file for good on a record belongs to the record's app (e.g.
``dossiers.models.Attachment.from_upload``), which names and types it with these.
"""

from __future__ import annotations

import io
import logging
import os
import re
import secrets
import warnings
import zipfile
from collections.abc import Callable
from typing import Any

import filetype
import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.text import get_valid_filename
from PIL import Image, ImageOps
from pypdf import PdfReader

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


# --- the whole file, not only its first bytes -----------------------------------------
#
# The first bytes say little: a PDF header can be followed by a web page (a "polyglot"),
# and any ZIP file starts like a .docx. So each kind of file is opened the way the
# program that reads it would, and refused when that fails. Downloads still go out as
# attachments with nosniff and a sandbox policy (dossiers.applicant.downloads): these
# checks are a second wall, not the only one.

pillow_heif.register_heif_opener()


class ContentRefused(ValueError):
    """The file is not what its extension says. ``reason`` names why, so the field can
    tell the person in plain words: ``pdf`` (not a PDF that opens), ``pdf_html`` (web
    page code in it), ``pdf_password`` (locked with a password), ``office`` (parts
    missing), ``image`` (not an image that opens)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _read_all(uploaded) -> bytes:
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    return data


#: Web page code that has no business in a PDF outside its compressed streams.
_HTML = re.compile(rb"<\s*(script|html|body|iframe|svg|meta)\b", re.IGNORECASE)
_FIRST_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")


def check_pdf(uploaded) -> None:
    """A ``%PDF-`` header, no web page code before the first object or after the last
    ``%%EOF``, and pypdf opens it and finds at least one page (an empty owner password
    is tried; a PDF that needs a password is refused: nobody could read it)."""
    data = _read_all(uploaded)
    if not data.startswith(b"%PDF-"):
        raise ContentRefused("pdf")
    end = data.rfind(b"%%EOF")
    first = _FIRST_OBJECT.search(data)
    if end < 0 or first is None:
        raise ContentRefused("pdf")
    if _HTML.search(data, 0, first.start()) or data[end + 5 :].strip(b" \t\r\n\x00"):
        raise ContentRefused("pdf_html")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise ContentRefused("pdf_password")
            pages = len(reader.pages)
    except ContentRefused:
        raise
    except Exception as error:  # pypdf raises many kinds on broken files
        logger.info("Refused a PDF that does not open: %s", type(error).__name__)
        raise ContentRefused("pdf") from None
    if pages < 1:
        raise ContentRefused("pdf")


def _zip_check(required: tuple[str, ...], mimetype: str | None = None):
    def check(uploaded) -> None:
        uploaded.seek(0)
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
                if not set(required) <= names:
                    raise ContentRefused("office")
                if mimetype is not None:
                    # OpenDocument: the first part, stored uncompressed, says the type.
                    first = archive.infolist()[0]
                    if first.filename != "mimetype" or archive.read(first) != mimetype.encode():
                        raise ContentRefused("office")
        except ContentRefused:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError):
            raise ContentRefused("office") from None
        finally:
            uploaded.seek(0)

    check.__doc__ = f"A ZIP file with {', '.join(required)}" + (
        f" and the mimetype {mimetype}." if mimetype else "."
    )
    return check


#: Pillow's names of the formats an extension may hold.
_IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "heic": "HEIF", "gif": "GIF"}


#: Formats whose files may hold several frames (an animation), all of them kept.
_ANIMATED_FORMATS = ("GIF", "PNG")


def _open_image(uploaded, ext: str) -> Image.Image:
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            # A decompression-bomb warning (a huge canvas) is a refusal, not a warning.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(uploaded)
            if image.format != _IMAGE_FORMATS[ext]:
                raise ContentRefused("image")
            image.load()
    except ContentRefused:
        raise
    except Exception as error:  # Pillow raises many kinds on broken files
        logger.info("Refused an image that does not open: %s", type(error).__name__)
        raise ContentRefused("image") from None
    finally:
        uploaded.seek(0)
    return image


#: The first eight bytes of every OLE2 compound file (legacy Word .doc, Excel .xls).
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def _ole2_check(*streams: str):
    """An OLE2 compound file (the container of Word 97-2003 and Excel 97-2003 files):
    its magic header, the header's byte order mark and sector size, and one of
    ``streams`` named in its directory (names are stored in UTF-16)."""

    def check(uploaded) -> None:
        data = _read_all(uploaded)
        if len(data) < 1024 or not data.startswith(OLE2_MAGIC):
            raise ContentRefused("office")
        # Offset 28: byte order FFFE (little endian); 30: sector shift 9 or 12.
        if data[28:30] != b"\xfe\xff" or data[30:32] not in (b"\x09\x00", b"\x0c\x00"):
            raise ContentRefused("office")
        if not any(name.encode("utf-16-le") in data[512:] for name in streams):
            raise ContentRefused("office")

    check.__doc__ = f"An OLE2 compound file with a {' or '.join(streams)} stream."
    return check


def check_image(ext: str):
    def check(uploaded) -> None:
        _open_image(uploaded, ext)

    check.__doc__ = f"Pillow opens the whole file as {_IMAGE_FORMATS[ext]}."
    return check


#: extension → how to check the whole file. An extension without a check is refused.
CONTAINER_CHECKS: dict[str, Callable[[Any], None]] = {
    "pdf": check_pdf,
    "jpg": check_image("jpg"),
    "jpeg": check_image("jpeg"),
    "png": check_image("png"),
    "heic": check_image("heic"),
    "gif": check_image("gif"),
    "docx": _zip_check(("[Content_Types].xml", "word/document.xml")),
    "xlsx": _zip_check(("[Content_Types].xml", "xl/workbook.xml")),
    "odt": _zip_check(
        ("mimetype", "content.xml", "META-INF/manifest.xml"),
        "application/vnd.oasis.opendocument.text",
    ),
    "ods": _zip_check(
        ("mimetype", "content.xml", "META-INF/manifest.xml"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    "doc": _ole2_check("WordDocument"),
    "xls": _ole2_check("Workbook", "Book"),
}

#: extension → the content type a file that passed its check is stored and sent with.
CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "heic": "image/heic",
    "gif": "image/gif",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}


def check_container(uploaded, ext: str) -> None:
    """Raise :class:`ContentRefused` unless the whole of ``uploaded`` is a file of the
    kind ``ext`` (lower case, without the dot) says."""
    check = CONTAINER_CHECKS.get(ext)
    if check is None:
        raise ContentRefused("unknown")
    check(uploaded)


def is_image(ext: str) -> bool:
    """Whether files with extension ``ext`` are images (re-encoded when stored)."""
    return ext in _IMAGE_FORMATS


def reencoded_image(uploaded, ext: str) -> UploadedFile:
    """``uploaded`` (an image that passed :func:`check_container`) drawn again in its
    own format: whatever was appended or hidden in it is gone, and so is its metadata
    (e.g. the place a photo was taken). The orientation the camera noted is applied
    first, so the photo still stands the right way up."""
    opened = _open_image(uploaded, ext)
    out = io.BytesIO()
    image_format = _IMAGE_FORMATS[ext]
    frames = getattr(opened, "n_frames", 1)
    if frames > 1 and image_format in _ANIMATED_FORMATS:
        # An animation (a GIF, an animated PNG) keeps every frame and its timing.
        if frames * opened.width * opened.height > (Image.MAX_IMAGE_PIXELS or 2**31):
            raise ContentRefused("image")
        opened.save(
            out,
            image_format,
            save_all=True,
            loop=opened.info.get("loop", 0),
            duration=opened.info.get("duration", 100),
        )
        return SimpleUploadedFile(
            uploaded.name, out.getvalue(), content_type=getattr(uploaded, "content_type", None)
        )
    image = ImageOps.exif_transpose(opened)
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90)
    else:
        image.save(out, image_format)
    return SimpleUploadedFile(
        uploaded.name, out.getvalue(), content_type=getattr(uploaded, "content_type", None)
    )


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
            logger.warning("A held file is missing from the private storage")
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
    """Delete held files by their storage names; one that cannot be deleted is logged
    (without its name, which can hold personal data) and left to the nightly
    reconciliation (:mod:`core.reconcile`)."""
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete a held file")
