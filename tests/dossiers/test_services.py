"""Use cases of the dossier app: submitting an application and opening its status link."""

import datetime
import threading
import uuid

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from dossiers import services
from dossiers.constants import EventType, Status
from dossiers.models import Dossier
from forms_builder.models import FormSnapshot
from forms_builder.schema import display_answers
from tests.conftest import make_form_page
from tests.factories import DossierFactory, terrace_answers


def submit(form_page, **answer_overrides) -> Dossier:
    schema = form_page.get_schema()
    return services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema, **answer_overrides)
    )


def this_year() -> int:
    return timezone.localdate().year


@pytest.mark.django_db
class TestSubmitApplication:
    def test_reference_numbers_count_up_per_form(self, form_page):
        first = submit(form_page)
        second = submit(form_page)

        assert first.reference == f"TER-{this_year()}-00001"
        assert second.reference == f"TER-{this_year()}-00002"

    def test_dossier_holds_the_answers_and_the_mapped_details(self, form_page, team):
        schema = form_page.get_schema()
        answers = terrace_answers(schema)

        dossier = services.submit_application(form_page=form_page, schema=schema, answers=answers)

        dossier.refresh_from_db()
        assert dossier.answers == answers
        assert dossier.status == Status.SUBMITTED
        assert dossier.form_page == form_page
        assert dossier.form_title == "Aanvraag terrasvergunning"
        assert dossier.team == team
        assert dossier.company_name == "Café De Markt"
        assert dossier.applicant_name == "An Peeters"
        assert dossier.applicant_email == "an@cafedemarkt.be"
        # No field of the terrace form maps to these.
        assert dossier.applicant_phone == ""
        assert dossier.enterprise_number == ""
        assert dossier.closed_at is None

    def test_decision_is_due_after_the_forms_term(self, home_page):
        form_page = make_form_page(home_page, decision_term_days=45)

        dossier = submit(form_page)

        assert dossier.decision_due == timezone.localdate() + datetime.timedelta(days=45)

    def test_submitting_writes_the_public_submitted_event(self, form_page):
        dossier = submit(form_page)

        [event] = dossier.events.all()
        assert event.type == EventType.SUBMITTED
        assert event.public
        assert list(services.public_events(dossier)) == [event]

    def test_applicant_gets_one_confirmation_email(
        self, form_page, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            dossier = submit(form_page, email="jan@hethoekje.be")

        # The team's mailbox hears of the new dossier too (tests/dossiers/test_outbox.py).
        [notification] = dossier.notifications.filter(kind="application_received")
        assert notification.recipient == "jan@hethoekje.be"
        # Besides a link to prove the address (not signed in: tests/dossiers/test_portal.py).
        [email] = [
            each
            for each in mail.outbox
            if each.to == ["jan@hethoekje.be"] and "/bevestigen/" not in each.body
        ]
        assert email.to == ["jan@hethoekje.be"]
        assert dossier.reference in email.subject
        assert dossier.reference in email.body
        assert dossier.get_absolute_status_url() in email.body

    def test_nothing_is_sent_before_the_transaction_commits(
        self, form_page, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            submit(form_page)

        assert len(callbacks) == 1
        assert mail.outbox == []


@pytest.mark.django_db
class TestFrozenSchema:
    def test_submissions_against_the_same_form_share_one_snapshot(self, form_page):
        first = submit(form_page)
        second = submit(form_page)

        assert FormSnapshot.objects.count() == 1
        assert first.snapshot == second.snapshot
        assert first.snapshot.schema == form_page.get_schema()

    def test_editing_the_form_keeps_old_dossiers_as_they_were(self, form_page):
        old = submit(form_page)
        form_page.steps[0].value["fields"][1].value["label"] = "Voornaam en naam"
        form_page.save()

        new = submit(form_page)

        assert FormSnapshot.objects.count() == 2
        assert new.snapshot != old.snapshot
        old.refresh_from_db()
        old_labels = [row["label"] for row in display_answers(old.schema, old.answers)[0]["rows"]]
        new_labels = [row["label"] for row in display_answers(new.schema, new.answers)[0]["rows"]]
        assert old_labels == ["Naam van de onderneming", "Uw naam", "Uw e-mailadres"]
        assert new_labels == ["Naam van de onderneming", "Voornaam en naam", "Uw e-mailadres"]


@pytest.mark.django_db
class TestReferenceNumbers:
    def test_each_prefix_has_its_own_sequence(self):
        assert services.make_reference("TER", 2026) == "TER-2026-00001"
        assert services.make_reference("EVT", 2026) == "EVT-2026-00001"
        assert services.make_reference("TER", 2026) == "TER-2026-00002"
        assert services.make_reference("EVT", 2026) == "EVT-2026-00002"

    def test_each_year_starts_again_at_one(self):
        assert services.make_reference("TER", 2026) == "TER-2026-00001"
        assert services.make_reference("TER", 2026) == "TER-2026-00002"
        assert services.make_reference("TER", 2027) == "TER-2027-00001"
        assert services.make_reference("TER", 2026) == "TER-2026-00003"

    def test_two_forms_number_separately(self, home_page, form_page):
        event_form = make_form_page(
            home_page, title="Evenement melden", slug="evenement", reference_prefix="EVT"
        )

        assert submit(form_page).reference == f"TER-{this_year()}-00001"
        assert submit(event_form).reference == f"EVT-{this_year()}-00001"
        assert submit(form_page).reference == f"TER-{this_year()}-00002"

    def test_year_is_the_local_year_at_submission(self, form_page, monkeypatch):
        # 31 December 23:30 UTC is already New Year's Day in Brussels.
        new_years_eve = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
        monkeypatch.setattr(timezone, "now", lambda: new_years_eve)

        dossier = submit(form_page)

        assert dossier.reference == "TER-2027-00001"
        assert dossier.decision_due == datetime.date(2027, 1, 31)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises all writers; concurrent numbering is a PostgreSQL concern",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_submissions_get_distinct_reference_numbers(form_page):
    schema = form_page.get_schema()
    count = 10
    barrier = threading.Barrier(count)
    references, errors = [], []

    def applicant(number):
        try:
            barrier.wait(timeout=10)
            dossier = services.submit_application(
                form_page=form_page,
                schema=schema,
                answers=terrace_answers(schema, email=f"aanvrager{number}@voorbeeld.be"),
            )
            references.append(dossier.reference)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=applicant, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    expected = {f"TER-{this_year()}-{n:05d}" for n in range(1, count + 1)}
    assert sorted(references) == sorted(expected)
    assert Dossier.objects.count() == count
    assert FormSnapshot.objects.count() == 1


@pytest.mark.django_db
class TestStatusLink:
    def test_right_key_opens_the_dossier(self):
        dossier = DossierFactory()

        assert services.get_dossier_by_link(dossier.public_id, dossier.access_key) == dossier

    @pytest.mark.parametrize("key", ["", "wrong-key", "é-niet-ascii"])
    def test_wrong_key_opens_nothing(self, key):
        dossier = DossierFactory()

        assert services.get_dossier_by_link(dossier.public_id, key) is None

    def test_another_dossiers_key_opens_nothing(self):
        dossier, other = DossierFactory(), DossierFactory()

        assert services.get_dossier_by_link(dossier.public_id, other.access_key) is None

    def test_unknown_link_opens_nothing(self):
        dossier = DossierFactory()

        assert services.get_dossier_by_link(uuid.uuid4(), dossier.access_key) is None

    def test_every_dossier_has_its_own_secret_key(self):
        first, second = DossierFactory(), DossierFactory()

        assert first.access_key != second.access_key
        assert len(first.access_key) >= 32
