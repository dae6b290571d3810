"""The Content-Security-Policy as Chromium enforces it (core/security.py).

Every other browser test fails on a violation (tests/e2e/conftest.py); this one shows
that the policy really stops a script that got into a page, and that the watcher sees it.
"""

from __future__ import annotations

import pytest

from .conftest import watch_content_security_policy

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

INJECT = """() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.append(script);
    const image = document.createElement('img');
    image.src = 'https://tracker.example/pixel.gif';
    document.body.append(image);
}"""


def test_an_injected_inline_script_does_not_run_on_the_public_site(browser, live_server, home_page):
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    violations: list[str] = []
    watch_content_security_policy(page, violations)

    page.goto(live_server.url + "/")
    page.evaluate(INJECT)
    page.wait_for_timeout(200)

    assert page.evaluate("() => window.injected") is None
    assert any("script-src" in violation for violation in violations), violations
    assert any("img-src" in violation for violation in violations), violations
    context.close()


def test_the_site_cannot_be_framed_by_another_page(browser, live_server, home_page):
    """frame-ancestors 'none' (and X-Frame-Options: DENY): no clickjacking."""
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    page.set_content(f'<iframe src="{live_server.url}/" title="loket"></iframe>')
    page.wait_for_timeout(500)

    # Chromium shows its own error page in the frame instead of the site.
    assert page.frames[1].url.startswith("chrome-error://")
    context.close()
