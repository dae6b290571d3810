"""Files in a real browser: a refused file does not cost the good one, which is listed
with a remove button; axe checks both screens. (The button is a plain submit button:
tests/forms_builder/test_revisit.py removes a file without any script.)"""

from __future__ import annotations

import pytest

from tests import files
from tests.conftest import make_form_page
from tests.forms_builder.test_uploads import UPLOAD_STEPS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_good_file_stays_and_can_be_removed(live_server, home_page, team, new_page, axe):
    form = make_form_page(
        home_page, slug="met-bijlage", reference_prefix="BIJ", steps=UPLOAD_STEPS, team=team
    )
    page = new_page()
    page.goto(live_server.url + form.url)
    page.get_by_label("E-mail").fill("an@example.be")
    with page.expect_navigation():
        page.locator("main form button[type=submit]:not([name=save_draft])").first.click()

    page.get_by_label("Plan van het terras").set_input_files(
        [
            {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": files.PDF},
            {"name": "nep.pdf", "mimeType": "application/pdf", "buffer": files.PNG},
        ]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Volgende").click()
    assert "nep.pdf" in page.locator(".error-summary").inner_text()
    kept = page.locator(".upload-list__item")
    assert kept.count() == 1 and "plan.pdf" in kept.inner_text()
    axe(page, "an upload step with a refused file and a kept file")

    with page.expect_navigation():
        page.get_by_role("button", name="Verwijderen plan.pdf").click()
    assert page.locator(".upload-list__item").count() == 0
    assert page.locator(".error-summary").count() == 0
    axe(page, "the upload step after removing the file")
