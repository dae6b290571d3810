"""How questions ask: autofill tokens, messages phrased for the question, dates typed
in three boxes."""

import datetime
import re

import pytest

from forms_builder.forms import StepForm
from tests.conftest import make_form_page

from .test_uploads import mgmt

pytestmark = pytest.mark.django_db


def step_form(*fields, data=None):
    step = {"id": "s", "title": "Stap", "fields": list(fields)}
    return StepForm(data, step=step, prefix="1")


def field(type_, name, label, **extra):
    return {
        "id": name,
        "type": type_,
        "name": name,
        "label": label,
        "required": True,
        "options": extra.pop("options", {}),
        **extra,
    }


class TestAutocomplete:
    def test_the_type_knows_its_token(self):
        form = step_form(field("email", "mail", "E-mail"), field("phone", "tel", "Telefoon"))
        html = str(form["mail"]) + str(form["tel"])
        assert 'autocomplete="email"' in html and 'autocomplete="tel"' in html

    def test_what_the_answer_is_used_as_gives_the_token(self):
        form = step_form(
            field("short_text", "naam", "Naam", maps_to="applicant_name"),
            field("short_text", "zaak", "Zaak", maps_to="company_name"),
        )
        assert 'autocomplete="name"' in str(form["naam"])
        assert 'autocomplete="organization"' in str(form["zaak"])

    def test_the_editor_chooses_per_field(self):
        form = step_form(
            field("short_text", "voornaam", "Voornaam", autocomplete="given-name"),
            field("email", "boekhouder", "E-mail van uw boekhouder", autocomplete="off"),
            field("short_text", "uitleg", "Uitleg"),
        )
        assert 'autocomplete="given-name"' in str(form["voornaam"])
        assert 'autocomplete="off"' in str(form["boekhouder"])
        assert "autocomplete" not in str(form["uitleg"])

    def test_the_editor_setting_reaches_the_schema(self, home_page, team):
        steps = [
            {
                "type": "step",
                "value": {
                    "title": "A",
                    "intro": "",
                    "fields": [
                        {
                            "type": "short_text",
                            "value": {
                                "label": "Voornaam",
                                "name": "voornaam",
                                "autocomplete": "given-name",
                                "required_message": "Vul uw voornaam in",
                            },
                        },
                        {"type": "short_text", "value": {"label": "Uitleg", "name": "uitleg"}},
                    ],
                },
            }
        ]
        page = make_form_page(home_page, slug="autofill", steps=steps, team=team)
        first, second = page.get_schema()["steps"][0]["fields"]
        assert first["autocomplete"] == "given-name"
        assert first["required_message"] == "Vul uw voornaam in"
        # Unset settings stay out: the schema (and its hash) of older forms is unchanged.
        assert "autocomplete" not in second and "required_message" not in second


class TestRequiredMessages:
    def errors(self, *fields):
        form = step_form(*fields, data={})
        assert not form.is_valid()
        return {name: form.errors[name][0] for name in form.errors}

    def test_messages_are_phrased_for_the_question(self):
        errors = self.errors(
            field("short_text", "naam", "Uw naam"),
            field(
                "single_choice",
                "soort",
                "Soort terras",
                options={"choices": ["Open terras", "Gesloten terras"]},
            ),
            field(
                "single_choice",
                "welk",
                "Welk soort terras?",
                options={"choices": ["Open terras", "Gesloten terras"]},
            ),
            field("file_upload", "plan", "Plan van het terras"),
            field("consent", "akkoord", "Ik ga akkoord"),
        )
        assert errors == {
            "naam": "Vul uw naam in.",
            "soort": "Kies soort terras.",
            "welk": "Kies een antwoord op de vraag: Welk soort terras?",
            "plan": "Voeg plan van het terras toe.",
            "akkoord": "Vink het vakje aan om verder te gaan.",
        }

    def test_an_abbreviation_keeps_its_capitals(self):
        assert self.errors(field("short_text", "btw", "BTW-nummer")) == {
            "btw": "Vul BTW-nummer in."
        }

    def test_the_editor_writes_their_own(self):
        errors = self.errors(
            field(
                "single_choice",
                "soort",
                "Soort",
                required_message="Kies het soort terras",
                options={"choices": ["Open", "Gesloten"]},
            )
        )
        assert errors == {"soort": "Kies het soort terras"}

    def test_the_error_summary_shows_no_doubled_question_mark_colon(self, client, home_page, team):
        steps = [
            {
                "type": "step",
                "value": {
                    "title": "A",
                    "intro": "",
                    "fields": [
                        {
                            "type": "short_text",
                            "value": {
                                "label": "Hoeveel tafels?",
                                "name": "tafels",
                                "required": True,
                                "required_message": "Vul het aantal tafels in",
                            },
                        },
                        {
                            "type": "short_text",
                            "value": {"label": "Naam", "name": "naam", "required": True},
                        },
                    ],
                },
            }
        ]
        page = make_form_page(home_page, slug="vraagteken", steps=steps, team=team)
        response = client.post(page.url + "stap/1/", mgmt(page, "1"))
        summary = re.search(
            r'<ul class="error-summary__list">(.*?)</ul>', response.content.decode(), re.S
        ).group(1)
        assert "?:" not in summary
        assert "Hoeveel tafels? Vul het aantal tafels in" in summary
        # A message that names its question stands alone.
        assert ">Vul naam in.</a>" in summary


