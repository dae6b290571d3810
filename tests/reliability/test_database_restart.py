"""The database restarts while visitors keep coming: a clean Dutch page, then recovery.

gunicorn (production settings: persistent connections with health checks) runs on a
private PostgreSQL cluster holding a copy of the demo. A visitor keeps opening the home
page and the first step of the terrace form, and an applicant who started the form
before keeps posting its first step. Then PostgreSQL stops:

- every request that needs the database gets the 503 page "temporarily unavailable"
  (in Dutch, with Retry-After), never a 500, and none takes longer than a few seconds;

and starts again:

- within seconds every request works again, the applicant's included, without
  restarting gunicorn: the same master and worker processes serve.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass

import pytest
from django.utils import translation

from tests.reliability import harness, pages

pytestmark = pytest.mark.reliability

#: No request may take longer than this, database down or not.
REQUEST_BOUND = 10
#: How long the database stays down while the visitors keep coming.
DOWN_SECONDS = 6
#: How long the site may take to work again once the database is back.
RECOVERY_TIMEOUT = 30


@dataclass
class Answer:
    what: str
    status: int
    seconds: float
    text: str


def restore_demo(demo_database, maintenance_url: str, cluster) -> str:
    """A copy of the demo database in ``cluster``; returns its URL."""
    source = harness.server_url(maintenance_url, demo_database.name)
    dump = subprocess.run(
        [str(cluster.bindir / "pg_dump"), "--format=custom", "--no-owner", "--dbname", source],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout
    harness.psql(cluster.url(), 'CREATE DATABASE "loket"')
    subprocess.run(
        [str(cluster.bindir / "pg_restore"), "--no-owner", "--dbname", cluster.url("loket")],
        input=dump,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return cluster.url("loket")


@pytest.fixture
def site(need_initdb, demo_database, maintenance_url, logbook, tmp_path):
    with harness.postgres_cluster(logbook) as cluster:
        database_url = restore_demo(demo_database, maintenance_url, cluster)
        folder = tmp_path / "app"
        demo_database.files_into(folder)
        env = harness.app_env(
            database_url=database_url, folder=folder, LOKET_TEST_STATIC_MANIFEST="0"
        )
        with harness.gunicorn(env, logbook, workers=2) as web:
            yield cluster, web


class Visitors:
    """The requests of the test, each answer recorded."""

    def __init__(self, base_url: str):
        import httpx

        self.base_url = base_url
        self.answers: list[Answer] = []
        self.applicant = httpx.Client(base_url=base_url, timeout=REQUEST_BOUND + 5)

    def request(self, client, what: str, method: str, url: str, **kwargs) -> Answer:
        started = time.monotonic()
        response = client.request(method, url, **kwargs)
        answer = Answer(what, response.status_code, time.monotonic() - started, response.text)
        self.answers.append(answer)
        return answer

    def start_the_form(self) -> str:
        """The applicant opens the terrace form; returns the URL of its first step."""
        home = self.request(self.applicant, "home", "GET", "/")
        service = pages.link(home.text, text="Terrasvergunning aanvragen").href
        service_page = self.request(self.applicant, "service", "GET", service)
        start = pages.link(service_page.text, css_class="button--start").href
        response = self.applicant.get(start, follow_redirects=True)
        assert response.status_code == 200 and response.url.path.endswith("/stap/1/")
        self.step_url = response.url.path
        self.step_form = next(
            f for f in pages.forms(response.text) if any("current_step" in n for n in f.inputs)
        )
        return self.step_url

    def round(self) -> list[Answer]:
        """One round: a new visitor opens the home page and the form's first step; the
        applicant posts the first step."""
        import httpx

        with httpx.Client(base_url=self.base_url, timeout=REQUEST_BOUND + 5) as visitor:
            answers = [
                self.request(visitor, "home page", "GET", "/"),
                self.request(visitor, "form step", "GET", self.step_url),
            ]
        data = self.step_form.data(
            bedrijfsnaam="Café De Brug", naam="Sofie Claes", email="sofie@cafedebrug.be"
        )
        answers.append(self.request(self.applicant, "step POST", "POST", self.step_url, data=data))
        return answers


def works(answer: Answer) -> bool:
    return answer.status in (200, 302)


def test_the_site_fails_cleanly_while_the_database_restarts_and_recovers(site):
    cluster, web = site
    visitors = Visitors(web.url)
    visitors.start_the_form()
    for answer in visitors.round():
        assert works(answer), (answer.what, answer.status)
    master, workers = web.process.pid, web.process.children()

    # --- the database stops -------------------------------------------------------------------
    cluster.stop()
    down = []
    until = time.monotonic() + DOWN_SECONDS
    while time.monotonic() < until:
        down += visitors.round()
    unavailable = [answer for answer in down if answer.status == 503]
    assert unavailable, "no request noticed that the database was down"
    assert all(works(a) or a.status == 503 for a in down), {(a.what, a.status) for a in down}
    assert {a.what for a in unavailable} >= {"form step", "step POST"}
    with translation.override("nl"):
        heading = f"<h1>{translation.gettext('Temporarily unavailable')}</h1>"
    for answer in unavailable:
        assert '<html lang="nl">' in answer.text and heading in answer.text
    print(f"\nWhile the database was down: {len(down)} requests, {len(unavailable)} got 503")

    # --- it starts again: the same processes recover by themselves --------------------------------
    cluster.start()
    back = time.monotonic()
    harness.wait_until(
        lambda: all(works(answer) for answer in visitors.round()),
        RECOVERY_TIMEOUT,
        "waiting for the site to work again",
        process=web.process,
    )
    print(f"Working again {time.monotonic() - back:.1f} s after the database was back")
    for _ in range(3):
        for answer in visitors.round():
            assert works(answer), (answer.what, answer.status)
    # The applicant goes on: the first step leads to the second again.
    assert visitors.answers[-1].what == "step POST" and visitors.answers[-1].status == 302

    assert web.process.pid == master and web.process.children() == workers, (
        "gunicorn or its workers were restarted"
    )
    slowest = max(visitors.answers, key=lambda answer: answer.seconds)
    assert slowest.seconds < REQUEST_BOUND, (slowest.what, slowest.status, slowest.seconds)
    assert not [a for a in visitors.answers if a.status >= 500 and a.status != 503]
