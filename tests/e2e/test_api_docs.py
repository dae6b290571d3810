"""The API's readable docs (/api/v1/docs/) work under the strict CSP: Swagger UI from
the site's own static files lists the operations, and the browser blocks nothing."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_api_docs_show_every_operation(new_page, live_server):
    page = new_page()
    page.goto(live_server.url + "/api/v1/docs/")
    page.wait_for_selector(".opblock")
    text = page.inner_text("#swagger-ui")
    assert "Loket API" in text
    for path in ("/api/v1/dossiers/", "/api/v1/dossiers/{public_id}/transitions/"):
        assert path in text
    page.click(".opblock-summary-path >> text=/api/v1/dossiers/{public_id}/transitions/")
    page.wait_for_selector(".opblock-body")
