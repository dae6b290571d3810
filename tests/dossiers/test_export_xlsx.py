"""Export of the filtered inbox to XLSX: the CSV's columns, streamed while written."""

import io
import secrets

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from dossiers import export
from dossiers.constants import Status
from tests.factories import DossierFactory

from .test_export import submit, terrace  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

INDEX_URL = "dossiers_dossier_modeladmin_index"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, **params):
    response = client.get(reverse(INDEX_URL), {**params, "export": "xlsx"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["X-Accel-Buffering"] == "no"
    content = b"".join(response.streaming_content)
    response.close()
    return response, load_workbook(io.BytesIO(content), read_only=False)


def heading(english: str) -> str:
    """The heading of a dossier column, as the (Dutch) export writes it."""
    with translation.override("en"):
        column = next(c for c in export.DOSSIER_COLUMNS if str(c.heading) == english)
    return str(column.heading)


def table(workbook):
    return [[cell.value or "" for cell in row] for row in workbook.active.iter_rows()]


@pytest.fixture
def as_officer(client, officer):
    client.force_login(officer)
    return client


def test_same_header_and_rows_as_the_csv(as_officer, officer, economy, events_team):
    DossierFactory(team=economy, reference="TER-2026-00001", company_name="Bakkerij Aa")
    DossierFactory(
        team=economy,
        reference="TER-2026-00002",
        assigned_to=officer,
        enterprise_number="0123.456.789",
        company_name="Café De Markt",
    )
    DossierFactory(team=events_team, reference="EVT-2026-00003")

    response, workbook = download(as_officer)

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="dossiers-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert response["X-Content-Type-Options"] == "nosniff"
    header, *rows = table(workbook)
    assert header == [str(column.heading) for column in export.DOSSIER_COLUMNS]
    assert [row[0] for row in rows] == ["TER-2026-00002", "TER-2026-00001"]
    assert rows[0][header.index(heading("Company"))] == "Café De Markt"
    assert rows[0][header.index(heading("Enterprise number"))] == "0123.456.789"
    assert rows[0][header.index(heading("Handled by"))] == "Officer"


def test_the_filters_apply(as_officer, economy):
    DossierFactory(team=economy, reference="TER-2026-00001")
    DossierFactory(team=economy, reference="TER-2026-00002", status=Status.IN_REVIEW)

    _response, workbook = download(as_officer, status="in_review")

    assert [row[0] for row in table(workbook)[1:]] == ["TER-2026-00002"]


def test_formulas_are_text_never_formulas(as_officer, economy):
    evil = '=HYPERLINK("http://kwaad.be")'
    DossierFactory(team=economy, company_name=evil, applicant_name="@SUM(A1)\x07")

    _response, workbook = download(as_officer)

    header = [cell.value for cell in next(workbook.active.iter_rows())]
    row = list(workbook.active.iter_rows(min_row=2))[0]
    company = row[header.index(heading("Company"))]
    assert company.value == evil
    assert company.data_type == "s"
    assert company.quotePrefix
    # Characters a workbook cannot hold are left out rather than failing the export.
    assert row[header.index(heading("Applicant"))].value == "@SUM(A1)"


def test_one_column_per_answer_of_the_chosen_form(as_officer, terrace, economy):  # noqa: F811
    dossier = submit(terrace, economy, bedrijfsnaam="Café De Brug")

    _response, workbook = download(as_officer, form=terrace.pk)

    header, *rows = table(workbook)
    answers = header[len(export.DOSSIER_COLUMNS) :]
    assert answers[0] == "Naam van de onderneming"
    assert "Oppervlakte van het terras (m²)" in answers
    row = dict(zip(header, rows[0], strict=True))
    assert row[heading("Reference")] == dossier.reference
    assert row["Naam van de onderneming"] == "Café De Brug"
    assert row["Oppervlakte van het terras (m²)"] == 24  # a number cell
    assert row["Soort terras"] == "Open terras"


@pytest.mark.parametrize("role", ["anonymous", "editor", "other_officer"])
def test_only_officers_export_their_teams_dossiers(client, economy, role, request):
    DossierFactory(team=economy, reference="TER-2026-00001")
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get(reverse(INDEX_URL), {"export": "xlsx"})

    if role == "other_officer":
        # Their own (empty) list: nothing of another team.
        _response, workbook = download(client)
        assert len(table(workbook)) == 1
    else:
        assert response.status_code in (302, 403)
        assert not isinstance(response, StreamingHttpResponse)


def test_rows_are_read_in_chunks(as_officer, economy, monkeypatch):
    for _n in range(5):
        DossierFactory(team=economy)
    monkeypatch.setattr(export, "CHUNK_SIZE", 2)

    _response, workbook = download(as_officer)

    assert len(table(workbook)) == 6


def test_the_inbox_offers_the_xlsx_export(as_officer, economy):
    DossierFactory(team=economy)

    content = as_officer.get(reverse(INDEX_URL), {"status": "open"}).content.decode()

    assert 'href="?export=xlsx&amp;status=open"' in content


def test_dates_and_amounts_are_typed_cells_with_a_frozen_filtered_header(as_officer, economy):
    import datetime
    from decimal import Decimal

    DossierFactory(
        team=economy,
        reference="TER-2026-00001",
        decision_due=datetime.date(2026, 7, 1),
        amount_due=Decimal("50.40"),
        company_name="=HYPERLINK(1)",
    )

    _response, workbook = download(as_officer)

    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    row = {header[i]: cell for i, cell in enumerate(sheet[2])}
    due = row[heading("Decide by")]
    assert due.value == datetime.datetime(2026, 7, 1) and due.number_format == "DD/MM/YYYY"
    submitted = row[heading("Submitted at")]
    assert isinstance(submitted.value, datetime.datetime)
    amount = row[heading("Amount due")]
    assert amount.value == 50.4 and amount.number_format == "#,##0.00"
    # Text stays text (never a formula), also next to typed cells.
    company = row[heading("Company")]
    assert company.data_type == "s" and company.value == "=HYPERLINK(1)"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}2"
    assert sheet.column_dimensions["A"].width >= len(header[0])


def test_typed_answers_follow_their_field_type(as_officer, terrace, economy):  # noqa: F811
    """A date answer is a date cell, a number a number; a value that is not what its
    column holds stays text (never lost)."""
    import datetime

    from dossiers.export import XlsxFormat

    response = XlsxFormat().response(
        ["Datum", "Aantal", "Kapot"],
        [["2026-06-30", "12", "geen datum"]],
        kinds=["day", "number", "day"],
    )
    content = b"".join(response.streaming_content)
    response.close()
    row = list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2))[0]
    assert row[0].value == datetime.datetime(2026, 6, 30)
    assert row[1].value == 12 and row[1].data_type == "n"
    assert row[2].value == "geen datum" and row[2].data_type == "s"


