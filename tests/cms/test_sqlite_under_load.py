"""The embedded default (SQLite, ``make run``) with a few people at once: ten applicants
fill in and submit the form while an editor keeps saving and publishing it, with zero
errors ("database is locked" was the failure; cms/settings/base.py configures WAL, a
busy timeout and IMMEDIATE transactions). Issue #13."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from dossiers.models import Dossier
from forms_builder.models import ApplicationFormPage
from tests.conftest import make_form_page
from tests.factories import UserFactory
from tests.forms_builder.test_wizard import COMPANY, TERRACE

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="about the embedded SQLite default only"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

APPLICANTS = 10
#: The whole test stays well under this (it takes a few seconds).
TIME_LIMIT = 120


def test_the_sqlite_configuration_is_the_one_for_several_users():
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert connection.transaction_mode == "IMMEDIATE"


def test_ten_applicants_and_an_editor_at_once_without_errors(home_page, team):
    page = make_form_page(home_page, team=team)
    page.save_revision().publish()
    editor = UserFactory(is_superuser=True, is_staff=True)
    prefix = f"loket-form-{page.pk}"
    start = threading.Barrier(APPLICANTS + 1)
    errors: list[str] = []
    done: list[str] = []

    def applicant(number: int):
        client = Client(REMOTE_ADDR=f"10.0.0.{number + 1}")
        try:
            start.wait(timeout=30)
            response = client.get(page.url, follow=True)
            expect(response, "start")
            for key, answers in (("1", COMPANY), ("2", TERRACE)):
                answers = {**answers, "email": f"aanvrager{number}@example.be"}
                data = {f"{prefix}-current_step": key}
                data.update({f"{key}-{name}": value for name, value in answers.items()})
                if key == "2":
                    data = {k: v for k, v in data.items() if not k.startswith("2-email")}
                response = client.post(page.url + f"stap/{key}/", data, follow=True)
                expect(response, f"step {key}")
            response = client.post(page.url + "controleren/", {}, follow=True)
            expect(response, "submit")
            assert response.request["PATH_INFO"].endswith("bevestiging/"), response.request
            done.append(str(number))
        except Exception as exc:  # noqa: BLE001 - every failure is reported below
            errors.append(f"applicant {number}: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    def editor_saves():
        try:
            start.wait(timeout=30)
            for round_ in range(10):
                edited = ApplicationFormPage.objects.get(pk=page.pk)
                edited.intro = f"<p>Versie {round_}</p>"
                revision = edited.save_revision(user=editor)
                if round_ % 3 == 2:
                    revision.publish(user=editor)
        except Exception as exc:  # noqa: BLE001
            errors.append(f"editor: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    def expect(response, what):
        if response.status_code != 200:
            raise AssertionError(f"{what}: HTTP {response.status_code}")

    began = time.monotonic()
    threads = [threading.Thread(target=applicant, args=(n,)) for n in range(APPLICANTS)]
    threads.append(threading.Thread(target=editor_saves))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1, TIME_LIMIT - (time.monotonic() - began)))

    assert not any(thread.is_alive() for thread in threads), "stuck for two minutes"
    assert errors == []
    assert len(done) == APPLICANTS
    assert Dossier.objects.count() == APPLICANTS


def test_three_submits_of_one_draft_at_once_make_one_dossier_without_errors(home_page, team):
    page = make_form_page(home_page, team=team)
    page.save_revision().publish()
    prefix = f"loket-form-{page.pk}"
    first = Client()
    first.get(page.url, follow=True)
    for key, answers in (("1", COMPANY), ("2", TERRACE)):
        data = {f"{prefix}-current_step": key}
        data.update({f"{key}-{name}": value for name, value in answers.items()})
        assert first.post(page.url + f"stap/{key}/", data, follow=True).status_code == 200
    tabs = [Client() for _ in range(3)]
    for tab in tabs:
        tab.cookies = first.cookies
    start = threading.Barrier(len(tabs))
    statuses, errors = [], []

    def submit(tab):
        try:
            start.wait(timeout=30)
            statuses.append(tab.post(page.url + "controleren/", {}, follow=True).status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIME_LIMIT)

    assert errors == [] and statuses == [200, 200, 200]
    assert Dossier.objects.count() == 1
