"""The finance screens in a real browser (issue #17): the demo's finance employee signs
in, opens the statements (with the demo's line to match by hand), a statement, the
payments, the refunds and the payouts; axe-core finds nothing on our part of each
page, and the Content-Security-Policy blocks nothing."""

from __future__ import annotations

import re

import pytest

from cms.demo import load_demo
from tests.e2e.test_thin_journey import click_and_load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_finance_pages(live_server, new_page, axe):
    load_demo()
    base = live_server.url
    page = new_page()
    page.goto(base + "/admin/login/")
    page.locator("input[name=username]").fill("financien")
    page.locator("input[name=password]").fill("loket-financien")
    click_and_load(page, page.locator("form button[type=submit]"))
    page.wait_for_url(base + "/admin/")
    page.goto(base + "/admin/financien/")
    assert page.get_by_text("VERHUIZINGEN SNEL").count() == 1  # to match by hand
    axe(page, "bank statements", include=".loket-finance")
    click_and_load(page, page.get_by_role("link", name="rekeninguittreksel.cod"))
    page.wait_for_url(re.compile(r"/admin/financien/uittreksel/\d+/$"))
    assert page.get_by_text("Gekoppeld").count() >= 1
    axe(page, "one bank statement", include=".loket-finance")
    for path, what in [
        ("betalingen/", "payments"),
        ("terugbetalingen/", "refunds"),
        ("uitbetalingen/", "payouts"),
    ]:
        page.goto(base + "/admin/financien/" + path)
        axe(page, what, include=".loket-finance")
