"""Wagtail's widgets under the admin's Content-Security-Policy, which allows no inline
script (cms/admin_scripts.py, cms/static/cms/js/admin-init.js).

An editor chooses the application form of a service in the page chooser's modal, sets
the opening date of the form with the date picker, and saves both. The page fixture
fails the test on any violation the browser reports (tests/e2e/conftest.py).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from cms.models import ServicePage
from tests.cms.builders import make_service
from tests.conftest import make_form_page

from .test_form_builder_journey import admin_login, click_and_load, use_english_admin

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_page_chooser_and_date_picker_work_without_inline_scripts(
    new_page, live_server, home_page, team
):
    form = make_form_page(home_page, title="Aanvraag terras")
    service = make_service(home_page)
    get_user_model().objects.create_superuser("redacteur", "r@example.org", "geheim-wachtwoord")
    use_english_admin("redacteur")
    page = new_page()
    admin_login(page, live_server.url, "redacteur", "geheim-wachtwoord")

    response = page.goto(f"{live_server.url}/admin/pages/{service.pk}/edit/")
    assert response.status == 200
    # Started from data: the chooser's button opens Wagtail's modal.
    chooser = page.locator("#id_form_page-chooser")
    chooser.get_by_role("button", name="Choose a page").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name=form.title, exact=True).click()
    page.locator(".modal-dialog").wait_for(state="detached")
    assert chooser.locator(".chooser__title").inner_text() == form.title

    click_and_load(page, page.get_by_role("button", name="Save draft"))
    draft = ServicePage.objects.get(pk=service.pk).get_latest_revision_as_object()
    assert draft.form_page_id == form.pk

    # The date picker of the form's opening date, in its "Form settings" tab.
    response = page.goto(f"{live_server.url}/admin/pages/{form.pk}/edit/")
    assert response.status == 200
    page.get_by_role("tab", name="Form settings").click()
    page.locator("#id_opens_at").click()
    picker = page.locator(".xdsoft_datetimepicker:visible")
    picker.wait_for()
    picker.locator(".xdsoft_date:not(.xdsoft_disabled)").last.click()
    assert page.locator("#id_opens_at").input_value()
    click_and_load(page, page.get_by_role("button", name="Save draft"))
    saved = type(form).objects.get(pk=form.pk).get_latest_revision_as_object()
    assert saved.opens_at is not None
