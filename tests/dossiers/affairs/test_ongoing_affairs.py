"""Ongoing affairs for the Flemish portals against a local fake endpoint
(tests/http_receiver.py, never the network): the shape with its owner (the identity a
sign-in vouched for), skipped without one, off by default, the delivery record that
loses nothing when the broker or the endpoint is down, and a status change that
succeeds whatever happens to the affair."""

from __future__ import annotations

import datetime
import json
import logging
import socket

import pytest
from django.test import override_settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from dossiers import workflow
from dossiers.affairs import delivery
from dossiers.affairs.tasks import publish_affair, publish_pending_affairs
from dossiers.constants import Status
from dossiers.models import AffairDelivery, DeliveryStatus, Event, WebhookDelivery
from dossiers.privacy import erase_personal_data
from dossiers.privacy.erasure import REQUEST
from dossiers.services import submit_application
from forms_builder.schema import build_schema, freeze_schema
from tests.factories import terrace_answers
from tests.http_receiver import Receiver

pytestmark = pytest.mark.django_db

HTTP_ADAPTER = "dossiers.affairs.adapters.HttpOngoingAffairs"
NATIONAL_ID = "85073003328"
KBO = "0403019261"


def submit(form_page, *, national_id=NATIONAL_ID, enterprise=KBO, **overrides):
    """A dossier submitted signed in with the government login (vouching for the person
    ``national_id`` acting for ``enterprise``); both empty: not signed in that way."""
    schema = build_schema(form_page)
    vouched = (
        {
            "method": "oidc-vlaanderen",
            "national_id": national_id,
            "enterprise_number": enterprise,
            "assurance": 2,
        }
        if national_id or enterprise
        else {}
    )
    return submit_application(
        form_page=form_page,
        snapshot=freeze_schema(schema, form_page),
        answers=terrace_answers(schema, **overrides),
        vouched_identity=vouched,
    )


@pytest.fixture
def portal():
    running = Receiver("/lopende-zaken")
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


def start_review(dossier, capture, *, execute=True):
    with capture(execute=execute):
        workflow.transition(dossier, "start_review")
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_REVIEW


def test_a_status_change_is_published_with_the_affair_shape_and_its_owner(
    affairs_on, form_page, django_capture_on_commit_callbacks
):
    dossier = submit(form_page)
    assert affairs_on.requests == []  # submitting is not a status change
    start_review(dossier, django_capture_on_commit_callbacks)

    [request] = affairs_on.requests
    assert request["headers"]["authorization"] == "Bearer geheim-token"
    assert request["headers"]["content-type"] == "application/json"
    body = request["json"]
    event = Event.objects.get(dossier=dossier, type="status_changed")
    assert body["type"] == "zaak.status_gewijzigd"
    assert body["sequence"] == event.pk
    # The sign-in represented an enterprise: the affair is the enterprise's.
    assert body["eigenaar"] == {"type": "onderneming", "kbonummer": KBO}
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
    row = AffairDelivery.objects.get(event=event)
    assert row.status == DeliveryStatus.SENT and row.attempts == 1 and row.sent_at


def test_a_person_without_an_enterprise_owns_the_affair_by_national_number(
    affairs_on, form_page, django_capture_on_commit_callbacks
):
    dossier = submit(form_page, enterprise="")
    start_review(dossier, django_capture_on_commit_callbacks)
    assert affairs_on.requests[0]["json"]["eigenaar"] == {"type": "burger", "insz": NATIONAL_ID}


def test_the_owner_is_what_the_sign_in_vouched_for_never_what_was_typed(
    affairs_on, form_page, django_capture_on_commit_callbacks
):
    # The form says another enterprise; the sign-in vouched for KBO.
    dossier = submit(form_page, enterprise=KBO)
    dossier.enterprise_number = "0202239951"
    dossier.save(update_fields=["enterprise_number"])
    start_review(dossier, django_capture_on_commit_callbacks)
    assert affairs_on.requests[0]["json"]["eigenaar"]["kbonummer"] == KBO
    assert "0202239951" not in affairs_on.requests[0]["body"].decode()


def test_no_personal_data_beyond_the_shape(
    affairs_on, form_page, django_capture_on_commit_callbacks
):
    dossier = submit(form_page)
    start_review(dossier, django_capture_on_commit_callbacks)
    body = affairs_on.requests[0]["json"]
    assert set(body) == {"type", "sequence", "eigenaar", "zaak"}
    assert set(body["zaak"]) == {"id", "referentie", "titel", "status", "datum", "url", "bestuur"}
    text = json.dumps(body, ensure_ascii=False)
    for personal in ("an@cafedemarkt.be", "An Peeters", "Café De Markt", "Markt 1", NATIONAL_ID):
        assert personal not in text


def test_a_dossier_without_a_vouched_identity_is_skipped_and_logged(
    affairs_on, form_page, django_capture_on_commit_callbacks, caplog
):
    dossier = submit(form_page, national_id="", enterprise="")
    with caplog.at_level(logging.INFO, logger="dossiers.affairs.events"):
        start_review(dossier, django_capture_on_commit_callbacks)
    assert affairs_on.requests == []
    assert not AffairDelivery.objects.exists()
    assert (
        f"Ongoing affair of {dossier.reference} skipped: no identity vouched for by a sign-in"
        in caplog.text
    )


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
    assert not AffairDelivery.objects.exists()
    assert WebhookDelivery.objects.count() == 0


