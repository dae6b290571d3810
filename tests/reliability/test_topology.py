"""The production topology, for real: one whole journey over HTTP.

PostgreSQL (a fresh copy of the demo database on the machine's server: ``migrate`` and
``load_demo`` with production settings), a private Redis (broker and cache), gunicorn
with two workers, a Celery worker, Celery beat, static files collected and served by
whitenoise, and an SMTP sink. An applicant fills in the demo terrace form step by step
with plain HTTP requests (CSRF and all); an officer signs in to the back office, takes
the dossier, starts the review and approves it with the dossier page's own forms. The
worker delivers the confirmation and the decision (with its PDF letter) to the SMTP
sink, each e-mail once; beat keeps queuing the outbox sweep. Then everything stops.

Production asks officers for a code of their authenticator app after the password
(LOKET_ADMIN_2FA_REQUIRED): the fixture gives the demo officer an app (a TOTP device with
a key the test knows, made with ``manage.py shell``) and the test computes its code the
way the app does.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from django.utils import translation

from tests.reliability import harness, pages

pytestmark = pytest.mark.reliability

APPLICANT = "sofie@cafedebrug.be"
TEAM_MAILBOX_RE = re.compile(r"economie@", re.I)
DELIVERY_TIMEOUT = 60
OFFICER = "behandelaar"
#: Gives the officer an authenticator app whose key is ``{key}`` (hex), as if set up.
SET_UP_APP = (
    "from django.contrib.auth import get_user_model; "
    "from django_otp.plugins.otp_totp.models import TOTPDevice; "
    "TOTPDevice.objects.create(user=get_user_model().objects.get(username='{username}'), "
    "name='authenticator app', key='{key}', confirmed=True)"
)

#: The demo's terrace form without procedure stages: the officer approves it directly.
PLAIN_TERRACE = (
    "from forms_builder.models import ApplicationFormPage; "
    "ApplicationFormPage.objects.filter(slug='aanvraag-terras').update(stages=[])"
)


@dataclass
class Topology:
    web: harness.WebServer
    worker: harness.Process
    beat: harness.Process
    sink: harness.SmtpSink
    database_url: str
    #: The key of the officer's authenticator app.
    officer_key: str


@pytest.fixture
def topology(need_redis, demo_database, maintenance_url, logbook, tmp_path):
    folder = tmp_path / "app"
    port = harness.free_port()
    with ExitStack() as stack:
        database_url = stack.enter_context(
            harness.database_copy(
                maintenance_url, demo_database.name, f"loket_topology_{os.getpid()}"
            )
        )
        redis = stack.enter_context(harness.redis_server(logbook))
        sink = stack.enter_context(harness.smtp_sink())
        env = harness.app_env(
            database_url=database_url,
            folder=folder,
            broker_url=redis.url(0),
            cache_url=redis.url(1),
            smtp_port=sink.port,
            base_url=f"http://127.0.0.1:{port}",
            # Beat queues the outbox sweep every 2 s (production: every 5 minutes).
            LOKET_TEST_SWEEP_SECONDS="2",
        )
        demo_database.files_into(folder)
        officer_key = secrets.token_hex(20)
        harness.manage(
            env,
            "shell",
            "-c",
            SET_UP_APP.format(username=OFFICER, key=officer_key),
            logbook=logbook,
        )
        # The officer decides here; the college, permit and payment stages of the demo's
        # terrace form have their own tests (tests/dossiers, tests/e2e).
        harness.manage(env, "shell", "-c", PLAIN_TERRACE, logbook=logbook)
        harness.manage(env, "collectstatic", "--noinput", logbook=logbook)
        web = stack.enter_context(
            harness.gunicorn(env, logbook, port=port, workers=2, access_log=True)
        )
        worker = stack.enter_context(
            harness.celery_worker(env, logbook, pool="prefork", concurrency=2)
        )
        beat = stack.enter_context(harness.celery_beat(env, logbook, folder))
        yield Topology(web, worker, beat, sink, database_url, officer_key)


def app_code(key: str) -> str:
    """The code the officer's authenticator app shows now."""
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(key)):06d}"


