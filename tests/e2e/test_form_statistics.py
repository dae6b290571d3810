"""An editor opens the statistics of their form from the page editor's header: the
numbers, the charts (SVG images with a name) and the tables beside them pass axe."""

from __future__ import annotations

import pytest

from tests.e2e.test_form_builder_journey import admin_login, click_and_load
from tests.forms_builder.test_statistics import editor_of, terrace  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_editor_reads_the_statistics_of_their_form(
    live_server,
    new_page,
    axe,
    terrace,  # noqa: F811 - the fixture imported above
):
    editor = editor_of(terrace)
    editor.set_password("redactie-pw")
    editor.save()

    page = new_page()
    admin_login(page, live_server.url, "redacteur", "redactie-pw")
    page.goto(f"{live_server.url}/admin/pages/{terrace.pk}/edit/")
    statistics = page.locator(f"a[href='/admin/forms/{terrace.pk}/statistics/']").first
    if not statistics.is_visible():
        # The header's extra buttons sit behind the "more" toggle.
        page.locator("header [data-controller='w-dropdown'] button").last.click()
    click_and_load(page, statistics)

    page.locator("#id_start").fill("2026-11-02")
    page.locator("#id_end").fill("2026-11-29")
    click_and_load(page, page.locator(".loket-stats-period button[type=submit]"))

    assert page.locator("[data-figure=started]").inner_text() == "7"
    assert page.locator("[data-figure=submitted]").inner_text() == "3"
    charts = page.locator("svg.loket-chart[role=img]")
    assert charts.count() == 4
    for index in range(charts.count()):
        labelled_by = charts.nth(index).get_attribute("aria-labelledby").split()
        assert all(page.locator(f"[id='{name}']").count() == 1 for name in labelled_by)
    assert page.locator("#drop-off-table tbody tr").count() == 4
    axe(page, "form statistics")
