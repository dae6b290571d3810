"""Ongoing affairs for the Flemish portals against a local fake endpoint (a small HTTP
server in the test, never the network): the shape, off by default, retries, and a
status change that succeeds whatever the endpoint or the broker does."""

from __future__ import annotations

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from kombu.exceptions import OperationalError

from dossiers import workflow
from dossiers.affairs.tasks import publish_affair
from dossiers.constants import Status
from dossiers.models import Event, WebhookDelivery
from tests.dossiers.api.conftest import submit

pytestmark = pytest.mark.django_db

HTTP_ADAPTER = "dossiers.affairs.adapters.HttpOngoingAffairs"


class FakePortal:
    """A local endpoint that records every affair and answers with the next of
    ``answers`` (a status code; 204 when none are left)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {key.lower(): value for key, value in self.headers.items()}
                portal.requests.append({"headers": headers, "body": json.loads(body)})
                self.send_response(portal.answers.pop(0) if portal.answers else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/lopende-zaken"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def portal():
    running = FakePortal()
    yield running
    running.stop()


@pytest.fixture
def affairs_on(portal, monkeypatch):
    monkeypatch.setenv("LOKET_TEST_AFFAIRS_TOKEN", "geheim-token")
    with override_settings(
        LOKET_ONGOING_AFFAIRS_ADAPTER=HTTP_ADAPTER,
        LOKET_ONGOING_AFFAIRS_URL=portal.url,
        LOKET_ONGOING_AFFAIRS_TOKEN_ENV="LOKET_TEST_AFFAIRS_TOKEN",
        LOKET_ONGOING_AFFAIRS_TIMEOUT=2,
    ):
        yield portal


def start_review(dossier, capture):
    with capture(execute=True):
        workflow.transition(dossier, "start_review")
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_REVIEW


def test_a_status_change_is_published_with_the_affair_shape(
    affairs_on, form_page, django_capture_on_commit_callbacks
):
    dossier = submit(form_page)
    assert affairs_on.requests == []  # submitting is not a status change
    start_review(dossier, django_capture_on_commit_callbacks)

    [request] = affairs_on.requests
    assert request["headers"]["authorization"] == "Bearer geheim-token"
    assert request["headers"]["content-type"] == "application/json"
    body = request["body"]
    event = Event.objects.get(dossier=dossier, type="status_changed")
    assert body["type"] == "zaak.status_gewijzigd"
    assert body["sequence"] == event.pk
    zaak = body["zaak"]
    assert zaak["id"] == str(dossier.public_id)
    assert zaak["referentie"] == dossier.reference
    assert zaak["titel"] == dossier.form_title
    assert zaak["status"] == {"code": "in_review", "label": "In behandeling"}
    assert zaak["datum"] == event.created_at.isoformat()
    # Mijn loket, never the dossier's secret link.
    assert zaak["url"].endswith("/mijn-loket/")
    assert dossier.access_key not in json.dumps(zaak)
    assert zaak["bestuur"] == dossier.site.site_name


def test_no_personal_data_beyond_the_shape(
    affairs_on, form_page, django_capture_on_commit_callbacks
):
    dossier = submit(form_page)
    start_review(dossier, django_capture_on_commit_callbacks)
    body = affairs_on.requests[0]["body"]
    assert set(body) == {"type", "sequence", "zaak"}
    assert set(body["zaak"]) == {
        "id",
        "referentie",
        "titel",
        "status",
        "datum",
        "url",
        "bestuur",
    }
    text = json.dumps(body, ensure_ascii=False)
    for personal in ("an@cafedemarkt.be", "An Peeters", "Café De Markt", "Markt 1"):
        assert personal not in text
    # The typed enterprise number is never sent as a vouched identity.
    assert "enterprise" not in text and "kbo" not in text.lower()


def test_nothing_is_published_or_written_when_off(
    portal, form_page, django_capture_on_commit_callbacks
):
    dossier = submit(form_page)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.transition(dossier, "start_review")
    assert not [c for c in callbacks if c.__module__ == "dossiers.affairs.events"]
    for callback in callbacks:
        callback()
    assert portal.requests == []
    assert WebhookDelivery.objects.count() == 0


def test_a_failing_endpoint_is_retried_and_the_change_stands(
    affairs_on, form_page, django_capture_on_commit_callbacks, caplog
):
    affairs_on.answers = [500, 503]
    dossier = submit(form_page)
    with caplog.at_level(logging.WARNING, logger="dossiers.affairs.tasks"):
        start_review(dossier, django_capture_on_commit_callbacks)
    assert len(affairs_on.requests) == 3
    assert [r["body"] for r in affairs_on.requests[1:]] == [affairs_on.requests[0]["body"]] * 2
    assert "not delivered, retried: HTTP 500" in caplog.text


def test_an_endpoint_that_never_answers_is_given_up_without_blocking(
    form_page, django_capture_on_commit_callbacks, caplog
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with override_settings(
        LOKET_ONGOING_AFFAIRS_ADAPTER=HTTP_ADAPTER,
        LOKET_ONGOING_AFFAIRS_URL=f"http://127.0.0.1:{closed_port}/lopende-zaken",
    ):
        dossier = submit(form_page)
        start_review(dossier, django_capture_on_commit_callbacks)
    assert f"Ongoing affair of {dossier.reference} not delivered, given up" in caplog.text


def test_a_broker_that_is_down_never_blocks_the_change(
    affairs_on, form_page, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(publish_affair, "apply_async", refuse)
    dossier = submit(form_page)
    start_review(dossier, django_capture_on_commit_callbacks)
    assert affairs_on.requests == []
    assert "Could not queue" in caplog.text


def test_a_broken_adapter_setting_never_blocks_the_change(
    form_page, django_capture_on_commit_callbacks, caplog
):
    with override_settings(LOKET_ONGOING_AFFAIRS_ADAPTER="dossiers.affairs.nowhere.Nothing"):
        dossier = submit(form_page)
        start_review(dossier, django_capture_on_commit_callbacks)
    assert dossier.status == Status.IN_REVIEW
    assert "LOKET_ONGOING_AFFAIRS_ADAPTER cannot be loaded" in caplog.text


def test_when_on_the_change_queues_one_affair_after_commit(
    affairs_on, form_page, django_capture_on_commit_callbacks
):
    dossier = submit(form_page)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.transition(dossier, "start_review")
    assert len([c for c in callbacks if c.__module__ == "dossiers.affairs.events"]) == 1