def test_the_download_starts_before_the_rows_are_read(monkeypatch):
    """The workbook is streamed: its first bytes come before any row is read, the rest
    after every few rows, and the pieces together are the whole workbook."""
    from dossiers import export_stream
    from dossiers.export import XlsxFormat

    monkeypatch.setattr(export_stream, "FLUSH_BYTES", 1024)
    read = []

    def rows():
        for number in range(3000):
            read.append(number)
            # Text that does not compress to nothing, as real answers.
            yield [f"TER-{number:05}", "=1+1", "2026-06-30", secrets.token_hex(16)]

    response = XlsxFormat().response(
        ["Referentie", "Tekst", "Datum", "Code"], rows(), kinds=["text", "text", "day", "text"]
    )
    pieces = iter(response.streaming_content)
    first = next(pieces)
    assert first.startswith(b"PK") and read == []
    received = [first]
    read_at = []
    for piece in pieces:
        received.append(piece)
        read_at.append(len(read))
    response.close()
    # Many pieces, sent while the rows were still being read.
    assert len(received) > 5 and min(read_at) < 3000
    sheet = load_workbook(io.BytesIO(b"".join(received))).active
    assert sheet.max_row == 3001
    assert sheet["B2"].value == "=1+1" and sheet["B2"].data_type == "s"
    assert sheet["C3"].value.year == 2026
    assert sheet.auto_filter.ref == "A1:D3001"


def test_a_download_broken_off_halfway_lets_go_quietly():
    from dossiers.export import XlsxFormat

    response = XlsxFormat().response(["Referentie"], ([f"R{n}"] for n in range(100_000)))
    pieces = iter(response.streaming_content)
    next(pieces)
    next(pieces)
    response.close()
