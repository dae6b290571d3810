"""Paying online (issue #17): the provider interface with the built-in test provider,
webhooks in every order and number (hypothesis), forged webhooks refused, the periodic
check, the stage "payment before the permit", and what the status page says."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from dossiers import services as dossier_services
from dossiers import stages, workflow
from dossiers.constants import EventType, OnlinePaymentStatus, PaymentStatus, Status
from dossiers.models import Event, Notification, OnlinePayment, SimulatedCheckout
from dossiers.payments import online, permit, tasks
from dossiers.payments import services as payments
from dossiers.payments.providers import ProviderError, TestProvider, WebhookRefused
from dossiers.payments.providers.test import SIGNATURE_HEADER
from tests.dossiers.online_builders import (
    FEE,
    open_request,
    set_account,
    signed_webhook,
    started_payment,
    test_provider,  # noqa: F401 - a fixture
)
from tests.factories import terrace_answers

pytestmark = pytest.mark.django_db

STATUSES = list(OnlinePaymentStatus.values)
WEBHOOK = "/betalen/webhook/test/"


@pytest.fixture
def dossier(form_page, economy, test_provider):  # noqa: F811
    set_account()
    schema = form_page.get_schema()
    dossier = dossier_services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = economy
    dossier.amount_due = FEE
    dossier.save()
    return dossier


@pytest.fixture
def asked(dossier, officer):
    return payments.request_payment(dossier, officer)


def start_url(dossier) -> str:
    return reverse(
        "dossiers:online_payment",
        kwargs={"public_id": dossier.public_id, "key": dossier.access_key},
    )


def pay_in_checkout(client, dossier, action: str = "pay", **post):
    """The applicant presses "Pay online now", then a button of the test checkout, and
    follows the way back; returns the status page's response."""
    response = client.post(start_url(dossier), post)
    assert response.status_code == 302
    checkout_url = response.url
    assert checkout_url.startswith("/betalen/test/")
    page = client.get(checkout_url)
    assert page.status_code == 200
    back = client.post(checkout_url, {"action": action})
    assert back.status_code == 302
    return client.get(back.url, follow=True)


def expected_end(reports: list[str]) -> str:
    """The agreed end state: paid if any report says paid, else the first failure,
    else still started."""
    if OnlinePaymentStatus.PAID in reports:
        return OnlinePaymentStatus.PAID
    failures = [each for each in reports if each in online.FAILURES]
    return failures[0] if failures else OnlinePaymentStatus.STARTED


# --- the order of reports ------------------------------------------------------------------


class TestNextStatus:
    def test_a_late_paid_after_a_failure_ends_paid(self):
        assert online.next_status("failed", "paid") == "paid"
        assert online.next_status("expired", "paid") == "paid"

    def test_paid_stays_paid(self):
        for reported in STATUSES:
            assert online.next_status("paid", reported) == "paid"

    def test_a_stale_started_undoes_nothing(self):
        for current in STATUSES:
            assert online.next_status(current, "started") == current

    @given(st.lists(st.sampled_from(STATUSES), max_size=12))
    def test_any_order_ends_as_agreed(self, reports):
        state = OnlinePaymentStatus.STARTED
        for reported in reports:
            state = online.next_status(state, reported)
        assert state == expected_end(reports)


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    reports=st.lists(st.sampled_from(STATUSES), min_size=1, max_size=8),
    repeat=st.lists(st.integers(min_value=1, max_value=3), min_size=8, max_size=8),
)
def test_every_order_and_duplicate_of_webhooks_books_once(test_provider, reports, repeat):  # noqa: F811
    # Each report arrives 1 to 3 times in a row (duplicates), in the order drawn.
    payment_request = open_request()
    payment = started_payment(payment_request)
    for report, times in zip(reports, repeat, strict=False):
        for _copy in range(times):
            body, headers = signed_webhook(payment, report)
            assert online.receive_webhook("test", body, headers, "application/json")

    payment.refresh_from_db()
    payment_request.refresh_from_db()
    end = expected_end(reports)
    notifications = Notification.objects.filter(
        dossier=payment_request.dossier, kind="payment_received"
    )
    assert payment.status == end
    received = Event.objects.filter(
        dossier=payment_request.dossier, type=EventType.PAYMENT_RECEIVED
    )
    if end == OnlinePaymentStatus.PAID:
        assert payment_request.status == PaymentStatus.PAID
        assert payment.booked
        assert received.count() == 1
        assert received.get().public
        assert notifications.count() == 1
    else:
        assert payment_request.status == PaymentStatus.OPEN
        assert not received.exists()
        assert not notifications.exists()


