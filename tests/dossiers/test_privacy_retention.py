"""Retention: the personal data of dossiers closed longer than their form's retention are
erased by the daily task; the reference, dates, status history and decision stay."""

import datetime
import json
import logging
import secrets

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dossiers import privacy, services, tasks, workflow
from dossiers.constants import APPLICANT, EventType, NotificationStatus, Outcome, Sender, Status
from dossiers.models import (
    Attachment,
    AttachmentKind,
    Dossier,
    Event,
    InformationRequest,
    Message,
    Notification,
    Rating,
    SignInToken,
)
from dossiers.privacy import tasks as privacy_tasks
from forms_builder.models import Draft
from tests.dossiers.test_concurrency import at_the_same_moment
from tests.factories import DossierFactory, UserFactory, terrace_answers

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def officer(db):
    return UserFactory(username="behandelaar", is_superuser=True, is_staff=True)


def store(name: str, content: bytes = b"%PDF-1.4 test") -> str:
    """Save a file in the private storage; its stored name."""
    return storages["private"].save(name, ContentFile(content))


def add_attachment(dossier, kind=AttachmentKind.UPLOAD, name="plan.pdf", **links) -> Attachment:
    attachment = Attachment(
        dossier=dossier, kind=kind, original_name=name, size=13, content_type="application/pdf"
    )
    for key, value in links.items():
        setattr(attachment, key, value)
    attachment.file.save(name, ContentFile(b"%PDF-1.4 test"), save=True)
    return attachment


def build_dossier(
    form_page,
    *,
    officer,
    email="an@cafedemarkt.be",
    name="An Peeters",
    company="Café De Markt",
    number="0403170701",
    closed_months_ago: int | None = 25,
    remarks="",
):
    """A dossier that went the whole way, with everything that can hold personal data:
    answers, files of every kind, a question and its answer, a note, a message with a
    file, a rating, e-mails, a sign-in link and the draft it came from.

    Closed ``closed_months_ago`` months (and a day) ago; None leaves it in review.
    """
    schema = form_page.get_schema()
    answers = terrace_answers(schema, email=email, naam=name, bedrijfsnaam=company)
    answers[schema["steps"][1]["id"]]["opmerkingen"] = remarks
    dossier = services.submit_application(form_page=form_page, schema=schema, answers=answers)
    Dossier.objects.filter(pk=dossier.pk).update(
        enterprise_number=number, applicant_phone="0470 12 34 56"
    )
    upload_step, upload_field = schema["steps"][1]["id"], "adres"
    add_attachment(dossier, name=f"plan-{name}.pdf", step_id=upload_step, field_name=upload_field)
    add_attachment(dossier, AttachmentKind.RECEIPT, name="ontvangstbewijs.pdf")
    workflow.transition(dossier, "start_review", actor=officer)
    workflow.transition(
        dossier,
        "request_information",
        actor=officer,
        data={"question": f"Hoe breed is het terras van {name}?"},
    )
    request = InformationRequest.objects.create(
        dossier=dossier,
        question=f"Stuur het plan van {company}.",
        documents=[{"key": "doc-1", "label": "Plan", "required": True}],
        answer_text=f"Hier is het, groeten {name}",
        changes=[{"step": "s", "name": "oppervlakte", "label": "Opp.", "before": 20, "after": 24}],
        answered_at=NOW,
        closed_at=NOW,
    )
    add_attachment(dossier, AttachmentKind.INFORMATION, "info.pdf", information_request=request)
    workflow.transition(dossier, "receive_information", actor_kind=APPLICANT)
    services.add_note(dossier, f"Gebeld met {name} op {email}", author=officer)
    message = Message.objects.create(dossier=dossier, sender=Sender.APPLICANT, body=f"Dag, {name}")
    add_attachment(dossier, AttachmentKind.MESSAGE, "foto.jpg", message=message)
    SignInToken.objects.create(
        email=email, token_hash=secrets.token_hex(32), expires_at=NOW + datetime.timedelta(1)
    )
    Draft.objects.create(
        page=form_page,
        snapshot=dossier.snapshot,
        email=email,
        submitted_dossier_id=dossier.pk,
        data={
            "step_data": {"0": {"0-email": [email]}},
            "step_files": {
                "1": {"1-plan": [{"tmp_name": store("drafts/x/plan.pdf"), "name": "plan.pdf"}]}
            },
        },
    )
    if closed_months_ago is not None:
        workflow.transition(
            dossier, "approve", actor=officer, data={"decision": f"Vergunning voor {company}."}
        )
        add_attachment(dossier, AttachmentKind.DECISION_LETTER, "beslissing.pdf")
        Rating.objects.create(dossier=dossier, score=4, comment=f"Vlot geholpen. {name}")
        workflow.transition(dossier, "close", actor=officer)
        closed_at = privacy.months_before(NOW, closed_months_ago) - datetime.timedelta(days=1)
        Dossier.objects.filter(pk=dossier.pk).update(closed_at=closed_at)
    dossier.refresh_from_db()
    return dossier


