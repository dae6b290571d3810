"""Two-factor authentication in a real browser: the demo officer signs in for the first
time with LOKET_ADMIN_2FA_REQUIRED on, sets up an authenticator app (the test plays the
app: it reads the secret from the page and computes the code), saves the backup codes
and reaches the dossier inbox. Signing in again asks for a code; a backup code does.

axe-core checks our own part of each step (the main element) against WCAG 2.1 AA.
"""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from cms.demo import load_demo
from tests.e2e.test_thin_journey import click_and_load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

INBOX = "/admin/dossiers/dossier/"


def app_code(secret: str) -> str:
    """What an authenticator app shows now for the secret typed into it."""
    secret = secret.replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in_with_password(page, base: str) -> None:
    page.goto(base + INBOX)
    page.wait_for_url(re.compile(r"/admin/login/"))
    page.locator("input[name=username]").fill("behandelaar")
    page.locator("input[name=password]").fill("loket-behandelaar")
    click_and_load(page, page.locator("form button[type=submit]"))


def test_officer_sets_up_an_app_and_reaches_the_inbox(live_server, new_page, axe, settings):
    settings.LOKET_ADMIN_2FA_REQUIRED = True
    load_demo()
    base = live_server.url

    officer = new_page()
    sign_in_with_password(officer, base)
    officer.wait_for_url(re.compile(r"/admin/two-factor/set-up/\?next="))
    qr_code = officer.locator("img.loket-two-factor__qr")
    qr_code.wait_for()
    assert officer.evaluate(
        "img => img.complete && img.naturalWidth > 100", qr_code.element_handle()
    ), "the QR code image loads"
    axe(officer, "setting up two-factor authentication", include="main")

    secret = officer.locator("#two-factor-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7 ]{32,}", secret), secret
    officer.locator("input[name=code]").fill(app_code(secret))
    click_and_load(officer, officer.locator("main form.login-form button[type=submit]"))

    officer.wait_for_url(re.compile(r"/admin/two-factor/backup-codes/"))
    codes = officer.locator("ol.loket-two-factor__codes code").all_inner_texts()
    assert len(codes) == 10
    axe(officer, "the backup codes", include="main")
    click_and_load(officer, officer.locator("main a.button"))

    officer.wait_for_url(base + INBOX)
    assert officer.locator("a[href*='/admin/dossiers/dossier/inspect/']").count() > 0, (
        "the inbox lists the team's dossiers"
    )

    # Signing in again in another browser asks for a code; a backup code works.
    again = new_page()
    sign_in_with_password(again, base)
    again.wait_for_url(re.compile(r"/admin/two-factor/verify/\?next="))
    axe(again, "the code step", include="main")
    again.locator("input[name=code]").fill("aaaa aaaa")
    click_and_load(again, again.locator("main form.login-form button[type=submit]"))
    assert again.locator(".error-message").count() == 1, "a wrong code is refused"
    time.sleep(1.1)  # a wrong code locks the backup codes for a second
    again.locator("input[name=code]").fill(codes[0])
    click_and_load(again, again.locator("main form.login-form button[type=submit]"))
    again.wait_for_url(base + INBOX)
    assert again.locator(".messages .warning").count() == 1, "told a backup code was used"