# --- the provider interface with the test provider -------------------------------------------


class TestTestProvider:
    def test_start_gives_a_checkout_served_by_loket(self, test_provider):  # noqa: F811
        checkout = TestProvider().start(
            amount=Decimal("12.50"),
            description="Aanvraag TER-1",
            return_url="http://testserver/terug/",
            webhook_url="http://testserver/hook/",
            metadata={},
        )
        assert checkout.reference.startswith("test_")
        assert checkout.redirect_url == f"/betalen/test/{checkout.reference}/"
        assert TestProvider().status(checkout.reference) == ("started", Decimal("12.50"))

    def test_a_checkout_nobody_finishes_expires(self, test_provider):  # noqa: F811
        payment = started_payment(open_request())
        SimulatedCheckout.objects.update(created_at=timezone.now() - datetime.timedelta(hours=2))
        assert TestProvider().status(payment.provider_reference)[0] == "expired"

    def test_unknown_payment_is_a_provider_error(self, test_provider):  # noqa: F811
        with pytest.raises(ProviderError):
            TestProvider().status("test_nope")

    def test_webhook_with_a_wrong_or_no_signature_is_refused(self, test_provider):  # noqa: F811
        payment = started_payment(open_request())
        body, headers = signed_webhook(payment, "paid")
        for bad in ({}, {SIGNATURE_HEADER: "sha256=00"}, {SIGNATURE_HEADER: ""}):
            with pytest.raises(WebhookRefused):
                TestProvider().parse_webhook(body, bad, "application/json")
        with pytest.raises(WebhookRefused):
            TestProvider().parse_webhook(body.replace(b"paid", b"PAID"), headers, "")
        notice = TestProvider().parse_webhook(body, headers, "application/json")
        assert (notice.reference, notice.status) == (payment.provider_reference, "paid")

    def test_a_signature_with_another_key_is_refused(self, test_provider):  # noqa: F811
        payment = started_payment(open_request())
        body, headers = signed_webhook(payment, "paid")
        test_provider.LOKET_TEST_PAYMENTS = {"secret": "another-secret"}
        with pytest.raises(WebhookRefused):
            TestProvider().parse_webhook(body, headers, "application/json")


class TestWebhookView:
    def test_forged_and_unsigned_webhooks_are_refused_and_change_nothing(
        self,
        client,
        test_provider,  # noqa: F811
    ):
        payment = started_payment(open_request())
        body, _headers = signed_webhook(payment, "paid")

        unsigned = client.post(WEBHOOK, body, content_type="application/json")
        forged = client.post(
            WEBHOOK,
            body,
            content_type="application/json",
            headers={SIGNATURE_HEADER: "sha256=" + "0" * 64},
        )

        assert unsigned.status_code == forged.status_code == 403
        payment.refresh_from_db()
        assert payment.status == "started"
        assert payment.payment_request.status == PaymentStatus.OPEN

    def test_a_signed_webhook_is_applied_once(self, client, test_provider):  # noqa: F811
        payment = started_payment(open_request())
        body, headers = signed_webhook(payment, "paid")

        for _twice in (1, 2):
            response = client.post(WEBHOOK, body, content_type="application/json", headers=headers)
            assert response.status_code == 200

        payment.refresh_from_db()
        assert payment.status == "paid" and payment.booked
        assert Event.objects.filter(type=EventType.PAYMENT_RECEIVED).count() == 1

    def test_unknown_provider_and_get_are_refused(self, client, test_provider):  # noqa: F811
        assert client.post("/betalen/webhook/nope/", b"{}", content_type="x").status_code == 403
        assert client.get(WEBHOOK).status_code == 405

    def test_a_webhook_about_a_payment_we_do_not_know_is_ignored(self, client, test_provider):  # noqa: F811
        callback = TestProvider().callback("test_unknown", "paid")
        response = client.post(
            WEBHOOK,
            callback.body,
            content_type="application/json",
            headers={SIGNATURE_HEADER: callback.signature},
        )
        assert response.status_code == 200


# --- the applicant's journey ------------------------------------------------------------------


