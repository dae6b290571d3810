"""The virus scan of the other places files come in (the answer to a question, messages
of both sides), against a real clamd (tests/clamd.py). They use the wizard's upload
field, so the same scan; the wizard itself is in
tests/forms_builder/test_upload_virus_scan.py."""

import html

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.information import services as information
from dossiers.models import Attachment
from tests.dossiers.test_information_views import answer_url, submit, valid_post
from tests.dossiers.test_messages import message_url, post_message
from tests.forms_builder.test_upload_virus_scan import INFECTED_PDF, PDF, expected


@pytest.mark.django_db
class TestUploadPlaces:
    def test_answer_to_a_question(self, client, form_page, economy, officer, virus_scanning):
        dossier = submit(form_page, economy)
        asked = information.ask(
            dossier, officer, "Stuur het plan.", documents=[{"label": "Plan", "required": True}]
        )
        response = client.post(
            answer_url(dossier, asked),
            valid_post(
                **{
                    "doc-1": SimpleUploadedFile("plan.pdf", INFECTED_PDF),
                    "correct-1-oppervlakte": None,
                    "correct-1-startdatum": None,
                }
            ),
        )
        assert response.status_code == 200
        assert expected("virus", "plan.pdf") in html.unescape(response.content.decode())
        assert not Attachment.objects.filter(information_request=asked).exists()
        assert not client.session.get("loket-information-files")

        clean = client.post(
            answer_url(dossier, asked),
            valid_post(
                **{
                    "doc-1": SimpleUploadedFile("plan.pdf", PDF),
                    "correct-1-oppervlakte": None,
                    "correct-1-startdatum": None,
                }
            ),
        )
        assert clean.status_code == 302
        assert Attachment.objects.filter(information_request=asked).count() == 1

    def test_message_of_the_applicant(self, client, form_page, economy, virus_scanning):
        dossier = submit(form_page, economy)
        response = post_message(
            client, dossier, files=[SimpleUploadedFile("foto.pdf", INFECTED_PDF)]
        )
        assert response.status_code == 200
        assert expected("virus", "foto.pdf") in html.unescape(response.content.decode())
        assert not dossier.messages.exists()
        assert not dossier.attachments.filter(kind="message").exists()

    def test_message_of_an_officer(self, client, form_page, economy, officer, virus_scanning):
        dossier = submit(form_page, economy)
        client.force_login(officer)
        response = client.post(
            message_url(dossier),
            {
                "body": "Hierbij het besluit in ontwerp.",
                "token": "tok-officer",
                "files": [SimpleUploadedFile("ontwerp.pdf", INFECTED_PDF)],
            },
        )
        assert response.status_code == 302
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        assert any(expected("virus", "ontwerp.pdf") in text for text in shown)
        assert not dossier.messages.exists()
