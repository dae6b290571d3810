"""Lead times on periods (issue #15): the start of a period (from ... to ...) may not be
earlier than the lead time, in calendar or working days, chosen by earlier answers; the
editor's message names the earliest date; or the period is accepted marked late."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from forms_builder import calculation_checks
from forms_builder.fields import get_field_type
from forms_builder.procedure import procedure_and_lateness
from tests.conftest import make_form_page
from tests.factories import field_block, step_block

PERIOD = get_field_type("date_range")


def day(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def text(date):
    return date.strftime("%d/%m/%Y")


def period(**options):
    return {"type": "date_range", "name": "periode", "label": "Periode", "options": options}


class TestTheStartKeepsTheLeadTime:
    def test_a_start_before_the_lead_time_is_refused_with_the_editors_message(self):
        field = PERIOD.get_form_field(
            period(
                earliest_days_from_today=20,
                too_early_message="Vraag minstens 20 dagen vooraf aan. Kies {datum} of later.",
            )
        )
        with translation.override("nl"), pytest.raises(Exception) as refused:
            field.clean([text(day(5)), text(day(8))])
        assert "Vraag minstens 20 dagen vooraf aan." in str(refused.value)
        cleaned = field.clean([text(day(20)), text(day(22))])
        assert cleaned["start"] == day(20)

    def test_the_lead_time_comes_from_earlier_answers(self):
        options = {"lead_time_formula": "60 if bezoekers > 500 else 5"}
        small = PERIOD.get_form_field(period(**options), {"bezoekers": 100})
        large = PERIOD.get_form_field(period(**options), {"bezoekers": 1000})
        assert small.clean([text(day(10)), text(day(11))])["start"] == day(10)
        with pytest.raises(ValidationError):
            large.clean([text(day(10)), text(day(11))])

    def test_marked_late_instead_of_refused(self):
        options = {"earliest_days_from_today": 20, "when_too_early": "mark_late"}
        field = PERIOD.get_form_field(period(**options))
        assert field.clean([text(day(5)), text(day(8))])["start"] == day(5)
        stored = {"start": day(5).isoformat(), "end": day(8).isoformat()}
        assert PERIOD.is_late(stored, period(**options), {}) is True
        in_time = {"start": day(25).isoformat(), "end": day(28).isoformat()}
        assert PERIOD.is_late(in_time, period(**options), {}) is False
        assert PERIOD.is_late(stored, period(earliest_days_from_today=20), {}) is False


@pytest.mark.django_db
class TestOnAForm:
    @pytest.fixture
    def event_page(self, home_page):
        return make_form_page(
            home_page,
            slug="evenement-periode",
            steps=[
                step_block("Bezoekers", field_block("integer", "Bezoekers", "bezoekers")),
                step_block(
                    "Wanneer",
                    field_block(
                        "date_range",
                        "Wanneer?",
                        "periode",
                        lead_time_formula="60 if bezoekers > 500 else 5",
                        when_too_early="mark_late",
                    ),
                ),
            ],
        )

    def test_late_in_the_wizard_and_the_submission(self, client, event_page):
        management = f"loket-form-{event_page.pk}-current_step"
        client.post(event_page.url + "stap/1/", {management: "1", "1-bezoekers": "1000"})
        response = client.post(
            event_page.url + "stap/2/",
            {
                management: "2",
                "2-periode_start": day(10).isoformat(),
                "2-periode_end": day(11).isoformat(),
            },
        )
        assert response.status_code == 302
        with translation.override("nl"):
            html = client.get(event_page.url + "controleren/").content.decode()
        assert "Uw aanvraag is te laat" in html

        schema = event_page.get_schema()
        first, second = (step["id"] for step in schema["steps"])
        answers = {
            first: {"bezoekers": 1000},
            second: {"periode": {"start": day(10).isoformat(), "end": day(11).isoformat()}},
        }
        assert procedure_and_lateness(schema, answers) == (None, True)
        answers[first]["bezoekers"] = 100
        assert procedure_and_lateness(schema, answers) == (None, False)

    def test_the_formula_is_checked_when_saved(self):
        schema = {
            "steps": [
                {
                    "id": "s1",
                    "title": "Wanneer",
                    "fields": [{**period(lead_time_formula="onbekend * 2"), "required": True}],
                }
            ]
        }
        with translation.override("en"):
            errors = calculation_checks.validate_formula_options(schema)
        assert any("onbekend" in error for error in errors)
