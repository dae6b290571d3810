"""The status page (issue #14, item 23): the decision's text on the page itself, and
while a question is open, one clear way to answer it: when the question asks for
documents, the message form takes no files and points to the answer."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers import services, workflow
from dossiers.constants import Status
from dossiers.information import services as information
from dossiers.models import Message, Permit
from tests.factories import terrace_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(form_page, economy):
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = economy
    dossier.status = Status.IN_REVIEW
    dossier.save()
    return dossier


def ask_for_the_plan(dossier, officer):
    return information.ask(
        dossier, officer, "Stuur een plan van het terras.", [{"label": "Plan", "required": True}]
    )


def page(client, dossier):
    return client.get(dossier.get_status_url()).content.decode()


def post_message(client, dossier, **extra):
    return client.post(
        dossier.get_status_url(),
        {"sending": "message", "message-body": "Hier is het plan.", **extra},
    )


class TestDecisionOnThePage:
    def test_the_decision_text_is_on_the_page(self, client, dossier, officer):
        workflow.transition(
            dossier,
            "approve",
            actor=officer,
            data={"decision": "U mag het terras plaatsen.\nHou de stoep vrij."},
        )
        html = page(client, dossier)
        assert "data-decision-text" in html
        assert "U mag het terras plaatsen.<br>Hou de stoep vrij." in html

    def test_the_permits_conditions_are_on_the_page(self, client, dossier, officer):
        decided = workflow.transition(dossier, "approve", actor=officer, data={"decision": "Ja."})
        Permit.objects.create(
            dossier=decided,
            kind="Terrasvergunning",
            valid_from="2027-04-01",
            valid_until="2027-09-30",
            place="Markt 1",
            conditions="Geen muziek na 22 uur.",
        )
        html = page(client, dossier)
        assert "data-permit-conditions" in html and "Geen muziek na 22 uur." in html

    def test_no_decision_no_text(self, client, dossier):
        assert "data-decision-text" not in page(client, dossier)


class TestOneWayToAnswerAQuestion:
    def test_without_a_question_the_message_form_takes_files(self, client, dossier):
        html = page(client, dossier)
        assert 'name="message-files"' in html
        assert "data-files-with-answer" not in html

    def test_with_a_question_the_message_form_points_to_the_answer(self, client, dossier, officer):
        asked = ask_for_the_plan(dossier, officer)
        html = page(client, dossier)
        assert 'name="message-files"' not in html
        assert "data-files-with-answer" in html
        # The button at the top and the link beside the message form.
        assert html.count(f"/vraag/{asked.pk}/") == 2
        assert "Beantwoord de vraag" in html

    def test_a_question_without_documents_leaves_the_files_to_the_messages(
        self, client, dossier, officer
    ):
        information.ask(dossier, officer, "Hoe breed is de stoep?")
        html = page(client, dossier)
        assert 'name="message-files"' in html
        assert "data-files-with-answer" not in html

    def test_a_message_without_files_still_goes(self, client, dossier, officer):
        ask_for_the_plan(dossier, officer)
        response = post_message(client, dossier)
        assert response.status_code == 302
        assert Message.objects.filter(dossier=dossier, body="Hier is het plan.").exists()

    def test_files_posted_with_a_message_are_refused_and_pointed_to_the_answer(
        self, client, dossier, officer
    ):
        ask_for_the_plan(dossier, officer)
        response = post_message(
            client,
            dossier,
            **{"message-files": SimpleUploadedFile("plan.pdf", b"%PDF-1.4", "application/pdf")},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Stuur uw bestanden mee met uw antwoord" in html
        # Nothing is lost: the text stays in the form.
        assert "Hier is het plan." in html
        assert not Message.objects.filter(dossier=dossier, body="Hier is het plan.").exists()