class TestPayingOnline:
    def test_paying_in_the_checkout_pays_the_request_and_tells_the_applicant(
        self, client, dossier, asked, django_capture_on_commit_callbacks
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            page = pay_in_checkout(client, dossier, "pay")

        asked.refresh_from_db()
        assert asked.status == PaymentStatus.PAID
        [attempt] = asked.online_payments.all()
        assert attempt.status == "paid" and attempt.booked and attempt.amount == FEE
        event = Event.objects.get(dossier=dossier, type=EventType.PAYMENT_RECEIVED)
        assert event.public and event.data["source"] == "online"
        assert [email.subject for email in mail.outbox] == [
            f"Uw aanvraag {dossier.reference}: betaling ontvangen"
        ]
        assert "€ 150,00" in mail.outbox[0].body
        content = page.content.decode()
        assert 'data-payment-state="paid"' in content
        assert "Betaald" in content
        assert "Nu online betalen" not in content

    def test_the_amount_comes_from_the_request_never_the_browser(self, client, dossier, asked):
        client.post(start_url(dossier), {"amount": "0.01", "bedrag": "1"})

        [attempt] = OnlinePayment.objects.all()
        assert attempt.amount == FEE
        assert SimulatedCheckout.objects.get().amount == FEE

    @pytest.mark.parametrize(
        ("action", "text"),
        [
            ("fail", "De online betaling is niet gelukt."),
            ("cancel", "U hebt de online betaling geannuleerd."),
        ],
    )
    def test_a_failed_or_cancelled_payment_says_so_and_offers_to_try_again(
        self, client, dossier, asked, action, text
    ):
        page = pay_in_checkout(client, dossier, action)

        content = page.content.decode()
        assert text in content
        assert "Opnieuw online betalen" in content
        asked.refresh_from_db()
        assert asked.status == PaymentStatus.OPEN

        # Trying again, and paying this time.
        page = pay_in_checkout(client, dossier, "pay")
        asked.refresh_from_db()
        assert asked.status == PaymentStatus.PAID
        assert asked.online_payments.count() == 2
        assert 'data-payment-state="paid"' in page.content.decode()

    def test_the_status_page_offers_the_button_next_to_the_transfer(self, client, dossier, asked):
        content = client.get(dossier.get_status_url()).content.decode()

        assert asked.display_reference in content
        assert "Nu online betalen" in content
        assert start_url(dossier) in content

    def test_no_button_when_paying_online_is_off(self, client, dossier, asked, settings):
        settings.LOKET_PAYMENT_PROVIDER = ""

        content = client.get(dossier.get_status_url()).content.decode()
        refused = client.post(start_url(dossier), follow=True)

        assert "Nu online betalen" not in content
        assert "Online betalen is nu niet mogelijk" in refused.content.decode()
        assert not OnlinePayment.objects.exists()

    def test_nothing_to_pay_is_said_plainly(self, client, dossier, test_provider):  # noqa: F811
        response = client.post(start_url(dossier), follow=True)
        assert response.status_code == 200
        assert "Er is niets te betalen" in response.content.decode()

    def test_a_provider_that_fails_is_a_dutch_message_not_an_error(
        self, client, dossier, asked, monkeypatch
    ):
        def broken(self, **kwargs):
            raise ProviderError("down")

        monkeypatch.setattr(TestProvider, "start", broken)
        response = client.post(start_url(dossier), follow=True)

        assert response.status_code == 200
        assert "Online betalen lukt nu niet" in response.content.decode()
        assert OnlinePayment.objects.get().status == "failed"

    def test_the_checkout_exists_only_while_the_test_provider_is_used(
        self, client, dossier, asked, settings
    ):
        response = client.post(start_url(dossier))
        settings.LOKET_PAYMENT_PROVIDER = "mollie"
        assert client.get(response.url).status_code == 404

    def test_a_wrong_button_is_refused(self, client, dossier, asked):
        response = client.post(start_url(dossier))
        assert client.post(response.url, {"action": "steal"}).status_code == 400

    def test_a_payment_after_the_request_was_closed_is_not_booked_twice(
        self, client, dossier, asked, officer
    ):
        response = client.post(start_url(dossier))
        payments.mark_paid(asked, officer, "Overschrijving gezien op het rekeninguittreksel.")
        client.post(response.url, {"action": "pay"})

        attempt = OnlinePayment.objects.get()
        assert attempt.status == "paid" and not attempt.booked
        received = Event.objects.filter(dossier=dossier, type=EventType.PAYMENT_RECEIVED)
        assert received.filter(public=True).count() == 1  # the officer's
        assert received.get(public=False).data["not_booked"] == PaymentStatus.PAID

    def test_the_status_page_allows_the_form_to_go_to_mollie(
        self, client, dossier, asked, settings
    ):
        settings.LOKET_PAYMENT_PROVIDER = "mollie"
        settings.LOKET_MOLLIE_API_KEY = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"

        response = client.get(dossier.get_status_url())

        policy = response.headers["Content-Security-Policy"]
        assert "form-action 'self' https://www.mollie.com" in policy


class TestMisbehavingCallbacks:
    def test_duplicated_and_reordered_callbacks_end_paid(self, client, dossier, asked, settings):
        settings.LOKET_TEST_PAYMENTS = {"duplicate": True, "reorder": True}
        response = client.post(start_url(dossier))
        # Fail first, then pay in the same checkout: the callbacks arrive as
        # paid, paid, failed, failed, started, started.
        client.post(response.url, {"action": "fail"})
        checkout = SimulatedCheckout.objects.get()
        assert [c.body for c in TestProvider().callbacks(checkout)].count(
            TestProvider().callback(checkout.reference, "failed").body
        ) == 2
        client.post(response.url, {"action": "pay"})

        attempt = OnlinePayment.objects.get()
        asked.refresh_from_db()
        assert attempt.status == "paid" and asked.status == PaymentStatus.PAID
        assert Event.objects.filter(type=EventType.PAYMENT_RECEIVED).count() == 1

    def test_reorder_sends_the_history_newest_first(self, test_provider):  # noqa: F811
        test_provider.LOKET_TEST_PAYMENTS = {"reorder": True}
        payment = started_payment(open_request())
        checkout = SimulatedCheckout.objects.get(reference=payment.provider_reference)
        TestProvider().act(checkout, "fail")
        callbacks = TestProvider().act(checkout, "pay")
        assert [c.body for c in callbacks] == [
            TestProvider().callback(checkout.reference, status).body
            for status in ("paid", "failed", "started")
        ]

    def test_delayed_callbacks_wait(self, test_provider):  # noqa: F811
        test_provider.LOKET_TEST_PAYMENTS = {"delay_seconds": 30}
        payment = started_payment(open_request())
        checkout = SimulatedCheckout.objects.get(reference=payment.provider_reference)
        [callback] = TestProvider().act(checkout, "pay")
        assert callback.delay == 30

    def test_lost_webhooks_are_found_by_the_return(self, client, dossier, asked, settings):
        settings.LOKET_TEST_PAYMENTS = {"drop_webhooks": True}
        response = client.post(start_url(dossier))
        back = client.post(response.url, {"action": "pay"})
        assert OnlinePayment.objects.get().status == "started"  # no webhook came

        client.get(back.url)

        assert OnlinePayment.objects.get().status == "paid"
        asked.refresh_from_db()
        assert asked.status == PaymentStatus.PAID


# --- the periodic check ------------------------------------------------------------------------


class TestPeriodicCheck:
    def test_is_in_the_beat_schedule_under_its_pinned_name(self):
        names = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
        assert tasks.check_started_payments.name == "dossiers.payments.tasks.check_started_payments"
        assert tasks.check_started_payments.name in names

    def test_finds_a_payment_whose_browser_and_webhook_never_came(
        self,
        test_provider,  # noqa: F811
    ):
        test_provider.LOKET_TEST_PAYMENTS = {"drop_webhooks": True}
        test_provider.LOKET_ONLINE_PAYMENT_CHECK_MINUTES = 15
        payment_request = open_request()
        paid, recent, failed = (started_payment(payment_request) for _ in range(3))
        for attempt, action in ((paid, "pay"), (recent, "pay"), (failed, "fail")):
            checkout = SimulatedCheckout.objects.get(reference=attempt.provider_reference)
            TestProvider().act(checkout, action)
        OnlinePayment.objects.exclude(pk=recent.pk).update(
            created_at=timezone.now() - datetime.timedelta(minutes=20)
        )

        assert tasks.check_started_payments.delay().get() == 2
        assert tasks.check_started_payments.delay().get() == 0  # safe twice

        statuses = dict(OnlinePayment.objects.values_list("pk", "status"))
        assert statuses == {paid.pk: "paid", recent.pk: "started", failed.pk: "failed"}
        payment_request.refresh_from_db()
        assert payment_request.status == PaymentStatus.PAID

    def test_a_provider_that_cannot_be_reached_is_asked_again_later(
        self,
        test_provider,  # noqa: F811
        monkeypatch,
    ):
        payment = started_payment(open_request())
        OnlinePayment.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))

        def down(self, reference):
            raise ProviderError("down")

        monkeypatch.setattr(TestProvider, "status", down)
        assert tasks.check_started_payments.delay().get() == 0
        payment.refresh_from_db()
        assert payment.status == "started"


