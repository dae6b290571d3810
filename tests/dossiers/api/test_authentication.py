"""Tokens per client application: refused without, wrong, revoked or out of scope;
rate-limited; every call logged."""

from __future__ import annotations

import pytest
from django.test import override_settings

from core.tokens import hash_token
from dossiers.models import ApiCall, ApiClient, ApiScope
from tests.dossiers.api.conftest import make_client

pytestmark = pytest.mark.django_db


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_the_token_is_kept_hashed(form_page):
    client_app, token = make_client()
    stored = ApiClient.objects.get(pk=client_app.pk)
    assert stored.token_hash == hash_token(token)
    assert token not in {stored.token_hash, stored.token_hint} and token.startswith("loket_")


def test_no_token(client, form_page):
    response = client.get("/api/v1/dossiers/")
    _problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_wrong_token(client, form_page):
    make_client()
    _problem(client.get("/api/v1/dossiers/", HTTP_AUTHORIZATION="Bearer loket_wrong"), 401)
    _problem(client.get("/api/v1/dossiers/", HTTP_AUTHORIZATION="Basic abc"), 401)


def test_revoked_token(client, form_page):
    client_app, token = make_client()
    header = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/dossiers/", **header).status_code == 200
    client_app.is_active = False
    client_app.save()
    detail = _problem(client.get("/api/v1/dossiers/", **header), 401)["detail"]
    assert detail == "Deze sleutel is ingetrokken."


def test_scope_refused(client, dossier):
    _client_app, token = make_client(scopes=[ApiScope.DOSSIERS_READ])
    header = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/dossiers/", **header).status_code == 200
    assert "forms:read" in _problem(client.get("/api/v1/forms/", **header), 403)["detail"]
    url = f"/api/v1/dossiers/{dossier.public_id}/"
    _problem(client.get(url + "messages/", **header), 403)
    refused = client.post(
        url + "transitions/", {"name": "start_review"}, content_type="application/json", **header
    )
    _problem(refused, 403)
    dossier.refresh_from_db()
    assert dossier.status == "submitted"


@override_settings(LOKET_RATE_LIMITS={"api_per_client": (3, 60)})
def test_rate_limit_per_client(client, form_page):
    _one, token = make_client(name="Een")
    _other, other_token = make_client(name="Ander")
    header = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for _ in range(3):
        assert client.get("/api/v1/dossiers/", **header).status_code == 200
    refused = client.get("/api/v1/dossiers/", **header)
    _problem(refused, 429)
    assert refused["Retry-After"] == "60"
    # Another client application has its own count.
    other = client.get("/api/v1/dossiers/", HTTP_AUTHORIZATION=f"Bearer {other_token}")
    assert other.status_code == 200


def test_every_call_is_logged(client, dossier):
    client_app, token = make_client(scopes=[ApiScope.DOSSIERS_READ])
    header = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client.get("/api/v1/dossiers/?status=submitted", **header)
    client.get("/api/v1/forms/", **header)
    client.get("/api/v1/dossiers/")
    calls = list(ApiCall.objects.order_by("pk").values_list("client", "method", "path", "status"))
    assert calls == [
        (client_app.pk, "GET", "/api/v1/dossiers/?status=submitted", 200),
        (client_app.pk, "GET", "/api/v1/forms/", 403),
        (None, "GET", "/api/v1/dossiers/", 401),
    ]
    assert all(call.at is not None for call in ApiCall.objects.all())
    client_app.refresh_from_db()
    assert client_app.last_used_at is not None
