"""The API and webhooks in the Wagtail admin: an administrator makes a client (its token
shown once, kept hashed), revokes it, reads the call log; makes a webhook (its secret
shown once) and sends a delivery again. Others may not."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from wagtail.models import Site

from core.tokens import hash_token
from dossiers.models import (
    ApiCall,
    ApiClient,
    DeliveryStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from tests.dossiers.api.conftest import submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    user = UserFactory(username="beheerder", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def test_an_administrator_makes_a_client_and_sees_its_token_once(client, administrator, form_page):
    site = Site.objects.get(is_default_site=True)
    response = client.post(
        "/admin/api_clients/new/",
        {
            "name": "Zaaksysteem",
            "site": site.pk,
            "scopes": ["dossiers:read", "forms:read"],
            "is_active": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    shown = " ".join(str(message) for message in get_messages(response.wsgi_request))
    token = re.search(r"loket_[\w-]+", shown)
    assert token, shown
    made = ApiClient.objects.get()
    assert made.token_hash == hash_token(token.group()) and made.created_by == administrator
    assert made.scopes == ["dossiers:read", "forms:read"]
    # Shown once: neither the list nor the edit page has it.
    assert token.group() not in client.get("/admin/api_clients/").content.decode()
    assert token.group() not in client.get(f"/admin/api_clients/edit/{made.pk}/").content.decode()

    api = client.get("/api/v1/dossiers/", HTTP_AUTHORIZATION=f"Bearer {token.group()}")
    assert api.status_code == 200
    log = client.get("/admin/api-calls/")
    assert "/api/v1/dossiers/" in log.content.decode() and ApiCall.objects.count() == 1


def test_others_may_not_manage_clients(client, form_page):
    officer = UserFactory(username="dossierbeheerder", is_staff=True)
    officer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(officer)
    assert client.get("/admin/api_clients/").status_code in (302, 403)
    assert client.get("/admin/api-calls/").status_code in (302, 403)
    assert client.get("/admin/webhook-deliveries/").status_code in (302, 403)


def test_an_administrator_makes_a_webhook_and_sends_a_delivery_again(
    client, administrator, form_page
):
    site = Site.objects.get(is_default_site=True)
    response = client.post(
        "/admin/webhooks/new/",
        {
            "name": "Zaaksysteem",
            "site": site.pk,
            "url": "https://zaken.voorbeeld.be/hooks",
            "events": ["dossier.submitted"],
            "is_active": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    subscription = WebhookSubscription.objects.get()
    shown = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert subscription.secret in shown and subscription.secret.startswith("whsec_")

    refused = client.post(
        "/admin/webhooks/new/",
        {"name": "X", "site": site.pk, "url": "http://elders.be/", "events": ["dossier.message"]},
    )
    assert "https://" in refused.content.decode()

    submit(form_page)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    page = client.get("/admin/webhook-deliveries/?status=failed")
    assert delivery.dossier.reference in page.content.decode()
    client.post("/admin/webhook-deliveries/", {"delivery": delivery.pk})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
