"""Small but real files for upload tests: each opens in the program that reads it, so it
passes core.uploads.check_container. Build crafted (broken, polyglot) files from these."""

from __future__ import annotations

import io
import zipfile

from PIL import Image
from pypdf import PdfWriter


def pdf_bytes(pages: int = 1) -> bytes:
    """A PDF with ``pages`` blank A4 pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (4, 4)) -> bytes:
    """A small red image in ``image_format`` (PNG, JPEG or HEIF)."""
    import pillow_heif  # noqa: F401  (registered by core.uploads; HEIF needs it)

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, image_format)
    return out.getvalue()


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    """A ZIP file with ``parts`` (name → content), the first stored uncompressed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index, (name, content) in enumerate(parts.items()):
            archive.writestr(
                name, content, zipfile.ZIP_STORED if index == 0 else zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def docx_bytes() -> bytes:
    """The parts a Word document needs (enough for the checks, not for Word)."""
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
        }
    )


def xlsx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.xml": b"<workbook/>",
        }
    )


def odf_bytes(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    return zip_bytes(
        {
            "mimetype": mimetype.encode(),
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<manifest:manifest/>",
        }
    )


PDF = pdf_bytes()
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


def ole2_bytes(stream: str = "WordDocument") -> bytes:
    """An OLE2 compound file (the container of Word 97-2003 .doc and Excel 97-2003 .xls)
    whose directory names ``stream``: the header (magic, byte order, 512-byte sectors),
    one directory sector and one data sector."""
    import struct

    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x003E, 0x0003, 0xFFFE, 9, 6)
    directory = bytearray(512)
    for index, name in enumerate(("Root Entry", stream)):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        directory[index * 128 : index * 128 + len(encoded)] = encoded
        struct.pack_into("<H", directory, index * 128 + 64, len(encoded))
    return bytes(header) + bytes(directory) + b"\x00" * 512
