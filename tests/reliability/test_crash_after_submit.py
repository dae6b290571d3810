"""The web process dies after the dossier committed, before the answer: the retry shows
the confirmation (issue #13, item 5).

A private PostgreSQL cluster (``initdb``) with the migrations and the demo
(``load_demo``, production settings), a private Redis as broker and cache, and gunicorn
with one worker whose innermost middleware kills the worker with SIGKILL right after
the first application was committed, before the response and the session are written
(tests/reliability/faults.py). An applicant fills in the demo terrace form over plain
HTTP and sends it: the connection breaks. gunicorn starts a new worker; the applicant
sends the check page again, as a browser's retry does. They get the confirmation page
with the reference number of the one dossier, not an empty first step, and no second
dossier is made.
"""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from tests.reliability import harness, pages
from tests.reliability.test_topology import ok, submit, wizard_form

pytestmark = pytest.mark.reliability

COMPANY = "Café De Crash"
#: How long gunicorn may take to have a new worker answering after the kill.
RESPAWN_TIMEOUT = 30


@pytest.fixture
def site(need_initdb, need_redis, logbook, tmp_path):
    folder = tmp_path / "app"
    marker = tmp_path / "died"
    with ExitStack() as stack:
        cluster = stack.enter_context(harness.postgres_cluster(logbook))
        harness.psql(cluster.url(), 'CREATE DATABASE "loket"')
        redis = stack.enter_context(harness.redis_server(logbook))
        port = harness.free_port()
        env = harness.app_env(
            database_url=cluster.url("loket"),
            folder=folder,
            broker_url=redis.url(0),
            cache_url=redis.url(1),
            base_url=f"http://127.0.0.1:{port}",
            LOKET_TEST_STATIC_MANIFEST="0",
            LOKET_RATELIMIT_ENABLED="0",
            LOKET_TEST_DIE_AFTER_SUBMIT=str(marker),
        )
        harness.manage(env, "migrate", "--noinput", logbook=logbook)
        harness.manage(env, "load_demo", logbook=logbook)
        web = stack.enter_context(harness.gunicorn(env, logbook, port=port, workers=1))
        yield web, cluster.url("loket"), marker


def send(client, response, form: pages.Form, **answers):
    """Post ``form`` of the page ``response`` as a browser does; the answer as it is
    (this test expects a broken connection once)."""
    action = str(response.url.join(form.action)) if form.action else str(response.url)
    return client.post(action, data=form.data(**answers))


def dossiers_of_the_company(database_url: str) -> int:
    return int(
        harness.psql(
            database_url, f"SELECT count(*) FROM dossiers_dossier WHERE company_name = '{COMPANY}'"
        )
    )


def test_a_retry_after_the_worker_died_after_the_commit_shows_the_confirmation(site):
    import httpx

    web, database_url, marker = site
    with httpx.Client(base_url=web.url, follow_redirects=True, timeout=30) as applicant:
        page = ok(applicant.get("/"))
        page = ok(applicant.get(pages.link(page.text, text="Terrasvergunning aanvragen").href))
        page = ok(applicant.get(pages.link(page.text, css_class="button--start").href))
        page = submit(
            applicant,
            page,
            wizard_form(page.text),
            bedrijfsnaam=COMPANY,
            naam="Sofie Claes",
            email="sofie@cafedecrash.be",
        )
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
        check_page = page
        check_form = next(f for f in pages.forms(page.text) if f.method == "post")

        # --- the worker dies between the commit and the answer ------------------------------
        with pytest.raises(httpx.TransportError):
            send(applicant, check_page, check_form)
        assert marker.exists(), "the fault did not fire"
        assert dossiers_of_the_company(database_url) == 1, "the dossier was committed"

        harness.wait_until(
            lambda: harness.http_answers(web.url + "/static/"),
            RESPAWN_TIMEOUT,
            "waiting for gunicorn's new worker",
            process=web.process,
        )

        # --- the browser sends again: the confirmation, not an empty first step -------------
        retry = ok(send(applicant, check_page, check_form))
        assert retry.url.path.endswith("/bevestiging/"), retry.url
        reference = pages.reference(retry.text)
        assert harness.psql(
            database_url,
            f"SELECT company_name FROM dossiers_dossier WHERE reference = '{reference}'",
        ) == (COMPANY)

        # Reloading the form afterwards starts a new application; still one dossier.
        again = ok(applicant.get(retry.url.path.replace("bevestiging/", "")))
        assert COMPANY not in again.text
    assert dossiers_of_the_company(database_url) == 1
