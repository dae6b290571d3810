"""Sensitive answers (a national register number) are masked in the inbox, the exports
and the dossier view for an officer without the permission to see them, and in full
for an officer with it and for administrators; the applicant's status page, the
receipt and the advice party see them masked; the person's own data export in full."""

import csv
import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from dossiers import privacy, services
from dossiers.outbox.receipt import render_receipt_html
from dossiers.privacy.export import write_export
from tests.conftest import make_form_page
from tests.factories import field_block, step_block

pytestmark = pytest.mark.django_db

FULL = "85.07.30-033.28"
COMPACT = "85073003328"
MASKED = "••.••.••-•••.28"


@pytest.fixture
def person_form(home_page, economy):
    return make_form_page(
        home_page,
        slug="persoon",
        reference_prefix="PER",
        team=economy,
        steps=[
            step_block(
                "U",
                field_block("short_text", "Naam", "naam", maps_to="applicant_name"),
                field_block("national_register_number", "Rijksregisternummer", "rrn"),
            )
        ],
    )


@pytest.fixture
def dossier(person_form, economy):
    schema = person_form.get_schema()
    step = schema["steps"][0]["id"]
    return services.submit_application(
        form_page=person_form,
        schema=schema,
        answers={step: {"naam": "An Peeters", "rrn": COMPACT}},
    )


@pytest.fixture
def permitted_officer(economy):
    """An officer whose team group has the permission to see sensitive answers."""
    from tests.dossiers.conftest import make_user

    group = economy.group
    group.permissions.add(Permission.objects.get(codename="view_sensitive_answers"))
    return make_user("permitted", group)


def inspect(client, user, dossier):
    client.force_login(user)
    response = client.get(reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk]))
    assert response.status_code == 200
    return response.content.decode()


def inbox(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("dossiers_dossier_modeladmin_index"), params)
    assert response.status_code == 200
    return response


def csv_rows(client, user, person_form):
    response = inbox(client, user, form=person_form.pk, export="csv")
    text = b"".join(response.streaming_content).decode("utf-8")[1:]
    header, *rows = csv.reader(io.StringIO(text), delimiter=";")
    return [dict(zip(header, row, strict=True)) for row in rows]


def xlsx_cells(client, user, person_form):
    response = inbox(client, user, form=person_form.pk, export="xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]


class TestOfficerWithoutThePermission:
    def test_dossier_view_masks(self, client, officer, dossier):
        html = inspect(client, officer, dossier)
        assert MASKED in html
        assert FULL not in html and COMPACT not in html

    def test_inbox_never_shows_it(self, client, officer, dossier):
        html = inbox(client, officer, form=dossier.form_page_id).content.decode()
        assert dossier.reference in html
        assert FULL not in html and COMPACT not in html

    def test_csv_and_xlsx_exports_mask(self, client, officer, dossier, person_form):
        [row] = csv_rows(client, officer, person_form)
        assert row["Rijksregisternummer"] == MASKED
        cells = xlsx_cells(client, officer, person_form)
        assert MASKED in cells and COMPACT not in cells


class TestOfficerWithThePermission:
    def test_dossier_view_shows_it_in_full(self, client, permitted_officer, dossier):
        html = inspect(client, permitted_officer, dossier)
        assert FULL in html
        assert MASKED not in html

    def test_exports_hold_it_in_full(self, client, permitted_officer, dossier, person_form):
        [row] = csv_rows(client, permitted_officer, person_form)
        assert row["Rijksregisternummer"] == COMPACT
        assert COMPACT in xlsx_cells(client, permitted_officer, person_form)

    def test_administrators_see_it_too(self, client, admin, dossier):
        assert FULL in inspect(client, admin, dossier)

    def test_the_group_editor_offers_the_permission(self, client, admin):
        client.force_login(admin)
        html = client.get(reverse("wagtailusers_groups:add")).content.decode()
        assert "view_sensitive_answers" in html or "gevoelige antwoorden" in html.lower()


class TestApplicantSide:
    def test_status_page_masks(self, client, dossier):
        html = client.get(dossier.get_status_url()).content.decode()
        assert MASKED in html
        assert FULL not in html

    def test_receipt_masks(self, dossier):
        html = render_receipt_html(dossier)
        assert MASKED in html
        assert FULL not in html

    def test_the_persons_own_data_export_holds_it_in_full(self, dossier):
        dossier.applicant_email = "an@voorbeeld.be"
        dossier.save()
        out = io.BytesIO()
        write_export(privacy.find(privacy.parse_search_term("an@voorbeeld.be")), out)
        data = json.loads(zipfile.ZipFile(out).read("gegevens.json"))
        [found] = data["dossiers"]
        [section] = found["answers"]
        assert {row["value"] for row in section["rows"]} == {"An Peeters", FULL}
