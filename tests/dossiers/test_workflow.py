"""The status pipeline: every allowed and every refused transition."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from dossiers import stages, workflow
from dossiers.constants import EventType, Outcome, PaymentStatus, Status
from dossiers.models import Dossier, Event, Notification, PaymentRequest
from dossiers.payments import references
from dossiers.workflow import APPLICANT, COLLEGE, LEAD, OFFICER, SYSTEM, TRANSITIONS
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

#: The lifecycle as agreed with the municipality, spelled out so that any change to
#: dossiers.workflow.TRANSITIONS shows up here: name -> (sources, target, actors, requires).
EXPECTED_TABLE = {
    # Payment when submitting (stage "prepayment"; see test_prepayment.py): the paid
    # application reaches the team. Internal: the "submitted" event tells the applicant.
    # A late payment still sends an application closed as not paid.
    "receive_prepayment": ({"awaiting_payment", "not_paid"}, "submitted", {SYSTEM}, ()),
    "expire_unpaid": ({"awaiting_payment"}, "not_paid", {SYSTEM}, ()),
    "start_review": ({"submitted"}, "in_review", {OFFICER}, ()),
    "request_information": (
        {"submitted", "in_review"},
        "info_requested",
        {OFFICER},
        ("question",),
    ),
    "receive_information": ({"info_requested"}, "in_review", {APPLICANT, OFFICER}, ()),
    # The completeness check (stage "completeness"; see test_stages.py for the guard).
    "declare_complete": ({"submitted", "in_review"}, "in_review", {OFFICER}, ()),
    "declare_incomplete": (
        {"submitted", "in_review"},
        "info_requested",
        {OFFICER},
        ("question",),
    ),
    "approve": ({"in_review"}, "approved", {OFFICER}, ("decision",)),
    "reject": ({"in_review"}, "rejected", {OFFICER}, ("decision",)),
    # The college decision (stage "college"; dossiers.college records the outcome of a
    # meeting's whole list, the college being the actor).
    "propose_to_college": ({"in_review"}, "college", {OFFICER}, ("decision",)),
    # Taken off the list again before the meeting's outcome is recorded.
    "take_off_college_list": ({"college"}, "in_review", {OFFICER}, ("reason",)),
    "college_approve": ({"college"}, "approved", {COLLEGE}, ("decision",)),
    "college_reject": ({"college"}, "rejected", {COLLEGE}, ("decision",)),
    "college_postpone": ({"college"}, "college", {COLLEGE}, ()),
    # Sent on to another authority, which handles it now (dossiers.routing).
    "forward": (
        {"submitted", "in_review", "info_requested"},
        "forwarded",
        {OFFICER},
        ("authority", "message"),
    ),
    # SYSTEM: an erasure on request withdraws open dossiers first (dossiers.privacy).
    "withdraw": (
        {"submitted", "in_review", "info_requested", "college"},
        "withdrawn",
        {APPLICANT, SYSTEM},
        (),
    ),
    # Payment before the permit (stage "payment"; see test_online_payments.py for the
    # guard): SYSTEM when the payment is booked, an officer when it was paid otherwise.
    "issue_permit": ({"approved"}, "approved", {SYSTEM, OFFICER}, ()),
    "close": ({"approved", "rejected", "withdrawn", "forwarded"}, "closed", {OFFICER}, ()),
    "reopen": ({"closed"}, "in_review", {LEAD}, ()),
    # Reports from residents (stage "report"; see test_reports.py). SYSTEM: routing at
    # submission, the outside party's link, a merged report following its lead.
    "start_handling": ({"reported", "reopened"}, "in_review", {OFFICER, SYSTEM}, ()),
    "schedule": ({"reported", "in_review", "reopened"}, "scheduled", {OFFICER, SYSTEM}, ()),
    "forward_to_party": (
        {"reported", "in_review", "scheduled", "reopened"},
        "forwarded_external",
        {OFFICER, SYSTEM},
        ("party",),
    ),
    "resolve": (
        {"reported", "in_review", "scheduled", "forwarded_external", "reopened"},
        "resolved",
        {OFFICER, SYSTEM},
        (),
    ),
    "reopen_report": ({"resolved"}, "reopened", {APPLICANT, OFFICER, SYSTEM}, ()),
}
#: Report transitions the reporter reads on the status page but gets no e-mail for
#: (only "in behandeling" and "afgehandeld" are e-mailed).
SILENT_REPORT_TRANSITIONS = ("schedule", "forward_to_party", "reopen_report")
#: Every stage of the library: the table test runs on a procedure that uses them all.
ALL_STAGES = [stage.id for stage in stages.stages.all()]


def dossier_for_table(name: str, source: str, **fields):
    """A dossier in ``source`` whose procedure uses every stage that lets ``name``
    through: declared complete already, unless ``name`` is the completeness check itself
    (an approval waits for completeness; see test_completeness.py); an officer's own
    decision is for a procedure without the college (see test_college.py); paid, when
    ``name`` is the payment stage's (the permit is issued once paid; the permit stage
    is left out there: its details come from an approval, see test_payment_and_permit
    in test_permits.py)."""
    spec = TRANSITIONS[name]
    if spec.stage != stages.COMPLETENESS:
        fields.setdefault("complete_on", timezone.localdate())
    used = [
        each
        for each in ALL_STAGES
        if not (each == stages.COLLEGE and spec.decides and spec.stage != stages.COLLEGE)
        and not (each == stages.PERMIT and spec.stage == stages.PAYMENT)
    ]
    dossier = DossierFactory(status=source, stages=used, **fields)
    if spec.stage in (stages.PAYMENT, stages.PREPAYMENT):
        PaymentRequest.objects.create(
            dossier=dossier,
            amount=Decimal("150.00"),
            due_date=timezone.localdate(),
            structured_reference=references.new_reference(),
            status=PaymentStatus.PAID,
        )
    return dossier


#: Every kind of actor (dossiers.constants); a lead is an officer too, see test_roles.
ACTOR_KINDS = (APPLICANT, OFFICER, LEAD, SYSTEM, COLLEGE)

ALLOWED = [(t.name, str(source)) for t in TRANSITIONS.values() for source in t.sources]
REFUSED = [
    (t.name, status)
    for t in TRANSITIONS.values()
    for status in Status.values
    if status not in t.sources
]
#: Input that satisfies every transition's ``requires``.
VALID_DATA = {
    "question": "Hoe breed is de stoep?",
    "decision": "Vergunning verleend.",
    # The permit of an approval (stage "permit").
    "valid_from": "2027-04-01",
    "valid_until": "2027-09-30",
    "place": "Markt 1, voor het café",
    # Taking a proposal off the college's list.
    "reason": "Het advies van de brandweer ontbreekt nog.",
    # Forwarding to another authority.
    "authority": "het Agentschap Wegen en Verkeer",
    "message": "Uw terras ligt langs een gewestweg.",
    # Forwarding a report to an outside party.
    "party": "Fluvius",
}


def allowed_actor(name: str) -> str:
    actors = TRANSITIONS[name].actors
    return OFFICER if OFFICER in actors else actors[0]


def status_changes(dossier):
    return Event.objects.filter(dossier=dossier, type=EventType.STATUS_CHANGED)


def test_transition_table_is_the_agreed_lifecycle():
    actual = {
        t.name: (set(t.sources), t.target, set(t.actors), t.requires) for t in TRANSITIONS.values()
    }
    assert actual == EXPECTED_TABLE


def test_parametrization_covers_every_transition_and_status():
    # 24 transitions x 16 statuses: each pair is either allowed or refused, never both.
    assert len(ALLOWED) == sum(len(sources) for sources, *_ in EXPECTED_TABLE.values()) == 46
    assert len(ALLOWED) + len(REFUSED) == len(TRANSITIONS) * len(Status) == 384
    assert not set(ALLOWED) & set(REFUSED)


@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_allowed_transition(name, source, django_capture_on_commit_callbacks):
    dossier = dossier_for_table(name, source)

    with django_capture_on_commit_callbacks(execute=True):
        result = workflow.transition(
            dossier,
            name,
            actor_kind=allowed_actor(name),
            expected_status=source,
            data=VALID_DATA,
        )
        # Checked before the after-commit e-mail adds its own (internal) event.
        [event] = Event.objects.filter(dossier=dossier)

    target = EXPECTED_TABLE[name][1]
    dossier.refresh_from_db()
    assert result.status == dossier.status == target
    assert event.type == EventType.STATUS_CHANGED
    assert (event.from_status, event.to_status) == (source, target)
    assert event.public == TRANSITIONS[name].public
    assert event.data["transition"] == name
    if not TRANSITIONS[name].public:
        # Only receive_prepayment: the "submitted" event it leads to tells the applicant.
        assert name == "receive_prepayment"
        assert not event.public
        assert not Notification.objects.filter(dossier=dossier).exists()
        return
    if name in SILENT_REPORT_TRANSITIONS:
        assert not Notification.objects.filter(dossier=dossier).exists()
        return
    [notification] = Notification.objects.filter(dossier=dossier)
    assert notification.event == event
    assert notification.recipient == "an@cafedemarkt.be"
    [email] = mail.outbox
    assert email.to == ["an@cafedemarkt.be"]
    assert dossier.reference in email.subject
    assert dossier.get_absolute_status_url() in email.body


@pytest.mark.parametrize(("name", "status"), REFUSED)
def test_refused_transition(name, status, django_capture_on_commit_callbacks):
    dossier = DossierFactory(status=status, stages=ALL_STAGES)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(workflow.InvalidTransition) as excinfo,
    ):
        workflow.transition(dossier, name, actor_kind=allowed_actor(name), data=VALID_DATA)

    assert not isinstance(excinfo.value, workflow.ConcurrentChange)
    dossier.refresh_from_db()
    assert dossier.status == status
    assert not Event.objects.filter(dossier=dossier).exists()
    assert not Notification.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_unknown_transition_is_refused():
    dossier = DossierFactory(status=Status.SUBMITTED)

    with pytest.raises(workflow.InvalidTransition):
        workflow.transition(dossier, "delete")

    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert not Event.objects.exists()


def test_applicant_may_only_send_information_and_withdraw():
    applicant_names = {t.name for t in TRANSITIONS.values() if APPLICANT in t.actors}
    assert applicant_names == {"receive_information", "withdraw", "reopen_report"}


@pytest.mark.parametrize(
    ("name", "actor_kind"),
    [
        (name, actor_kind)
        for name, (_sources, _target, actors, _requires) in EXPECTED_TABLE.items()
        for actor_kind in ACTOR_KINDS
        if actor_kind not in actors
    ],
)
def test_actor_kind_not_allowed(name, actor_kind):
    source = sorted(EXPECTED_TABLE[name][0])[0]
    dossier = DossierFactory(status=source)

    with pytest.raises(workflow.InvalidTransition):
        workflow.transition(dossier, name, actor_kind=actor_kind, data=VALID_DATA)

    dossier.refresh_from_db()
    assert dossier.status == source
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("status", "officer_names", "lead_names", "applicant_names"),
    [
        ("awaiting_payment", [], [], []),
        ("not_paid", [], [], []),
        ("submitted", ["start_review", "request_information", "forward"], [], ["withdraw"]),
        ("in_review", ["request_information", "approve", "reject", "forward"], [], ["withdraw"]),
        (
            "info_requested",
            ["receive_information", "forward"],
            [],
            ["receive_information", "withdraw"],
        ),
        ("college", [], [], ["withdraw"]),
        ("forwarded", ["close"], [], []),
        ("approved", ["close"], [], []),
        ("rejected", ["close"], [], []),
        ("withdrawn", ["close"], [], []),
        ("closed", [], ["reopen"], []),
        # Reports (stage "report"): buttons only for a dossier of a report form.
        ("reported", [], [], []),
        ("scheduled", [], [], []),
        ("forwarded_external", [], [], []),
        ("resolved", [], [], []),
        ("reopened", [], [], []),
    ],
)
def test_available_transitions_offer_the_buttons_per_status(
    status, officer_names, lead_names, applicant_names
):
    dossier = DossierFactory.build(status=status)

    assert [t.name for t in workflow.available_transitions(dossier)] == officer_names
    assert [t.name for t in workflow.available_transitions(dossier, OFFICER)] == officer_names
    assert [t.name for t in workflow.available_transitions(dossier, LEAD)] == lead_names
    assert [t.name for t in workflow.available_transitions(dossier, APPLICANT)] == applicant_names
    system_names = ["withdraw"] if "withdraw" in applicant_names else []
    if status == "awaiting_payment":
        # Closed by the daily task when nobody paid (dossiers.payments.prepayment).
        system_names = ["expire_unpaid"]
    assert [t.name for t in workflow.available_transitions(dossier, SYSTEM)] == system_names


@pytest.mark.parametrize(
    ("name", "source", "key"),
    [
        ("approve", "in_review", "decision"),
        ("reject", "in_review", "decision"),
        ("request_information", "submitted", "question"),
        ("request_information", "in_review", "question"),
    ],
)
@pytest.mark.parametrize("value", [None, "", "   \n"])
def test_transition_needs_its_text(name, source, key, value):
    dossier = DossierFactory(status=source)

    with pytest.raises(workflow.InvalidTransition):
        workflow.transition(dossier, name, data={key: value} if value is not None else {})

    dossier.refresh_from_db()
    assert dossier.status == source
    assert not Event.objects.exists()


def test_decision_text_is_kept_on_the_event():
    dossier = DossierFactory(status=Status.IN_REVIEW)

    workflow.transition(dossier, "reject", data={"decision": "Het terras blokkeert de stoep."})

    event = status_changes(dossier).get()
    assert event.data == {"transition": "reject", "decision": "Het terras blokkeert de stoep."}


def test_actor_is_recorded_on_the_event(officer, economy):
    dossier = DossierFactory(status=Status.SUBMITTED, team=economy)

    workflow.transition(dossier, "start_review", actor=officer)

    assert status_changes(dossier).get().actor == officer


def test_stale_expected_status_raises_concurrent_change():
    dossier = DossierFactory(status=Status.IN_REVIEW)

    # The officer saw "submitted"; a colleague started the review meanwhile.
    with pytest.raises(workflow.ConcurrentChange):
        workflow.transition(
            dossier,
            "request_information",
            expected_status=Status.SUBMITTED,
            data={"question": "Hoe breed is de stoep?"},
        )

    dossier.refresh_from_db()
    assert dossier.status == Status.IN_REVIEW
    assert not Event.objects.exists()


def test_status_is_read_from_the_database_not_the_callers_copy():
    dossier = DossierFactory(status=Status.SUBMITTED)
    stale_copy = Dossier.objects.get(pk=dossier.pk)
    workflow.transition(dossier, "start_review")

    # The stale copy still says "submitted", but the review has started already.
    with pytest.raises(workflow.InvalidTransition):
        workflow.transition(stale_copy, "start_review")

    assert status_changes(dossier).count() == 1


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("in_review", "approve"),
        ("in_review", "reject"),
        ("submitted", "withdraw"),
        ("info_requested", "withdraw"),
    ],
)
def test_closed_at_is_set_when_handling_ends(source, name):
    dossier = DossierFactory(status=source)
    assert dossier.closed_at is None

    dossier = workflow.transition(dossier, name, actor_kind=allowed_actor(name), data=VALID_DATA)

    dossier.refresh_from_db()
    assert dossier.closed_at is not None


def test_closing_keeps_the_moment_handling_ended():
    dossier = DossierFactory(status=Status.APPROVED)
    ended_at = dossier.closed_at

    workflow.transition(dossier, "close")

    dossier.refresh_from_db()
    assert dossier.status == Status.CLOSED
    assert dossier.closed_at == ended_at


def test_reopen_clears_closed_at():
    dossier = DossierFactory(status=Status.CLOSED)
    assert dossier.closed_at is not None

    workflow.transition(dossier, "reopen", actor_kind=LEAD)

    dossier.refresh_from_db()
    assert dossier.status == Status.IN_REVIEW
    assert dossier.closed_at is None


@pytest.mark.parametrize(
    ("source", "name"),
    [("submitted", "start_review"), ("in_review", "request_information")],
)
def test_open_statuses_have_no_closed_at(source, name):
    dossier = DossierFactory(status=source)

    workflow.transition(dossier, name, data=VALID_DATA)

    dossier.refresh_from_db()
    assert dossier.closed_at is None


def test_no_email_without_applicant_address(django_capture_on_commit_callbacks):
    dossier = DossierFactory(status=Status.SUBMITTED, applicant_email="")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(dossier, "start_review")

    dossier.refresh_from_db()
    assert dossier.status == Status.IN_REVIEW
    assert status_changes(dossier).count() == 1
    assert not Notification.objects.exists()
    assert mail.outbox == []


# --- who acts: the kinds of actors a user has on the dossier's team ----------------------

#: The transitions officers make in the admin, with a status they start from.
OFFICER_TRANSITIONS = [
    (name, sorted(sources)[0])
    for name, (sources, _target, actors, _requires) in EXPECTED_TABLE.items()
    if actors & {OFFICER, LEAD}
]


@pytest.mark.parametrize(("name", "source"), OFFICER_TRANSITIONS)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("officer", lambda name: OFFICER in TRANSITIONS[name].actors),
        ("lead", lambda name: True),
        ("admin", lambda name: True),
        ("other_officer", lambda name: False),
        ("editor", lambda name: False),
    ],
)
def test_user_may_make_what_their_role_on_the_team_allows(
    name, source, role, allowed, people, economy
):
    dossier = dossier_for_table(name, source, team=economy)
    user = people[role]

    offered = [t.name for t in workflow.available_transitions(dossier, actor=user)]
    if allowed(name):
        workflow.transition(dossier, name, actor=user, data=VALID_DATA)
        dossier.refresh_from_db()
        assert dossier.status == EXPECTED_TABLE[name][1]
        assert status_changes(dossier).get().actor == user
        assert name in offered
    else:
        with pytest.raises(workflow.InvalidTransition):
            workflow.transition(dossier, name, actor=user, data=VALID_DATA)
        dossier.refresh_from_db()
        assert dossier.status == source
        assert not status_changes(dossier).exists()
        assert name not in offered


def test_dossier_without_team_is_for_administrators_only(officer, lead, admin):
    dossier = DossierFactory(status=Status.SUBMITTED, team=None)

    for user in (officer, lead):
        with pytest.raises(workflow.InvalidTransition):
            workflow.transition(dossier, "start_review", actor=user)
    workflow.transition(dossier, "start_review", actor=admin)

    dossier.refresh_from_db()
    assert dossier.status == Status.IN_REVIEW


def test_stated_actor_kind_wins_over_the_user(officer, economy):
    # The applicant's status page states the kind; the user (if any) is only recorded.
    dossier = DossierFactory(status=Status.INFO_REQUESTED, team=economy)

    with pytest.raises(workflow.InvalidTransition):
        workflow.transition(dossier, "withdraw", actor=officer)
    workflow.transition(dossier, "withdraw", actor_kind=APPLICANT)

    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN


# --- the decision --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "outcome"), [("approve", Outcome.APPROVED), ("reject", Outcome.REJECTED)]
)
def test_decision_is_stored_on_the_dossier(name, outcome, officer, economy):
    dossier = DossierFactory(status=Status.IN_REVIEW, team=economy)
    before = timezone.now()

    workflow.transition(dossier, name, actor=officer, data={"decision": "  Omdat het kan.  "})

    dossier.refresh_from_db()
    assert dossier.decision_outcome == outcome
    assert dossier.decision_text == "Omdat het kan."
    assert dossier.decided_by == officer
    assert before <= dossier.decided_at <= timezone.now()


@pytest.mark.parametrize(
    ("name", "source"),
    [
        (name, source)
        for name, source in ALLOWED
        # Reopening (a dossier or a handled report) goes back to open handling, which
        # has no decision (dossiers.workflow._record_decision); so does sending an
        # application closed as not paid (it never had a decision).
        if not TRANSITIONS[name].decides
        and name not in ("reopen", "reopen_report")
        and source != "not_paid"
    ],
)
def test_other_transitions_leave_the_decision_alone(name, source):
    decided_at = timezone.now() - datetime.timedelta(days=3)
    dossier = dossier_for_table(
        name,
        source,
        decision_outcome=Outcome.APPROVED,
        decision_text="Ja.",
        decided_at=decided_at,
    )

    workflow.transition(dossier, name, actor_kind=allowed_actor(name), data=VALID_DATA)

    dossier.refresh_from_db()
    assert (dossier.decision_outcome, dossier.decision_text) == (Outcome.APPROVED, "Ja.")
    assert dossier.decided_at == decided_at


def test_reopening_takes_the_decision_off_the_dossier_but_not_off_the_timeline(lead, economy):
    dossier = DossierFactory(status=Status.IN_REVIEW, team=economy)
    workflow.transition(dossier, "reject", actor=lead, data={"decision": "Te groot terras."})
    workflow.transition(dossier, "close", actor=lead)

    workflow.transition(dossier, "reopen", actor=lead)

    dossier.refresh_from_db()
    assert dossier.status == Status.IN_REVIEW
    assert dossier.decision_outcome == dossier.decision_text == ""
    assert dossier.decided_by is None and dossier.decided_at is None
    rejected = status_changes(dossier).get(to_status=Status.REJECTED)
    assert rejected.data["decision"] == "Te groot terras."


# --- the decision term stands still while waiting for the applicant ------------------------


class FixedDay:
    """Makes "today" a given day for the workflow and for days_left()."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def __call__(self, day: datetime.date):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        self.monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def on_day(monkeypatch):
    return FixedDay(monkeypatch)


