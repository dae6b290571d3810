"""Files editors upload in Wagtail (documents and images) can never run as a page of
the site: no SVG or HTML comes in, and documents are served as downloads (PDF inline)
with nosniff and a CSP that blocks scripts."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><script>alert(document.cookie)</script>"


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("beheer", "beheer@voorbeeld.be", "x")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("name", "content"),
    [("logo.svg", SVG), ("pagina.html", HTML), ("pagina.htm", HTML), ("pagina.xhtml", HTML)],
)
def test_documents_refuse_svg_and_html(admin_client, name, content):
    response = admin_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Poging", "file": SimpleUploadedFile(name, content), "collection": 1},
    )

    assert response.status_code == 200
    assert not get_document_model().objects.exists()


def test_images_refuse_svg(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {"title": "Logo", "file": SimpleUploadedFile("logo.svg", SVG, "image/svg+xml")},
    )

    assert response.status_code == 200
    assert not get_image_model().objects.exists()


def make_document(name: str, content: bytes):
    document = get_document_model()(title=name)
    document.file.save(name, ContentFile(content), save=True)
    return document


def test_a_text_document_with_html_inside_is_a_download(client, settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False  # Wagtail's view sets it itself
    document = make_document("lijst.txt", HTML)

    response = client.get(document.url)

    assert response.status_code == 200  # served by the view, not a redirect
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_pdf_document_opens_in_the_browser_without_scripts(client):
    document = make_document("reglement.pdf", b"%PDF-1.4\n%%EOF\n")

    response = client.get(document.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_document_links_go_through_the_view_whatever_the_storage(settings):
    """The serve method is fixed, so a storage with URLs (S3) does not change it."""
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert make_document("lijst.csv", b"a,b\n").url.startswith("/documents/")
