"""The company register (KBO open data): importing full and update extracts, looking a
company up from a form without JavaScript, flagging changed details, the admin screen."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.demo import load_demo
from cms.demo.companies import demo_extract, meta_rows, zip_extract
from dossiers import services
from dossiers.companies.importer import ImportRefused, import_extract
from dossiers.models import (
    CompanyActivity,
    CompanyAddress,
    CompanyName,
    Enterprise,
    Establishment,
    RegisterExtract,
)
from forms_builder.lookups import look_up
from forms_builder.models import ApplicationFormPage
from tests.conftest import make_form_page
from tests.factories import field_block, step_block

pytestmark = pytest.mark.django_db

POSTCODES = {"9000"}


def number(first_eight: str) -> str:
    """A valid enterprise number written as the register writes it: 0123.456.7xx."""
    digits = f"{first_eight}{97 - int(first_eight) % 97:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


BAKERY = number("04000001")  # seat here, one establishment here
STOPPED = number("04000002")  # seat here, stopped
ELSEWHERE = number("04000003")  # seat elsewhere, an establishment here
STRUCK = number("04000004")  # its only address here is struck off
FARAWAY = number("04000005")  # nothing here


def compact(value: str) -> str:
    return value.replace(".", "")


def address(entity, street, house, postcode="9000", struck="", kind="REGO"):
    return [
        entity,
        kind,
        "",
        "",
        postcode,
        "Voorbeeld",
        "Voorbeeld",
        street,
        street,
        house,
        "",
        "",
        struck,
    ]


def full_extract(number_=100) -> bytes:
    return zip_extract(
        {
            "meta": meta_rows(number_, "full", "01-11-2026"),
            "code": [
                ["JuridicalForm", "610", "NL", "Besloten vennootschap"],
                ["JuridicalForm", "610", "FR", "Société à responsabilité limitée"],
                ["Nace2008", "10711", "NL", "Ambachtelijke broodbakkerijen"],
                ["Language", "2", "NL", "Nederlands"],
            ],
            "enterprise": [
                [BAKERY, "AC", "000", "2", "610", "", "01-02-2015"],
                [STOPPED, "ST", "012", "2", "610", "", "01-02-2010"],
                [ELSEWHERE, "AC", "000", "2", "610", "", "01-01-2020"],
                [STRUCK, "AC", "000", "2", "610", "", "01-01-2021"],
                [FARAWAY, "AC", "000", "2", "610", "", "01-01-2022"],
            ],
            "establishment": [
                ["2.100.000.001", "01-02-2015", BAKERY],
                ["2.100.000.002", "01-01-2020", ELSEWHERE],
                ["2.100.000.005", "01-01-2022", FARAWAY],
            ],
            "denomination": [
                [BAKERY, "2", "001", "Bakkerij Peeters"],
                [BAKERY, "1", "001", "Boulangerie Peeters"],
                ["2.100.000.001", "2", "003", "Het Broodhuis"],
                [STOPPED, "2", "001", "Oud Café"],
                [ELSEWHERE, "2", "001", "Keten NV"],
                [STRUCK, "2", "001", "Verhuisd BV"],
                [FARAWAY, "2", "001", "Ver Weg BV"],
            ],
            "address": [
                address(BAKERY, "Markt", "5"),
                address("2.100.000.001", "Kerkstraat", "2", kind="BAET"),
                address(STOPPED, "Dorp", "1"),
                address(ELSEWHERE, "Louizalaan", "1", postcode="1000"),
                address("2.100.000.002", "Stationsstraat", "9", kind="BAET"),
                address(STRUCK, "Molenstraat", "3", struck="01-06-2026"),
                address(FARAWAY, "Meir", "1", postcode="2000"),
                address("2.100.000.005", "Meir", "2", postcode="2000", kind="BAET"),
            ],
            "contact": [[BAKERY, "ENT", "EMAIL", "info@bakkerij.example"]],
            "activity": [
                [BAKERY, "001", "2008", "10711", "MAIN"],
                ["2.100.000.001", "001", "2008", "10711", "MAIN"],
                [FARAWAY, "001", "2008", "10711", "MAIN"],
            ],
        }
    )


def update_extract(number_=101) -> bytes:
    """The bakery moves its seat away (its establishment stays), the chain closes its
    establishment here, a new enterprise arrives."""
    newcomer = number("04000006")
    return zip_extract(
        {
            "meta": meta_rows(number_, "update", "01-12-2026"),
            "code_insert": [["JuridicalForm", "610", "NL", "Besloten vennootschap (BV)"]],
            "enterprise_delete": [[ELSEWHERE]],
            "enterprise_insert": [[newcomer, "AC", "000", "2", "610", "", "01-11-2026"]],
            "establishment_delete": [["2.100.000.002"]],
            "establishment_insert": [],
            "denomination_delete": [[ELSEWHERE], ["2.100.000.002"]],
            "denomination_insert": [[newcomer, "2", "001", "Nieuwkomer BV"]],
            "address_delete": [[BAKERY], [ELSEWHERE], ["2.100.000.002"]],
            "address_insert": [
                address(BAKERY, "Veldstraat", "10", postcode="9000"),
                address(newcomer, "Nieuwstraat", "7"),
            ],
            "contact_delete": [],
            "contact_insert": [],
            "activity_delete": [],
            "activity_insert": [[newcomer, "001", "2008", "10711", "MAIN"]],
        }
    )


def run(content: bytes, **kwargs):
    return import_extract(io.BytesIO(content), postcodes=POSTCODES, **kwargs)


def snapshot() -> dict:
    """Everything the register holds, comparable between imports."""
    return {
        "enterprises": sorted(
            Enterprise.objects.values_list("number", "status", "juridical_form", "start_date")
        ),
        "establishments": sorted(Establishment.objects.values_list("number", "enterprise_number")),
        "names": sorted(CompanyName.objects.values_list("entity_number", "language", "name")),
        "addresses": sorted(
            CompanyAddress.objects.values_list("entity_number", "postcode", "street_nl")
        ),
        "activities": sorted(CompanyActivity.objects.values_list("entity_number", "nace_code")),
    }


class TestFullImport:
    def test_keeps_the_enterprises_and_establishments_of_the_area(self):
        result = run(full_extract())
        assert set(Enterprise.objects.values_list("number", flat=True)) == {
            compact(BAKERY),
            compact(STOPPED),
            compact(ELSEWHERE),  # for its establishment here
        }
        assert set(Establishment.objects.values_list("number", flat=True)) == {
            "2100000001",
            "2100000002",
        }
        assert result.extract.number == 100
        assert result.extract.snapshot_date.isoformat() == "2026-11-01"
        assert result.counts["enterprises"] == 3

    def test_a_struck_off_address_does_not_count(self):
        run(full_extract())
        assert not Enterprise.objects.filter(number=compact(STRUCK)).exists()
        assert not CompanyAddress.objects.filter(entity_number=compact(STRUCK)).exists()

    def test_keeps_the_seat_elsewhere_of_an_enterprise_with_an_establishment_here(self):
        run(full_extract())
        seat = CompanyAddress.objects.get(entity_number=compact(ELSEWHERE))
        assert (seat.postcode, seat.street_nl) == ("1000", "Louizalaan")

    def test_keeps_a_stopped_enterprise_marked_as_stopped(self):
        run(full_extract())
        assert not Enterprise.objects.get(number=compact(STOPPED)).is_active

    def test_the_same_full_extract_twice_gives_the_same_data(self):
        run(full_extract())
        first = snapshot()
        run(full_extract())
        assert snapshot() == first
        assert RegisterExtract.objects.count() == 2

    def test_without_postcodes_nothing_is_imported(self, settings):
        settings.LOKET_KBO_POSTCODES = []
        with pytest.raises(ImportRefused, match="LOKET_KBO_POSTCODES"):
            import_extract(io.BytesIO(full_extract()))

    def test_a_file_that_is_not_a_zip_is_refused_in_dutch(self):
        with pytest.raises(ImportRefused) as refused:
            run(b"not a zip at all")
        assert "ZIP" in str(refused.value)

    def test_a_missing_column_is_refused_and_changes_nothing(self):
        run(full_extract())
        before = snapshot()
        broken = zip_extract({"meta": meta_rows(200, "full", "01-01-2027")})
        with pytest.raises(ImportRefused, match="code.csv"):
            run(broken)
        assert snapshot() == before
        assert RegisterExtract.objects.count() == 1

    def test_a_short_row_is_read_with_empty_values(self):
        extract = zip_extract(
            {
                "meta": meta_rows(1, "full", "01-11-2026"),
                "code": [],
                "enterprise": [[BAKERY, "AC"]],
                "establishment": [],
                "denomination": [],
                "address": [address(BAKERY, "Markt", "5")],
                "activity": [],
            }
        )
        run(extract)
        assert Enterprise.objects.get().start_date is None

    def test_a_file_that_is_not_utf8_is_refused(self):
        extract = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(full_extract())) as source,
            zipfile.ZipFile(extract, "w") as target,
        ):
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "enterprise.csv":
                    data += b'"\xff\xfe",broken\n'
                target.writestr(info.filename, data)
        with pytest.raises(ImportRefused, match="enterprise.csv"):
            run(extract.getvalue())


class TestUpdate:
    def test_applies_deletions_and_inserts(self):
        run(full_extract())
        run(update_extract())
        # The chain closed its only establishment here: it goes, with its names.
        assert not Enterprise.objects.filter(number=compact(ELSEWHERE)).exists()
        assert not Establishment.objects.filter(number="2100000002").exists()
        assert not CompanyName.objects.filter(entity_number=compact(ELSEWHERE)).exists()
        # The bakery moved its seat but keeps its establishment here.
        assert Enterprise.objects.filter(number=compact(BAKERY)).exists()
        seat = CompanyAddress.objects.get(entity_number=compact(BAKERY))
        assert (seat.postcode, seat.street_nl) == ("9000", "Veldstraat")
        # The newcomer arrived.
        assert CompanyName.objects.filter(name="Nieuwkomer BV").exists()
        assert RegisterExtract.objects.first().extract_type == "update"
        # A changed code description replaces the old one.
        assert look_up(compact(BAKERY)).legal_form == "Besloten vennootschap (BV)"

    def test_an_update_out_of_order_is_refused_with_a_dutch_message(self):
        run(full_extract())
        with pytest.raises(ImportRefused) as refused:
            run(update_extract(number_=105))
        assert "101" in str(refused.value)
        assert RegisterExtract.objects.count() == 1

    def test_an_update_without_a_full_extract_is_refused(self):
        with pytest.raises(ImportRefused):
            run(update_extract())


def many_enterprises(count: int) -> bytes:
    """A full extract with ``count`` enterprises here, each with a name, a seat and an
    activity (more rows than one batch of the SQLite writer)."""
    numbers = [number(f"05{index:06d}") for index in range(count)]
    return zip_extract(
        {
            "meta": meta_rows(100, "full", "01-11-2026"),
            "code": [],
            "enterprise": [[n, "AC", "000", "2", "610", "", "01-02-2015"] for n in numbers],
            "establishment": [],
            "denomination": [[n, "2", "001", f"Zaak {n}"] for n in numbers],
            "address": [address(n, "Markt", "1") for n in numbers],
            "contact": [],
            "activity": [[n, "001", "2008", "56101", "MAIN"] for n in numbers],
        }
    )


class TestWriting:
    def test_an_update_that_inserts_a_number_twice_keeps_the_last_row(self):
        run(full_extract())
        run(
            zip_extract(
                {
                    "meta": meta_rows(101, "update", "01-12-2026"),
                    "enterprise_delete": [],
                    "enterprise_insert": [
                        [BAKERY, "AC", "000", "2", "014", "", "01-02-2015"],
                        [BAKERY, "AC", "000", "2", "610", "", "01-03-2015"],
                    ],
                    **{
                        f"{name}_{kind}": []
                        for name in ("establishment", "denomination", "address", "activity")
                        for kind in ("delete", "insert")
                    },
                }
            )
        )
        enterprise = Enterprise.objects.get(number=compact(BAKERY))
        assert (enterprise.juridical_form, enterprise.start_date.isoformat()) == (
            "610",
            "2015-03-01",
        )

    def test_more_rows_than_a_batch_are_all_kept(self):
        result = run(many_enterprises(5003))
        assert result.counts["enterprises"] == 5003
        assert CompanyActivity.objects.count() == 5003

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
    def test_postgresql_writes_with_copy_in_as_many_statements_for_any_size(self):
        with CaptureQueriesContext(connection) as small:
            run(many_enterprises(3))
        with CaptureQueriesContext(connection) as large:
            run(many_enterprises(3000))
        assert Enterprise.objects.count() == 3000
        assert len(large.captured_queries) == len(small.captured_queries)
        assert any("kbo_stage_enterprise" in q["sql"] for q in large.captured_queries)


class TestCommand:
    def test_imports_a_file(self, tmp_path, settings):
        settings.LOKET_KBO_POSTCODES = ["9000"]
        path = tmp_path / "KboOpenData_0100_2026_11_Full.zip"
        path.write_bytes(full_extract())
        out = io.StringIO()
        call_command("import_kbo", str(path), stdout=out)
        assert "Imported KBO extract 100" in out.getvalue()
        assert Enterprise.objects.count() == 3

    def test_a_refused_file_is_a_command_error(self, tmp_path):
        path = tmp_path / "update.zip"
        path.write_bytes(update_extract())
        with pytest.raises(CommandError):
            call_command("import_kbo", str(path), postcodes="9000")


class TestLookUp:
    def test_a_record_with_name_legal_form_seat_and_establishments(self):
        run(full_extract())
        record = look_up(compact(BAKERY))
        assert record.name == "Bakkerij Peeters"
        assert record.legal_form == "Besloten vennootschap"
        assert record.address == {
            "street": "Markt",
            "number": "5",
            "box": "",
            "postcode": "9000",
            "municipality": "Voorbeeld",
        }
        assert record.establishments == [
            "2.100.000.001 Het Broodhuis – Kerkstraat 2, 9000 Voorbeeld"
        ]
        assert look_up(compact(FARAWAY)) is None


# --- the form ---------------------------------------------------------------------------

LOOKUP_STEPS = [
    step_block(
        "Uw onderneming",
        field_block(
            "enterprise_number",
            "Ondernemingsnummer",
            "ondernemingsnummer",
            company_lookup=True,
            lookup_name_field="bedrijfsnaam",
            lookup_legal_form_field="rechtsvorm",
            lookup_address_field="zetel",
            lookup_establishments_field="vestigingen",
        ),
        field_block("short_text", "Naam van de onderneming", "bedrijfsnaam"),
        field_block("short_text", "Rechtsvorm", "rechtsvorm", required=False),
        field_block("address", "Adres van de zetel", "zetel"),
        field_block("long_text", "Vestigingen", "vestigingen", required=False),
        field_block("short_text", "Uw naam", "naam"),
    ),
    step_block("Meer", field_block("short_text", "Opmerking", "opmerking", required=False)),
]


@pytest.fixture
def lookup_page(home_page, team):
    run(full_extract())
    return make_form_page(home_page, team=team, slug="met-kbo", steps=LOOKUP_STEPS)


def post_step(client, page, answers, **extra):
    prefix = f"loket-form-{page.pk}"
    response = client.get(page.url, follow=True)
    data = {f"{prefix}-current_step": response.context["wizard"]["steps"].current, **extra}
    form = response.context["form"]
    data.update({form.add_prefix(name): value for name, value in answers.items()})
    return client.post(response.wsgi_request.path, data, follow=True)


class TestLookupInTheForm:
    def test_the_step_shows_a_look_up_button(self, client, lookup_page):
        content = client.get(lookup_page.url, follow=True).content.decode()
        assert 'name="lookup_company" value="ondernemingsnummer"' in content
        # Enter in a field goes on to the next step: the first submit button is "Next".
        first_button = content[content.index("<button", content.index("current_step")) :]
        assert first_button.startswith('<button type="submit" class="visually-hidden"')

    def test_look_up_fills_in_the_company_and_keeps_what_was_typed(self, client, lookup_page):
        response = post_step(
            client,
            lookup_page,
            {"ondernemingsnummer": BAKERY, "naam": "An Peeters"},
            lookup_company="ondernemingsnummer",
        )
        form = response.context["form"]
        assert not form.is_bound  # no errors shown for fields still empty
        content = response.content.decode()
        assert 'value="Bakkerij Peeters"' in content
        assert 'value="Besloten vennootschap"' in content
        assert 'value="Markt"' in content and 'value="9000"' in content
        assert "2.100.000.001 Het Broodhuis" in content
        assert 'value="An Peeters"' in content
        assert "Kijk ze na" in content
        # Nothing moved on: still the first step.
        assert response.context["wizard"]["steps"].current == "1"

    def test_the_filled_in_values_can_be_changed_and_sent_on(self, client, lookup_page):
        post_step(
            client, lookup_page, {"ondernemingsnummer": BAKERY}, lookup_company="ondernemingsnummer"
        )
        response = post_step(
            client,
            lookup_page,
            {
                "ondernemingsnummer": BAKERY,
                "bedrijfsnaam": "Bakkerij Peeters & Zoon",
                "zetel_street": "Markt",
                "zetel_number": "5",
                "zetel_postcode": "9000",
                "zetel_municipality": "Voorbeeld",
                "naam": "An Peeters",
            },
        )
        assert not response.context["form"].errors
        assert response.context["wizard"]["steps"].current == "2"

    def test_an_unknown_number_fills_in_nothing(self, client, lookup_page):
        response = post_step(
            client,
            lookup_page,
            {"ondernemingsnummer": FARAWAY},
            lookup_company="ondernemingsnummer",
        )
        assert "vinden dit ondernemingsnummer niet" in response.content.decode()
        assert 'value="Ver Weg BV"' not in response.content.decode()

    def test_a_stopped_enterprise_fills_in_nothing(self, client, lookup_page):
        response = post_step(
            client,
            lookup_page,
            {"ondernemingsnummer": STOPPED},
            lookup_company="ondernemingsnummer",
        )
        assert "stopgezet" in response.content.decode()
        assert 'value="Oud Café"' not in response.content.decode()

    def test_a_wrong_number_gets_the_fields_message(self, client, lookup_page):
        response = post_step(
            client,
            lookup_page,
            {"ondernemingsnummer": "0400.000.199"},
            lookup_company="ondernemingsnummer",
        )
        assert response.status_code == 200
        assert "klopt niet" in response.content.decode()


class TestFlaggedCorrections:
    @pytest.fixture
    def as_officer(self, client, lookup_page, officer, economy):
        client.force_login(officer)
        return client

    def dossier(self, lookup_page, economy, name):
        schema = lookup_page.get_schema()
        step_id = schema["steps"][0]["id"]
        dossier = services.submit_application(
            form_page=lookup_page,
            schema=schema,
            answers={
                step_id: {
                    "ondernemingsnummer": compact(BAKERY),
                    "bedrijfsnaam": name,
                    "rechtsvorm": "Besloten vennootschap",
                    "zetel": {
                        "street": "Markt",
                        "number": "5",
                        "box": "",
                        "postcode": "9000",
                        "municipality": "Voorbeeld",
                    },
                    "vestigingen": "2.100.000.001 Het Broodhuis – Kerkstraat 2, 9000 Voorbeeld",
                    "naam": "An Peeters",
                }
            },
        )
        dossier.team = economy
        dossier.save()
        return dossier

    def inspect(self, client, dossier):
        url = reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])
        return client.get(url).content.decode()

    def test_a_changed_name_is_flagged_to_the_officer(self, as_officer, lookup_page, economy):
        content = self.inspect(
            as_officer, self.dossier(lookup_page, economy, "Bakkerij Peeters & Zoon")
        )
        assert "data-register-differences" in content
        assert "Bakkerij Peeters &amp; Zoon" in content
        assert "register: “Bakkerij Peeters”" in content

    def test_the_flag_compares_with_the_register_as_it_was_when_sent(
        self, as_officer, lookup_page, economy
    ):
        dossier = self.dossier(lookup_page, economy, "Bakkerij Peeters")
        CompanyName.objects.filter(name="Bakkerij Peeters").update(name="Bakkerij Janssens")
        assert "data-register-differences" not in self.inspect(as_officer, dossier)

    def test_unchanged_details_are_not_flagged(self, as_officer, lookup_page, economy):
        content = self.inspect(as_officer, self.dossier(lookup_page, economy, "Bakkerij Peeters"))
        assert "data-register-differences" not in content


class TestAdminScreen:
    URL = "/admin/company-register/"

    def test_refused_for_officers(self, client, officer):
        client.force_login(officer)
        # Wagtail sends those without permission back to the dashboard.
        assert client.get(self.URL).status_code in (302, 403)
        upload = SimpleUploadedFile("kbo.zip", full_extract(), content_type="application/zip")
        assert client.post(self.URL, {"extract": upload}).status_code in (302, 403)
        assert not RegisterExtract.objects.exists()

    def test_an_administrator_imports_and_sees_the_extract_date_and_counts(
        self, client, admin, settings
    ):
        settings.LOKET_KBO_POSTCODES = ["9000"]
        client.force_login(admin)
        upload = SimpleUploadedFile("kbo.zip", full_extract(), content_type="application/zip")
        response = client.post(self.URL, {"extract": upload}, follow=True)
        content = response.content.decode()
        assert "Uittreksel 100 van 01-11-2026" in content
        assert 'data-count="enterprises">3<' in content

    def test_a_refused_update_shows_the_reason(self, client, admin, settings):
        settings.LOKET_KBO_POSTCODES = ["9000"]
        client.force_login(admin)
        upload = SimpleUploadedFile("kbo.zip", update_extract(), content_type="application/zip")
        response = client.post(self.URL, {"extract": upload})
        assert response.status_code == 200
        assert "volledig" in response.content.decode()


def test_the_demo_extract_imports_the_demo_companies():
    import_extract(io.BytesIO(demo_extract()), postcodes={"9000"})
    assert look_up("0403170701").name == "Kapsalon Lotte"
    assert look_up("0417497106").establishments[0].startswith("2.200.000.181 Café De Markt")


def test_the_demo_loads_its_companies_once(demo):
    assert look_up("0403170701").name == "Kapsalon Lotte"
    load_demo()
    assert RegisterExtract.objects.filter(imported_by="load_demo").count() == 1


class TestEditorsMistakes:
    def page(self, home_page, team, **options):
        steps = [
            step_block(
                "Uw onderneming",
                field_block("enterprise_number", "Ondernemingsnummer", "nummer", **options),
                field_block("short_text", "Naam", "naam"),
            )
        ]
        return ApplicationFormPage(
            title="Met KBO", slug="kbo", steps=steps, team=team, reference_prefix="KBO"
        )

    @pytest.mark.parametrize(
        "options, message",
        [
            ({"company_lookup": True}, "ten minste één vraag"),
            ({"company_lookup": True, "lookup_name_field": "bestaat_niet"}, "bestaat_niet"),
            ({"company_lookup": True, "lookup_address_field": "naam"}, "verkeerde soort"),
        ],
    )
    def test_a_wrong_lookup_option_is_refused_on_save(self, home_page, team, options, message):
        page = self.page(home_page, team, **options)
        with pytest.raises(ValidationError) as refused:
            home_page.add_child(instance=page)
        assert message in " ".join(refused.value.messages)

    def test_a_good_lookup_option_saves(self, home_page, team):
        page = self.page(home_page, team, company_lookup=True, lookup_name_field="naam")
        home_page.add_child(instance=page)
        assert page.pk
