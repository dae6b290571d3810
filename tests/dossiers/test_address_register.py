"""The address register (Flemish Adressenregister open data): importing the CSV or its
ZIP, idempotent, updating and retiring addresses, the command and the admin screen."""

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from dossiers.models import Address, AddressImport, PlaceStatus, Street
from dossiers.places import importer
from dossiers.places.importer import ImportRefused, import_addresses
from forms_builder.streets import current_register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[2] / "cms" / "demo" / "files" / "adressen-voorbeeld.csv"
HEADER = FIXTURE.read_text(encoding="utf-8").splitlines()[0].split(",")


def row(
    address_id, street_id, street, number, box="", postcode="9999", status="current", nis="99999"
):
    values = dict.fromkeys(HEADER, "")
    values.update(
        {
            "EPSG:4326_lat": "51.050000",
            "EPSG:4326_lon": "3.720000",
            "address_id": address_id,
            "box_number": box,
            "house_number": number,
            "municipality_id": nis,
            "municipality_name_nl": "Voorbeeld",
            "postcode": postcode,
            "street_id": street_id,
            "streetname_nl": street,
            "region_code": "BE-VLG",
            "status": status,
        }
    )
    return values


def csv_file(rows) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(text.getvalue().encode())


def snapshot():
    """What the register holds, without the import stamps."""
    return (
        sorted(Street.objects.values_list("street_id", "name_nl", "nis_code", "status")),
        sorted(
            Address.objects.values_list(
                "address_id",
                "street__street_id",
                "house_number",
                "box_number",
                "postcode",
                "latitude",
                "longitude",
                "status",
            )
        ),
    )


def import_fixture(**kwargs):
    with FIXTURE.open("rb") as fileobj:
        return import_addresses(fileobj, municipality="99999", **kwargs)


class TestImport:
    def test_the_fixture_gives_the_streets_and_addresses_with_their_identifiers(self):
        result = import_fixture()
        assert result.counts["created"] == 219
        assert result.counts["streets_created"] == 12
        address = Address.objects.get(street__name_nl="Markt", house_number="5", box_number="0002")
        assert address.address_id.isdigit()
        assert address.street.street_id == "190001"
        assert (address.postcode, address.nis_code, address.municipality) == (
            "9999",
            "99999",
            "Voorbeeld",
        )
        assert address.latitude == Decimal("51.050250")
        # The row of another municipality is left out.
        assert not Street.objects.filter(nis_code="99998").exists()

    def test_running_it_twice_changes_nothing(self):
        import_fixture()
        before = snapshot()
        again = import_fixture()
        assert snapshot() == before
        assert again.counts["unchanged"] == 219
        assert again.counts["created"] == again.counts["updated"] == again.counts["retired"] == 0
        assert AddressImport.objects.count() == 2

    def test_a_changed_address_is_updated_and_a_missing_one_retired(self):
        first = [
            row("1", "10", "Kerkstraat", "1"),
            row("2", "10", "Kerkstraat", "2"),
            row("3", "11", "Markt", "1"),
        ]
        import_addresses(csv_file(first), municipality="99999")
        second = [
            row("1", "10", "Kerkstraat", "1", postcode="9998"),  # changed
            row("2", "10", "Kerkstraat", "2", status="retired"),  # retired by the register
        ]  # address 3 and its street Markt are gone from the file
        result = import_addresses(csv_file(second), municipality="99999")
        assert result.counts == {
            **result.counts,
            "updated": 2,
            "unchanged": 0,
            "retired": 1,
            "streets_retired": 1,
        }
        assert Address.objects.get(address_id="1").postcode == "9998"
        assert Address.objects.get(address_id="2").status == PlaceStatus.RETIRED
        assert Address.objects.get(address_id="3").status == PlaceStatus.RETIRED
        assert Street.objects.get(street_id="11").status == PlaceStatus.RETIRED
        # Back in the file: in use again, the same row.
        import_addresses(csv_file(first), municipality="99999")
        assert Address.objects.get(address_id="3").status == PlaceStatus.CURRENT
        assert Address.objects.count() == 3

    def test_another_municipality_is_not_retired(self):
        import_addresses(csv_file([row("1", "10", "Kerkstraat", "1", nis="11111")]))
        import_addresses(csv_file([row("2", "20", "Markt", "1")]))
        assert Address.objects.get(address_id="1").status == PlaceStatus.CURRENT

    def test_batches_keep_memory_constant_and_give_the_same_result(self, monkeypatch):
        monkeypatch.setattr(importer, "BATCH_SIZE", 7)
        result = import_fixture()
        assert result.counts["created"] == 219
        assert Street.objects.count() == 12
        assert import_fixture().counts["unchanged"] == 219

    def test_the_zip_as_downloaded_is_read(self):
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.write(FIXTURE, "openaddress-bevlg.csv")
        archive.seek(0)
        assert import_addresses(archive, municipality="99999").counts["created"] == 219

    @pytest.mark.parametrize(
        "content, message",
        [
            (b"a,b\n1,2\n", "ontbreken"),
            (b"\xff\xfe\x00garbage", "niet lezen"),
        ],
    )
    def test_a_wrong_file_is_refused_and_changes_nothing(self, content, message):
        with pytest.raises(ImportRefused, match=message):
            import_addresses(io.BytesIO(content))
        assert not AddressImport.objects.exists()

    def test_a_file_without_the_municipality_is_refused_and_retires_nothing(self):
        import_fixture()
        with pytest.raises(ImportRefused, match="12345"):
            import_addresses(csv_file([row("1", "10", "Kerkstraat", "1")]), municipality="12345")
        assert (
            not Address.objects.filter(status=PlaceStatus.RETIRED)
            .exclude(house_number="40", street__name_nl="Kerkstraat")
            .exists()
        )


