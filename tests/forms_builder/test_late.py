"""The "late" flag (issue #15): a date before the lead time is accepted when the editor
chose "accept but mark late"; the dossier is marked late, the officer sees it, and
calculations read it as ``te_laat`` (a surcharge)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dossiers.models import Dossier
from forms_builder import calculation_checks
from forms_builder.fields import get_field_type
from forms_builder.procedure import is_late, procedure_and_lateness
from tests.conftest import make_form_page
from tests.factories import field_block, step_block

pytestmark = pytest.mark.django_db

SURCHARGE = {
    "type": "calculation",
    "value": {
        "label": "Retributie",
        "name": "retributie",
        "formula": "50 * (1.5 if te_laat else 1)",
        "show": True,
        "is_fee": True,
    },
}


def date_field(**options):
    return field_block(
        "date", "Datum van het evenement", "datum", earliest_days_from_today=20, **options
    )


@pytest.fixture
def late_page(home_page, team):
    return make_form_page(
        home_page,
        slug="te-laat",
        team=team,
        steps=[step_block("Wanneer", date_field(when_too_early="mark_late"))],
        calculations=[SURCHARGE],
    )


def day(days_from_today):
    return (timezone.localdate() + datetime.timedelta(days=days_from_today)).isoformat()


def send_step(client, page, date):
    management = {f"loket-form-{page.pk}-current_step": "1"}
    return client.post(page.url + "stap/1/", {**management, "1-datum": date})


class TestInTheWizard:
    def test_a_late_date_is_accepted_marked_late_with_a_surcharge(
        self, client, late_page, admin_user
    ):
        response = send_step(client, late_page, day(5))
        assert response.status_code == 302 and response.url.endswith("/controleren/")
        with translation.override("nl"):
            html = client.get(late_page.url + "controleren/").content.decode()
        assert "Uw aanvraag is te laat" in html
        assert "€ 75,00" in html

        client.post(late_page.url + "controleren/", {})
        dossier = Dossier.objects.get()
        assert dossier.late is True
        assert dossier.amount_due == Decimal("75.00")

        client.force_login(admin_user)
        inspect = reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])
        with translation.override("nl"):
            html = client.get(inspect).content.decode()
        assert "Te laat: ingediend na de termijn" in html

    def test_the_export_says_which_dossiers_are_late(self, client, late_page, admin_user):
        send_step(client, late_page, day(5))
        client.post(late_page.url + "controleren/", {})
        client.force_login(admin_user)
        with translation.override("en"):
            response = client.get(reverse("dossiers_dossier_modeladmin_index"), {"export": "csv"})
        text = b"".join(response.streaming_content).decode("utf-8")[1:]
        header, row = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert dict(zip(header, row, strict=True))["Te laat ingediend"] == "Ja"

    def test_in_time_is_not_late(self, client, late_page):
        send_step(client, late_page, day(30))
        html = client.get(late_page.url + "controleren/").content.decode()
        assert "late-title" not in html and "notification-banner__title" not in html
        client.post(late_page.url + "controleren/", {})
        dossier = Dossier.objects.get()
        assert dossier.late is False
        assert dossier.amount_due == Decimal("50.00")

    def test_refusing_stays_the_default(self, client, home_page):
        page = make_form_page(
            home_page, slug="weigeren", steps=[step_block("Wanneer", date_field())]
        )
        response = send_step(client, page, day(5))
        assert response.status_code == 200  # the step again, with the message

    def test_a_fixed_earliest_date_is_always_refused(self, client, home_page):
        earliest = day(3)
        page = make_form_page(
            home_page,
            slug="vast",
            steps=[step_block("W", date_field(when_too_early="mark_late", earliest=earliest))],
        )
        assert send_step(client, page, day(1)).status_code == 200
        assert send_step(client, page, day(4)).status_code == 302


class TestUnits:
    def test_only_questions_that_accept_late_dates_can_be_late(self):
        date = get_field_type("date")
        marked = {"options": {"earliest_days_from_today": 20, "when_too_early": "mark_late"}}
        refused = {"options": {"earliest_days_from_today": 20}}
        assert date.can_be_late(marked) and not date.can_be_late(refused)
        assert date.is_late(day(5), marked, {}) is True
        assert date.is_late(day(20), marked, {}) is False
        assert date.is_late(day(5), refused, {}) is False
        assert get_field_type("short_text").is_late("x", {}, {}) is False

    def test_a_lead_time_chosen_by_an_earlier_answer(self, home_page):
        page = make_form_page(
            home_page,
            slug="tabel",
            steps=[
                step_block("Hoeveel", field_block("integer", "Bezoekers", "bezoekers")),
                step_block(
                    "Wanneer",
                    date_field(
                        when_too_early="mark_late", lead_time_formula="60 if bezoekers > 500 else 5"
                    ),
                ),
            ],
        )
        schema = page.get_schema()
        first, second = (step["id"] for step in schema["steps"])
        visible = [first, second]
        small = {first: {"bezoekers": 100}, second: {"datum": day(10)}}
        large = {first: {"bezoekers": 1000}, second: {"datum": day(10)}}
        assert is_late(schema, small, visible) is False
        assert is_late(schema, large, visible) is True
        assert procedure_and_lateness(schema, large) == (None, True)

    def test_formulas_may_use_te_laat(self, late_page):
        assert calculation_checks.validate_calculations(late_page.get_schema()) == []
