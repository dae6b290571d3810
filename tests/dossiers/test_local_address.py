"""The address question "only in this municipality": the street from the register's
list (suggestions with JavaScript, a server-side search and select without), the house
number checked (an unknown one is a warning the applicant confirms), postcode and
municipality filled in, the register's identifier kept, shown to officers and exported."""

import pytest

from cms.demo.places import ensure_demo_addresses
from forms_builder.fields import get_field_type
from forms_builder.schema import display_answers
from tests.conftest import make_form_page
from tests.factories import field_block, step_block

pytestmark = pytest.mark.django_db

STEPS = [
    step_block("Waar", field_block("address", "Adres van de werf", "adres", local_only=True)),
    step_block("Meer", field_block("short_text", "Opmerking", "opmerking", required=False)),
]


@pytest.fixture
def page(home_page, team):
    ensure_demo_addresses()
    return make_form_page(home_page, team=team, slug="werken", steps=STEPS)


def post_address(client, page, street="", number="", box="", confirmed=False):
    response = client.get(page.url, follow=True)
    form = response.context["form"]
    name = form.add_prefix("adres")
    data = {
        f"loket-form-{page.pk}-current_step": response.context["wizard"]["steps"].current,
        f"{name}_street": street,
        f"{name}_number": number,
        f"{name}_box": box,
    }
    if confirmed:
        data[f"{name}_confirmed"] = "on"
    return client.post(response.wsgi_request.path, data, follow=True)


def check_page(client, page):
    response = client.get(page.url, follow=True)
    name = response.context["form"].add_prefix("opmerking")
    data = {f"loket-form-{page.pk}-current_step": response.context["wizard"]["steps"].current}
    data[name] = ""
    return client.post(response.wsgi_request.path, data, follow=True)


class TestWithoutJavaScript:
    def test_the_step_asks_street_number_and_box_not_the_postcode(self, client, page):
        content = client.get(page.url, follow=True).content.decode()
        assert "adres_street" in content and "adres_number" in content and "adres_box" in content
        assert "adres_postcode" not in content
        assert "adres_confirmed" not in content
        assert "data-street-suggestions" in content
        assert "forms_builder/js/streets" in content

    def test_a_known_address_gets_postcode_municipality_and_the_register_id(self, client, page):
        response = post_address(client, page, "kerkstraat", "14")
        assert response.wsgi_request.path.endswith("/stap/2/")  # on to the next step
        response = check_page(client, page)
        content = response.content.decode()
        assert "Kerkstraat 14, 9999 Voorbeeld" in content

    def test_part_of_the_name_gives_a_list_to_choose_from(self, client, page):
        response = post_address(client, page, "kerk", "14")
        form = response.context["form"]
        assert form.errors["adres"][0].startswith(("Kies", "Choose"))
        content = response.content.decode()
        assert '<select name="' in content
        assert '<option value="Kerkhofstraat"' in content
        assert '<option value="Kerkstraat"' in content
        # The house number typed is kept.
        assert 'value="14"' in content
        response = post_address(client, page, "Kerkstraat", "14")
        assert not response.context["form"].errors

    def test_a_street_of_another_municipality_is_refused(self, client, page):
        response = post_address(client, page, "Onbestaandelaan", "1")
        assert response.context["form"].errors["adres"]
        assert "<select" not in response.content.decode().split("adres_street")[0][-200:]

    def test_an_unknown_number_is_a_warning_the_applicant_confirms(self, client, page):
        response = post_address(client, page, "Industrieweg", "11")
        errors = response.context["form"].errors["adres"]
        assert "11" in errors[0]
        assert "adres_confirmed" in response.content.decode()
        response = post_address(client, page, "Industrieweg", "11", confirmed=True)
        assert not response.context["form"].errors
        content = check_page(client, page).content.decode()
        # The postcode of the street's nearest numbers (8 is in 9998).
        assert "Industrieweg 11, 9998 Voorbeeld" in content

    @pytest.mark.parametrize("box, known", [("0002", True), ("0009", False)])
    def test_a_box_is_checked_too(self, client, page, box, known):
        errors = post_address(client, page, "Markt", "5", box).context["form"].errors
        assert bool(errors) is not known

    def test_without_an_imported_register_any_address_is_taken(self, client, home_page, team):
        page = make_form_page(home_page, team=team, slug="zonder", steps=STEPS)
        content = client.get(page.url, follow=True).content.decode()
        assert "adres_postcode" in content


class TestSuggestions:
    def test_the_endpoint_gives_the_municipality_streets(self, client, page):
        response = client.get("/straten/", {"gemeente": "99999", "q": "kerk"})
        assert response.json() == {"streets": ["Kerkhofstraat", "Kerkstraat"]}
        assert client.get("/straten/", {"gemeente": "99999", "q": "k"}).json() == {"streets": []}
        assert client.get("/straten/", {"gemeente": "99998", "q": "kerk"}).json() == {"streets": []}


class TestStoredAnswer:
    FIELD = {"type": "address", "name": "adres", "label": "Adres", "options": {"local_only": True}}

    def test_officers_and_exports_see_the_register_id(self, page):
        form_field = get_field_type("address").get_form_field(self.FIELD)
        value = form_field.clean(["Sint-Jansplein", "3", "", None])
        assert value["address_id"] and value["street_id"]
        assert value["postcode"] == "9999"
        schema = {"steps": [{"id": "s", "title": "Waar", "fields": [self.FIELD]}]}
        row = display_answers(schema, {"s": {"adres": value}})[0]["rows"][0]
        assert row["value"] == "Sint-Jansplein 3, 9999 Voorbeeld"
        assert value["address_id"] in row["reference"]
        exported = get_field_type("address").export(value, self.FIELD)
        assert exported.startswith("Sint-Jansplein 3, 9999 Voorbeeld (")
        assert value["address_id"] in exported

    def test_a_confirmed_unknown_address_says_so(self, page):
        form_field = get_field_type("address").get_form_field(self.FIELD)
        value = form_field.clean(["Sint-Jansplein", "300", "", True])
        assert value["address_id"] == "" and value["confirmed"] is True
        assert get_field_type("address").register_reference(value, self.FIELD)

    def test_an_optional_question_left_empty_stays_empty(self, page):
        field = {**self.FIELD, "required": False}
        assert get_field_type("address").get_form_field(field).clean(["", "", "", None]) is None


class TestOfficerView:
    def test_the_officer_sees_the_register_id_under_the_address(
        self, client, page, officer, economy
    ):
        from django.urls import reverse

        from dossiers import services

        schema = page.get_schema()
        field = schema["steps"][0]["fields"][0]
        value = get_field_type("address").get_form_field(field).clean(["Markt", "5", "0001", None])
        dossier = services.submit_application(
            form_page=page, schema=schema, answers={schema["steps"][0]["id"]: {"adres": value}}
        )
        dossier.team = economy
        dossier.save()
        client.force_login(officer)
        url = reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])
        content = client.get(url).content.decode()
        assert "data-register-reference" in content
        assert value["address_id"] in content
        # The export's cell: the address with its register id.
        from dossiers.export import answer_columns, rows
        from dossiers.models import Dossier

        queryset = Dossier.objects.filter(pk=dossier.pk)
        cells = next(rows(queryset, answer_columns(queryset)))
        assert (
            f"Markt 5 bus 0001, 9999 Voorbeeld (Adressenregister: adres {value['address_id']})"
            in cells
        )
