"""Browser tests: Playwright (sync) driving Debian's Chromium against ``live_server``.

Every page a test opens is watched for Content-Security-Policy violations (core/security.py):
a script, style or image the policy blocks fails the test, with what the browser said.

The tests skip when Chromium or axe-core is missing, unless ``LOKET_REQUIRE_E2E=1``
(set by CI): then they fail, so a broken CI machine never passes silently.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "var" / "axe" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing_requirements() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    if not AXE_JS.exists():
        missing.append(f"axe-core not found at {AXE_JS} (run `make var/axe/axe.min.js`)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package is not installed (pip install -e '.[test]')")
    return missing


@pytest.fixture(autouse=True)
def _e2e_requirements(request):
    """Skip browser tests whose tools are missing; fail them instead on CI."""
    if request.node.get_closest_marker("e2e") is None:
        return
    missing = _missing_requirements()
    if not missing:
        return
    if os.environ.get("LOKET_REQUIRE_E2E") == "1":
        pytest.fail(
            "LOKET_REQUIRE_E2E=1 but the browser tests cannot run: " + "; ".join(missing),
            pytrace=False,
        )
    pytest.skip("browser tests cannot run: " + "; ".join(missing))


@pytest.fixture
def allow_async_unsafe(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; Django's ORM then refuses
    synchronous queries unless told this is fine (it is: the loop is Playwright's)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(allow_async_unsafe):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser):
    """A factory of pages, each in its own browser context (own cookies and session)."""
    contexts = []

    violations: list[str] = []

    def make_page(**options):
        """``options`` go to the browser context, e.g. ``viewport`` or
        ``java_script_enabled``."""
        context = browser.new_context(**{"locale": "nl-BE", **options})
        # Generous: CI shares two cores with a live server, Celery and PostgreSQL.
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        watch_content_security_policy(page, violations)
        return page

    yield make_page
    for context in contexts:
        context.close()
    if violations:
        pytest.fail(
            "the browser blocked content under the Content-Security-Policy:\n"
            + "\n".join(dict.fromkeys(violations)),
            pytrace=False,
        )


def watch_content_security_policy(page, violations: list[str]) -> None:
    """Collect what Chromium reports as blocked by the page's CSP (console errors)."""

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}"
            f" <{violation.get('helpUrl', '')}>"
        )
        for node in violation.get("nodes", []):
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", " ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text()


def check_accessibility(page, context: str = "", *, include: str | None = None) -> None:
    """Run axe-core (WCAG 2.1 A and AA) on ``page``; fail listing every violation.

    ``include`` limits the check to the elements matching a CSS selector (e.g. our own
    part of a Wagtail admin page).
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: a <script> element with axe's source
        # (add_script_tag) would be an inline script, which the site's CSP blocks.
        page.evaluate("() => {\n" + _axe_source() + "\n}")
    result = page.evaluate(
        """async ([include, tags]) => await axe.run(
            include ? {include: [[include]]} : document,
            {runOnly: {type: 'tag', values: tags}},
        )""",
        [include, AXE_TAGS],
    )
    violations = result["violations"]
    if violations:
        where = context or page.url
        pytest.fail(
            f"axe-core found {len(violations)} accessibility violation(s) on {where} "
            f"({page.url}):\n{format_violations(violations)}",
            pytrace=False,
        )


@pytest.fixture
def axe():
    """``axe(page, "what this page is")`` fails the test on any WCAG 2.1 AA violation."""
    return check_accessibility
