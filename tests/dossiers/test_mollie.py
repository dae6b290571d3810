"""The Mollie adapter against Mollie's recorded answers (tests/dossiers/fixtures/mollie/),
served at the HTTP layer by an httpx.MockTransport: what we send (key, amount, URLs), how
its statuses map, its id-only webhook (the status is always fetched), errors, and the
applicant's journey through our views. Never the network."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from django.urls import reverse

from dossiers import services as dossier_services
from dossiers.constants import EventType, PaymentStatus
from dossiers.models import Event, OnlinePayment
from dossiers.payments import online
from dossiers.payments import services as payments
from dossiers.payments.providers import MollieProvider, ProviderError, WebhookRefused
from tests.dossiers.online_builders import FEE, open_request, set_account
from tests.factories import terrace_answers

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "fixtures" / "mollie"
API_KEY = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"
PAYMENT_ID = "tr_7UhSN1zuXS"
WEBHOOK = "/betalen/webhook/mollie/"


def recorded(name: str) -> dict:
    return json.loads((RECORDED / f"{name}.json").read_text())


class FakeMollie:
    """Mollie's API as recorded: POST /v2/payments and GET /v2/payments/<id>, answering
    with the recorded JSON; keeps what it was sent."""

    def __init__(self):
        self.requests: list[httpx.Request] = []
        #: The recorded answer GET gives (payment_<status>).
        self.status = "open"
        self.create_answer = ("create_payment_201", 201)
        self.amount_paid: str | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get("Authorization") != f"Bearer {API_KEY}":
            return httpx.Response(401, json=recorded("error_401"))
        if request.method == "POST" and request.url.path == "/v2/payments":
            name, code = self.create_answer
            return httpx.Response(code, json=recorded(name))
        if request.method == "GET" and request.url.path == f"/v2/payments/{PAYMENT_ID}":
            answer = recorded(f"payment_{self.status}")
            if self.amount_paid:
                answer["amount"]["value"] = self.amount_paid
            return httpx.Response(200, json=answer)
        return httpx.Response(404, json=recorded("error_404"))


@pytest.fixture
def mollie(settings, monkeypatch) -> FakeMollie:
    settings.LOKET_PAYMENT_PROVIDER = "mollie"
    settings.LOKET_MOLLIE_API_KEY = API_KEY
    settings.LOKET_MOLLIE_API_URL = "https://api.mollie.com/v2"
    settings.LOKET_MOLLIE_METHOD = "bancontact"
    fake = FakeMollie()
    monkeypatch.setattr(MollieProvider, "transport", httpx.MockTransport(fake))
    return fake


def mollie_payment(payment_request=None) -> OnlinePayment:
    payment_request = payment_request or open_request()
    return OnlinePayment.objects.create(
        payment_request=payment_request,
        provider="mollie",
        provider_reference=PAYMENT_ID,
        amount=payment_request.amount,
    )


class TestAdapter:
    def test_start_sends_the_amount_and_addresses_with_the_key(self, mollie):
        checkout = MollieProvider().start(
            amount=Decimal("150.00"),
            description="Aanvraag TER-2026-00001, +++010/8068/17183+++",
            return_url="https://loket.example.be/terug/",
            webhook_url="https://loket.example.be/betalen/webhook/mollie/",
            metadata={"payment": 1},
        )

        assert checkout.reference == PAYMENT_ID
        assert checkout.redirect_url == "https://www.mollie.com/checkout/select-method/7UhSN1zuXS"
        [request] = mollie.requests
        assert str(request.url) == "https://api.mollie.com/v2/payments"
        assert json.loads(request.content) == {
            "amount": {"currency": "EUR", "value": "150.00"},
            "description": "Aanvraag TER-2026-00001, +++010/8068/17183+++",
            "redirectUrl": "https://loket.example.be/terug/",
            "webhookUrl": "https://loket.example.be/betalen/webhook/mollie/",
            "locale": "nl_BE",
            "metadata": {"payment": 1},
            "method": "bancontact",
        }

    @pytest.mark.parametrize(
        ("mollie_status", "ours"),
        [
            ("open", "started"),
            ("paid", "paid"),
            ("failed", "failed"),
            ("canceled", "cancelled"),
            ("expired", "expired"),
        ],
    )
    def test_statuses_are_fetched_and_mapped(self, mollie, mollie_status, ours):
        mollie.status = mollie_status
        assert MollieProvider().status(PAYMENT_ID) == (ours, Decimal("150.00"))
        assert mollie.requests[-1].method == "GET"

    def test_a_wrong_key_is_a_provider_error(self, mollie, settings):
        settings.LOKET_MOLLIE_API_KEY = "test_wrong"
        with pytest.raises(ProviderError, match="401"):
            MollieProvider().status(PAYMENT_ID)

    def test_no_key_is_not_configured(self, mollie, settings):
        settings.LOKET_MOLLIE_API_KEY = ""
        assert not MollieProvider().is_configured()
        assert online.payment_provider() is None
        with pytest.raises(ProviderError):
            MollieProvider().status(PAYMENT_ID)

    def test_an_unreachable_mollie_is_a_provider_error(self, mollie, monkeypatch):
        def unreachable(request):
            raise httpx.ConnectError("no route", request=request)

        monkeypatch.setattr(MollieProvider, "transport", httpx.MockTransport(unreachable))
        with pytest.raises(ProviderError, match="reached"):
            MollieProvider().status(PAYMENT_ID)

    def test_an_answer_without_json_is_a_provider_error(self, mollie, monkeypatch):
        monkeypatch.setattr(
            MollieProvider,
            "transport",
            httpx.MockTransport(lambda request: httpx.Response(502, text="<html>Bad gateway")),
        )
        with pytest.raises(ProviderError, match="502"):
            MollieProvider().status(PAYMENT_ID)

    def test_the_webhook_carries_only_an_id(self, mollie):
        notice = MollieProvider().parse_webhook(f"id={PAYMENT_ID}".encode(), {}, "")
        assert (notice.reference, notice.status) == (PAYMENT_ID, None)
        for forged in (b"", b"id=", b"id=tr_1;drop", b"status=paid", b"id=tr_abcd&id=tr_efgh"):
            with pytest.raises(WebhookRefused):
                MollieProvider().parse_webhook(forged, {}, "")


class TestWebhooks:
    def test_a_webhook_fetches_the_status_and_books_once(self, client, mollie):
        payment = mollie_payment()
        mollie.status = "paid"

        for _twice in (1, 2):
            response = client.post(
                WEBHOOK, f"id={PAYMENT_ID}", content_type="application/x-www-form-urlencoded"
            )
            assert response.status_code == 200

        payment.refresh_from_db()
        assert payment.status == "paid" and payment.booked
        assert payment.payment_request.status == PaymentStatus.PAID
        assert Event.objects.filter(type=EventType.PAYMENT_RECEIVED).count() == 1
        assert [r.method for r in mollie.requests] == ["GET", "GET"]

    def test_a_late_paid_after_expired_ends_paid(self, client, mollie):
        payment = mollie_payment()
        for status in ("expired", "paid", "expired"):
            mollie.status = status
            client.post(
                WEBHOOK, f"id={PAYMENT_ID}", content_type="application/x-www-form-urlencoded"
            )
        payment.refresh_from_db()
        assert payment.status == "paid"

    def test_a_forged_webhook_cannot_mark_anything_paid(self, client, mollie):
        payment = mollie_payment()
        mollie.status = "open"  # what Mollie really says

        response = client.post(
            WEBHOOK, f"id={PAYMENT_ID}", content_type="application/x-www-form-urlencoded"
        )
        malformed = client.post(
            WEBHOOK, '{"id": "tr_x", "status": "paid"}', content_type="application/json"
        )

        assert response.status_code == 200
        assert malformed.status_code == 403
        payment.refresh_from_db()
        assert payment.status == "started"

    def test_a_paid_for_another_amount_is_not_booked(self, client, mollie):
        payment = mollie_payment()
        mollie.status = "paid"
        mollie.amount_paid = "0.01"

        client.post(WEBHOOK, f"id={PAYMENT_ID}", content_type="application/x-www-form-urlencoded")

        payment.refresh_from_db()
        assert payment.status == "started" and not payment.booked

    def test_mollie_down_asks_it_to_call_again(self, client, mollie, settings):
        mollie_payment()
        settings.LOKET_MOLLIE_API_KEY = "test_wrong"
        response = client.post(
            WEBHOOK, f"id={PAYMENT_ID}", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 503


class TestJourney:
    @pytest.fixture
    def dossier(self, form_page, economy, officer, mollie):
        set_account()
        schema = form_page.get_schema()
        dossier = dossier_services.submit_application(
            form_page=form_page, schema=schema, answers=terrace_answers(schema)
        )
        dossier.team = economy
        dossier.amount_due = FEE
        dossier.save()
        payments.request_payment(dossier, officer)
        return dossier

    def urls(self, dossier):
        kwargs = {"public_id": dossier.public_id, "key": dossier.access_key}
        return reverse("dossiers:online_payment", kwargs=kwargs)

    def test_the_applicant_goes_to_mollie_and_comes_back_paid(self, client, dossier, mollie):
        response = client.post(self.urls(dossier))

        assert response.status_code == 302
        assert response.url == "https://www.mollie.com/checkout/select-method/7UhSN1zuXS"
        sent = json.loads(mollie.requests[0].content)
        payment = OnlinePayment.objects.get()
        assert sent["amount"] == {"currency": "EUR", "value": "150.00"}
        assert sent["webhookUrl"] == "http://testserver/betalen/webhook/mollie/"
        assert sent["redirectUrl"].endswith(f"/online-betalen/{payment.pk}/terug/")
        assert payment.provider_reference == PAYMENT_ID

        mollie.status = "paid"
        page = client.get(sent["redirectUrl"], follow=True)

        assert 'data-payment-state="paid"' in page.content.decode()
        payment.refresh_from_db()
        assert payment.status == "paid"

    def test_back_while_mollie_still_waits_says_so(self, client, dossier, mollie):
        client.post(self.urls(dossier))
        sent = json.loads(mollie.requests[0].content)
        mollie.status = "open"

        page = client.get(sent["redirectUrl"], follow=True)

        assert "We wachten nog op de bevestiging" in page.content.decode()

    def test_a_refused_key_is_a_dutch_message(self, client, dossier, mollie):
        mollie.create_answer = ("error_401", 401)
        page = client.post(self.urls(dossier), follow=True)
        assert "Online betalen lukt nu niet" in page.content.decode()