DAY = datetime.date(2026, 3, 2)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.mark.parametrize("source", ["submitted", "in_review"])
def test_asking_for_information_pauses_the_term(source, on_day):
    dossier = DossierFactory(status=source, decision_due=DAY + days(10))
    on_day(DAY)

    workflow.transition(dossier, "request_information", data=VALID_DATA)

    dossier.refresh_from_db()
    assert dossier.due_paused_on == DAY
    assert dossier.decision_due == DAY + days(10)
    on_day(DAY + days(30))
    assert dossier.days_left() == 10  # it stands still while the applicant is asked
    assert not Dossier.objects.overdue().filter(pk=dossier.pk).exists()


@pytest.mark.parametrize(
    ("name", "actor_kind"),
    [("receive_information", APPLICANT), ("receive_information", OFFICER), ("withdraw", APPLICANT)],
)
def test_leaving_info_requested_moves_the_decision_date_by_the_days_waited(
    name, actor_kind, on_day
):
    dossier = DossierFactory(status=Status.SUBMITTED, decision_due=DAY + days(10))
    on_day(DAY)
    workflow.transition(dossier, "request_information", data=VALID_DATA)

    on_day(DAY + days(7))
    workflow.transition(dossier, name, actor_kind=actor_kind)

    dossier.refresh_from_db()
    assert dossier.due_paused_on is None
    assert dossier.decision_due == DAY + days(17)


