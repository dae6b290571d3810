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


@pytest.mark.parametrize(
    ("type_id", "options", "check"),
    [
        ("integer", {"min_value": 20}, lambda v: v == 20),
        ("integer", {"max_value": 5}, lambda v: v == 5),
        ("date", {"earliest_days_from_today": 3}, lambda v: v >= str(_in_days(3))),
        ("date", {"latest_days_from_today": -10}, lambda v: v == str(_in_days(-10))),
        ("date_range", {"max_days": 1}, lambda v: v["start"] == v["end"]),
        ("date_range", {"earliest_days_from_today": 30}, lambda v: v["start"] >= str(_in_days(30))),
        ("time", {"earliest": "18:00"}, lambda v: v == "18:00"),
    ],
)
def test_sample_values_respect_the_editors_limits(type_id, options, check):
    from forms_builder.fields import get_field_type

    field = {"type": type_id, "name": "x", "label": "X", "options": options}
    assert check(get_field_type(type_id).sample_value(field))


def _in_days(days):
    import datetime

    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=days)
