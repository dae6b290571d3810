"""Twenty officers act on one dossier at the same moment (PostgreSQL, 20 connections).

Each thread makes a transition through ``dossiers.workflow.transition`` with its own
database connection, all released together. Exactly one wins; every other one is told
the dossier changed (``ConcurrentChange``, when it said which status it saw, as the
back office's buttons do) or that the action is no longer possible
(``InvalidTransition``). The timeline has exactly one status change, the dossier's
status, decision and outbox agree with it.
"""

from __future__ import annotations

import itertools

import pytest

from dossiers import workflow
from dossiers.constants import EventType, Status
from dossiers.exceptions import ConcurrentChange
from dossiers.models import Event, Notification
from dossiers.workflow import InvalidTransition
from tests.dossiers.conftest import make_team, make_user
from tests.dossiers.test_concurrency import at_the_same_moment
from tests.factories import DossierFactory

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 20


@pytest.fixture
def team(db):
    return make_team("Economie")


@pytest.fixture
def officers(team):
    return [make_user(f"officer{number}", team.group) for number in range(THREADS)]


def run_together(dossier, officers, names, *, seen: str):
    """Each officer makes the next transition of ``names`` at the same moment; every
    other one states the status it saw (``seen``), the rest do not."""

    def action(officer, name, states_seen):
        return lambda: workflow.transition(
            dossier,
            name,
            actor=officer,
            expected_status=seen if states_seen else None,
            data={"decision": f"{name} by {officer.username}", "question": "Welke kleur?"},
        )

    actions = [
        action(officer, name, number % 2 == 0)
        for number, (officer, name) in enumerate(zip(officers, itertools.cycle(names)))
    ]
    return at_the_same_moment(*actions)


def assert_one_winner(dossier, results, errors):
    assert len(results) == 1, f"{len(results)} transitions won"
    assert len(errors) == THREADS - 1
    refused = [
        error for error in errors if not isinstance(error, ConcurrentChange | InvalidTransition)
    ]
    assert refused == [], refused
    assert any(isinstance(error, ConcurrentChange) for error in errors)

    dossier.refresh_from_db()
    [event] = Event.objects.filter(dossier=dossier, type=EventType.STATUS_CHANGED)
    winner = results[0]
    assert dossier.status == event.to_status == winner.status
    assert event.actor_id == winner.decided_by_id or not winner.decision_outcome
    return dossier, event


def test_twenty_officers_start_the_review_at_once(need_postgres, team, officers):
    dossier = DossierFactory(team=team, status=Status.SUBMITTED)

    results, errors = run_together(dossier, officers, ["start_review"], seen=Status.SUBMITTED)

    dossier, event = assert_one_winner(dossier, results, errors)
    assert (event.from_status, event.to_status) == (Status.SUBMITTED, Status.IN_REVIEW)
    assert Notification.objects.filter(dossier=dossier, event=event).count() == 1


def test_twenty_officers_decide_differently_at_once(need_postgres, team, officers):
    dossier = DossierFactory(team=team, status=Status.IN_REVIEW)

    results, errors = run_together(
        dossier, officers, ["approve", "reject", "request_information"], seen=Status.IN_REVIEW
    )

    dossier, event = assert_one_winner(dossier, results, errors)
    name = event.data["transition"]
    assert event.to_status == workflow.TRANSITIONS[name].target
    if name in ("approve", "reject"):
        assert dossier.decision_text == event.data["decision"]
        assert dossier.decided_by_id == event.actor_id
        assert dossier.closed_at is not None
    else:
        assert dossier.decision_text == "" and dossier.decided_by_id is None
    assert Notification.objects.filter(dossier=dossier, event=event).count() == 1
