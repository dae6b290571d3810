"""Structured logs: one line per request and per task, with the dossier reference, and
no personal data or secret link in any of them."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from core.logging import JsonFormatter, RedactingFormatter, redact
from dossiers import services
from dossiers.models import Dossier, Notification
from dossiers.tasks import send_notification, send_pending_notifications
from tests.factories import DossierFactory, UserFactory, terrace_answers
from tests.forms_builder.test_wizard import COMPANY, TERRACE, Applicant

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def json_lines(caplog, logger_name):
    """The records of ``logger_name`` as the production formatter writes them."""
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == logger_name
    ]


def test_a_status_page_request_is_one_line_with_the_reference_and_no_key(client, caplog):
    dossier = DossierFactory()
    caplog.set_level(logging.INFO)

    response = client.get(dossier.get_status_url() + "?utm=an@cafedemarkt.be")

    assert response.status_code == 200
    [line] = json_lines(caplog, "loket.request")
    assert line["method"] == "GET"
    assert line["path"] == f"/dossier/{dossier.public_id}/[redacted]/"
    assert line["status"] == 200
    assert line["dossier"] == dossier.reference
    assert line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert "user_id" not in line
    written = JsonFormatter().format(next(r for r in caplog.records if r.name == "loket.request"))
    assert dossier.access_key not in written
    assert "utm" not in written and "@" not in written


def test_a_wrong_key_is_redacted_in_django_s_own_404_line_too(client, caplog):
    dossier = DossierFactory()
    caplog.set_level(logging.INFO)

    response = client.get(f"/dossier/{dossier.public_id}/guessed-key/")

    assert response.status_code == 404
    written = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert "guessed-key" not in written
    [line] = json_lines(caplog, "loket.request")
    assert line["status"] == 404


def test_the_proxy_s_request_id_is_kept_and_a_bad_one_replaced(client, caplog):
    caplog.set_level(logging.INFO)

    kept = client.get("/zoeken/", HTTP_X_REQUEST_ID="lb-4f2a.77")
    replaced = client.get("/zoeken/", HTTP_X_REQUEST_ID="evil\nline injected")

    assert kept["X-Request-ID"] == "lb-4f2a.77"
    assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])
    ids = [line["request_id"] for line in json_lines(caplog, "loket.request")]
    assert ids == ["lb-4f2a.77", replaced["X-Request-ID"]]


def test_an_officer_request_logs_the_user_id_and_the_dossier(client, caplog):
    dossier = DossierFactory()
    admin = UserFactory(username="beheerder", is_superuser=True, is_staff=True)
    client.force_login(admin)
    caplog.set_level(logging.INFO)

    response = client.get(reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk]))

    assert response.status_code == 200
    [line] = json_lines(caplog, "loket.request")
    assert line["user_id"] == admin.pk
    assert line["dossier"] == dossier.reference


def test_a_task_logs_its_line_with_the_dossier(form_page, caplog):
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    notification = Notification.objects.filter(dossier=dossier).first()
    caplog.set_level(logging.INFO)

    result = send_notification.apply(args=[notification.pk])

    assert result.successful()
    [line] = json_lines(caplog, "loket.task")
    assert line["task"] == "dossiers.tasks.send_notification"
    assert line["task_id"] == result.id
    assert line["state"] == "SUCCESS"
    assert line["dossier"] == dossier.reference
    assert line["duration_ms"] >= 0


def test_a_task_about_many_dossiers_names_none(caplog):
    DossierFactory.create_batch(2)
    caplog.set_level(logging.INFO)

    send_pending_notifications.apply(kwargs={"min_age_seconds": 0})

    line = json_lines(caplog, "loket.task")[-1]
    assert line["task"] == "dossiers.tasks.send_pending_notifications"
    assert "dossier" not in line


def test_a_whole_submission_logs_no_e_mail_address_or_name(
    client, form_page, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    applicant = Applicant(client, form_page)

    applicant.fill_in_everything()
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant.submit()

    assert response.status_code == 200
    dossier = Dossier.objects.get()
    personal = [
        COMPANY["email"].lower(),
        COMPANY["naam"],
        COMPANY["bedrijfsnaam"],
        TERRACE["adres"],
    ]
    assert caplog.records
    for record in caplog.records:
        raw = record.getMessage()
        assert not EMAIL.search(raw), raw
        for formatter in (JsonFormatter(), RedactingFormatter()):
            written = formatter.format(record)
            assert not EMAIL.search(written), written
            assert not any(value.lower() in written.lower() for value in personal), written
    requests = json_lines(caplog, "loket.request")
    submit = next(
        line
        for line in requests
        if line["method"] == "POST"
        and line["status"] == 302
        and line["path"].endswith("/controleren/")
    )
    assert submit["dossier"] == dossier.reference
    tasks = json_lines(caplog, "loket.task")
    assert tasks and all(line["state"] == "SUCCESS" for line in tasks)
    assert {line.get("dossier") for line in tasks} == {dossier.reference}


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "GET /dossier/0b7e5c1a-3f7e-4c33-9a4b-1f5a2d7e9c01/Zk3-_x9/letter/4/",
            "GET /dossier/0b7e5c1a-3f7e-4c33-9a4b-1f5a2d7e9c01/[redacted]/letter/4/",
        ),
        (
            "https://loket.example.org/vergunningen/terras/aanvraag/hervatten/"
            "0b7e5c1a-3f7e-4c33-9a4b-1f5a2d7e9c01/abcDEF123/",
            "https://loket.example.org/vergunningen/terras/aanvraag/hervatten/"
            "0b7e5c1a-3f7e-4c33-9a4b-1f5a2d7e9c01/[redacted]/",
        ),
        ("/mijn-loket/aanmelden/tok3n-_xyz/", "/mijn-loket/aanmelden/[redacted]/"),
        ("/mijn-loket/bevestigen/tok3n-_xyz/", "/mijn-loket/bevestigen/[redacted]/"),
        ("/mijn-loket/aanmelden/", "/mijn-loket/aanmelden/"),
        ("/zoeken/?q=bakkerij+van+damme", "/zoeken/?[redacted]"),
        ("sent to an.peeters@cafe-demarkt.be today", "sent to [e-mail] today"),
        ("redis://:hunter2@redis:6379/0 down", "redis://:[redacted]@redis:6379/0 down"),
        ("Is this fine? Yes.", "Is this fine? Yes."),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


EMIT = """
import logging
import django
django.setup()
logging.getLogger("loket.request").info(
    "GET /dossier/0b7e5c1a-3f7e-4c33-9a4b-1f5a2d7e9c01/k3y/ 200",
    extra={"status": 200, "dossier": "TER-2026-00001"},
)
"""


@pytest.mark.parametrize(
    "settings_module, is_json",
    [("cms.settings.production", True), ("cms.settings.dev", False)],
)
def test_production_logs_json_to_stdout_and_development_plain_lines(
    settings_module, is_json, tmp_path
):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": "logging-test-" + "x" * 40,
        "ALLOWED_HOSTS": "loket.example.org",
        "LOKET_VAR_DIR": str(tmp_path),
    }
    env.pop("LOG_FORMAT", None)
    result = subprocess.run(
        [sys.executable, "-c", EMIT],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    [line] = [each for each in result.stdout.splitlines() if "loket.request" in each]
    assert "k3y" not in line and "[redacted]" in line
    if is_json:
        entry = json.loads(line)
        assert entry["logger"] == "loket.request"
        assert entry["dossier"] == "TER-2026-00001" and entry["status"] == 200
    else:
        assert line.endswith("(dossier=TER-2026-00001)")
        assert not line.startswith("{")
