"""The completeness check: a stage a form chooses, declared by an officer, and the
decision term that waits for it when the form says so."""

import datetime

import pytest
from django.utils import timezone

from dossiers import workflow
from dossiers.admin.display import due_text
from dossiers.constants import OFFICER, Status
from dossiers.information import services as information
from dossiers.models import InformationRequest, Notification
from forms_builder.stages import stage_choices
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def waiting_dossier(**extra):
    """A dossier whose 60-day term only starts when it is complete."""
    return DossierFactory(
        stages=["completeness"], term_days=60, term_from_completeness=True, **extra
    )


def test_the_form_offers_only_the_stages_that_exist():
    assert [value for value, _label in stage_choices()] == [
        "prepayment",
        "completeness",
        "advice",
        "payment",
        "college",
        "permit",
        "report",
    ]


@pytest.mark.parametrize("name", ["declare_complete", "declare_incomplete"])
def test_completeness_transitions_need_the_stage(name):
    dossier = DossierFactory(status=Status.SUBMITTED, stages=["advice"])

    assert name not in [t.name for t in workflow.available_transitions(dossier, OFFICER)]
    with pytest.raises(workflow.InvalidTransition) as excinfo:
        workflow.transition(dossier, name, actor_kind=OFFICER, data={"question": "Plan?"})

    assert "niet bij de procedure" in str(excinfo.value) or "not part of" in str(excinfo.value)
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and not dossier.events.exists()


def test_declared_complete_once():
    dossier = waiting_dossier(status=Status.SUBMITTED)
    workflow.transition(dossier, "declare_complete", actor_kind=OFFICER)
    dossier.refresh_from_db()

    assert "declare_complete" not in [t.name for t in workflow.available_transitions(dossier)]
    with pytest.raises(workflow.InvalidTransition):
        workflow.transition(dossier, "declare_complete", actor_kind=OFFICER)
    with pytest.raises(workflow.InvalidTransition):
        workflow.transition(
            dossier, "declare_incomplete", actor_kind=OFFICER, data={"question": "x"}
        )


def test_term_starts_when_declared_complete():
    dossier = waiting_dossier(status=Status.SUBMITTED)
    assert dossier.decision_due is None
    assert dossier.waits_for_completeness
    assert "60 calendar days only starts" in dossier.term_explanation() or "60 kalenderdagen" in (
        dossier.term_explanation()
    )
    assert "complete" in due_text(dossier).lower() or "volledig" in due_text(dossier).lower()

    workflow.transition(dossier, "declare_complete", actor_kind=OFFICER)

    dossier.refresh_from_db()
    today = timezone.localdate()
    assert dossier.complete_on == today
    assert dossier.decision_due == today + datetime.timedelta(days=60)
    assert not dossier.waits_for_completeness
    assert dossier.days_left() == 60


def test_term_from_submission_stays_when_declared_complete():
    due = timezone.localdate() + datetime.timedelta(days=20)
    dossier = DossierFactory(
        status=Status.IN_REVIEW, stages=["completeness"], term_days=30, decision_due=due
    )

    workflow.transition(dossier, "declare_complete", actor_kind=OFFICER)

    dossier.refresh_from_db()
    assert dossier.complete_on == timezone.localdate()
    assert dossier.decision_due == due


def test_incomplete_becomes_a_question_to_the_applicant(django_capture_on_commit_callbacks):
    dossier = waiting_dossier(status=Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        information.ask(
            dossier,
            None,
            "Het plan van het terras ontbreekt.",
            documents=[{"label": "Plan van het terras", "required": True}],
            transition_name="declare_incomplete",
        )

    dossier.refresh_from_db()
    assert dossier.status == Status.INFO_REQUESTED
    [question] = InformationRequest.objects.filter(dossier=dossier)
    assert question.question == "Het plan van het terras ontbreekt."
    [event] = dossier.events.filter(data__transition="declare_incomplete")
    assert event.public and event.data["question"] == question.question
    # One e-mail: the question (with its answer link), not a plain status change.
    [notification] = Notification.objects.filter(dossier=dossier)
    assert notification.kind == "information_requested"
    # The term has not started: nothing to pause.
    assert dossier.decision_due is None and dossier.due_paused_on is None


def test_applicant_reads_why_there_is_no_date_yet(client):
    dossier = waiting_dossier(status=Status.SUBMITTED)

    page = client.get(dossier.get_status_url()).content.decode()

    assert "data-term" in page
    assert "60" in page


def test_applicant_reads_the_term_started_at_completeness(client):
    dossier = waiting_dossier(status=Status.SUBMITTED)
    workflow.transition(dossier, "declare_complete", actor_kind=OFFICER)
    dossier.refresh_from_db()

    page = client.get(dossier.get_status_url()).content.decode()

    assert "data-term" in page
    assert str(dossier.decision_due.year) in page


def test_the_forms_settings_offer_the_stages_as_checkboxes(form_page):
    form_class = type(form_page).get_edit_handler().get_form_class()
    form = form_class(instance=form_page, for_user=None)

    assert [value for value, _label in form.fields["stages"].choices] == [
        "prepayment",
        "completeness",
        "advice",
        "payment",
        "college",
        "permit",
        "report",
    ]
    assert form.fields["stages"].widget.input_type == "checkbox"


def test_a_term_from_completeness_needs_the_completeness_check(form_page):
    from django.core.exceptions import ValidationError

    form_page.term_starts = "complete"
    form_page.stages = ["advice", "no-such-stage"]
    with pytest.raises(ValidationError) as excinfo:
        form_page.full_clean()
    assert "term_starts" in excinfo.value.message_dict

    form_page.stages = ["completeness", "no-such-stage"]
    form_page.full_clean()
    assert form_page.stages == ["completeness"]


def test_submission_keeps_the_forms_stages_and_waits_for_completeness(form_page):
    from dossiers import services
    from tests.factories import terrace_answers

    form_page.stages = ["completeness"]
    form_page.term_starts = "complete"
    form_page.decision_term_days = 60
    form_page.save()
    schema = form_page.get_schema()

    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )

    assert dossier.stages == ["completeness"]
    assert dossier.term_days == 60 and dossier.term_from_completeness
    assert dossier.decision_due is None and dossier.waits_for_completeness


def test_approval_waits_for_completeness_but_a_refusal_does_not():
    dossier = waiting_dossier(status=Status.IN_REVIEW)

    with pytest.raises(workflow.InvalidTransition) as excinfo:
        workflow.transition(dossier, "approve", actor_kind=OFFICER, data={"decision": "Ja."})
    assert "volledig" in str(excinfo.value) or "complete" in str(excinfo.value)
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_REVIEW

    workflow.transition(dossier, "declare_complete", actor_kind=OFFICER)
    workflow.transition(dossier, "approve", actor_kind=OFFICER, data={"decision": "Ja."})
    dossier.refresh_from_db()
    assert dossier.status == Status.APPROVED

    incomplete = waiting_dossier(status=Status.IN_REVIEW)
    workflow.transition(incomplete, "reject", actor_kind=OFFICER, data={"decision": "Onvolledig."})
    incomplete.refresh_from_db()
    assert incomplete.status == Status.REJECTED