def everything_about(dossier) -> str:
    """Every stored value of the dossier and what hangs off it, as one text."""
    rows = [
        Dossier.objects.filter(pk=dossier.pk).values(),
        Event.objects.filter(dossier=dossier).values(),
        Message.objects.filter(dossier=dossier).values(),
        InformationRequest.objects.filter(dossier=dossier).values(),
        Rating.objects.filter(dossier=dossier).values(),
        Notification.objects.filter(dossier=dossier).values(),
        Attachment.objects.filter(dossier=dossier).values(),
        Draft.objects.filter(submitted_dossier_id=dossier.pk).values(),
    ]
    return json.dumps([list(each) for each in rows], default=str, ensure_ascii=False)


PERSONAL = ("An Peeters", "an@cafedemarkt.be", "Café De Markt", "0403170701", "0470 12 34 56")


def history(dossier):
    return list(dossier.events.values_list("type", "from_status", "to_status", "created_at"))


def stored_files(dossier):
    return [attachment.file.name for attachment in dossier.attachments.all()]


def test_erases_the_personal_data_of_a_dossier_past_its_retention(
    form_page, officer, django_capture_on_commit_callbacks
):
    dossier = build_dossier(form_page, officer=officer, closed_months_ago=25)
    before = Dossier.objects.get(pk=dossier.pk)
    timeline = history(dossier)
    files = stored_files(dossier)
    draft = Draft.objects.get(submitted_dossier_id=dossier.pk)
    draft_file = draft.data["step_files"]["1"]["1-plan"][0]["tmp_name"]
    assert all(word in everything_about(dossier) for word in PERSONAL)
    assert files and all(storages["private"].exists(name) for name in files)

    # A draft's files are deleted once its deletion is committed.
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy_tasks.erase_expired_personal_data() == 1

    dossier.refresh_from_db()
    text = everything_about(dossier)
    assert not [word for word in PERSONAL if word in text]
    assert dossier.answers == {}
    assert dossier.decision_text == ""
    assert dossier.personal_data_erased_at is not None
    # What statistics need stays.
    for name in (
        "reference",
        "form_page_id",
        "form_title",
        "snapshot_id",
        "status",
        "submitted_at",
        "closed_at",
        "decision_due",
        "decision_outcome",
        "decided_at",
        "decided_by_id",
        "team_id",
        "language",
    ):
        assert getattr(dossier, name) == getattr(before, name), name
    assert dossier.decision_outcome == Outcome.APPROVED
    assert history(dossier)[:-1] == timeline
    erased = dossier.events.last()
    assert erased.type == EventType.PERSONAL_DATA_ERASED
    assert not erased.public
    assert erased.data == {"cause": "retention", "retention_months": 24}
    transitions = [e.data["transition"] for e in dossier.events.filter(type="status_changed")]
    assert transitions[-2:] == ["approve", "close"]
    # Files are gone from the storage, and their rows with them.
    assert not Attachment.objects.filter(dossier=dossier).exists()
    assert not any(storages["private"].exists(name) for name in files)
    # The rows that make the numbers stay, without their texts.
    assert list(dossier.messages.values_list("sender", "body")) == [(Sender.APPLICANT, "")]
    assert Rating.objects.get(dossier=dossier).score == 4
    request = dossier.information_requests.get()
    assert (request.question, request.answer_text, request.changes) == ("", "", [])
    assert request.documents == [{"key": "doc-1", "label": "Plan", "required": True}]
    assert dossier.notifications.exists()
    assert not SignInToken.objects.filter(email__iexact="an@cafedemarkt.be").exists()
    assert not Draft.objects.filter(submitted_dossier_id=dossier.pk).exists()
    assert not storages["private"].exists(draft_file)


