"""Coming back to a step: no errors the applicant did not ask for, answers shown as
the check page shows them, and files that stay when another file is refused."""

import re

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from forms_builder.models import Draft
from tests.conftest import make_form_page
from tests.files import PDF, PNG

from .test_uploads import errors, mgmt, post_files, start

pytestmark = pytest.mark.django_db

STEPS = [
    {
        "type": "step",
        "value": {
            "title": "Uw bedrijf",
            "intro": "",
            "fields": [
                {"type": "short_text", "value": {"label": "Naam", "name": "naam"}},
                {"type": "email", "value": {"label": "E-mail", "name": "email"}},
                {"type": "iban", "value": {"label": "Rekeningnummer", "name": "iban"}},
            ],
        },
    },
    {
        "type": "step",
        "value": {
            "title": "Meer",
            "intro": "",
            "fields": [{"type": "short_text", "value": {"label": "Uitleg", "name": "uitleg"}}],
        },
    },
]


@pytest.fixture
def page(home_page, team):
    return make_form_page(home_page, slug="terugkeren", steps=STEPS, team=team)


def shows_errors(response) -> bool:
    return "data-error-summary" in response.content.decode()


def test_a_step_saved_half_way_shows_no_errors_when_opened_again(client, page):
    response = client.post(
        page.url + "stap/1/",
        {**mgmt(page, "1"), "1-naam": "An Peeters", "save_draft": "1"},
    )
    assert response.status_code == 302

    response = client.get(page.url + "stap/1/")
    assert response.status_code == 200
    assert not shows_errors(response)
    assert 'value="An Peeters"' in response.content.decode()


def test_errors_show_when_the_step_is_sent(client, page):
    response = client.post(page.url + "stap/1/", {**mgmt(page, "1"), "1-naam": "An Peeters"})
    assert response.status_code == 200
    assert shows_errors(response)


def test_errors_show_when_the_check_page_sends_the_applicant_back(client, page):
    client.post(page.url + "stap/1/", {**mgmt(page, "1"), "1-naam": "An", "save_draft": "1"})
    response = client.get(page.url + "controleren/", follow=True)
    assert response.redirect_chain[-1][0].endswith("/stap/1/")
    assert shows_errors(response)


def test_a_step_shown_again_shows_the_answers_as_the_check_page_does(client, page):
    response = client.post(
        page.url + "stap/1/",
        {
            **mgmt(page, "1"),
            "1-naam": "An Peeters",
            "1-email": "An@Example.BE",
            "1-iban": "be89091000286985",
        },
    )
    assert response.status_code == 302
    content = client.get(page.url + "stap/1/").content.decode()
    assert 'value="BE89 0910 0028 6985"' in content
    assert 'value="an@example.be"' in content


# --- files ---------------------------------------------------------------------------


@pytest.fixture
def upload_page(home_page, team):
    from .test_uploads import UPLOAD_STEPS

    return make_form_page(
        home_page, slug="met-bijlage", reference_prefix="BIJ", steps=UPLOAD_STEPS, team=team
    )


def held_names(step="2", field="2-plan") -> list[str]:
    return [info["name"] for info in Draft.objects.get().data["step_files"][step][field]]


def test_a_valid_file_stays_when_another_file_of_the_step_is_refused(client, upload_page):
    start(client, upload_page)
    response = post_files(
        client,
        upload_page,
        SimpleUploadedFile("plan.pdf", PDF),
        SimpleUploadedFile("nep.pdf", PNG),  # a PNG that calls itself a PDF
    )
    assert response.status_code == 200
    assert "nep.pdf" in errors(response)
    assert held_names() == ["plan.pdf"]
    content = response.content.decode()
    # Listed with a remove button that names the file for screen readers.
    assert re.search(
        r'<button type="submit"[^>]*name="remove_file"[^>]*>Verwijderen'
        r'<span class="visually-hidden"> plan.pdf</span>',
        content,
    )

    # Enter in a text box presses the first submit button: a hidden "next", never a
    # file's remove button.
    wizard_form = r"<form method=\"post\" enctype=\"multipart/form-data\"[^>]*>"
    first_button = re.search(wizard_form + r".*?(<button[^>]*>)", content, re.S).group(1)
    assert 'name="remove_file"' not in first_button and 'tabindex="-1"' in first_button

    # Sending the step again without choosing the file again is enough.
    response = client.post(
        upload_page.url + "stap/2/",
        {
            **mgmt(upload_page, "2"),
            "2-plan-keep": re.findall(r'name="2-plan-keep" value="([^"]*)"', content),
        },
    )
    assert response.status_code == 302
    assert held_names() == ["plan.pdf"]


def test_the_remove_button_removes_one_file_without_javascript(client, upload_page):
    start(client, upload_page)
    post_files(
        client,
        upload_page,
        SimpleUploadedFile("plan.pdf", PDF),
        SimpleUploadedFile("foto.png", PNG),
    )
    stored = Draft.objects.get().data["step_files"]["2"]["2-plan"]
    first = stored[0]["tmp_name"]
    response = client.post(
        upload_page.url + "stap/2/",
        {**mgmt(upload_page, "2"), "remove_file": f"2-plan:{first}"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/stap/2/")
    assert held_names() == ["foto.png"]
    assert not storages["private"].exists(first)
    page = client.get(response["Location"])
    assert "foto.png" in page.content.decode()
    assert not shows_errors(page)


def test_a_single_file_upload_is_not_multiple(home_page, team):
    from forms_builder.fields import get_field_type

    upload = get_field_type("file_upload")
    single = upload.get_form_field({"name": "plan", "label": "Plan", "options": {}})
    several = upload.get_form_field(
        {"name": "plan", "label": "Plan", "options": {"multiple": True}}
    )
    assert "multiple" not in single.widget.render("plan", None)
    assert re.search(r"\smultiple[\s>]", several.widget.render("plan", None))
    assert "None" not in single.widget.render("plan", None)


def test_a_new_file_replaces_the_one_file_of_a_single_upload(client, home_page, team):
    steps = [
        {
            "type": "step",
            "value": {
                "title": "Plan",
                "intro": "",
                "fields": [{"type": "file_upload", "value": {"label": "Plan", "name": "plan"}}],
            },
        }
    ]
    page = make_form_page(home_page, slug="een-bestand", steps=steps, team=team)
    client.post(
        page.url + "stap/1/", {**mgmt(page, "1"), "1-plan": SimpleUploadedFile("a.pdf", PDF)}
    )
    response = client.post(
        page.url + "stap/1/", {**mgmt(page, "1"), "1-plan": SimpleUploadedFile("b.pdf", PDF)}
    )
    assert response.status_code == 302
    assert held_names("1", "1-plan") == ["b.pdf"]
