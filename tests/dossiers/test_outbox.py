"""The outbox as officers and the sweep meet it: each e-mail's delivery state on the
dossier view, failed attempts counted (also when the decision letter cannot be made),
backoff kept by the periodic sweep, and the e-mail to a team's mailbox about a new
dossier."""

import datetime
import itertools

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers import services, workflow
from dossiers.constants import EventType, NotificationStatus, Status
from dossiers.models import Event, Notification
from dossiers.outbox import delivery, letters
from dossiers.outbox import kinds as email_kinds
from dossiers.outbox.delivery import MAX_ATTEMPTS, DeliveryFailed, deliver
from dossiers.tasks import send_notification, send_pending_notifications
from tests.factories import DossierFactory, terrace_answers

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Connection refused by the mail server")


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"


def inspect_url(dossier):
    return reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])


def submit(form_page, **overrides):
    schema = form_page.get_schema()
    return services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema, **overrides)
    )


def add_email(dossier, **fields):
    defaults = {
        "kind": "status_changed",
        "recipient": dossier.applicant_email,
        "subject": "Onderwerp",
        "body": "Tekst",
    }
    return Notification.objects.create(dossier=dossier, **{**defaults, **fields})


def written_ago(notification, seconds):
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


# --- on the dossier view --------------------------------------------------------------------


class TestDeliveryStates:
    def test_every_email_with_its_state(self, client, officer, economy):
        dossier = DossierFactory(team=economy)
        add_email(
            dossier,
            kind="application_received",
            status=NotificationStatus.SENT,
            attempts=1,
            sent_at=timezone.now(),
        )
        add_email(
            dossier,
            status=NotificationStatus.PENDING,
            attempts=2,
            last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        )
        add_email(
            dossier,
            kind="new_dossier_for_team",
            recipient="team@voorbeeld.be",
            status=NotificationStatus.FAILED,
            attempts=MAX_ATTEMPTS,
            last_error="SMTPRecipientsRefused: team@voorbeeld.be",
        )
        client.force_login(officer)

        response = client.get(inspect_url(dossier))

        html = response.content.decode()
        assert 'id="emails-title"' in html
        rows = response.context["outbox"]
        assert [row.kind_label for row in rows] == [
            email_kinds.get_kind(kind).label
            for kind in ("application_received", "status_changed", "new_dossier_for_team")
        ]
        assert [row.status for row in rows] == ["sent", "pending", "failed"]
        for row in rows:
            assert f'data-notification="{row.pk}" data-state="{row.status}"' in html
        assert "team@voorbeeld.be" in html
        assert "SMTPRecipientsRefused: team@voorbeeld.be" in html
        assert "SMTPServerDisconnected" in html  # pending: tried again later
        assert f"<td>{MAX_ATTEMPTS}</td>" in html

    def test_a_dossier_without_emails_shows_no_empty_table(self, client, officer, economy):
        client.force_login(officer)
        html = client.get(inspect_url(DossierFactory(team=economy))).content.decode()
        assert 'id="emails-title"' not in html

    def test_query_count_does_not_grow_with_the_emails(self, client, officer, economy):
        client.force_login(officer)

        def queries_for(count):
            dossier = DossierFactory(team=economy)
            for _ in range(count):
                add_email(dossier, last_error="x")
            with CaptureQueriesContext(connection) as captured:
                assert client.get(inspect_url(dossier)).status_code == 200
            return len(captured)

        queries_for(0)  # the first visit of a session does one-off work (e.g. the profile)
        assert queries_for(1) == queries_for(6)


# --- attempts ---------------------------------------------------------------------------------


