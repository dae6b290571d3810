"""Friendly error pages."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_page_not_found_is_friendly_and_keeps_the_site_around(client, home_page):
    response = client.get("/bestaat-niet/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert 'class="site-header"' in html and 'action="/zoeken/"' in html
    assert '<html lang="nl">' in html


def test_server_error_needs_no_request_context():
    html = render_to_string("500.html")

    assert '<html lang="nl">' in html
    assert "<h1>" in html and "/static/theme/css/loket.css" in html


def test_the_server_error_view_renders_the_page():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert b'class="site-header"' in response.content


def test_too_many_files_at_once_gives_a_page_in_the_visitors_language(client, settings, form_page):
    """More files than DATA_UPLOAD_MAX_NUMBER_FILES in one request: 400, not a bare text."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.translation import gettext, override

    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = [SimpleUploadedFile(f"plan{i}.pdf", b"%PDF-1.4") for i in range(4)]

    response = client.post(form_page.url + "stap/1/", {"1-bestand": files})

    html = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="nl">' in html and 'class="site-header"' in html
    with override("nl"):
        assert gettext("Go back, choose fewer files and send the form again.") in html
