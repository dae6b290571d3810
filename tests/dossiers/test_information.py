"""Questions to the applicant (dossiers.information): asking, answering with text,
files and corrected answers, the officer side's e-mail, closing without an answer,
the reminder, and what officers see and do in the back office."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cms.celery import app as celery_app
from dossiers import services, workflow
from dossiers.constants import EventType, Status
from dossiers.exceptions import ActionRefused
from dossiers.information import services as information
from dossiers.information import tasks as information_tasks
from dossiers.models import Attachment, AttachmentKind, InformationRequest, Notification
from forms_builder.fields import get_field_type
from tests.dossiers.conftest import make_user
from tests.factories import terrace_answers
from tests.files import PDF

pytestmark = pytest.mark.django_db

QUESTION = "Hoe breed is de stoep voor uw zaak?"


def pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def dossier(form_page, economy):
    """A terrace dossier of the team "Economie", in review, with a decision term."""
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = economy
    dossier.save()
    return workflow.transition(dossier, "start_review")


def step_ids(dossier):
    return [step["id"] for step in dossier.schema["steps"]]


def field_value(dossier, name):
    """The ``<step id>:<name>`` of a field of the terrace form."""
    for each in information.correctable_fields(dossier):
        if each.name == name:
            return each.value
    raise AssertionError(name)


def notifications_of(kind):
    return list(Notification.objects.filter(kind=kind))


def outbox() -> list[Notification]:
    """The e-mails written to the outbox (sent after commit, which tests skip)."""
    return list(Notification.objects.order_by("pk"))


def clear_outbox():
    Notification.objects.all().delete()


class TestAsk:
    def test_stores_the_question_and_waits_for_the_applicant(self, dossier, officer):
        clear_outbox()

        asked = information.ask(
            dossier,
            officer,
            f"  {QUESTION}  ",
            documents=[
                {"label": "Plan van het terras", "required": True},
                {"label": "  ", "required": True},  # an empty row is left out
                {"label": "Foto van de gevel", "required": False},
            ],
            fields=[field_value(dossier, "oppervlakte")],
        )

        dossier.refresh_from_db()
        assert dossier.status == Status.INFO_REQUESTED
        assert dossier.due_paused_on == timezone.localdate()
        assert asked.is_open and asked.asked_by == officer
        assert asked.question == QUESTION
        assert asked.documents == [
            {"key": "doc-1", "label": "Plan van het terras", "required": True},
            {"key": "doc-2", "label": "Foto van de gevel", "required": False},
        ]
        assert asked.fields == [{"step": step_ids(dossier)[1], "name": "oppervlakte"}]
        event = dossier.events.get(to_status=Status.INFO_REQUESTED)
        assert event.public and event.actor == officer
        assert event.data["question"] == QUESTION
        assert information.open_request(dossier) == asked

    def test_the_applicants_email_holds_the_question_and_the_status_link(self, dossier, officer):
        clear_outbox()

        information.ask(
            dossier,
            officer,
            QUESTION,
            documents=[{"label": "Plan van het terras", "required": True}],
            fields=[field_value(dossier, "oppervlakte")],
        )

        [email] = outbox()
        assert email.recipient == dossier.applicant_email
        assert QUESTION in email.body
        assert dossier.get_absolute_status_url() in email.body
        assert "Plan van het terras" in email.body
        assert "Oppervlakte van het terras (m²)" in email.body
        assert dossier.reference in email.subject
        # The general "status changed" e-mail does not go out as well.
        assert [n.kind for n in Notification.objects.filter(event__to_status="info_requested")] == [
            "information_requested"
        ]

    def test_an_editable_text_can_hold_the_question(self, dossier, officer):
        from dossiers.models import NotificationTemplate

        NotificationTemplate.objects.create(
            kind="information_requested",
            language="nl",
            subject="Vraag over {referentienummer}",
            body="Beste {naam},\n\nOnze vraag: {vraag}\n\nAntwoord via {statuslink}",
        )
        clear_outbox()

        information.ask(dossier, officer, QUESTION)

        [email] = outbox()
        assert email.subject == f"Vraag over {dossier.reference}"
        assert f"Onze vraag: {QUESTION}" in email.body
        assert dossier.get_absolute_status_url() in email.body

    def test_the_email_is_sent_after_commit(
        self, dossier, officer, django_capture_on_commit_callbacks
    ):
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            information.ask(dossier, officer, QUESTION)

        [email] = mail.outbox
        assert email.to == [dossier.applicant_email]
        assert QUESTION in email.body

    def test_offers_typed_answers_only(self, dossier):
        offered = [(each.step_id, each.name) for each in information.correctable_fields(dossier)]

        first, second = step_ids(dossier)
        assert offered == [
            (first, "bedrijfsnaam"),
            (first, "naam"),
            (first, "email"),
            (second, "adres"),
            (second, "oppervlakte"),
            (second, "startdatum"),
            (second, "soort"),
            (second, "opmerkingen"),
        ]

    @pytest.mark.parametrize(
        "question, fields",
        [
            ("   ", []),
            (QUESTION, ["no-such-step:naam"]),
            (QUESTION, [{"step": "step-x", "name": "oppervlakte"}]),
        ],
    )
    def test_refused_input_changes_nothing(self, dossier, officer, question, fields):
        with pytest.raises(ActionRefused):
            information.ask(dossier, officer, question, fields=fields)

        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW
        assert not InformationRequest.objects.exists()

    def test_an_officer_of_another_team_cannot_ask(self, dossier, other_officer):
        with pytest.raises(ActionRefused):
            information.ask(dossier, other_officer, QUESTION)

        assert not InformationRequest.objects.exists()
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW

    def test_a_stale_page_changes_nothing(self, dossier, officer):
        with pytest.raises(ActionRefused):
            information.ask(dossier, officer, QUESTION, expected_status=Status.SUBMITTED)

        assert not InformationRequest.objects.exists()

    def test_a_question_left_open_by_the_plain_status_button_is_closed(self, dossier, officer):
        first = information.ask(dossier, officer, QUESTION)
        workflow.transition(dossier, "receive_information", actor=officer)
        assert information.open_request(dossier) is None

        second = information.ask(dossier, officer, "Nog een vraag")

        first.refresh_from_db()
        dossier.refresh_from_db()
        assert first.closed_at is not None and first.answered_at is None
        assert information.open_request(dossier) == second


class TestAnswer:
    def test_text_files_and_corrected_answers(self, dossier, officer):
        asked = information.ask(
            dossier,
            officer,
            QUESTION,
            documents=[{"label": "Plan van het terras", "required": True}],
            fields=[field_value(dossier, "oppervlakte"), field_value(dossier, "bedrijfsnaam")],
        )
        first, second = step_ids(dossier)

        information.answer(
            asked,
            text="De stoep is 3 meter breed.",
            files={"doc-1": [pdf("plan.pdf"), pdf("plan-2.pdf")]},
            corrected_values={(second, "oppervlakte"): 18, (first, "bedrijfsnaam"): "Café De Brug"},
        )

        asked.refresh_from_db()
        dossier.refresh_from_db()
        assert asked.answer_text == "De stoep is 3 meter breed."
        assert asked.answered_at is not None and asked.closed_at == asked.answered_at
        files = Attachment.objects.filter(information_request=asked)
        assert [(f.kind, f.field_name, f.original_name) for f in files] == [
            (AttachmentKind.INFORMATION, "doc-1", "plan.pdf"),
            (AttachmentKind.INFORMATION, "doc-1", "plan-2.pdf"),
        ]
        assert files[0].content_type == "application/pdf"
        with files[0].file.open("rb") as handle:
            assert handle.read() == PDF
        # The new answers are the dossier's; the old ones stay as "before".
        assert dossier.answers[second]["oppervlakte"] == 18
        assert dossier.answers[first]["bedrijfsnaam"] == "Café De Brug"
        assert dossier.company_name == "Café De Brug"  # the field is "use as company name"
        assert asked.changes == [
            {
                "step": first,
                "name": "bedrijfsnaam",
                "label": "Naam van de onderneming",
                "before": "Café De Markt",
                "after": "Café De Brug",
            },
            {
                "step": second,
                "name": "oppervlakte",
                "label": "Oppervlakte van het terras (m²)",
                "before": 24,
                "after": 18,
            },
        ]
        event = dossier.events.get(type=EventType.INFORMATION_ANSWERED)
        assert event.public
        assert dossier.status == Status.IN_REVIEW
        assert information.open_request(dossier) is None

    def test_an_unchanged_answer_is_no_change(self, dossier, officer):
        asked = information.ask(
            dossier, officer, QUESTION, fields=[field_value(dossier, "oppervlakte")]
        )

        information.answer(asked, corrected_values={(step_ids(dossier)[1], "oppervlakte"): 24})

        asked.refresh_from_db()
        assert asked.changes == []
        assert asked.answered_at is not None

    def test_the_decision_term_runs_on_by_the_days_waited(self, dossier, officer):
        due = dossier.decision_due
        asked = information.ask(dossier, officer, QUESTION)
        # The applicant answers five days later.
        dossier.refresh_from_db()
        dossier.due_paused_on = timezone.localdate() - datetime.timedelta(days=5)
        dossier.save(update_fields=["due_paused_on"])

        information.answer(asked, text="Drie meter.")

        dossier.refresh_from_db()
        assert dossier.due_paused_on is None
        assert dossier.decision_due == due + datetime.timedelta(days=5)

    def test_display_changes_uses_each_field_types_display(self, dossier, officer):
        asked = information.ask(
            dossier, officer, QUESTION, fields=[field_value(dossier, "startdatum")]
        )
        second = step_ids(dossier)[1]

        information.answer(asked, corrected_values={(second, "startdatum"): "2026-06-15"})

        asked.refresh_from_db()
        field = next(
            f for f in dossier.schema["steps"][1]["fields"] if f.get("name") == "startdatum"
        )
        date_type = get_field_type("date")
        [row] = information.display_changes(asked)
        assert row == {
            "step": "Uw terras",
            "label": "Vanaf wanneer wilt u het terras plaatsen?",
            "before": date_type.display("2026-04-01", field),
            "after": date_type.display("2026-06-15", field),
        }

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"text": "Hier is het"},  # the required document is missing
            {"files": {"doc-9": [pdf()]}, "text": "x"},  # a document nobody asked for
        ],
    )
    def test_refused_answers_change_nothing(self, dossier, officer, kwargs):
        asked = information.ask(
            dossier, officer, QUESTION, documents=[{"label": "Plan", "required": True}]
        )

        with pytest.raises(ActionRefused):
            information.answer(asked, **kwargs)

        asked.refresh_from_db()
        dossier.refresh_from_db()
        assert asked.is_open
        assert dossier.status == Status.INFO_REQUESTED
        assert not Attachment.objects.filter(kind=AttachmentKind.INFORMATION).exists()
        assert not dossier.events.filter(type=EventType.INFORMATION_ANSWERED).exists()

    def test_an_answer_needs_a_text_when_nothing_else_was_asked(self, dossier, officer):
        asked = information.ask(dossier, officer, QUESTION)

        with pytest.raises(ActionRefused):
            information.answer(asked, text="   ")

    def test_only_the_asked_answers_can_be_corrected(self, dossier, officer):
        asked = information.ask(
            dossier, officer, QUESTION, fields=[field_value(dossier, "oppervlakte")]
        )
        first = step_ids(dossier)[0]

        with pytest.raises(ActionRefused):
            information.answer(asked, text="x", corrected_values={(first, "email"): "x@y.be"})

        dossier.refresh_from_db()
        assert dossier.answers[first]["email"] == "an@cafedemarkt.be"

    def test_a_second_answer_changes_nothing(self, dossier, officer):
        asked = information.ask(dossier, officer, QUESTION)
        information.answer(asked, text="Drie meter.")

        with pytest.raises(information.AlreadyClosed):
            information.answer(asked, text="Vier meter.")

        asked.refresh_from_db()
        assert asked.answer_text == "Drie meter."
        assert dossier.events.filter(type=EventType.INFORMATION_ANSWERED).count() == 1

    def test_a_withdrawn_dossier_takes_no_answer(self, dossier, officer):
        asked = information.ask(dossier, officer, QUESTION)
        workflow.transition(dossier, "withdraw", actor_kind=workflow.APPLICANT)

        with pytest.raises(information.AlreadyClosed):
            information.answer(asked, text="Drie meter.")
        assert information.open_request(dossier) is None


class TestOfficerNotified:
    def answer(self, dossier, officer):
        asked = information.ask(dossier, officer, QUESTION)
        clear_outbox()
        information.answer(asked, text="De stoep is 3 meter breed.")
        return [m for m in outbox() if "3 meter" in m.body]

    def test_the_assigned_officer(self, dossier, officer):
        services.assign(dossier, officer, actor=officer)

        [email] = self.answer(dossier, officer)

        assert email.recipient == officer.email
        assert dossier.reference in email.subject
        assert QUESTION in email.body
        assert reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk]) in email.body
        assert Notification.objects.get(kind="information_answered").recipient == officer.email

    def test_the_teams_address_when_nobody_handles_it(self, dossier, officer, economy):
        economy.email = "economie@voorbeeld.be"
        economy.save()

        [email] = self.answer(dossier, officer)

        assert email.recipient == "economie@voorbeeld.be"

    def test_every_team_member_when_the_team_has_no_address(self, dossier, officer, colleague):
        emails = self.answer(dossier, officer)

        assert sorted(email.recipient for email in emails) == sorted(
            [officer.email, colleague.email]
        )

    def test_the_applicant_hears_the_dossier_is_in_review_again(self, dossier, officer):
        asked = information.ask(dossier, officer, QUESTION)
        clear_outbox()

        information.answer(asked, text="Drie meter.")

        to_applicant = [m for m in outbox() if m.recipient == dossier.applicant_email]
        assert len(to_applicant) == 1
        assert Notification.objects.filter(kind="status_changed").count() == 1


class TestCloseWithoutAnswer:
    def test_officer_closes_the_question(self, dossier, officer):
        asked = information.ask(dossier, officer, QUESTION)

        information.close_without_answer(dossier, officer, expected_status=Status.INFO_REQUESTED)

        asked.refresh_from_db()
        dossier.refresh_from_db()
        assert asked.closed_at is not None
        assert asked.answered_at is None and asked.answer_text == ""
        assert dossier.status == Status.IN_REVIEW
        assert dossier.due_paused_on is None

    def test_not_while_nothing_was_asked(self, dossier, officer):
        with pytest.raises(ActionRefused):
            information.close_without_answer(dossier, officer)


class TestReminder:
    @pytest.fixture
    def asked(self, dossier, officer, form_page):
        form_page.information_reminder_days = 7
        form_page.save()
        asked = information.ask(dossier, officer, QUESTION)
        clear_outbox()
        return asked

    def days_later(self, asked, days):
        return asked.asked_at + datetime.timedelta(days=days)

    def test_sent_once_after_the_days_of_the_form(self, asked, dossier):
        assert information.send_due_reminders(self.days_later(asked, 6)) == 0
        assert outbox() == []

        assert information.send_due_reminders(self.days_later(asked, 7)) == 1
        assert information.send_due_reminders(self.days_later(asked, 8)) == 0

        [email] = outbox()
        assert email.recipient == dossier.applicant_email
        assert QUESTION in email.body
        assert dossier.get_absolute_status_url() in email.body
        [notification] = notifications_of("information_reminder")
        event = notification.event
        assert event.type == EventType.REMINDER_SENT and not event.public
        asked.refresh_from_db()
        assert asked.reminder_sent_at is not None

    def test_the_task_reminds_once(self, asked, dossier):
        InformationRequest.objects.filter(pk=asked.pk).update(
            asked_at=timezone.now() - datetime.timedelta(days=10)
        )

        assert (
            celery_app.tasks["dossiers.information.send_information_reminders"].delay().get() == 1
        )
        assert information_tasks.send_information_reminders.delay().get() == 0

        assert len(notifications_of("information_reminder")) == 1
        assert dossier.events.filter(type=EventType.REMINDER_SENT).count() == 1

    def test_never_when_the_form_says_zero_days(self, asked, form_page):
        form_page.information_reminder_days = 0
        form_page.save()

        assert information.send_due_reminders(self.days_later(asked, 365)) == 0

    def test_not_for_an_answered_question(self, asked):
        information.answer(asked, text="Drie meter.")

        assert information.send_due_reminders(self.days_later(asked, 30)) == 0

    def test_not_for_a_withdrawn_dossier(self, asked, dossier):
        workflow.transition(dossier, "withdraw", actor_kind=workflow.APPLICANT)

        assert information.send_due_reminders(self.days_later(asked, 30)) == 0

    def test_runs_daily_from_beat(self, settings):
        entries = [
            entry
            for entry in settings.CELERY_BEAT_SCHEDULE.values()
            if entry["task"] == "dossiers.information.send_information_reminders"
        ]
        assert len(entries) == 1
        schedule = entries[0]["schedule"]
        assert len(schedule.hour) == 1 and len(schedule.minute) == 1  # once a day


# --- the back office -----------------------------------------------------------------


def inspect_url(dossier):
    return reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])


def information_url(dossier):
    return reverse("dossiers_dossier_modeladmin_information", args=[dossier.pk])


def flashed(response):
    return [(m.level, str(m)) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def as_officer(client, officer):
    client.force_login(officer)
    return client


class TestOfficerForm:
    def test_the_dossier_offers_the_question_form(self, as_officer, dossier):
        content = as_officer.get(inspect_url(dossier)).content.decode()

        assert f'action="{information_url(dossier)}"' in content
        assert 'name="information-question"' in content
        assert content.count('name="information-document_') == 6  # 3 rows: label, required
        offered = re.findall(r'name="information-fields" value="([^"]+)"', content)
        assert offered == [each.value for each in information.correctable_fields(dossier)]
        assert "<legend>Uw terras</legend>" in content

    def test_posting_asks_the_question(self, as_officer, dossier, officer):
        response = as_officer.post(
            information_url(dossier),
            {
                "information-action": "ask",
                "information-expected_status": "in_review",
                "information-question": QUESTION,
                "information-document_1": "Plan van het terras",
                "information-document_1_required": "on",
                "information-document_2": "Foto",
                "information-document_3": "",
                "information-document_3_required": "on",
                "information-fields": [field_value(dossier, "oppervlakte")],
            },
        )

        assert response.status_code == 302 and response.url == inspect_url(dossier)
        assert [level for level, _text in flashed(response)] == [messages.SUCCESS]
        asked = InformationRequest.objects.get()
        assert asked.question == QUESTION and asked.asked_by == officer
        assert asked.documents == [
            {"key": "doc-1", "label": "Plan van het terras", "required": True},
            {"key": "doc-2", "label": "Foto", "required": False},
        ]
        assert asked.fields == [{"step": step_ids(dossier)[1], "name": "oppervlakte"}]
        dossier.refresh_from_db()
        assert dossier.status == Status.INFO_REQUESTED

    def test_a_form_with_mistakes_comes_back_filled_in(self, as_officer, dossier):
        response = as_officer.post(
            information_url(dossier),
            {
                "information-action": "ask",
                "information-expected_status": "in_review",
                "information-question": "  ",
                "information-document_1": "Plan van het terras",
                "information-fields": [field_value(dossier, "oppervlakte")],
            },
            follow=True,
        )

        content = response.content.decode()
        assert not InformationRequest.objects.exists()
        assert 'value="Plan van het terras"' in content
        assert f'value="{field_value(dossier, "oppervlakte")}" checked' in content
        assert 'class="error-message"' in content
        assert '<details class="loket-information-ask" open>' in content
        # Shown once: the next visit has an empty form again.
        again = as_officer.get(inspect_url(dossier)).content.decode()
        assert 'value="Plan van het terras"' not in again

    @pytest.mark.parametrize(
        "role, answer",
        [
            ("anonymous", "login"),
            ("editor", "denied"),
            ("other_officer", "denied"),
            ("lead", "ok"),
            ("admin", "ok"),
        ],
    )
    def test_who_may_ask(self, client, people, dossier, role, answer):
        if role != "anonymous":
            client.force_login(people[role])

        response = client.post(
            information_url(dossier),
            {
                "information-action": "ask",
                "information-expected_status": "in_review",
                "information-question": QUESTION,
            },
        )

        assert response.status_code == 302
        if answer == "login":
            assert response.url.startswith(reverse("wagtailadmin_login"))
        elif answer == "denied":
            # Wagtail's answer to PermissionDenied: back to the dashboard with an error.
            assert response.url == reverse("wagtailadmin_home")
        else:
            assert response.url == inspect_url(dossier)
        assert InformationRequest.objects.exists() == (answer == "ok")

    def test_get_is_not_allowed(self, as_officer, dossier):
        assert as_officer.get(information_url(dossier)).status_code == 405

    def test_information_received_another_way(self, as_officer, dossier, officer):
        asked = information.ask(dossier, officer, QUESTION)

        response = as_officer.post(
            information_url(dossier),
            {"information-action": "close", "expected_status": "info_requested"},
        )

        assert response.url == inspect_url(dossier)
        asked.refresh_from_db()
        assert asked.closed_at is not None and asked.answered_at is None
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW

    def test_the_dossier_shows_the_answer_files_and_before_after(
        self, as_officer, dossier, officer
    ):
        asked = information.ask(
            dossier,
            officer,
            QUESTION,
            documents=[{"label": "Plan van het terras", "required": True}],
            fields=[field_value(dossier, "oppervlakte"), field_value(dossier, "soort")],
        )
        information.answer(
            asked,
            text="Het plan zit erbij.",
            files={"doc-1": [pdf("terrasplan.pdf")]},
            corrected_values={(step_ids(dossier)[1], "oppervlakte"): 18},
        )
        attachment = Attachment.objects.get(information_request=asked)

        content = as_officer.get(inspect_url(dossier)).content.decode()

        section = content[content.index('id="information-title"') :]
        assert QUESTION in section
        assert "Het plan zit erbij." in section
        download = reverse(
            "dossiers_dossier_modeladmin_attachment", args=[dossier.pk, attachment.pk]
        )
        assert f'href="{download}"' in section and "terrasplan.pdf" in section
        table = section[section.index("<table") : section.index("</table>")]
        assert "Oppervlakte van het terras (m²)" in table
        assert "<td>24</td><td>18</td>" in table
        assert "Soort terras" not in table  # asked, but not changed
        # The officer downloads the file through the logged download.
        response = as_officer.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF

    def test_an_open_question_offers_closing_it(self, as_officer, dossier, officer):
        information.ask(dossier, officer, QUESTION)

        content = as_officer.get(inspect_url(dossier)).content.decode()

        assert 'name="information-action" value="close"' in content
        assert 'name="information-question"' not in content


def test_team_members_see_the_answer_by_email_even_when_the_officer_left(dossier, officer):
    """A handling officer who is no longer active does not swallow the e-mail."""
    services.assign(dossier, officer, actor=officer)
    colleague = make_user("colleague2", dossier.team.group)
    officer.is_active = False
    officer.save()
    asked = information.ask(dossier, colleague, QUESTION)
    clear_outbox()

    information.answer(asked, text="Drie meter.")

    recipients = {m.recipient for m in outbox() if "Drie meter." in m.body}
    assert recipients == {colleague.email}
