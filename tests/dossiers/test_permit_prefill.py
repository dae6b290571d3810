"""The permit's period and place prefilled from the answers (issue #16): the questions
the editor marked ("Use the answer as: period / place of the permit") first, else the
answers recognised by their field type; the officer can change them before issuing."""

import pytest

from dossiers.constants import Status
from dossiers.models import Permit
from dossiers.permits.prefill import suggested_details
from forms_builder.schema import schema_hash
from tests.factories import DossierFactory, FormSnapshotFactory

pytestmark = pytest.mark.django_db

ADDRESS = {"street": "Markt", "number": "1", "box": "", "postcode": "9000", "municipality": "Gent"}


def field(type_id, name, maps_to="", **extra):
    return {"type": type_id, "name": name, "label": name, "maps_to": maps_to, **extra}


def dossier_with(fields, answers, **extra):
    schema = {"steps": [{"id": "s1", "title": "Stap", "fields": fields}]}
    snapshot = FormSnapshotFactory(schema=schema, hash=schema_hash(schema))
    return DossierFactory(snapshot=snapshot, answers={"s1": answers}, **extra)


class TestSuggestedDetails:
    def test_recognised_by_field_type(self):
        dossier = dossier_with(
            [
                field("short_text", "naam"),
                field("date_range", "periode"),
                field("address", "adres"),
            ],
            {
                "naam": "Markt 5",
                "periode": {"start": "2027-04-01", "end": "2027-09-30"},
                "adres": ADDRESS,
            },
        )
        assert suggested_details(dossier) == {
            "valid_from": "2027-04-01",
            "valid_until": "2027-09-30",
            "place": "Markt 1, 9000 Gent",
        }

    def test_a_single_date_gives_the_first_day(self):
        dossier = dossier_with([field("date", "start")], {"start": "2027-05-01"})
        assert suggested_details(dossier) == {"valid_from": "2027-05-01"}

    def test_a_period_goes_before_a_date(self):
        dossier = dossier_with(
            [field("date", "geboortedatum"), field("date_range", "periode")],
            {
                "geboortedatum": "1980-01-01",
                "periode": {"start": "2027-04-01", "end": "2027-04-03"},
            },
        )
        assert suggested_details(dossier)["valid_from"] == "2027-04-01"

    def test_the_editors_marking_wins(self):
        dossier = dossier_with(
            [
                field("date_range", "opbouw"),
                field("date_range", "evenement", maps_to="permit_period"),
                field("address", "maatschappelijke_zetel"),
                field("short_text", "locatie", maps_to="permit_place"),
            ],
            {
                "opbouw": {"start": "2027-06-01", "end": "2027-06-02"},
                "evenement": {"start": "2027-06-03", "end": "2027-06-05"},
                "maatschappelijke_zetel": ADDRESS,
                "locatie": "Het marktplein,  voor het stadhuis",
            },
        )
        assert suggested_details(dossier) == {
            "valid_from": "2027-06-03",
            "valid_until": "2027-06-05",
            "place": "Het marktplein, voor het stadhuis",
        }

    def test_nothing_answered_nothing_suggested(self):
        dossier = dossier_with(
            [field("date_range", "periode", required=False), field("address", "adres")],
            {"periode": None, "adres": None},
        )
        assert suggested_details(dossier) == {}

    def test_a_broken_date_is_left_out(self):
        dossier = dossier_with([field("date", "start")], {"start": "1 april"})
        assert suggested_details(dossier) == {}


class TestTheOfficersScreen:
    @pytest.fixture
    def dossier(self, economy):
        return dossier_with(
            [field("date_range", "periode"), field("address", "adres")],
            {"periode": {"start": "2027-04-01", "end": "2027-09-30"}, "adres": ADDRESS},
            team=economy,
            status=Status.IN_REVIEW,
            stages=["permit"],
        )

    def test_the_fields_are_filled_in_and_the_officer_may_change_them(
        self, client, dossier, officer
    ):
        client.force_login(officer)
        page = client.get(f"/admin/dossiers/dossier/inspect/{dossier.pk}/").content.decode()
        assert 'value="2027-04-01"' in page and 'value="2027-09-30"' in page
        assert 'value="Markt 1, 9000 Gent"' in page
        assert "Ingevuld uit de antwoorden" in page

        client.post(
            f"/admin/dossiers/dossier/transition/{dossier.pk}/",
            {
                "transition": "approve",
                "confirmed": "1",
                "expected_status": Status.IN_REVIEW,
                "decision": "U mag het terras plaatsen.",
                "valid_from": "2027-04-01",
                "valid_until": "2027-08-31",
                "place": "Markt 1, 9000 Gent: voor de gevel",
            },
        )
        permit = Permit.objects.get(dossier=dossier)
        assert permit.valid_until.isoformat() == "2027-08-31"
        assert permit.place == "Markt 1, 9000 Gent: voor de gevel"

    def test_without_answers_the_fields_stay_empty(self, client, economy, officer):
        dossier = DossierFactory(team=economy, status=Status.IN_REVIEW, stages=["permit"])
        client.force_login(officer)
        page = client.get(f"/admin/dossiers/dossier/inspect/{dossier.pk}/").content.decode()
        assert 'id="id_approve_valid_from" value=""' in page
        assert "Ingevuld uit de antwoorden" not in page