class TestAttempts:
    @pytest.fixture
    def decided(self, form_page, economy, django_capture_on_commit_callbacks, monkeypatch):
        """An approved dossier whose decision e-mail is still pending: the letter task
        and the e-mail task did not run."""
        from dossiers import tasks

        monkeypatch.setattr(tasks, "queue_decision_letter", lambda dossier_id: None)
        dossier = submit(form_page)
        dossier.status = Status.IN_REVIEW
        dossier.save()
        with django_capture_on_commit_callbacks(execute=False):
            workflow.transition(dossier, "approve", data={"decision": "Goedgekeurd."})
        return Notification.objects.get(dossier=dossier, kind="status_changed")

    @pytest.fixture
    def letter_fails(self, monkeypatch):
        def broken(html):
            raise OSError("WeasyPrint could not lay out the letter")

        monkeypatch.setattr(letters, "html_to_pdf", broken)

    def test_a_letter_that_cannot_be_made_is_a_failed_attempt(self, decided, letter_fails):
        with pytest.raises(DeliveryFailed):
            deliver(decided.pk)

        decided.refresh_from_db()
        assert decided.status == NotificationStatus.PENDING
        assert decided.attempts == 1
        assert decided.last_error == "OSError: WeasyPrint could not lay out the letter"
        assert mail.outbox == []

    def test_the_task_counts_it_too(self, decided, letter_fails):
        assert send_notification.apply(args=[decided.pk]).get() is False
        decided.refresh_from_db()
        assert decided.attempts == 1 and "WeasyPrint" in decided.last_error

    def test_once_the_letter_can_be_made_the_email_goes_with_it(self, decided, monkeypatch):
        real = letters.html_to_pdf

        def broken(html):
            raise OSError("no fonts")

        monkeypatch.setattr(letters, "html_to_pdf", broken)
        with pytest.raises(DeliveryFailed):
            deliver(decided.pk)
        monkeypatch.setattr(letters, "html_to_pdf", real)

        assert deliver(decided.pk) is True

        decided.refresh_from_db()
        assert (decided.status, decided.attempts, decided.last_error) == ("sent", 2, "")
        [email] = mail.outbox
        assert email.attachments[0][2] == "application/pdf"

    def test_after_the_last_attempt_it_fails_for_good(self, decided, letter_fails):
        Notification.objects.filter(pk=decided.pk).update(attempts=MAX_ATTEMPTS - 1)

        # Nothing to retry any more: it returns instead of raising.
        assert deliver(decided.pk) is False

        decided.refresh_from_db()
        assert decided.status == NotificationStatus.FAILED
        assert decided.attempts == MAX_ATTEMPTS
        failed = Event.objects.get(dossier=decided.dossier, type=EventType.NOTIFICATION_FAILED)
        assert failed.data == {"notification": decided.pk, "kind": "status_changed"}
        assert deliver(decided.pk) is False  # never tried again
        decided.refresh_from_db()
        assert decided.attempts == MAX_ATTEMPTS

    def test_a_refusing_mail_server_is_a_failed_attempt(self, mail_server_down, economy):
        notification = add_email(DossierFactory(team=economy))
        with pytest.raises(DeliveryFailed):
            deliver(notification.pk)
        notification.refresh_from_db()
        assert notification.attempts == 1
        assert notification.last_error.startswith("ConnectionRefusedError")

    def test_retries_wait_twice_as_long_each_time(self):
        waits = [delivery.retry_delay(attempt) for attempt in range(1, MAX_ATTEMPTS + 1)]
        assert waits[:3] == [30, 60, 120]
        assert all(later == 2 * earlier for earlier, later in itertools.pairwise(waits))
        assert sum(waits[:-1]) < 3 * 3600  # given up within a few hours


