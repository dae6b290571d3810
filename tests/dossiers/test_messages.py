"""Messages between the applicant (status page) and the officers (dossier view): the
thread, its files, the e-mails to the other side, read marks, double posts, and when
writing is no longer possible."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from dossiers import services, workflow
from dossiers.constants import EventType, Sender, Status
from dossiers.exceptions import ActionRefused
from dossiers.messages import services as messaging
from dossiers.models import AttachmentKind, Message, Notification
from tests.dossiers.test_concurrency import at_the_same_moment
from tests.factories import DossierFactory, terrace_answers
from tests.files import PDF, PNG

pytestmark = pytest.mark.django_db


def pdf(name="plan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def dossier(form_page, economy):
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = economy
    dossier.save()
    mail.outbox.clear()
    return dossier


def message_url(dossier):
    return reverse("dossiers_dossier_modeladmin_message", args=[dossier.pk])


def inspect_url(dossier):
    return reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])


def flashed(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def post_message(client, dossier, body="Mag het terras ook op zondag open?", files=(), **extra):
    data = {"sending": "message", "message-body": body, "message-token": "tok-1", **extra}
    if files:
        data["message-files"] = list(files)
    return client.post(dossier.get_status_url(), data)


class TestApplicantWrites:
    def test_message_with_a_file_reaches_the_officer(
        self, client, dossier, officer, django_capture_on_commit_callbacks
    ):
        services.assign(dossier, officer, actor=officer)

        with django_capture_on_commit_callbacks(execute=True):
            response = post_message(client, dossier, files=[pdf("Plan van het terras.pdf")])

        assert response.status_code == 302
        assert response.url == dossier.get_status_url() + "#messages"
        message = dossier.messages.get()
        assert (message.sender, message.author, message.read_at) == (Sender.APPLICANT, None, None)
        assert message.body == "Mag het terras ook op zondag open?"
        [attachment] = message.files.all()
        assert attachment.kind == AttachmentKind.MESSAGE
        assert attachment.dossier == dossier
        assert attachment.original_name == "Plan van het terras.pdf"
        assert attachment.content_type == "application/pdf"
        assert " " not in attachment.file.name.rsplit("/", 1)[-1]  # a safe name on disk
        event = dossier.events.get(type=EventType.MESSAGE)
        assert event.public
        assert event.data["message"] == message.pk
        [notification] = Notification.objects.filter(event=event)
        assert notification.kind == "message_to_officers"
        assert notification.recipient == officer.email
        [sent] = mail.outbox
        assert sent.to == [officer.email]
        assert dossier.reference in sent.subject
        assert inspect_url(dossier) in sent.body
        # Neither the text nor the applicant's secret link travels by e-mail.
        assert "zondag" not in sent.body
        assert dossier.access_key not in sent.body

    def test_unassigned_dossier_tells_the_team(self, client, dossier, economy, officer):
        economy.email = "economie@voorbeeld.be"
        economy.save()

        post_message(client, dossier)

        notification = Notification.objects.get(kind="message_to_officers")
        assert notification.recipient == "economie@voorbeeld.be"

    def test_the_message_shows_in_the_thread(self, client, dossier):
        post_message(client, dossier, files=[pdf()])

        response = client.get(dossier.get_status_url())

        content = response.content.decode()
        assert "Mag het terras ook op zondag open?" in content
        [attachment] = dossier.attachments.filter(kind=AttachmentKind.MESSAGE)
        url = reverse(
            "dossiers:file",
            kwargs={
                "public_id": dossier.public_id,
                "key": dossier.access_key,
                "attachment_pk": attachment.pk,
            },
        )
        assert url in content
        download = client.get(url)
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF
        assert 'filename="plan.pdf"' in download["Content-Disposition"]

    def test_an_empty_message_shows_the_error_summary(self, client, dossier):
        response = post_message(client, dossier, body="   ")

        assert response.status_code == 200
        content = response.content.decode()
        assert 'class="error-summary"' in content
        assert 'href="#id_message-body"' in content
        assert not dossier.messages.exists()

    @pytest.mark.parametrize(
        "upload",
        [
            pdf("plan.pdf", b"not a pdf at all, only text"),
            SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 64),
            SimpleUploadedFile("leeg.pdf", b""),
            SimpleUploadedFile("foto.pdf", PNG, content_type="application/pdf"),
        ],
        ids=["fake-pdf", "exe", "empty", "png-named-pdf"],
    )
    def test_a_refused_file_keeps_the_text_and_saves_nothing(self, client, dossier, upload):
        response = post_message(client, dossier, body="Zie bijlage", files=[upload])

        assert response.status_code == 200
        content = response.content.decode()
        assert 'class="error-summary"' in content
        assert 'href="#id_message-files"' in content
        assert "Zie bijlage</textarea>" in content
        assert not dossier.messages.exists()
        assert not dossier.attachments.filter(kind=AttachmentKind.MESSAGE).exists()
        assert not Notification.objects.filter(kind="message_to_officers").exists()

    def test_too_many_files_are_refused(self, client, dossier):
        files = [pdf(f"plan-{number}.pdf") for number in range(6)]

        response = post_message(client, dossier, files=files)

        assert response.status_code == 200
        assert not dossier.messages.exists()

    def test_the_same_form_posted_twice_gives_one_message(self, client, dossier, officer):
        first = post_message(client, dossier, files=[pdf()])
        second = post_message(client, dossier, files=[pdf()])

        assert first.status_code == second.status_code == 302
        assert dossier.messages.count() == 1
        assert dossier.attachments.filter(kind=AttachmentKind.MESSAGE).count() == 1
        assert dossier.events.filter(type=EventType.MESSAGE).count() == 1
        assert Notification.objects.filter(kind="message_to_officers").count() == 1

    def test_a_new_form_gives_a_new_message(self, client, dossier):
        post_message(client, dossier)
        post_message(client, dossier, **{"message-token": "tok-2"})

        assert dossier.messages.count() == 2

    def test_every_form_gets_its_own_token(self, client, dossier):
        tokens = {
            client.get(dossier.get_status_url()).context["message_form"]["token"].value()
            for _number in range(3)
        }

        assert len(tokens) == 3
        assert all(len(token) >= 20 for token in tokens)

    def test_after_the_decision_messages_are_still_possible(self, client, dossier, officer):
        workflow.transition(dossier, "start_review", actor=officer)
        workflow.transition(dossier, "approve", actor=officer, data={"decision": "Ja."})

        response = post_message(client, dossier)

        assert response.status_code == 302
        assert dossier.messages.count() == 1

    @pytest.mark.parametrize("final", ["withdraw", "close"])
    def test_a_withdrawn_or_closed_dossier_takes_no_messages(self, client, dossier, officer, final):
        if final == "withdraw":
            workflow.transition(dossier, "withdraw", actor_kind="applicant")
        else:
            workflow.transition(dossier, "start_review", actor=officer)
            workflow.transition(dossier, "reject", actor=officer, data={"decision": "Nee."})
            workflow.transition(dossier, "close", actor=officer)
        dossier.refresh_from_db()

        page = client.get(dossier.get_status_url())
        response = post_message(client, dossier)

        assert 'name="message-body"' not in page.content.decode()
        assert messaging.closed_text(dossier) in page.content.decode()
        assert response.status_code == 200
        assert messaging.closed_text(dossier) in response.content.decode()
        assert not dossier.messages.exists()

    def test_an_unknown_form_only_goes_back_to_the_page(self, client, dossier):
        response = client.post(dossier.get_status_url(), {"sending": "iets"})

        assert response.status_code == 302
        assert response.url == dossier.get_status_url()


class TestOfficerWrites:
    def test_officer_sends_a_message_with_a_file(
        self, client, dossier, officer, django_capture_on_commit_callbacks
    ):
        client.force_login(officer)

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                message_url(dossier),
                {"body": "Stuur ons een foto van de stoep.", "token": "a1", "files": [pdf()]},
            )

        assert response.status_code == 302
        assert response.url == inspect_url(dossier)
        message = dossier.messages.get()
        assert (message.sender, message.author) == (Sender.MUNICIPALITY, officer)
        assert message.files.count() == 1
        event = dossier.events.get(type=EventType.MESSAGE)
        assert (event.public, event.actor) == (True, officer)
        [sent] = mail.outbox
        assert sent.to == ["an@cafedemarkt.be"]
        assert dossier.get_absolute_status_url() in sent.body
        assert "stoep" not in sent.body

    def test_the_applicant_reads_it_and_it_is_marked_read(self, client, dossier, officer):
        message = messaging.send_from_officer(dossier, officer, "Wij hebben een vraag.")

        first = client.get(dossier.get_status_url())
        second = client.get(dossier.get_status_url())

        assert [m.pk for m in first.context["unread_messages"]] == [message.pk]
        assert 'class="thread__new"' in first.content.decode()
        assert 'href="#messages"' in first.content.decode()
        assert second.context["unread_messages"] == []
        assert 'class="thread__new"' not in second.content.decode()
        message.refresh_from_db()
        assert message.read_at is not None

    def test_the_officer_sees_the_thread_and_marks_it_read(self, client, dossier, officer):
        message = messaging.send_from_applicant(dossier, "Is er nieuws?", [pdf("foto.pdf")])
        client.force_login(officer)

        response = client.get(inspect_url(dossier))

        content = response.content.decode()
        assert "Is er nieuws?" in content
        attachment = message.files.get()
        assert (
            reverse("dossiers_dossier_modeladmin_attachment", args=[dossier.pk, attachment.pk])
            in content
        )
        assert [m.pk for m in response.context["unread_messages"]] == [message.pk]
        message.refresh_from_db()
        assert message.read_at is not None
        # Reading it as the applicant changes nothing about the applicant's own message.
        client.get(dossier.get_status_url())
        assert Message.objects.get(pk=message.pk).read_at == message.read_at

    def test_a_refused_message_keeps_the_officers_text(self, client, dossier, officer):
        client.force_login(officer)

        response = client.post(
            message_url(dossier),
            {"body": "Zie het plan", "token": "a2", "files": [pdf("plan.pdf", b"tekst")]},
        )

        assert response.status_code == 302
        [error] = flashed(response)
        assert "plan.pdf" in error
        assert not dossier.messages.exists()
        page = client.get(inspect_url(dossier)).content.decode()
        assert "Zie het plan</textarea>" in page
        # Only once: the text does not come back on the next visit.
        assert "Zie het plan</textarea>" not in client.get(inspect_url(dossier)).content.decode()

    def test_double_post_gives_one_message(self, client, dossier, officer):
        client.force_login(officer)

        for _number in range(2):
            client.post(message_url(dossier), {"body": "Dag", "token": "same"})

        assert dossier.messages.count() == 1

    def test_get_is_not_allowed(self, client, dossier, officer):
        client.force_login(officer)

        assert client.get(message_url(dossier)).status_code == 405

    @pytest.mark.parametrize("who", ["other_officer", "editor"])
    def test_outsiders_cannot_write(self, client, dossier, people, who):
        client.force_login(people[who])

        response = client.post(message_url(dossier), {"body": "Hallo", "token": "x"})

        assert response.status_code in (302, 403)
        assert not dossier.messages.exists()

    def test_anonymous_cannot_write(self, client, dossier):
        response = client.post(message_url(dossier), {"body": "Hallo", "token": "x"})

        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))
        assert not dossier.messages.exists()

    def test_no_form_on_a_closed_dossier(self, client, dossier, officer):
        workflow.transition(dossier, "withdraw", actor_kind="applicant")
        workflow.transition(dossier, "close", actor=officer)
        client.force_login(officer)

        page = client.get(inspect_url(dossier)).content.decode()
        response = client.post(message_url(dossier), {"body": "Hallo", "token": "x"})

        assert f'action="{message_url(dossier)}"' not in page
        assert response.status_code == 302
        assert not dossier.messages.exists()


class TestService:
    def test_officer_outside_the_team_is_refused(self, dossier, other_officer):
        with pytest.raises(ActionRefused):
            messaging.send_from_officer(dossier, other_officer, "Hallo")

    def test_files_are_checked_in_the_service_too(self, dossier):
        with pytest.raises(ActionRefused):
            messaging.send_from_applicant(dossier, "Hallo", [pdf("x.pdf", b"geen pdf")])
        assert not dossier.messages.exists()

    def test_too_long_a_message_is_refused(self, dossier):
        with pytest.raises(ActionRefused):
            messaging.send_from_applicant(dossier, "x" * (messaging.MAX_BODY_LENGTH + 1))

    def test_messages_are_possible_until_closed(self, dossier):
        for status in Status:
            dossier.status = status
            assert messaging.can_send_messages(dossier) is (
                status
                not in (Status.AWAITING_PAYMENT, Status.NOT_PAID, Status.WITHDRAWN, Status.CLOSED)
            )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises all writers; row locks are a PostgreSQL concern",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_form_sent_at_the_same_moment_gives_one_message(economy, officer):
    dossier = DossierFactory(team=economy)

    def send():
        return messaging.send_from_applicant(dossier, "Dubbel", token="same-moment")

    results, errors = at_the_same_moment(send, send)

    assert errors == []
    assert results[0].pk == results[1].pk
    assert Message.objects.filter(dossier=dossier).count() == 1
    assert Notification.objects.filter(dossier=dossier).count() == 1
