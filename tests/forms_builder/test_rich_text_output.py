"""What editors write in a form reaches applicants sanitised (rich text) or escaped
(plain text), even when it was put in the database past the editor."""

import datetime
import json

import pytest
from django.utils import timezone

from forms_builder.models import ApplicationFormPage
from tests.conftest import make_form_page
from tests.core.test_sanitize import HOSTILE, assert_harmless

HELP = "<script>alert('help')</script>Zoals op uw <b>identiteitskaart</b>."

STEPS = [
    {
        "type": "step",
        "value": {
            "title": "Over u",
            "intro": "<p>Intro</p>",
            "fields": [
                {"type": "information", "value": {"text": "<p>Lees dit.</p>"}},
                {
                    "type": "short_text",
                    "value": {
                        "label": "Naam",
                        "name": "naam",
                        "required": True,
                        "help_text": "Hulp",
                        "maps_to": "applicant_name",
                    },
                },
            ],
        },
    }
]


def hostile_steps():
    steps = json.loads(json.dumps(STEPS))
    step = steps[0]["value"]
    step["intro"] = HOSTILE
    step["fields"][0]["value"]["text"] = HOSTILE
    step["fields"][1]["value"]["help_text"] = HELP
    return steps


@pytest.fixture
def hostile_form(home_page, team):
    """A form whose texts were written into the database directly."""
    page = make_form_page(
        home_page, slug="vijandig", reference_prefix="VIJ", steps=STEPS, team=team
    )
    ApplicationFormPage.objects.filter(pk=page.pk).update(
        intro=HOSTILE,
        declaration_text=HOSTILE,
        confirmation_text=HOSTILE + "<p>Uw nummer: {referentienummer}</p>",
        closed_text=HOSTILE,
        steps=json.dumps(hostile_steps()),
    )
    return ApplicationFormPage.objects.get(pk=page.pk)


def main_of(response) -> str:
    html = response.content.decode()
    return html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.django_db
def test_a_step_shows_the_intro_and_information_sanitised_and_help_text_escaped(
    client, hostile_form
):
    main = main_of(client.get(hostile_form.url + "stap/1/"))

    assert main.count("<b>ondernemer</b>") == 3  # form intro, step intro, information
    assert "&lt;script&gt;alert(&#x27;help&#x27;)&lt;/script&gt;" in main
    assert "&lt;b&gt;identiteitskaart&lt;/b&gt;" in main
    assert "<script" not in main and "onerror" not in main and "javascript:" not in main
    assert_harmless(main.replace("alert(&#x27;help&#x27;)", ""))


@pytest.mark.django_db
def test_the_declaration_and_the_confirmation_are_sanitised(client, hostile_form):
    data = {f"loket-form-{hostile_form.pk}-current_step": "1", "1-naam": "An"}
    assert client.post(hostile_form.url + "stap/1/", data).status_code == 302

    check = main_of(client.get(hostile_form.url + "controleren/"))
    response = client.post(hostile_form.url + "controleren/", {"accept": "on"}, follow=True)
    confirmation = main_of(response)

    for main in (check, confirmation):
        assert "<b>ondernemer</b>" in main
        assert_harmless(main)
    reference = response.context["dossier"].reference
    assert f"<p>Uw nummer: {reference}</p>" in confirmation


@pytest.mark.django_db
def test_the_closed_text_is_sanitised(client, hostile_form):
    ApplicationFormPage.objects.filter(pk=hostile_form.pk).update(
        closes_at=timezone.now() - datetime.timedelta(days=1)
    )

    main = main_of(client.get(hostile_form.url, follow=True))

    assert "<b>ondernemer</b>" in main
    assert_harmless(main)
