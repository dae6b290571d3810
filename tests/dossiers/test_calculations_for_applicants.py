"""Calculations the editor marked visible to the applicant (and the fee, with its
breakdown) are shown on the receipt (PDF) and the status page, as on the check page;
the others stay for officers only."""

import pytest
from django.utils import translation

from dossiers import services
from dossiers.outbox.receipt import render_receipt_html
from tests.factories import terrace_answers

pytestmark = pytest.mark.django_db


def calculation(label, name, formula, *, show=False, is_fee=False, breakdown=""):
    value = {
        "label": label,
        "name": name,
        "formula": formula,
        "show": show,
        "is_fee": is_fee,
        "breakdown": breakdown,
    }
    return {"type": "calculation", "value": value}


@pytest.fixture
def dossier(form_page):
    form_page.calculations = [
        calculation(
            "Retributie",
            "retributie",
            "max(25, 0.30 * oppervlakte * 10)",
            is_fee=True,
            breakdown="{oppervlakte} m² × 10 dagen × € 0,30 = {retributie}",
        ),
        calculation("Dagen op het terras", "terrasdagen", "10 + 2", show=True),
        calculation("Interne score", "score", "oppervlakte * 7"),
    ]
    form_page.save()
    schema = form_page.get_schema()
    return services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema, oppervlakte=24)
    )


def assert_shows_the_visible_calculations(html):
    assert "Kosten en berekeningen" in html
    assert "€ 72,00" in html
    assert "24 m² × 10 dagen × € 0,30 = € 72,00" in html
    assert "Dagen op het terras" in html
    assert "Interne score" not in html
    assert "168" not in html


def test_the_status_page_shows_them(client, dossier):
    with translation.override("nl"):
        html = client.get(dossier.get_status_url(), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert_shows_the_visible_calculations(html)


def test_the_receipt_shows_them(dossier):
    assert_shows_the_visible_calculations(render_receipt_html(dossier))


def test_without_visible_calculations_no_section(form_page):
    form_page.calculations = [calculation("Interne score", "score", "oppervlakte * 7")]
    form_page.save()
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    assert "Kosten en berekeningen" not in render_receipt_html(dossier)
