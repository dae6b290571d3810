"""Two officers acting on one dossier at the same moment: one succeeds, the other is told
the dossier changed, and nothing is overwritten (the dossier row is locked)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from dossiers import services, workflow
from dossiers.constants import EventType, Status
from dossiers.exceptions import ActionRefused, ConcurrentChange
from dossiers.models import Event
from tests.factories import DossierFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers; row locks are a PostgreSQL concern",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def at_the_same_moment(*actions):
    """Run the actions in threads released together; returns (results, errors)."""
    barrier = threading.Barrier(len(actions))
    results, errors = [], []

    def run(action):
        try:
            barrier.wait(timeout=10)
            results.append(action())
        except Exception as exc:  # noqa: BLE001 - reported by the assertions
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_two_officers_decide_at_once(officer, colleague, economy):
    dossier = DossierFactory(team=economy, status=Status.IN_REVIEW)

    def decide(user, name):
        return lambda: workflow.transition(
            dossier, name, actor=user, expected_status=Status.IN_REVIEW, data={"decision": name}
        )

    results, errors = at_the_same_moment(decide(officer, "approve"), decide(colleague, "reject"))

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ConcurrentChange)
    dossier.refresh_from_db()
    [event] = Event.objects.filter(dossier=dossier, type=EventType.STATUS_CHANGED)
    assert dossier.status == event.to_status == results[0].status
    assert dossier.decision_text == event.data["decision"]


def test_two_officers_take_the_same_dossier(officer, colleague, economy):
    dossier = DossierFactory(team=economy)

    def take(user):
        return lambda: services.assign(dossier, user, actor=user, expected_assignee=None)

    results, errors = at_the_same_moment(take(officer), take(colleague))

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ActionRefused)
    dossier.refresh_from_db()
    assert dossier.assigned_to == results[0].assigned_to
    assert Event.objects.filter(dossier=dossier, type=EventType.ASSIGNED).count() == 1


def test_two_officers_check_completeness_at_once(officer, colleague, economy):
    """One declares the application complete, the other incomplete: one wins, the other
    is told the dossier changed; one status change, one term."""
    dossier = DossierFactory(
        team=economy,
        status=Status.SUBMITTED,
        stages=["completeness"],
        term_days=60,
        term_from_completeness=True,
    )

    def complete():
        return workflow.transition(
            dossier, "declare_complete", actor=officer, expected_status=Status.SUBMITTED
        )

    def incomplete():
        from dossiers.information import services as information

        information.ask(
            dossier,
            colleague,
            "Het plan van het terras ontbreekt.",
            expected_status=Status.SUBMITTED,
            transition_name="declare_incomplete",
        )
        return dossier

    results, errors = at_the_same_moment(complete, incomplete)

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ActionRefused)
    [event] = Event.objects.filter(dossier=dossier, type=EventType.STATUS_CHANGED)
    dossier.refresh_from_db()
    assert dossier.status == event.to_status
    if event.data["transition"] == "declare_complete":
        assert dossier.decision_due is not None and not dossier.information_requests.exists()
    else:
        assert dossier.decision_due is None and dossier.information_requests.count() == 1


def test_two_officers_stop_waiting_for_advice_at_once(officer, colleague, economy):
    """Both go on without the advice: one closes the open requests, the other is told
    nothing is awaited any more; one event."""
    from dossiers.advice import services as advice
    from dossiers.models import AdviceParty

    dossier = DossierFactory(team=economy, status=Status.IN_REVIEW, stages=["advice"])
    brigade = AdviceParty.objects.create(name="de brandweer", email="advies@brandweer.be")
    advice.ask(
        dossier,
        officer,
        [brigade],
        deadline=datetime.date.today() + datetime.timedelta(days=7),
    )

    results, errors = at_the_same_moment(
        lambda: advice.stop_waiting(dossier, officer),
        lambda: advice.stop_waiting(dossier, colleague),
    )

    assert results == [1]
    assert len(errors) == 1 and isinstance(errors[0], ActionRefused)
    assert Event.objects.filter(dossier=dossier, type=EventType.ADVICE_NOT_AWAITED).count() == 1


def test_the_party_answers_while_the_applicant_withdraws(officer, economy):
    """The dossier row is locked first by both: either the advice is in before the
    withdrawal, or the party is told the advice can no longer be given."""
    from dossiers.advice import services as advice
    from dossiers.models import AdviceParty, AdviceRequest

    dossier = DossierFactory(team=economy, status=Status.IN_REVIEW, stages=["advice"])
    brigade = AdviceParty.objects.create(name="de brandweer", email="advies@brandweer.be")
    [made] = advice.ask(
        dossier,
        officer,
        [brigade],
        deadline=datetime.date.today() + datetime.timedelta(days=7),
    )

    results, errors = at_the_same_moment(
        lambda: advice.answer(made, verdict="favourable"),
        lambda: workflow.transition(dossier, "withdraw", actor_kind="applicant"),
    )

    assert len(results) + len(errors) == 2
    made = AdviceRequest.objects.get(pk=made.pk)
    if errors:
        assert isinstance(errors[0], ActionRefused) and made.answered_at is None
    else:
        assert made.answered_at is not None


def test_two_officers_record_a_college_meeting_at_once(officer, economy):
    """The meeting row is locked first: one records the whole list, the other is told
    it was recorded already; each dossier is decided once."""
    from django.contrib.auth.models import Group, Permission
    from django.utils import timezone

    from dossiers.college import services as college
    from dossiers.models import CollegeMeeting, CollegeOutcome, MeetingStatus
    from tests.dossiers.conftest import make_user

    group = Group.objects.create(name="Secretariaat")
    group.permissions.add(*Permission.objects.filter(content_type__model="collegemeeting"))
    first, second = make_user("secretary", group), make_user("deputy", group)
    meeting = CollegeMeeting.objects.create(date=timezone.localdate() + datetime.timedelta(1))
    dossiers = [
        DossierFactory(team=economy, status=Status.IN_REVIEW, stages=["college"]) for _ in range(3)
    ]
    proposals = [
        college.propose(each, officer, meeting=meeting, outcome="approved", decision="Ja.")
        for each in dossiers
    ]

    def record(user, outcome):
        return lambda: college.record_outcome(
            meeting, user, {proposal.pk: outcome for proposal in proposals}
        )

    results, errors = at_the_same_moment(
        record(first, CollegeOutcome.APPROVED), record(second, CollegeOutcome.REFUSED)
    )

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ActionRefused)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.RECORDED
    assert meeting.recorded_by == results[0].recorded_by
    wanted = Status.APPROVED if meeting.recorded_by == first else Status.REJECTED
    for each in dossiers:
        each.refresh_from_db()
        assert each.status == wanted
        decided = Event.objects.filter(dossier=each, to_status=wanted)
        assert decided.count() == 1
