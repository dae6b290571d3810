"""Provider keys per site (issue #17): a site names the environment variable with its
own Mollie key; the key never lands in the database and the admin never shows it."""

from __future__ import annotations

import httpx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Site

from dossiers.models import OnlinePayment, PaymentSettings
from dossiers.payments import online
from dossiers.payments.providers import MollieProvider
from tests.dossiers.online_builders import open_request, set_account
from tests.dossiers.test_mollie import PAYMENT_ID, recorded

pytestmark = pytest.mark.django_db

INSTALLATION_KEY = "test_installationKeyAAAAAAAAAAAAAAA"
SITE_KEY = "test_siteOwnKeyBBBBBBBBBBBBBBBBBBBBB"
VARIABLE = "LOKET_MOLLIE_API_KEY_VOORBEELD"


class KeyRecorder:
    """Mollie as recorded, keeping the key each request was made with."""

    def __init__(self):
        self.keys: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.keys.append(request.headers.get("Authorization", ""))
        if request.method == "POST":
            return httpx.Response(201, json=recorded("create_payment_201"))
        return httpx.Response(200, json=recorded("payment_paid"))


@pytest.fixture
def mollie(settings, monkeypatch) -> KeyRecorder:
    settings.LOKET_PAYMENT_PROVIDER = "mollie"
    settings.LOKET_MOLLIE_API_KEY = INSTALLATION_KEY
    settings.LOKET_MOLLIE_API_URL = "https://api.mollie.com/v2"
    recorder = KeyRecorder()
    monkeypatch.setattr(MollieProvider, "transport", httpx.MockTransport(recorder))
    return recorder


def name_variable(value: str = VARIABLE) -> PaymentSettings:
    account = set_account()
    account.mollie_key_variable = value
    account.save()
    return account


def start(dossier):
    return online.start_payment(
        dossier, return_url=lambda payment: "https://loket.test/terug/", webhook_url="https://x/"
    )


def test_without_a_variable_the_installation_key_is_used(mollie):
    set_account()
    start(open_request().dossier)
    assert mollie.keys == [f"Bearer {INSTALLATION_KEY}"]


def test_a_site_uses_the_key_of_the_variable_it_names(mollie, monkeypatch):
    monkeypatch.setenv(VARIABLE, SITE_KEY)
    name_variable()
    payment = start(open_request().dossier)
    # Its status is asked with the same site's key (the periodic check, the return).
    OnlinePayment.objects.filter(pk=payment.pk).update(provider_reference=PAYMENT_ID)
    payment.refresh_from_db()
    online.refresh(payment)
    assert mollie.keys == [f"Bearer {SITE_KEY}", f"Bearer {SITE_KEY}"]
    # The key is nowhere in the database, only the variable's name.
    stored = PaymentSettings.objects.values_list("mollie_key_variable", flat=True).get()
    assert stored == VARIABLE


def test_a_site_whose_variable_is_empty_cannot_pay_online(mollie, monkeypatch):
    monkeypatch.delenv(VARIABLE, raising=False)
    name_variable()
    request = open_request()
    assert online.payment_provider(Site.objects.get(is_default_site=True)) is None
    assert online.online_choice(request) is None
    assert mollie.keys == []


@pytest.mark.parametrize(
    "value",
    ["SECRET_KEY", "DATABASE_URL", "LOKET_MOLLIE_API_KEY_", "loket_mollie_api_key_x", SITE_KEY],
)
def test_only_a_loket_mollie_variable_name_is_accepted(value):
    account = set_account()
    account.mollie_key_variable = value
    with pytest.raises(ValidationError) as excinfo:
        account.full_clean()
    assert "mollie_key_variable" in excinfo.value.message_dict


def test_the_admin_shows_the_name_never_the_key(admin_client, monkeypatch):
    monkeypatch.setenv(VARIABLE, SITE_KEY)
    name_variable()
    site = Site.objects.get(is_default_site=True)
    response = admin_client.get(
        reverse("wagtailsettings:edit", args=["dossiers", "paymentsettings", site.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert VARIABLE in content
    assert SITE_KEY not in content
    assert INSTALLATION_KEY not in content
