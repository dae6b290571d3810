"""Security headers on every response, and templates that a strict CSP does not break.

core/security.py: the public site's Content-Security-Policy allows no inline script or
style; the Wagtail admin adds what Wagtail 8 needs. The browser tests (tests/e2e) fail on
any violation Chromium reports; these tests catch an inline script before it gets there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from core.security import media_sources
from dossiers.models import Dossier

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [
    ROOT / "theme" / "templates",
    ROOT / "forms_builder" / "templates",
    ROOT / "cms" / "templates",
    ROOT / "dossiers" / "templates",
]


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_public_policy(response) -> None:
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


def assert_common_headers(response) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.django_db
class TestEveryResponse:
    def test_a_page(self, client, home_page):
        response = client.get(home_page.url)
        assert response.status_code == 200
        assert_public_policy(response)
        assert_common_headers(response)
        assert response.headers["X-Frame-Options"] == "DENY"

    def test_not_found(self, client, home_page):
        response = client.get("/bestaat-niet/")
        assert response.status_code == 404
        assert_public_policy(response)
        assert_common_headers(response)

    def test_too_many_requests(self, client, home_page, settings):
        settings.LOKET_SIGNIN_LIMITS = {
            **settings.LOKET_SIGNIN_LIMITS,
            "request_per_client": (1, 60),
        }
        for _ in range(2):
            response = client.post("/mijn-loket/aanmelden/", {"email": "a@example.org"})
            if response.status_code == 429:
                break
        assert response.status_code == 429
        assert_public_policy(response)
        assert_common_headers(response)

    def test_health_endpoints_answer_before_the_middleware_but_carry_headers(self, client):
        for path in ("/health/live/", "/health/"):
            response = client.get(path)
            assert response.headers["Content-Security-Policy"] == (
                "default-src 'none'; frame-ancestors 'none'"
            )
            assert response.headers["X-Content-Type-Options"] == "nosniff"

    def test_the_admin_sign_in_pages_keep_the_strict_policy(self, client, home_page):
        for path in ("/admin/login/", "/admin/password_reset/"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert_public_policy(response)
            assert_common_headers(response)
            assert not inline_code(response.content.decode()), path

    def test_the_admin_adds_only_what_wagtail_needs(self, client, home_page):
        user = get_user_model().objects.create_superuser("beheer", "b@example.org", "x")
        client.force_login(user)
        response = client.get("/admin/pages/")
        assert response.status_code == 200
        policy = directives(response)
        # No inline scripts in the admin either (cms/admin_scripts.py); Wagtail's
        # templates still use style attributes.
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
        assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
        assert_common_headers(response)

    def test_the_language_cookie_is_http_only(self, client, home_page):
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        cookie = response.cookies["django_language"]
        assert cookie["httponly"] and cookie["samesite"] == "Lax"


class _InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block."""

    DATA_TYPES = {"application/json", "application/ld+json", "text/template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            if (attributes.get("type") or "").lower() not in self.DATA_TYPES:
                self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.found.append(f"style= on <{tag}>")
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {name}= on <{tag}>")


def inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


def test_the_parser_finds_what_the_policy_blocks():
    """The checks below rely on this parser: it must see each kind of inline code."""
    found = inline_code(
        '<script>alert(1)</script><script src="/x.js"></script>'
        '<script type="application/json">{}</script><style>p{}</style>'
        '<p style="color:red" onclick="x()"><a href="javascript:x()">a</a></p>'
    )
    assert len(found) == 5, found


def test_our_templates_have_no_inline_scripts_styles_or_handlers():
    problems = []
    for directory in TEMPLATE_DIRS:
        for template in directory.rglob("*.html"):
            if "letters" in template.parts:
                continue  # Rendered to PDF (weasyprint), never served to a browser.
            source = template.read_text()
            # Template tags would confuse the parser's view of attributes.
            source = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "x", source, flags=re.S)
            problems += [f"{template.relative_to(ROOT)}: {what}" for what in inline_code(source)]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_demo_page_form_step_and_status_page_renders_without_inline_code(demo, client):
    """Rendered HTML (widgets and StreamField blocks included) against the public policy."""
    urls = [page.url for page in Page.objects.live().specific() if page.depth > 1]
    urls += ["/mijn-loket/", "/zoeken/?q=terras", "/bestaat-niet/"]
    urls += [dossier.get_status_url() for dossier in Dossier.objects.all()[:5]]
    problems = []
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), url
        assert_public_policy(response)
        problems += [f"{url}: {what}" for what in inline_code(response.content.decode())]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({}, []),
        (
            {"LOKET_STORAGE": "s3", "AWS_S3_CUSTOM_DOMAIN": "cdn.example.org"},
            ["https://cdn.example.org"],
        ),
        (
            {
                "LOKET_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": "loket",
                "AWS_S3_ENDPOINT_URL": "https://s3.example.org:9000",
            },
            ["https://s3.example.org:9000", "https://loket.s3.example.org:9000"],
        ),
        (
            {
                "LOKET_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": "loket",
                "AWS_S3_REGION_NAME": "eu-west-1",
            },
            ["https://loket.s3.amazonaws.com", "https://loket.s3.eu-west-1.amazonaws.com"],
        ),
        (
            {
                "LOKET_STORAGE": "s3",
                "LOKET_CSP_MEDIA_SOURCES": "https://a.example, https://b.example",
            },
            ["https://a.example", "https://b.example"],
        ),
    ],
)
def test_public_media_on_object_storage_may_be_shown(environ, expected):
    assert media_sources(environ) == expected


def test_production_settings_secure_every_cookie_and_send_hsts():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE,"
        " s.CSRF_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "headers-test-" + "x" * 40,
        "ALLOWED_HOSTS": "loket.example.org",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split("\n")[0] == "True True True True True True True True [\"'self'\"]"
