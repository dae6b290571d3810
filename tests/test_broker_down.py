"""A broker that is down never turns saved work into an error or a lost e-mail."""

import re

import pytest
from django.core import mail
from kombu.exceptions import OperationalError

from core.background import queue
from dossiers.models import Notification
from dossiers.tasks import send_notification
from forms_builder.tasks import send_resume_link
from tests.forms_builder.test_wizard_flow import EVENT_STEPS, fill_first_step


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused")

    for task in (send_notification, send_resume_link):
        monkeypatch.setattr(task, "apply_async", refuse)


@pytest.mark.django_db
def test_a_notification_stays_pending_for_the_sweeper(broker_down, form_page, caplog):
    from dossiers import services

    schema = form_page.get_schema()
    step1 = schema["steps"][0]["id"]
    services.submit_application(
        form_page=form_page, schema=schema, answers={step1: {"email": "an@example.be"}}
    )
    notification = Notification.objects.get(kind="application_received")
    queue(send_notification, notification.pk)
    notification.refresh_from_db()
    assert notification.status == "pending"
    assert "Could not queue" in caplog.text


@pytest.mark.django_db
def test_the_resume_link_is_sent_from_the_web_process(
    broker_down, client, home_page, django_capture_on_commit_callbacks
):
    from tests.conftest import make_form_page

    page = make_form_page(home_page, slug="evenement", reference_prefix="EVE", steps=EVENT_STEPS)
    fill_first_step(client, page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page.url + "bewaren/", {"email": "an@example.be"})
    assert response.status_code == 200
    assert re.search(r"/hervatten/\S+/", mail.outbox[-1].body)
