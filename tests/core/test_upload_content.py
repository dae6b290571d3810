"""core.uploads.check_container and reencoded_image: the whole file is checked, not only
its first bytes, and images are drawn again when stored (issue #13, item 6)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import override
from PIL import Image

from core import uploads
from forms_builder.fields.upload import UploadFormField
from tests import files

ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refused(name: str, content: bytes) -> str:
    ext = name.rsplit(".", 1)[1]
    with pytest.raises(uploads.ContentRefused) as caught:
        uploads.check_container(upload(name, content), ext)
    return caught.value.reason


@pytest.mark.parametrize(
    "name, content",
    [
        ("plan.pdf", files.PDF),
        ("plan.pdf", files.pdf_bytes(pages=3) + b"\r\n\x00"),  # trailing whitespace is fine
        ("foto.png", files.PNG),
        ("foto.jpg", files.JPEG),
        ("foto.jpeg", files.JPEG),
        ("foto.heic", files.image_bytes("HEIF")),
        ("brief.docx", files.docx_bytes()),
        ("tabel.xlsx", files.xlsx_bytes()),
        ("brief.odt", files.odf_bytes(ODT)),
        ("tabel.ods", files.odf_bytes(ODS)),
    ],
)
def test_real_files_pass(name, content):
    uploads.check_container(upload(name, content), name.rsplit(".", 1)[1])


@pytest.mark.parametrize(
    "name, content, reason",
    [
        # Polyglots: a PDF header with a web page after it, before or after the PDF.
        ("plan.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n", "pdf"),
        (
            "plan.pdf",
            files.PDF.replace(b"\n", b"\n<html><body><script>alert(1)</script>\n", 1),
            "pdf_html",
        ),
        ("plan.pdf", files.PDF + b"<html><script>alert(1)</script></html>", "pdf_html"),
        ("plan.pdf", files.PDF.replace(b"%%EOF", b""), "pdf"),
        ("plan.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n", "pdf"),
        ("plan.pdf", files.PDF[:200] + b"\n%%EOF\n", "pdf"),
        # Any ZIP named as an office document.
        ("brief.docx", files.zip_bytes({"page.html": b"<script>alert(1)</script>"}), "office"),
        ("brief.docx", files.xlsx_bytes(), "office"),
        ("tabel.xlsx", files.docx_bytes(), "office"),
        ("brief.odt", files.odf_bytes(ODS), "office"),
        ("tabel.ods", files.odf_bytes(ODT), "office"),
        ("brief.odt", files.zip_bytes({"content.xml": b"", "mimetype": ODT.encode()}), "office"),
        ("brief.docx", b"PK\x03\x04" + b"\x00" * 100, "office"),
        # Images that do not open, or are another kind than their name says.
        ("foto.png", files.PNG[:40], "image"),
        ("foto.png", files.JPEG, "image"),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script>", "image"),
        ("foto.heic", b"\x00\x00\x00\x1cftypheic" + b"\x00" * 64, "image"),
    ],
)
def test_crafted_files_are_refused(name, content, reason):
    assert refused(name, content) == reason


def test_a_pdf_locked_with_a_password_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(files.PDF)))
    writer.encrypt(user_password="geheim", owner_password="eigenaar")
    out = io.BytesIO()
    writer.write(out)
    assert refused("plan.pdf", out.getvalue()) == "pdf_password"


def test_an_image_is_drawn_again_without_what_was_appended_or_its_metadata():
    exif = Image.Exif()
    exif[0x010E] = "Kelder, Markt 1"  # ImageDescription
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "JPEG", exif=exif.tobytes())
    appended = out.getvalue() + b"<html><script>alert(1)</script></html>"
    uploaded = upload("foto.jpg", appended)
    uploads.check_container(uploaded, "jpg")  # Pillow reads past the tail

    stored = uploads.reencoded_image(uploaded, "jpg")
    data = stored.read()
    assert b"<script" not in data and b"Kelder" not in data
    assert stored.size == len(data) and stored.name == "foto.jpg"
    assert Image.open(io.BytesIO(data)).size == (8, 8)


def field(allowed):
    return UploadFormField(
        allowed=allowed,
        max_file_bytes=10 * 1024 * 1024,
        max_total_bytes=20 * 1024 * 1024,
        max_files=5,
        multiple=True,
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "plan.pdf",
            files.PDF + b"<html><script>alert(1)</script>",
            "bevat code van een webpagina",
        ),
        ("plan.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n", "is geen PDF-bestand dat opent"),
        ("brief.docx", files.zip_bytes({"a.txt": b"x"}), "is geen volledig DOCX-document"),
        ("foto.png", files.PNG[:40], "is geen afbeelding die opent"),
    ],
)
def test_the_field_says_in_dutch_why_a_file_is_refused(name, content, message):
    from django.core.exceptions import ValidationError

    with override("nl"), pytest.raises(ValidationError) as caught:
        field(["pdf", "docx", "png"]).clean([upload(name, content)])
    assert any(message in text for text in caught.value.messages), caught.value.messages


def test_the_field_hands_on_images_drawn_again():
    cleaned = field(["png"]).clean([upload("foto.png", files.PNG + b"<script>x</script>")])
    assert b"<script" not in cleaned[0].read()
    assert cleaned[0].content_type == "image/png"