class TestCommand:
    def test_it_imports_and_reports_the_counts(self):
        out = io.StringIO()
        call_command("import_addresses", str(FIXTURE), "--municipality", "99999", stdout=out)
        assert "created 219" in out.getvalue()
        out = io.StringIO()
        call_command("import_addresses", str(FIXTURE), "--municipality", "99999", stdout=out)
        assert "unchanged 219" in out.getvalue()

    def test_a_bad_nis_code_is_an_error(self):
        with pytest.raises(CommandError, match="5 cijfers"):
            call_command("import_addresses", str(FIXTURE), "--municipality", "99")


class TestRegister:
    def test_the_register_knows_the_municipality_and_finds_streets(self):
        import_fixture()
        register = current_register()
        assert register.municipality() == ("99999", "Voorbeeld")
        names = [street.name for street in register.search_streets("kerk", "99999", 10)]
        assert names == ["Kerkhofstraat", "Kerkstraat"]
        street = register.street_named("sint jansplein", "99999")
        assert street.name == "Sint-Jansplein"
        assert register.find_address(street, "3", "").postcode == "9999"
        assert register.find_address(street, "300", "") is None

    def test_retired_and_proposed_addresses_are_not_accepted(self):
        import_fixture()
        register = current_register()
        assert register.find_address(register.street_named("Kerkstraat", "99999"), "40", "") is None
        assert (
            register.find_address(register.street_named("Dorpsstraat", "99999"), "24", "") is None
        )

    def test_a_number_the_register_lacks_gets_the_postcode_of_its_neighbours(self):
        import_fixture()
        register = current_register()
        street = register.street_named("Industrieweg", "99999")
        assert register.postcode_near(street, "2") == "9999"
        assert register.postcode_near(street, "11") == "9998"


class TestAdminScreen:
    def test_an_administrator_uploads_the_file(self, client):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        url = reverse("dossiers_address_register")
        assert client.get(url).status_code == 200
        upload = SimpleUploadedFile("adressen.csv", FIXTURE.read_bytes(), content_type="text/csv")
        response = client.post(url, {"addresses": upload, "municipality": "99999"}, follow=True)
        content = response.content.decode()
        assert "219" in content
        assert Address.objects.count() == 219
        assert AddressImport.objects.get().imported_by

    def test_a_wrong_file_gets_a_message_not_an_error(self, client):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        upload = SimpleUploadedFile("adressen.csv", b"a,b\n1,2\n", content_type="text/csv")
        response = client.post(reverse("dossiers_address_register"), {"addresses": upload})
        assert response.status_code == 200
        assert "address_id" in response.content.decode()
        assert not Address.objects.exists()

    def test_others_may_not_import(self, client):
        client.force_login(UserFactory(is_staff=True))
        upload = SimpleUploadedFile("adressen.csv", FIXTURE.read_bytes(), content_type="text/csv")
        response = client.post(reverse("dossiers_address_register"), {"addresses": upload})
        assert response.status_code in (302, 403)
        assert not Address.objects.exists()