class TestKnownDates:
    def date_field(self, **options):
        return field(
            "date",
            "geboren",
            "Geboortedatum",
            autocomplete="bday",
            options={"date_style": "known", **options},
        )

    def test_three_boxes_with_labels_and_birthday_tokens(self):
        html = str(step_form(self.date_field())["geboren"])
        for part, token in (("day", "bday-day"), ("month", "bday-month"), ("year", "bday-year")):
            assert f'name="1-geboren_{part}"' in html
            assert f'autocomplete="{token}"' in html
        assert 'type="date"' not in html
        assert ">Dag<" in html and ">Maand<" in html and ">Jaar<" in html

    @pytest.mark.parametrize(
        ("day", "month", "year", "message"),
        [
            ("31", "2", "1985", "De datum moet een echte datum zijn."),
            ("", "2", "1985", "De datum moet een dag bevatten."),
            ("3", "", "1985", "De datum moet een maand bevatten."),
            ("3", "2", "85", "Het jaar moet 4 cijfers hebben, bijvoorbeeld 1985."),
            ("3", "feb", "1985", "Vul de datum in met cijfers, bijvoorbeeld 27 3 1985."),
            ("", "", "", "Vul geboortedatum in."),
        ],
    )
    def test_messages_in_dutch(self, day, month, year, message):
        form = step_form(
            self.date_field(),
            data={"1-geboren_day": day, "1-geboren_month": month, "1-geboren_year": year},
        )
        assert not form.is_valid()
        assert form.errors["geboren"] == [message]

    def test_a_real_date_is_stored_as_an_iso_date_and_shown_again(self):
        form = step_form(
            self.date_field(),
            data={"1-geboren_day": "27", "1-geboren_month": "3", "1-geboren_year": "1985"},
        )
        assert form.is_valid(), form.errors
        assert form.answers() == {"geboren": "1985-03-27"}
        shown = step_form(self.date_field())
        shown.initial = {"geboren": datetime.date(1985, 3, 27)}
        html = str(shown["geboren"])
        assert 'value="27"' in html and 'value="3"' in html and 'value="1985"' in html

    def test_the_limits_still_hold(self):
        form = step_form(
            self.date_field(latest="2000-01-01"),
            data={"1-geboren_day": "2", "1-geboren_month": "1", "1-geboren_year": "2000"},
        )
        assert not form.is_valid()
        assert "1 januari 2000" in form.errors["geboren"][0]

    def test_a_date_to_pick_keeps_the_date_picker(self):
        form = step_form(
            field("date", "dag", "Dag van het evenement"), data={"1-dag": "2026-02-31"}
        )
        assert 'type="date"' in str(form["dag"])
        assert not form.is_valid()
        assert form.errors["dag"] == ["De datum moet een echte datum zijn, bijvoorbeeld 27/3/2026."]
