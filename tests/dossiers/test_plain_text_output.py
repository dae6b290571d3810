"""Texts of applicants and officers are plain text: messages, questions, decisions and
editable e-mail texts holding HTML are shown as that text (escaped), never run as HTML,
on the status page, in the back office, in the decision letter and in e-mails."""

import pytest
from django.core import mail
from django.urls import reverse

from dossiers import workflow
from dossiers.information import services as information
from dossiers.messages import services as messaging
from dossiers.models import NotificationTemplate
from dossiers.outbox.letters import render_decision_letter_html
from tests.dossiers.test_information_views import submit

pytestmark = pytest.mark.django_db

#: HTML an applicant or officer might type (braces would be placeholders in e-mail texts).
HOSTILE = (
    "<script>alert('x')</script>"
    '<img src="x" onerror="alert(1)">'
    '<a href="javascript:alert(2)">klik</a>'
    "<iframe src='https://evil.example/'></iframe>"
)
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;img src=&quot;x&quot;"


def assert_shown_as_text(html: str):
    assert ESCAPED in html
    for raw in ("<script>alert", '<img src="x"', '<a href="javascript', "<iframe"):
        assert raw not in html, raw


@pytest.fixture
def dossier(form_page, economy):
    return submit(form_page, economy)


def test_messages_both_ways_are_text_on_the_status_page_and_in_the_back_office(
    client, dossier, officer
):
    messaging.send_from_applicant(dossier, HOSTILE)
    messaging.send_from_officer(dossier, officer, HOSTILE)

    status_page = client.get(dossier.get_status_url()).content.decode()
    client.force_login(officer)
    back_office = client.get(
        reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])
    ).content.decode()

    assert status_page.count(ESCAPED) == 2
    assert back_office.count(ESCAPED) == 2
    assert_shown_as_text(status_page)
    assert_shown_as_text(back_office)


def test_a_question_is_text_on_the_status_page_and_the_answer_page(client, dossier, officer):
    asked = information.ask(dossier, officer, HOSTILE)

    status_page = client.get(dossier.get_status_url()).content.decode()
    answer_page = client.get(
        reverse(
            "dossiers:information_answer",
            kwargs={
                "public_id": dossier.public_id,
                "key": dossier.access_key,
                "request_id": asked.pk,
            },
        )
    ).content.decode()

    assert_shown_as_text(status_page)
    assert_shown_as_text(answer_page)


def test_a_decision_is_text_in_the_letter(dossier, officer):
    workflow.transition(dossier, "reject", actor=officer, data={"decision": HOSTILE})
    dossier.refresh_from_db()

    assert_shown_as_text(render_decision_letter_html(dossier))


def test_an_email_text_is_sent_as_plain_text_only(
    form_page, economy, django_capture_on_commit_callbacks
):
    NotificationTemplate.objects.create(
        kind="application_received",
        language="nl",
        subject="Ontvangen {referentienummer}",
        body=HOSTILE + " {referentienummer}",
    )

    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(form_page, economy)

    [email] = [message for message in mail.outbox if message.subject.startswith("Ontvangen")]
    assert email.content_subtype == "plain"
    assert not getattr(email, "alternatives", [])
    assert email.body.startswith(HOSTILE) and dossier.reference in email.body


def test_the_preview_of_an_email_text_shows_it_as_text(rf, admin, form_page):
    template = NotificationTemplate.objects.create(
        kind="application_received", language="nl", subject="Onderwerp", body=HOSTILE
    )
    request = rf.get("/")
    request.user = admin

    response = template.serve_preview(request, "")
    response.render()

    assert_shown_as_text(response.content.decode())


# --- e-mails are plain text: no HTML escaping (issue #13) ---------------------------------

TITLE = 'Sec test "Terras & co" <b>'


def test_subject_and_body_of_a_built_in_e_mail_keep_quotes_and_ampersands(form_page, economy):
    from dossiers.outbox.kinds import get_kind
    from dossiers.outbox.texts import render

    form_page.title = TITLE
    form_page.save_revision().publish()
    dossier = submit(form_page, economy)
    event = dossier.events.get(type="submitted")

    subject, body = render(get_kind("application_received"), event)

    assert TITLE in subject and TITLE in body
    assert "&quot;" not in subject + body and "&amp;" not in subject + body
    assert "\n" not in subject


def test_subject_and_body_of_the_resume_link_keep_quotes_and_ampersands(form_page):
    from datetime import timedelta

    from django.utils import timezone

    from forms_builder.models import Draft
    from forms_builder.schema import freeze_schema
    from forms_builder.tasks import send_resume_link

    form_page.title = TITLE
    form_page.save_revision().publish()
    draft = Draft.objects.create(
        page=form_page,
        snapshot=freeze_schema(form_page.get_schema(), page=form_page),
        email="a@example.be",
        expires_at=timezone.now() + timedelta(days=3),
    )

    assert send_resume_link.apply(args=[str(draft.pk)]).get() is True

    sent = mail.outbox[-1]
    assert TITLE in sent.subject and TITLE in sent.body
    assert "&quot;" not in sent.subject + sent.body
