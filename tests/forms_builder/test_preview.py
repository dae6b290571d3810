"""The editor's preview: all steps, and the check page with sample values."""

import pytest

from dossiers.models import Dossier
from forms_builder.models import Draft, FormSnapshot


@pytest.mark.django_db
def test_preview_shows_every_step_with_its_fields(form_page):
    response = form_page.make_preview_request(preview_mode="steps")
    html = response.rendered_content if hasattr(response, "rendered_content") else ""
    assert response.status_code == 200
    for step in form_page.get_schema()["steps"]:
        assert step["title"] in html
        for field in step["fields"]:
            assert field["label"] in html
    assert 'name="save_draft"' not in html  # a preview cannot be submitted
    assert "current_step" not in html


@pytest.mark.django_db
def test_check_page_preview_shows_sample_answers_for_every_field(form_page):
    response = form_page.make_preview_request(preview_mode="check")
    html = response.rendered_content
    assert response.status_code == 200
    assert "naam@voorbeeld.be" in html  # the e-mail field's sample
    assert "Open terras" in html  # the first option of the single choice
    for step in form_page.get_schema()["steps"]:
        for field in step["fields"]:
            assert field["label"] in html
    assert "data-prevent-double-click" not in html  # no submit button


@pytest.mark.django_db
def test_preview_leaves_nothing_behind(form_page):
    form_page.make_preview_request(preview_mode="steps")
    form_page.make_preview_request(preview_mode="check")
    assert not Draft.objects.exists()
    assert not Dossier.objects.exists()
    assert not FormSnapshot.objects.exists()