def test_the_term_runs_again_from_where_it_stopped(on_day):
    dossier = DossierFactory(status=Status.IN_REVIEW, decision_due=DAY + days(10))
    on_day(DAY + days(4))
    assert dossier.days_left() == 6
    workflow.transition(dossier, "request_information", data=VALID_DATA)

    on_day(DAY + days(20))
    workflow.transition(dossier, "receive_information")
    dossier.refresh_from_db()
    assert dossier.days_left() == 6

    # Asked again: only the new waiting days are added.
    workflow.transition(dossier, "request_information", data=VALID_DATA)
    on_day(DAY + days(23))
    workflow.transition(dossier, "receive_information")
    dossier.refresh_from_db()
    assert dossier.decision_due == DAY + days(10 + 16 + 3)
    assert dossier.days_left() == 6


def test_answered_the_same_day_adds_nothing(on_day):
    dossier = DossierFactory(status=Status.IN_REVIEW, decision_due=DAY + days(10))
    on_day(DAY)

    workflow.transition(dossier, "request_information", data=VALID_DATA)
    workflow.transition(dossier, "receive_information")

    dossier.refresh_from_db()
    assert dossier.decision_due == DAY + days(10)
    assert dossier.due_paused_on is None


def test_without_a_decision_date_nothing_pauses(on_day):
    dossier = DossierFactory(status=Status.IN_REVIEW, decision_due=None)
    on_day(DAY)

    workflow.transition(dossier, "request_information", data=VALID_DATA)
    on_day(DAY + days(5))
    workflow.transition(dossier, "receive_information")

    dossier.refresh_from_db()
    assert dossier.decision_due is None and dossier.due_paused_on is None


def test_overdue_counts_like_days_left(on_day):
    on_day(DAY)
    late = DossierFactory(status=Status.IN_REVIEW, decision_due=DAY - days(1))
    due_today = DossierFactory(status=Status.IN_REVIEW, decision_due=DAY)
    # Paused two days before its date: not late, however long the applicant takes.
    waiting = DossierFactory(
        status=Status.INFO_REQUESTED, decision_due=DAY - days(5), due_paused_on=DAY - days(7)
    )
    # Paused when it was already late: still late.
    waiting_late = DossierFactory(
        status=Status.INFO_REQUESTED, decision_due=DAY - days(5), due_paused_on=DAY - days(3)
    )
    decided = DossierFactory(status=Status.APPROVED, decision_due=DAY - days(9))

    assert set(Dossier.objects.overdue()) == {late, waiting_late}
    assert [d.days_left() for d in (late, due_today, waiting, waiting_late, decided)] == [
        -1,
        0,
        2,
        -2,
        None,
    ]