def test_nothing_is_erased_before_the_retention_has_passed(form_page, officer):
    dossier = build_dossier(form_page, officer=officer, closed_months_ago=23)
    text = everything_about(dossier)

    assert privacy_tasks.erase_expired_personal_data() == 0

    assert everything_about(dossier) == text
    assert all(storages["private"].exists(name) for name in stored_files(dossier))


def test_the_retention_is_the_forms_own(form_page, officer):
    form_page.retention_months = 6
    form_page.save()
    dossier = build_dossier(form_page, officer=officer, closed_months_ago=6)

    assert privacy_tasks.erase_expired_personal_data() == 1

    dossier.refresh_from_db()
    assert dossier.personal_data_erased_at is not None
    assert dossier.events.last().data["retention_months"] == 6


def test_zero_months_keeps_the_personal_data(form_page, officer):
    form_page.retention_months = 0
    form_page.save()
    dossier = build_dossier(form_page, officer=officer, closed_months_ago=120)

    assert privacy_tasks.erase_expired_personal_data() == 0

    dossier.refresh_from_db()
    assert dossier.personal_data_erased_at is None
    assert dossier.applicant_email == "an@cafedemarkt.be"


def test_open_dossiers_are_never_erased_by_retention(form_page, officer):
    dossier = build_dossier(form_page, officer=officer, closed_months_ago=None)
    Dossier.objects.filter(pk=dossier.pk).update(submitted_at=NOW - datetime.timedelta(days=3650))

    assert privacy_tasks.erase_expired_personal_data() == 0
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_REVIEW


def test_a_dossier_whose_form_was_deleted_keeps_the_default_retention():
    old = DossierFactory(status=Status.CLOSED, closed_at=NOW - datetime.timedelta(days=800))
    recent = DossierFactory(status=Status.CLOSED, closed_at=NOW - datetime.timedelta(days=600))

    assert privacy_tasks.erase_expired_personal_data() == 1

    assert Dossier.objects.get(pk=old.pk).applicant_name == ""
    assert Dossier.objects.get(pk=recent.pk).applicant_name == "An Peeters"


def test_erasing_is_idempotent(form_page, officer):
    dossier = build_dossier(form_page, officer=officer)

    assert privacy_tasks.erase_expired_personal_data() == 1
    first = everything_about(dossier)
    assert privacy_tasks.erase_expired_personal_data() == 0

    assert everything_about(dossier) == first
    assert dossier.events.filter(type=EventType.PERSONAL_DATA_ERASED).count() == 1
    # A second worker that waited for the row's lock finds it no longer due.
    assert not privacy.erase_personal_data(dossier.pk, cause="retention", only_if_expired=True)
    # Erasing the same dossier again directly changes nothing but adds its own record.
    assert privacy.erase_personal_data(dossier.pk, cause=privacy.RETENTION)
    assert Dossier.objects.get(pk=dossier.pk).answers == {}


def test_a_dossier_reopened_and_closed_again_is_erased_again(form_page, officer):
    dossier = build_dossier(form_page, officer=officer)
    privacy_tasks.erase_expired_personal_data()
    Message.objects.create(dossier=dossier, sender=Sender.APPLICANT, body="Nog een vraag")
    Dossier.objects.filter(pk=dossier.pk).update(
        closed_at=privacy.months_before(NOW, 25),
        personal_data_erased_at=NOW - datetime.timedelta(days=800),
    )

    assert privacy_tasks.erase_expired_personal_data() == 1
    assert not dossier.messages.exclude(body="").exists()


