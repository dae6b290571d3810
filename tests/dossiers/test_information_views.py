"""The applicant's side of a question: the status page says what to do, the answer page
checks like the form did, keeps what was typed and sent, and refuses tampering."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from core.storage import private_storage as dossier_storage
from dossiers import services, workflow
from dossiers.constants import EventType, Status
from dossiers.information import services as information
from dossiers.models import Attachment, AttachmentKind, InformationRequest
from tests.factories import terrace_answers
from tests.files import PDF

pytestmark = pytest.mark.django_db

QUESTION = "Hoe breed is de stoep voor uw zaak?"


def pdf(name="plan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def submit(form_page, economy, **overrides):
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema, **overrides)
    )
    dossier.team = economy
    dossier.save()
    return workflow.transition(dossier, "start_review")


@pytest.fixture
def dossier(form_page, economy):
    return submit(form_page, economy)


def field_value(dossier, name):
    return next(f.value for f in information.correctable_fields(dossier) if f.name == name)


def second_step(dossier):
    return dossier.schema["steps"][1]["id"]


@pytest.fixture
def asked(dossier, officer):
    """A question asking for a plan (required), a photo (optional) and two corrections."""
    return information.ask(
        dossier,
        officer,
        QUESTION,
        documents=[
            {"label": "Plan van het terras", "required": True},
            {"label": "Foto van de gevel", "required": False},
        ],
        fields=[field_value(dossier, "oppervlakte"), field_value(dossier, "startdatum")],
    )


def answer_url(dossier, information_request, key=None):
    return reverse(
        "dossiers:information_answer",
        kwargs={
            "public_id": dossier.public_id,
            "key": key or dossier.access_key,
            "request_id": information_request.pk,
        },
    )


def valid_post(**overrides):
    data = {
        "answer": "Het plan zit erbij.",
        "doc-1": pdf(),
        "correct-1-oppervlakte": "18",
        "correct-1-startdatum": "2026-06-15",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def flashed(response):
    return [(m.level, str(m)) for m in get_messages(response.wsgi_request)]


class TestStatusPage:
    def test_says_what_to_do_and_links_to_the_answer_page(self, client, dossier, asked):
        response = client.get(dossier.get_status_url())

        content = response.content.decode()
        assert response.context["information_request"] == asked
        section = content[content.index('id="information-request-title"') :]
        assert QUESTION in section
        assert "Plan van het terras" in section and "Foto van de gevel" in section
        assert f'href="{answer_url(dossier, asked)}"' in section

    def test_nothing_to_do_once_answered(self, client, dossier, asked):
        information.answer(asked, files={"doc-1": [pdf()]})

        content = client.get(dossier.get_status_url()).content.decode()

        assert 'id="information-request-title"' not in content
        assert answer_url(dossier, asked) not in content

    def test_nothing_to_do_without_a_question(self, client, dossier):
        content = client.get(dossier.get_status_url()).content.decode()

        assert 'id="information-request-title"' not in content


class TestAnswerPage:
    def test_shows_the_question_uploads_and_prefilled_answers(self, client, dossier, asked):
        response = client.get(answer_url(dossier, asked))

        assert response.status_code == 200
        content = response.content.decode()
        assert QUESTION in content
        assert 'type="file" name="doc-1"' in content and 'type="file" name="doc-2"' in content
        assert 'accept=".pdf,.jpg,.jpeg,.png"' in content
        # The asked answers, filled in with what the applicant gave, in the form's order.
        assert 'name="correct-1-oppervlakte"' in content and 'value="24"' in content
        assert 'name="correct-1-startdatum"' in content and "2026-04-01" in content
        assert content.index("correct-1-oppervlakte") < content.index("correct-1-startdatum")
        assert 'name="correct-1-adres"' not in content  # not asked
        assert 'name="robots" content="noindex"' in content

    def test_answering_goes_back_to_the_status_page(self, client, dossier, asked):
        response = client.post(
            answer_url(dossier, asked), valid_post(**{"doc-2": pdf("gevel.pdf")})
        )

        assert response.status_code == 302
        assert response.url == dossier.get_status_url()
        assert [level for level, _text in flashed(response)] == [messages.SUCCESS]
        asked.refresh_from_db()
        dossier.refresh_from_db()
        assert asked.answer_text == "Het plan zit erbij."
        assert dossier.status == Status.IN_REVIEW
        assert [(a.field_name, a.original_name) for a in asked.files.all()] == [
            ("doc-1", "plan.pdf"),
            ("doc-2", "gevel.pdf"),
        ]
        assert dossier.answers[second_step(dossier)]["oppervlakte"] == 18
        assert dossier.answers[second_step(dossier)]["startdatum"] == "2026-06-15"
        assert {(c["name"], c["before"], c["after"]) for c in asked.changes} == {
            ("oppervlakte", 24, 18),
            ("startdatum", "2026-04-01", "2026-06-15"),
        }
        # The status page says so.
        page = client.get(response.url).content.decode()
        assert "notification-banner--success" in page
        assert 'id="information-request-title"' not in page

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"doc-1": None}, "doc-1"),  # the required document is missing
            ({"doc-1": pdf("plan.exe")}, "doc-1"),  # not an allowed type
            ({"doc-1": pdf("plan.pdf", b"MZ\x90\x00 not a pdf at all")}, "doc-1"),  # fake PDF
            ({"doc-1": pdf("leeg.pdf", b"")}, "doc-1"),  # empty
            ({"correct-1-oppervlakte": "heel groot"}, "correct-1-oppervlakte"),
            ({"correct-1-oppervlakte": "900"}, "correct-1-oppervlakte"),  # above the maximum
            ({"correct-1-startdatum": ""}, "correct-1-startdatum"),  # required
        ],
    )
    def test_mistakes_are_shown_and_nothing_changes(self, client, dossier, asked, overrides, field):
        response = client.post(answer_url(dossier, asked), valid_post(**overrides))

        assert response.status_code == 200
        content = response.content.decode()
        start = content.index('class="error-summary"')
        summary = content[start : content.index("</ul>", start)]
        assert f'href="#id_{field}"' in summary
        assert f'id="id_{field}_error"' in content
        assert response.context["forms"].errors
        # What was typed is still there.
        assert "Het plan zit erbij." in content
        asked.refresh_from_db()
        dossier.refresh_from_db()
        assert asked.is_open and dossier.status == Status.INFO_REQUESTED
        assert not Attachment.objects.filter(kind=AttachmentKind.INFORMATION).exists()
        assert not dossier.events.filter(type=EventType.INFORMATION_ANSWERED).exists()

    def test_a_text_is_needed_when_only_a_question_was_asked(self, client, dossier, officer):
        asked = information.ask(dossier, officer, QUESTION)

        response = client.post(answer_url(dossier, asked), {"answer": "  "})

        assert response.status_code == 200
        assert 'href="#id_answer"' in response.content.decode()
        response = client.post(answer_url(dossier, asked), {"answer": "Drie meter."})
        assert response.status_code == 302

    def test_a_valid_file_is_kept_while_other_mistakes_are_put_right(
        self, client, dossier, asked, django_capture_on_commit_callbacks
    ):
        response = client.post(
            answer_url(dossier, asked), valid_post(**{"correct-1-oppervlakte": "heel groot"})
        )
        assert response.status_code == 200
        content = response.content.decode()
        assert "plan.pdf" in content and 'name="doc-1-keep"' in content
        [held_name] = [
            info["tmp_name"]
            for infos in client.session["loket-information-files"][str(asked.pk)].values()
            for info in infos
        ]
        assert dossier_storage().exists(held_name)

        # The applicant corrects the number and does not choose the file again.
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                answer_url(dossier, asked),
                valid_post(**{"doc-1": None, "doc-1-keep": held_name}),
            )

        assert response.status_code == 302
        [attachment] = asked.files.all()
        assert attachment.original_name == "plan.pdf"
        with attachment.file.open("rb") as handle:
            assert handle.read() == PDF
        assert not dossier_storage().exists(held_name)

    def test_a_good_file_stays_when_another_file_of_the_document_is_refused(
        self, client, dossier, asked
    ):
        response = client.post(
            answer_url(dossier, asked), valid_post(**{"doc-1": [pdf(), pdf("plan.exe")]})
        )
        assert response.status_code == 200
        held = client.session["loket-information-files"][str(asked.pk)]
        assert [info["name"] for infos in held.values() for info in infos] == ["plan.pdf"]
        assert 'name="doc-1-keep"' in response.content.decode()

    def test_an_unticked_held_file_is_dropped(self, client, dossier, asked):
        client.post(
            answer_url(dossier, asked), valid_post(**{"correct-1-oppervlakte": "heel groot"})
        )

        response = client.post(
            answer_url(dossier, asked), valid_post(**{"doc-1": None, "doc-1-keep": ""})
        )

        assert response.status_code == 200
        assert 'href="#id_doc-1"' in response.content.decode()

    def test_a_second_post_shows_the_result(self, client, dossier, asked):
        client.post(answer_url(dossier, asked), valid_post())

        again = client.post(answer_url(dossier, asked), valid_post(answer="Nog eens"))

        assert again.status_code == 302 and again.url == dossier.get_status_url()
        assert flashed(again)[-1][0] == messages.SUCCESS
        asked.refresh_from_db()
        assert asked.answer_text == "Het plan zit erbij."
        assert dossier.events.filter(type=EventType.INFORMATION_ANSWERED).count() == 1
        assert asked.files.count() == 1

    def test_a_question_closed_by_the_officer_leads_to_the_status_page(
        self, client, dossier, asked, officer
    ):
        information.close_without_answer(dossier, officer)

        response = client.post(answer_url(dossier, asked), valid_post())

        assert response.status_code == 302 and response.url == dossier.get_status_url()
        assert [level for level, _text in flashed(response)] == [messages.INFO]
        assert not asked.files.exists()

    def test_posts_are_rate_limited(self, client, dossier, asked):
        statuses = [
            client.post(answer_url(dossier, asked), {"answer": ""}).status_code for _ in range(21)
        ]

        assert statuses[:20] == [200] * 20
        assert statuses[20] == 429

    def test_fields_that_were_not_asked_are_ignored(self, client, dossier, asked):
        client.post(
            answer_url(dossier, asked),
            valid_post(
                **{"correct-1-adres": "Elders 1", "correct-2-email": "x@y.be", "doc-9": pdf()}
            ),
        )

        dossier.refresh_from_db()
        steps = [step["id"] for step in dossier.schema["steps"]]
        assert dossier.answers[steps[1]]["adres"] == "Markt 1, 9999 Voorbeeld"
        assert dossier.answers[steps[0]]["email"] == "an@cafedemarkt.be"
        assert [a.field_name for a in asked.files.all()] == ["doc-1"]


class TestTampering:
    def test_a_wrong_key_is_a_404(self, client, dossier, asked):
        response = client.get(answer_url(dossier, asked, key="x" * 32))
        assert response.status_code == 404
        response = client.post(answer_url(dossier, asked, key="x" * 32), valid_post())
        assert response.status_code == 404
        asked.refresh_from_db()
        assert asked.is_open

    def test_another_dossiers_question_is_a_404(
        self, client, form_page, economy, officer, dossier, asked
    ):
        other = submit(form_page, economy)
        theirs = information.ask(other, officer, "Een andere vraag")

        # The applicant's own link with the other dossier's question id.
        assert client.get(answer_url(dossier, theirs)).status_code == 404
        response = client.post(answer_url(dossier, theirs), valid_post())

        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.is_open

    def test_an_unknown_question_is_a_404(self, client, dossier, asked):
        missing = InformationRequest(pk=asked.pk + 1000)
        assert client.get(answer_url(dossier, missing)).status_code == 404

    def test_another_dossiers_files_are_unreachable(
        self, client, form_page, economy, officer, dossier, asked
    ):
        information.answer(asked, files={"doc-1": [pdf()]})
        [attachment] = asked.files.all()
        other = submit(form_page, economy)

        def file_url(owner):
            return reverse(
                "dossiers:file",
                kwargs={
                    "public_id": owner.public_id,
                    "key": owner.access_key,
                    "attachment_pk": attachment.pk,
                },
            )

        # The applicant gets their own document back; another dossier's link never does.
        assert client.get(file_url(dossier)).status_code == 200
        assert client.get(file_url(other)).status_code == 404

    def test_a_held_file_of_another_session_cannot_be_claimed(
        self, client, dossier, asked, django_user_model
    ):
        from django.test import Client

        other_browser = Client()
        other_browser.post(
            answer_url(dossier, asked), valid_post(**{"correct-1-oppervlakte": "heel groot"})
        )
        held_name = next(
            info["tmp_name"]
            for infos in other_browser.session["loket-information-files"][str(asked.pk)].values()
            for info in infos
        )

        response = client.post(
            answer_url(dossier, asked), valid_post(**{"doc-1": None, "doc-1-keep": held_name})
        )

        assert response.status_code == 200  # the plan is still missing for this browser
        assert not asked.files.exists()


def test_stale_held_files_are_deleted(client, dossier, asked):
    from datetime import timedelta

    from dossiers.information.forms import delete_stale_held_files

    client.post(answer_url(dossier, asked), valid_post(**{"correct-1-oppervlakte": "x"}))
    [held_name] = [
        info["tmp_name"]
        for infos in client.session["loket-information-files"][str(asked.pk)].values()
        for info in infos
    ]

    assert delete_stale_held_files(timedelta(days=1)) == 0
    assert delete_stale_held_files(timedelta(seconds=-1)) >= 1
    assert not dossier_storage().exists(held_name)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises all writers; row locks are a PostgreSQL concern",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_answers_at_the_same_moment_make_one(officer, economy):
    """A double click sends the form twice at once: one answer, one event, and both
    requests end on the status page."""
    from django.test import Client

    from tests.dossiers.test_concurrency import at_the_same_moment
    from tests.factories import DossierFactory

    dossier = DossierFactory(team=economy, status=Status.IN_REVIEW)
    asked = information.ask(dossier, officer, QUESTION)
    url = answer_url(dossier, asked)

    def post(text):
        return lambda: Client().post(url, {"answer": text}).url

    results, errors = at_the_same_moment(post("Eerste klik"), post("Tweede klik"))

    assert errors == []
    assert results == [dossier.get_status_url()] * 2
    asked.refresh_from_db()
    assert asked.answer_text in ("Eerste klik", "Tweede klik")
    assert dossier.events.filter(type=EventType.INFORMATION_ANSWERED).count() == 1
    assert dossier.events.filter(to_status=Status.IN_REVIEW).count() == 1


def test_the_answer_page_is_never_cached_nor_indexed(client, dossier, asked):
    response = client.get(answer_url(dossier, asked))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