# --- payment before the permit -----------------------------------------------------------------


class TestPaymentBeforeThePermit:
    def approved(self, dossier, officer, uses_stage=True):
        dossier.stages = [stages.PAYMENT] if uses_stage else []
        dossier.save(update_fields=["stages"])
        workflow.transition(dossier, "start_review", actor=officer)
        workflow.transition(dossier, "approve", actor=officer, data={"decision": "Goed."})
        dossier.refresh_from_db()
        return dossier

    def permit_events(self, dossier):
        return Event.objects.filter(dossier=dossier, data__transition=permit.ISSUE_PERMIT)

    def test_paying_online_issues_the_permit(self, client, dossier, officer, asked):
        dossier = self.approved(dossier, officer)
        assert stages.refusal(dossier, stages.PAYMENT, permit.ISSUE_PERMIT) == (
            "De aanvrager heeft nog niet betaald."
        )

        page = pay_in_checkout(client, dossier, "pay")

        [event] = self.permit_events(dossier)
        assert event.public and event.actor is None
        dossier.refresh_from_db()
        assert dossier.status == Status.APPROVED
        assert "Uw vergunning is uitgereikt" in page.content.decode()
        assert stages.refusal(dossier, stages.PAYMENT, permit.ISSUE_PERMIT) == (
            "De vergunning is al uitgereikt."
        )
        assert "issue_permit" not in {
            t.name for t in workflow.available_transitions(dossier, actor=officer)
        }

    def test_a_payment_marked_by_hand_issues_it_too(self, dossier, officer, asked):
        dossier = self.approved(dossier, officer)
        payments.mark_paid(asked, officer, "Gezien op de rekening.")
        assert self.permit_events(dossier).count() == 1

    def test_without_the_stage_no_permit_is_issued(self, client, dossier, officer, asked):
        dossier = self.approved(dossier, officer, uses_stage=False)
        pay_in_checkout(client, dossier, "pay")
        assert not self.permit_events(dossier).exists()

    def test_paid_before_the_decision_the_permit_waits_for_it(
        self, client, dossier, officer, asked
    ):
        dossier.stages = [stages.PAYMENT]
        dossier.save(update_fields=["stages"])
        pay_in_checkout(client, dossier, "pay")
        assert not self.permit_events(dossier).exists()

        workflow.transition(dossier, "start_review", actor=officer)
        dossier = workflow.transition(dossier, "approve", actor=officer, data={"decision": "Goed."})
        # The officer issues it: the button is there now that it is paid.
        assert "issue_permit" in {
            t.name for t in workflow.available_transitions(dossier, actor=officer)
        }
        workflow.transition(dossier, "issue_permit", actor=officer)
        assert self.permit_events(dossier).count() == 1

    def test_the_stage_is_offered_to_forms(self):
        from forms_builder.stages import stage_options

        assert stages.PAYMENT in stage_options


class TestBackOffice:
    def test_the_officer_sees_the_attempts_and_what_to_refund(
        self, client, dossier, asked, officer
    ):
        started = client.post(start_url(dossier))
        client.post(started.url, {"action": "fail"})
        late = client.post(start_url(dossier))
        payments.mark_paid(asked, officer, "Overschrijving gezien.")
        client.post(late.url, {"action": "pay"})

        client.force_login(officer)
        page = client.get(
            reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])
        ).content.decode()

        assert "Online betalingen" in page
        assert "Mislukt" in page
        assert "niet geboekt: terug te betalen" in page


@pytest.mark.parametrize(("provider", "refused"), [("test", True), ("mollie", False)])
def test_production_refuses_the_test_provider(provider, refused):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "payments-test-" + "x" * 40,
        "ALLOWED_HOSTS": "loket.example.org",
        "LOKET_PAYMENT_PROVIDER": provider,
        "MOLLIE_API_KEY": "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('configured')"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if refused:
        assert result.returncode != 0
        assert "LOKET_PAYMENT_PROVIDER=test takes no money" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert "configured" in result.stdout
        assert "dHar4XY7" not in result.stdout + result.stderr