class TestSweep:
    def test_sends_what_is_left_pending(self, economy, django_capture_on_commit_callbacks):
        notification = add_email(DossierFactory(team=economy))
        written_ago(notification, 120)

        assert send_pending_notifications() == 1

        notification.refresh_from_db()
        assert notification.status == NotificationStatus.SENT
        assert len(mail.outbox) == 1
        assert send_pending_notifications() == 0
        assert len(mail.outbox) == 1

    def test_leaves_new_and_finished_ones_alone(self, economy):
        dossier = DossierFactory(team=economy)
        add_email(dossier)  # just written: its own task sends it
        for status in (NotificationStatus.SENT, NotificationStatus.FAILED):
            written_ago(add_email(dossier, status=status), 3600)
        assert send_pending_notifications() == 0

    @pytest.mark.parametrize(("age", "due"), [(59, False), (61, True)])
    def test_a_new_row_is_left_to_its_own_task_for_a_minute(self, economy, age, due):
        notification = add_email(DossierFactory(team=economy))
        written_ago(notification, age)
        assert delivery.due_for_sweep().filter(pk=notification.pk).exists() is due

    def test_keeps_the_backoff_of_failed_attempts_from_the_last_failure(
        self, mail_server_down, economy
    ):
        """Not from when the row was written: an e-mail written hours ago that failed
        just now waits its full backoff."""
        notification = add_email(DossierFactory(team=economy), attempts=3)
        written_ago(notification, 5 * 3600)
        before = timezone.now()

        with pytest.raises(DeliveryFailed):
            deliver(notification.pk)

        notification.refresh_from_db()
        assert notification.attempts == 4
        wait = datetime.timedelta(seconds=delivery.retry_delay(4))  # 4 minutes
        assert before + wait <= notification.next_attempt_at <= timezone.now() + wait
        sweep = delivery.due_for_sweep
        assert not sweep().filter(pk=notification.pk).exists()
        assert not sweep(now=before + wait - datetime.timedelta(seconds=5)).exists()
        assert sweep(now=notification.next_attempt_at).filter(pk=notification.pk).exists()

    def test_sent_and_given_up_rows_have_no_next_attempt(self, mail_server_down, economy):
        notification = add_email(DossierFactory(team=economy), attempts=MAX_ATTEMPTS - 1)
        assert deliver(notification.pk) is False
        notification.refresh_from_db()
        assert notification.status == NotificationStatus.FAILED
        assert notification.next_attempt_at is None


# --- the team's mailbox ---------------------------------------------------------------------


class TestNewDossierForTheTeam:
    def test_the_teams_address_hears_of_a_new_dossier(
        self, form_page, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            dossier = submit(form_page)

        team_email = form_page.team.email
        [row] = dossier.notifications.filter(kind="new_dossier_for_team")
        assert row.recipient == team_email and row.status == NotificationStatus.SENT
        [email] = [m for m in mail.outbox if m.to == [team_email]]
        assert dossier.reference in email.subject
        assert reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk]) in email.body
        # The applicant's personal link gives access as the applicant: never to the team.
        assert dossier.access_key not in email.body
        # The applicant's: received, and the link that proves the address.
        assert [m.to for m in mail.outbox if m is not email] == [["an@cafedemarkt.be"]] * 2

    def test_in_the_sites_language_whatever_the_applicants(
        self, form_page, django_capture_on_commit_callbacks
    ):
        schema = form_page.get_schema()
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_application(
                form_page=form_page, schema=schema, answers=terrace_answers(schema), language="en"
            )
        [to_team] = [m for m in mail.outbox if m.to == [form_page.team.email]]
        [to_applicant] = [
            m for m in mail.outbox if m.to == ["an@cafedemarkt.be"] and "/bevestigen/" not in m.body
        ]
        assert to_team.body.startswith("Goedendag,")  # "Hello," in Dutch
        assert to_applicant.body.startswith("Hello,")

    def test_no_email_for_a_team_without_an_address(self, form_page):
        form_page.team.email = ""
        form_page.team.save()
        dossier = submit(form_page)
        assert not dossier.notifications.filter(kind="new_dossier_for_team").exists()

    def test_nor_for_a_form_without_a_team(self, form_page):
        form_page.team = None
        form_page.save()
        dossier = submit(form_page)
        assert list(dossier.notifications.values_list("kind", flat=True)) == [
            "application_received",
            "confirm_email_address",
        ]

    def test_only_when_submitted(self, form_page, django_capture_on_commit_callbacks):
        dossier = submit(form_page)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.transition(dossier, "start_review")
        assert dossier.notifications.filter(kind="new_dossier_for_team").count() == 1
