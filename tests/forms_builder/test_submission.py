"""The submit handler: the wizard hands a finished application to whatever is registered
(``forms_builder.submission``), so forms_builder works without knowing dossiers."""

from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured

from dossiers.models import Dossier
from forms_builder import submission
from forms_builder.models import Draft, FormSnapshot
from forms_builder.submission import (
    SubmitHandler,
    check_submit_handler,
    get_submit_handler,
    submit_handlers,
)
from tests.forms_builder.test_wizard import Applicant

pytestmark = pytest.mark.django_db


@dataclass
class Receipt:
    reference: str

    def get_status_url(self) -> str:
        return f"/status/{self.reference}/"


class RecordingHandler(SubmitHandler):
    """Keeps what it is handed instead of making a dossier."""

    handler_id = "recording"

    def __init__(self):
        self.received: list[submission.Submission] = []
        self.count = 0

    def submit(self, submission):
        self.received.append(submission)
        return 41 + len(self.received)

    def submitted(self, submitted_id):
        return Receipt(reference=f"REC-{submitted_id}")

    def count_submitted(self, form_page):
        return self.count


@pytest.fixture
def only_handler():
    """Replace the registered handlers by ``handlers`` for one test."""
    saved = {handler.handler_id: handler for handler in submit_handlers.all()}

    def use(*handlers):
        for handler_id in submit_handlers.ids():
            submit_handlers.unregister(handler_id)
        for handler in handlers:
            submit_handlers.add(handler.handler_id, handler)

    yield use
    use(*saved.values())


@pytest.fixture
def recording(only_handler):
    handler = RecordingHandler()
    only_handler(handler)
    return handler


def test_dossiers_registers_the_one_handler():
    assert submit_handlers.ids() == ["dossiers"]
    assert check_submit_handler() == []


def test_a_registered_handler_receives_the_submission(client, form_page, recording):
    applicant = Applicant(client, form_page)
    applicant.fill_in_everything()
    draft = Draft.objects.get()

    response = applicant.submit()

    [received] = recording.received
    step1, step2 = (step.id for step in form_page.steps)
    assert received.form_page == form_page
    assert received.snapshot == draft.snapshot
    assert received.schema == draft.snapshot.schema
    assert received.answers[step1]["bedrijfsnaam"] == "Café De Markt"
    assert received.answers[step2]["oppervlakte"] == 24
    assert received.files == ()
    assert received.language == "nl"
    # The draft remembers what the handler made of it; the confirmation shows it.
    assert Draft.objects.get().submitted_dossier_id == 42
    assert response.redirect_chain[-1][0] == form_page.url + "bevestiging/"
    assert "REC-42" in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_schema_is_frozen_once_by_the_wizard(client, form_page, monkeypatch):
    """The dossier gets the snapshot the draft was started on; submitting does not
    freeze the schema again."""
    applicant = Applicant(client, form_page)
    applicant.fill_in_everything()
    draft = Draft.objects.get()

    def refreeze(*args, **kwargs):
        raise AssertionError("the schema was frozen again when submitting")

    monkeypatch.setattr("dossiers.services.freeze_schema", refreeze)
    applicant.submit()

    assert Dossier.objects.get().snapshot == draft.snapshot
    assert FormSnapshot.objects.count() == 1


def test_the_handler_counts_submissions_for_the_maximum(form_page, recording):
    form_page.max_dossiers = 2
    recording.count = 1
    assert form_page.get_unavailable_reason() is None
    recording.count = 2
    assert form_page.get_unavailable_reason() == "full"


def test_without_a_handler_start_up_and_submitting_say_so(only_handler):
    only_handler()

    [error] = check_submit_handler()
    assert error.id == "forms_builder.E001"
    assert "No submit handler" in error.msg
    with pytest.raises(ImproperlyConfigured, match="No submit handler"):
        get_submit_handler()


def test_two_handlers_are_one_too_many(only_handler):
    first = RecordingHandler()
    second = RecordingHandler()
    second.handler_id = "other"
    only_handler(first, second)

    [error] = check_submit_handler()
    assert "recording, other" in error.msg
    with pytest.raises(ImproperlyConfigured):
        get_submit_handler()
