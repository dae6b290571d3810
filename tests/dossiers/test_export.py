"""Export of the filtered inbox to CSV: streamed, one column per answer of the chosen form."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from dossiers import export, services, workflow
from dossiers.constants import Status
from tests.factories import DossierFactory, terrace_answers

pytestmark = pytest.mark.django_db

INDEX_URL = "dossiers_dossier_modeladmin_index"


def download(client, **params):
    response = client.get(reverse(INDEX_URL), {**params, "export": "csv"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return response, list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def by_reference(table):
    header, *rows = table
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


@pytest.fixture
def as_officer(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def terrace(form_page, economy):
    form_page.team = economy
    form_page.save()
    return form_page


def submit(form_page, economy, **overrides):
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema, **overrides)
    )
    dossier.team = economy
    dossier.save()
    return dossier


class TestDossierColumns:
    def test_one_row_per_dossier_of_my_teams_in_inbox_order(
        self, as_officer, officer, economy, events_team
    ):
        first = DossierFactory(team=economy, reference="TER-2026-00001")
        second = DossierFactory(
            team=economy,
            reference="TER-2026-00002",
            assigned_to=officer,
            enterprise_number="0123.456.789",
        )
        DossierFactory(team=events_team, reference="EVT-2026-00003")

        response, table = download(as_officer)

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="dossiers-')
        assert response["X-Content-Type-Options"] == "nosniff"
        header, *rows = table
        assert len(header) == len(export.DOSSIER_COLUMNS)
        assert [row[0] for row in rows] == [second.reference, first.reference]
        assert rows[0][1] == "Aanvraag terrasvergunning"
        assert "0123.456.789" in rows[0]
        assert "Officer" in rows[0]
        assert "Café De Markt" in rows[0]

    def test_filters_search_and_sorting_apply(self, as_officer, economy):
        DossierFactory(team=economy, reference="TER-2026-00001", company_name="Bakkerij Aa")
        DossierFactory(
            team=economy,
            reference="TER-2026-00002",
            company_name="Bakkerij Bee",
            status=Status.IN_REVIEW,
        )
        DossierFactory(team=economy, reference="TER-2026-00003", company_name="Frituur")

        _response, table = download(as_officer, q="bakkerij", o="6")
        assert [row[0] for row in table[1:]] == ["TER-2026-00001", "TER-2026-00002"]
        _response, table = download(as_officer, status="in_review")
        assert [row[0] for row in table[1:]] == ["TER-2026-00002"]

    def test_the_decision_is_exported(self, as_officer, officer, economy):
        dossier = DossierFactory(team=economy, status=Status.IN_REVIEW)
        workflow.transition(dossier, "approve", actor=officer, data={"decision": "Goed zo."})

        _response, table = download(as_officer)

        assert "Goed zo." in table[1]

    def test_formulas_are_exported_as_plain_text(self, as_officer, economy):
        DossierFactory(team=economy, company_name='=HYPERLINK("http://kwaad.be")')

        _response, table = download(as_officer)

        assert '\'=HYPERLINK("http://kwaad.be")' in table[1]

    def test_without_a_form_filter_no_answers(self, as_officer, terrace, economy):
        submit(terrace, economy)

        _response, table = download(as_officer)

        assert len(table[0]) == len(export.DOSSIER_COLUMNS)


class TestAnswerColumns:
    def test_one_column_per_answer_with_the_questions_as_headings(
        self, as_officer, terrace, economy
    ):
        dossier = submit(terrace, economy, bedrijfsnaam="Café De Brug")

        _response, table = download(as_officer, form=terrace.pk)

        header = table[0]
        assert header[len(export.DOSSIER_COLUMNS) :] == [
            "Naam van de onderneming",
            "Uw naam",
            "Uw e-mailadres",
            "Adres van de zaak",
            "Oppervlakte van het terras (m²)",
            "Vanaf wanneer wilt u het terras plaatsen?",
            "Soort terras",
            "Opmerkingen",
        ]
        row = by_reference(table)[dossier.reference]
        assert row["Naam van de onderneming"] == "Café De Brug"
        assert row["Oppervlakte van het terras (m²)"] == "24"
        assert row["Soort terras"] == "Open terras"
        # Each type exports its own way: the date field as the type's export() gives it.
        schema = dossier.schema
        date_field = schema["steps"][1]["fields"][2]
        from forms_builder.fields import get_field_type

        expected = get_field_type(date_field["type"]).export("2026-04-01", date_field)
        assert row["Vanaf wanneer wilt u het terras plaatsen?"] == expected

    def test_every_version_of_the_form_has_its_columns(self, as_officer, terrace, economy):
        old = submit(terrace, economy)
        # The editor renames a question and removes another.
        fields = terrace.steps[1].value["fields"]
        fields[0].value["label"] = "Adres van uw zaak"
        del fields[4]  # "Opmerkingen"
        terrace.save()
        new = submit(terrace, economy)

        _response, table = download(as_officer, form=terrace.pk)

        rows = by_reference(table)
        assert "Adres van uw zaak" in table[0]  # the newest wording
        assert "Adres van de zaak" not in table[0]
        assert "Opmerkingen" in table[0]  # only in the old version
        assert rows[old.reference]["Adres van uw zaak"] == "Markt 1, 9999 Voorbeeld"
        assert rows[new.reference]["Adres van uw zaak"] == "Markt 1, 9999 Voorbeeld"
        assert rows[new.reference]["Opmerkingen"] == ""


class TestStreaming:
    @pytest.mark.parametrize("count", [5, 50])
    def test_queries_do_not_grow_with_the_rows(
        self, as_officer, officer, economy, count, django_assert_num_queries
    ):
        for n in range(count):
            DossierFactory(team=economy, assigned_to=officer if n % 2 else None)
        as_officer.get(reverse(INDEX_URL))  # fills the process-wide caches

        # Session and user (2), Wagtail's admin access check (permissions and profile, 3),
        # the officer's teams (1), the filter choices (2), then the rows in one chunk: no
        # query per row, their officer, team and decider come along (1).
        with django_assert_num_queries(9):
            _response, table = download(as_officer)

        assert len(table) == count + 1

    def test_rows_are_read_in_chunks(self, as_officer, economy, monkeypatch):
        for _n in range(5):
            DossierFactory(team=economy)
        monkeypatch.setattr(export, "CHUNK_SIZE", 2)

        _response, table = download(as_officer)

        assert len(table) == 6

    def test_unknown_formats_show_the_inbox(self, as_officer, economy):
        DossierFactory(team=economy)

        response = as_officer.get(reverse(INDEX_URL), {"export": "pdf"})

        assert response.status_code == 200
        assert not isinstance(response, StreamingHttpResponse)

    def test_the_inbox_links_to_the_export_of_what_it_shows(self, as_officer, economy):
        DossierFactory(team=economy)

        content = as_officer.get(reverse(INDEX_URL), {"status": "open"}).content.decode()

        assert 'href="?export=csv&amp;status=open"' in content