def test_other_dossiers_are_untouched(form_page, officer):
    due = build_dossier(form_page, officer=officer, closed_months_ago=30)
    other = build_dossier(
        form_page,
        officer=officer,
        email="jan@hethoekje.be",
        name="Jan Janssens",
        company="Het Hoekje",
        number="0202239951",
        closed_months_ago=2,
    )
    text, files = everything_about(other), stored_files(other)

    assert privacy_tasks.erase_expired_personal_data() == 1

    assert Dossier.objects.get(pk=due.pk).personal_data_erased_at is not None
    assert everything_about(other) == text
    assert all(storages["private"].exists(name) for name in files)
    assert SignInToken.objects.filter(email="jan@hethoekje.be").exists()


def test_works_in_batches_until_none_is_left(form_page, officer):
    for number in range(3):
        DossierFactory(
            form_page=form_page,
            status=Status.CLOSED,
            closed_at=NOW - datetime.timedelta(days=1000 + number),
        )

    assert privacy.erase_expired_personal_data(batch_size=2) == 3
    assert not privacy.expired_dossiers().exists()


def test_a_run_stops_after_its_time_and_the_next_goes_on(form_page):
    for number in range(3):
        DossierFactory(
            form_page=form_page,
            status=Status.CLOSED,
            closed_at=NOW - datetime.timedelta(days=1000 + number),
        )

    assert privacy.erase_expired_personal_data(batch_size=2, max_seconds=0) == 2
    assert privacy.erase_expired_personal_data(batch_size=2, max_seconds=0) == 1


def test_a_pending_email_of_an_erased_dossier_is_never_sent(form_page, officer):
    dossier = build_dossier(form_page, officer=officer)
    pending = dossier.notifications.filter(status=NotificationStatus.PENDING)
    assert pending.exists()

    privacy_tasks.erase_expired_personal_data()
    for notification in dossier.notifications.all():
        tasks.send_notification(notification.pk)

    assert not dossier.notifications.filter(status=NotificationStatus.PENDING).exists()
    assert mail.outbox == []


def test_the_log_names_the_reference_and_no_personal_data(form_page, officer, caplog):
    dossier = build_dossier(form_page, officer=officer)

    with caplog.at_level(logging.INFO, logger="dossiers.privacy"):
        privacy_tasks.erase_expired_personal_data()

    assert dossier.reference in caplog.text
    assert not [word for word in PERSONAL if word in caplog.text]


def test_the_status_page_and_the_dossier_view_of_an_erased_dossier_still_work(
    client, form_page, officer
):
    dossier = build_dossier(form_page, officer=officer)
    privacy_tasks.erase_expired_personal_data()

    status_page = client.get(dossier.get_status_url())
    client.force_login(officer)
    inspect = client.get(reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk]))

    for response in (status_page, inspect):
        html = response.content.decode()
        assert response.status_code == 200
        assert "data-erased" in html
        assert dossier.reference in html
        assert "An Peeters" not in html
    # Notes are free text about the person: no form to add one any more.
    assert 'name="text"' not in inspect.content.decode()


def test_the_task_runs_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["erase-expired-personal-data"]
    assert entry["task"] == privacy_tasks.erase_expired_personal_data.name
    assert entry["schedule"].hour == {3}


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime.datetime(2026, 3, 31, 12), 1, datetime.datetime(2026, 2, 28, 12)),
        (datetime.datetime(2028, 3, 31, 12), 1, datetime.datetime(2028, 2, 29, 12)),
        (datetime.datetime(2026, 1, 15), 24, datetime.datetime(2024, 1, 15)),
        (datetime.datetime(2026, 1, 15), 13, datetime.datetime(2024, 12, 15)),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    assert privacy.months_before(moment, months) == expected


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises all writers; row locks are a PostgreSQL concern",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_the_same_moment_erase_each_dossier_once():
    dossiers = [
        DossierFactory(status=Status.CLOSED, closed_at=NOW - datetime.timedelta(days=900 + n))
        for n in range(6)
    ]

    results, errors = at_the_same_moment(
        privacy.erase_expired_personal_data, privacy.erase_expired_personal_data
    )

    assert errors == []
    assert sum(results) == len(dossiers)
    for dossier in dossiers:
        assert dossier.events.filter(type=EventType.PERSONAL_DATA_ERASED).count() == 1