def http_client(base_url: str):
    import httpx

    return httpx.Client(base_url=base_url, follow_redirects=True, timeout=30)


def ok(response):
    """The response, once it is known to be a page (no error, no error page)."""
    assert response.status_code == 200, (
        f"{response.request.method} {response.url}: HTTP {response.status_code}"
    )
    return response


def submit(client, response, form: pages.Form, **answers):
    """Post ``form`` of the page ``response`` as a browser does, with ``answers``."""
    action = str(response.url.join(form.action)) if form.action else str(response.url)
    return ok(client.post(action, data=form.data(**answers)))


def wizard_form(html: str) -> pages.Form:
    return next(f for f in pages.forms(html) if any(n.endswith("current_step") for n in f.inputs))


def wait_for_mails(sink, predicate, count: int, what: str, worker):
    def found():
        matching = [m for m in sink.received() if predicate(m)]
        return matching if len(matching) >= count else None

    return harness.wait_until(found, DELIVERY_TIMEOUT, f"waiting for {what}", process=worker)


def test_the_whole_journey_through_the_production_topology(topology):
    web, sink, key = topology.web, topology.sink, topology.officer_key

    # --- static files: whitenoise serves the collected, hashed files ------------------------
    with http_client(web.url) as visitor:
        home = ok(visitor.get("/"))
        stylesheet = re.search(r'href="(/static/theme/css/loket\.[0-9a-f]{12}\.css)"', home.text)
        assert stylesheet, "the home page links the hashed stylesheet (manifest storage)"
        css = ok(visitor.get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"}))
        assert "max-age=315360000" in css.headers["Cache-Control"]
        assert "immutable" in css.headers["Cache-Control"]
        assert css.headers["Content-Encoding"] == "gzip"
        assert css.headers["Content-Type"].startswith("text/css")

    # --- the applicant applies, step by step --------------------------------------------------
    with http_client(web.url) as applicant:
        page = ok(applicant.get("/"))
        page = ok(applicant.get(pages.link(page.text, text="Terrasvergunning aanvragen").href))
        page = ok(applicant.get(pages.link(page.text, css_class="button--start").href))
        assert page.url.path.endswith("/stap/1/"), page.url
        page = submit(
            applicant,
            page,
            wizard_form(page.text),
            bedrijfsnaam="Café De Brug",
            naam="Sofie Claes",
            email=APPLICANT,
        )
        assert page.url.path.endswith("/stap/2/"), page.url
        page = submit(
            applicant,
            page,
            wizard_form(page.text),
            adres="Brugstraat 5, 9999 Voorbeeld",
            oppervlakte="18",
            startdatum="2030-05-01",
            soort="Terras met windschermen",
        )
        # The demo's terrace fee counts the days the terrace stands outside.
        assert page.url.path.endswith("/stap/3/"), page.url
        page = submit(applicant, page, wizard_form(page.text), dagen="30")
        assert page.url.path.endswith("/controleren/"), page.url
        assert "Terras met windschermen" in page.text
        check_form = next(f for f in pages.forms(page.text) if f.method == "post")
        page = submit(applicant, page, check_form)
        assert page.url.path.endswith("/bevestiging/"), page.url
        reference = pages.reference(page.text)
        status_url = next(
            link.href
            for link in pages.links(page.text)
            if re.search(r"/dossier/[0-9a-f-]{36}/", link.href)
        )
        status = ok(applicant.get(status_url))
        assert reference in status.text

    # Not signed in: besides this one, an e-mail with a link to prove the address.
    received = wait_for_mails(
        sink,
        lambda m: (
            APPLICANT in m.recipients and reference in m.subject and "/bevestigen/" not in m.text()
        ),
        1,
        "the confirmation e-mail",
        topology.worker,
    )
    assert status_url in received[0].text()

    # --- the officer takes the dossier, starts the review and approves it -----------------------
    with http_client(web.url) as officer:
        login = ok(officer.get("/admin/login/"))
        form = pages.form_with(login.text, "username")
        page = submit(officer, login, form, username=OFFICER, password="loket-behandelaar")
        assert page.url.path == "/admin/two-factor/verify/", "production asks for a code"
        page = submit(officer, page, pages.form_with(page.text, "code"), code=app_code(key))
        assert page.url.path == "/admin/", page.url

        inbox = ok(officer.get("/admin/dossiers/dossier/", params={"q": reference}))
        row = re.search(
            rf'href="(/admin/dossiers/dossier/inspect/\d+/)"[^>]*>[^<]*{re.escape(reference)}',
            inbox.text,
        )
        assert row, f"{reference} is in the officer's inbox"
        dossier_url = row.group(1)
        page = ok(officer.get(dossier_url))

        page = submit(officer, page, pages.form_with(page.text, "assignee", value=None))
        assert reference in page.text
        assert not any(f.value("assignee") for f in pages.forms(page.text)), "taken"
        page = submit(officer, page, pages.form_with(page.text, "transition", "start_review"))
        assert reference in page.text
        assert not any(f.value("transition") == "start_review" for f in pages.forms(page.text)), (
            "the review has started"
        )
        page = submit(
            officer,
            page,
            pages.form_with(page.text, "transition", "approve"),
            decision="Goedgekeurd: het terras past op het plein.",
        )
        # First the letter as it will be sent, then the confirmation decides.
        assert "loket-letter-preview" in page.text
        page = submit(officer, page, pages.form_with(page.text, "confirmed", "1"))
        assert not any(f.value("transition") == "approve" for f in pages.forms(page.text))
        assert "Goedgekeurd: het terras past op het plein." in page.text

    # --- the worker delivers the decision with its letter ------------------------------------
    to_applicant = wait_for_mails(
        sink,
        lambda m: APPLICANT in m.recipients and reference in m.subject,
        4,  # received, prove your address, in review, the decision
        "the e-mails of the review and the decision",
        topology.worker,
    )
    letters = [m for m in to_applicant if m.attachments()]
    assert len(letters) == 1, [m.subject for m in to_applicant]
    [(filename, content_type)] = letters[0].attachments()
    assert content_type == "application/pdf" and filename.endswith(".pdf")

    with http_client(web.url) as applicant:
        status = ok(applicant.get(status_url))
        with translation.override("nl"):
            download = translation.gettext("Download the decision letter (PDF)")
        letter = ok(applicant.get(pages.link(status.text, text=download).href))
        assert letter.headers["Content-Type"] == "application/pdf"
        assert letter.content.startswith(b"%PDF")

    # --- each e-mail of the outbox went out once, from the worker ------------------------------
    def sent_rows():
        rows = harness.psql(
            topology.database_url,
            "SELECT n.recipient || ' | ' || n.subject FROM dossiers_notification n "
            "JOIN dossiers_dossier d ON d.id = n.dossier_id "
            f"WHERE d.reference = '{reference}' AND n.status = 'sent'",
        )
        return Counter(rows.splitlines())

    pending = harness.psql(
        topology.database_url,
        "SELECT count(*) FROM dossiers_notification n JOIN dossiers_dossier d "
        f"ON d.id = n.dossier_id WHERE d.reference = '{reference}' AND n.status <> 'sent'",
    )
    assert pending == "0"
    time.sleep(3)  # a sweep or two later: nothing is sent again
    at_sink = Counter(
        f"{recipient} | {m.subject}"
        for m in sink.received()
        if reference in m.subject
        for recipient in m.recipients
    )
    assert at_sink == sent_rows()
    assert any(TEAM_MAILBOX_RE.match(key) for key in at_sink), "the team's mailbox was told"
    assert "Task dossiers.tasks.send_notification" in topology.worker.log()
    assert "dossiers.tasks.send_pending_notifications" in topology.worker.log(), (
        "beat queued the outbox sweep and the worker ran it"
    )
