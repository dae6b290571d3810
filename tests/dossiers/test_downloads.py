"""Every way a dossier's file goes out is a download that cannot run as a page
(dossiers.downloads): the applicant's file view, the officers' and the privacy export;
the headers are set by the views themselves, not left to SecurityMiddleware."""

import pytest
from django.core.files.base import ContentFile

from dossiers.applicant.downloads import safe_content_type
from dossiers.models import Attachment, AttachmentKind
from tests.dossiers.test_dossier_view import download_url
from tests.dossiers.test_status_page import file_url
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><script>alert(document.cookie)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("stored", "sent"),
    [
        ("application/pdf", "application/pdf"),
        ("image/png", "image/png"),
        ("IMAGE/JPEG; charset=binary", "image/jpeg"),
        ("text/html", "application/octet-stream"),
        ("image/svg+xml", "application/octet-stream"),
        ("application/xhtml+xml", "application/octet-stream"),
        ("text/xml", "application/octet-stream"),
        ("application/javascript", "application/octet-stream"),
        ("", "application/octet-stream"),
        (None, "application/octet-stream"),
    ],
)
def test_only_known_types_go_out_as_themselves(stored, sent):
    assert safe_content_type(stored) == sent


def stored_file(dossier, name, content, content_type, kind=AttachmentKind.UPLOAD) -> Attachment:
    """A file as an older version (that trusted the browser's type) may have kept it."""
    attachment = Attachment(
        dossier=dossier,
        kind=kind,
        original_name=name,
        size=len(content),
        content_type=content_type,
    )
    attachment.file.save(name, ContentFile(content), save=True)
    return attachment


def assert_download(response, name):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def no_middleware_nosniff(settings):
    """Without SecurityMiddleware's header: the views must set it themselves."""
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("plan.html", HTML, "text/html"), ("plan.svg", SVG, "image/svg+xml")],
)
def test_the_applicant_gets_html_and_svg_only_as_downloads(
    client, economy, no_middleware_nosniff, name, content, content_type
):
    dossier = DossierFactory(team=economy)
    attachment = stored_file(dossier, name, content, content_type, kind=AttachmentKind.MESSAGE)
    assert_download(client.get(file_url(dossier, attachment)), name)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("plan.html", HTML, "text/html"), ("plan.svg", SVG, "image/svg+xml")],
)
def test_officers_get_html_and_svg_only_as_downloads(
    client, economy, officer, no_middleware_nosniff, name, content, content_type
):
    dossier = DossierFactory(team=economy)
    attachment = stored_file(dossier, name, content, content_type)
    client.force_login(officer)

    assert_download(client.get(download_url(attachment)), name)


def test_a_name_that_is_not_ascii_is_sent_safely(client, economy, officer):
    dossier = DossierFactory(team=economy)
    attachment = stored_file(dossier, 'plan "terras" – café.pdf', b"%PDF-1.4", "application/pdf")
    client.force_login(officer)

    response = client.get(download_url(attachment))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''plan%20%22terras%22%20%E2%80%93%20caf%C3%A9.pdf"
    )