def test_a_failing_endpoint_is_retried_by_the_sweep_and_the_change_stands(
    affairs_on, form_page, django_capture_on_commit_callbacks, caplog
):
    affairs_on.answers = [500, 503]
    dossier = submit(form_page)
    with caplog.at_level(logging.WARNING, logger="dossiers.affairs.delivery"):
        start_review(dossier, django_capture_on_commit_callbacks)
    row = AffairDelivery.objects.get()
    assert row.status == DeliveryStatus.PENDING and row.attempts == 1
    assert row.last_error == "HTTP 500"
    assert "not delivered, retried: HTTP 500" in caplog.text

    later = timezone.now() + datetime.timedelta(seconds=4)
    assert delivery.send_due(later) == 0  # not due yet (5 s)
    assert len(affairs_on.requests) == 1
    later += datetime.timedelta(seconds=2)
    assert delivery.send_due(later) == 0  # due: 503
    later += datetime.timedelta(minutes=5)
    assert delivery.send_due(later) == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 3
    assert [r["json"] for r in affairs_on.requests[1:]] == [affairs_on.requests[0]["json"]] * 2


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
        clock = timezone.now()
        for _wait in delivery.RETRY_DELAYS:
            clock += datetime.timedelta(hours=11)
            delivery.send_due(clock)
    row = AffairDelivery.objects.get()
    assert row.status == DeliveryStatus.FAILED
    assert row.attempts == len(delivery.RETRY_DELAYS) + 1
    assert f"Ongoing affair of {dossier.reference} not delivered, given up" in caplog.text
    assert delivery.send_due(clock + datetime.timedelta(days=1)) == 0


def test_a_broker_that_is_down_loses_nothing(
    affairs_on, form_page, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(publish_affair, "apply_async", refuse)
    dossier = submit(form_page)
    start_review(dossier, django_capture_on_commit_callbacks)
    assert affairs_on.requests == []
    assert "Could not queue dossiers.affairs.tasks.publish_affair" in caplog.text
    row = AffairDelivery.objects.get()
    assert row.status == DeliveryStatus.PENDING and row.attempts == 0

    # The broker is back: the periodic sweep sends what was recorded.
    assert publish_pending_affairs.apply().get() == 1
    assert affairs_on.requests[0]["json"]["zaak"]["referentie"] == dossier.reference
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT


def test_the_task_twice_sends_once(affairs_on, form_page, django_capture_on_commit_callbacks):
    dossier = submit(form_page)
    start_review(dossier, django_capture_on_commit_callbacks, execute=False)
    row = AffairDelivery.objects.get()
    assert publish_affair.apply(args=(row.pk,)).get() is True
    assert publish_affair.apply(args=(row.pk,)).get() is False
    assert delivery.send_due() == 0
    assert len(affairs_on.requests) == 1


def test_one_row_per_status_change(affairs_on, form_page, django_capture_on_commit_callbacks):
    dossier = submit(form_page)
    start_review(dossier, django_capture_on_commit_callbacks, execute=False)
    event = Event.objects.get(dossier=dossier, type="status_changed")
    from dossiers.affairs.events import record_for_event

    assert record_for_event(event) == AffairDelivery.objects.get()  # again: the same row
    assert AffairDelivery.objects.count() == 1


def test_an_affair_of_a_dossier_erased_before_sending_is_not_sent(
    affairs_on, form_page, django_capture_on_commit_callbacks, caplog
):
    dossier = submit(form_page)
    start_review(dossier, django_capture_on_commit_callbacks, execute=False)
    erase_personal_data(dossier.pk, cause=REQUEST)
    with caplog.at_level(logging.INFO, logger="dossiers.affairs.delivery"):
        assert delivery.send_due() == 0
    assert affairs_on.requests == []
    row = AffairDelivery.objects.get()
    assert row.status == DeliveryStatus.FAILED
    assert "skipped: its identity was erased" in caplog.text


def test_a_broken_adapter_setting_never_blocks_the_change(
    form_page, django_capture_on_commit_callbacks, caplog
):
    with override_settings(LOKET_ONGOING_AFFAIRS_ADAPTER="dossiers.affairs.nowhere.Nothing"):
        dossier = submit(form_page)
        start_review(dossier, django_capture_on_commit_callbacks)
    assert dossier.status == Status.IN_REVIEW
    assert "LOKET_ONGOING_AFFAIRS_ADAPTER cannot be loaded" in caplog.text
    # Kept for when the setting is mended.
    assert AffairDelivery.objects.get().status == DeliveryStatus.PENDING


def test_when_on_the_change_queues_one_affair_after_commit(
    affairs_on, form_page, django_capture_on_commit_callbacks
):
    dossier = submit(form_page)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.transition(dossier, "start_review")
    assert len([c for c in callbacks if c.__module__ == "dossiers.affairs.events"]) == 1
