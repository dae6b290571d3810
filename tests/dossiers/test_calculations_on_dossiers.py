"""Calculations on the dossier: stored when submitted, shown to officers, exported."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dossiers import services
from tests.dossiers.test_export import by_reference, download
from tests.factories import terrace_answers

pytestmark = pytest.mark.django_db

FEE = {
    "type": "calculation",
    "value": {
        "label": "Retributie",
        "name": "retributie",
        "formula": "max(25, 0.30 * oppervlakte * 10)",
        "show": True,
        "is_fee": True,
        "breakdown": "",
    },
}
PROPOSAL = {
    "type": "calculation",
    "value": {
        "label": "Voorgestelde premie",
        "name": "premie",
        "formula": "min(1500, oppervlakte * 100)",
        "show": False,
        "is_fee": False,
        "breakdown": "",
    },
}


@pytest.fixture
def terrace(form_page, economy):
    form_page.team = economy
    form_page.calculations = [FEE, PROPOSAL]
    form_page.save()
    return form_page


@pytest.fixture
def dossier(terrace, economy):
    schema = terrace.get_schema()
    dossier = services.submit_application(
        form_page=terrace, schema=schema, answers=terrace_answers(schema, oppervlakte=24)
    )
    dossier.team = economy
    dossier.save()
    return dossier


def test_submitting_without_a_wizard_computes_the_calculations(dossier):
    assert dossier.amount_due == Decimal("72.00")
    assert dossier.calculations == {"retributie": "72.00", "premie": "1500"}


def test_the_officer_sees_the_proposed_amount_and_the_amount_due(client, officer, dossier):
    client.force_login(officer)
    response = client.get(reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk]))
    content = response.content.decode()
    assert "Voorgestelde premie" in content
    assert "1.500" in content
    assert "€ 72,00" in content


def test_the_export_has_the_amount_due_and_a_column_per_calculation(
    client, officer, dossier, terrace
):
    client.force_login(officer)
    _response, table = download(client, form=terrace.pk)
    row = by_reference(table)[dossier.reference]
    assert row["Te betalen bedrag"] == "72.00"
    assert row["Retributie"] == "72.00"
    assert row["Voorgestelde premie"] == "1500"
