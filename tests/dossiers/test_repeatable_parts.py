"""A dossier with a repeatable part: the officer's dossier view, the receipt and the
applicant's status page show one line per item; the CSV export flattens the items up
to the part's maximum (dagen_1_datum ...), the XLSX export adds a sheet per part."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from dossiers import services
from dossiers.outbox.receipt import render_receipt_html
from forms_builder.models import ApplicationFormPage
from tests.conftest import make_form_page
from tests.forms_builder.test_repeatable import steps

pytestmark = pytest.mark.django_db

DAYS = [
    {"datum": "2026-06-12", "van": "10:00", "tot": "18:00"},
    {"datum": "2026-06-13", "van": "09:30", "tot": "23:00"},
]


@pytest.fixture
def event_dossier(home_page, economy):
    page: ApplicationFormPage = make_form_page(
        home_page, title="Evenement", slug="evenement", reference_prefix="EVE", steps=steps()
    )
    page.team = economy
    page.save()
    schema = page.get_schema()
    answers = {schema["steps"][0]["id"]: {"naam": "Kermis", "dagen": DAYS}}
    dossier = services.submit_application(form_page=page, schema=schema, answers=answers)
    dossier.team = economy
    dossier.save()
    return dossier


@pytest.fixture
def as_officer(client, officer):
    client.force_login(officer)
    return client


def test_the_dossier_view_shows_each_item_on_its_own_line(as_officer, event_dossier):
    with translation.override("nl"):
        response = as_officer.get(
            reverse("dossiers_dossier_modeladmin_inspect", args=[event_dossier.pk])
        )
    content = response.content.decode()
    assert "Dagen van het evenement" in content
    assert "Dag 1: Datum: 12 juni 2026, Van: 10:00, Tot: 18:00" in content
    assert "Dag 2: Datum: 13 juni 2026, Van: 09:30, Tot: 23:00" in content


def test_the_receipt_and_the_status_page_show_the_items(client, event_dossier):
    receipt = render_receipt_html(event_dossier)
    assert "Dag 1: Datum: 12 juni 2026, Van: 10:00, Tot: 18:00<br>Dag 2:" in receipt
    with translation.override("nl"):
        status = client.get(event_dossier.get_status_url()).content.decode()
    assert "Dag 2: Datum: 13 juni 2026, Van: 09:30, Tot: 23:00" in status


def export(client, economy, kind):
    page = ApplicationFormPage.objects.get(slug="evenement")
    response = client.get(
        reverse("dossiers_dossier_modeladmin_index"), {"export": kind, "form": page.pk}
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if hasattr(response, "close"):
        response.close()
    return content


def test_the_csv_flattens_the_items_up_to_the_maximum(as_officer, economy, event_dossier):
    content = export(as_officer, economy, "csv").decode("utf-8")
    header, row = list(csv.reader(io.StringIO(content[1:]), delimiter=";"))
    cells = dict(zip(header, row, strict=True))
    assert [name for name in header if name.startswith("dagen_")] == [
        f"dagen_{number}_{question}" for number in (1, 2, 3) for question in ("datum", "van", "tot")
    ]
    assert cells["dagen_1_datum"] == "2026-06-12"
    assert cells["dagen_2_tot"] == "23:00"
    assert cells["dagen_3_datum"] == ""


def test_the_xlsx_adds_a_sheet_per_repeatable_part(as_officer, economy, event_dossier):
    workbook = load_workbook(io.BytesIO(export(as_officer, economy, "xlsx")))
    assert workbook.sheetnames[1] == "Dagen van het evenement"
    rows = [[cell.value or "" for cell in row] for row in workbook.worksheets[1].iter_rows()]
    assert rows[0][2:] == ["Datum", "Van", "Tot"]
    assert rows[1:] == [
        [event_dossier.reference, "1", "2026-06-12", "10:00", "18:00"],
        [event_dossier.reference, "2", "2026-06-13", "09:30", "23:00"],
    ]
    main_header = [cell.value for cell in next(workbook.worksheets[0].iter_rows())]
    assert "dagen_2_van" in main_header
