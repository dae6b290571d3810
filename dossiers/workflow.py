"""The lifecycle of a dossier: the ONLY code that writes ``Dossier.status``.

This module is longer than 400 lines because the lifecycle table is one readable list
of every transition (split, nobody could see the whole lifecycle at once).

Every allowed change is a :class:`Transition` in :data:`TRANSITIONS`, which names the
statuses it starts from, the status it leads to, the kinds of actors that may make it
(see :mod:`dossiers.constants`; :mod:`dossiers.permissions` gives a user's kinds on a
dossier), the text it needs, whether the applicant is told and what the applicant reads
about it on the status page.

:func:`transition` locks the dossier row, checks the change is allowed from the current
status for this actor, and writes in one transaction: the status, the decision (for a
deciding transition), the decision term (paused while waiting for the applicant, see
:func:`_keep_decision_term`), ``closed_at``, an :class:`~dossiers.models.Event` and the
notifications. A transition of a procedure stage (``Transition.stage``) is only possible
when the dossier's form uses that stage and the stage allows it now; a stage the dossier
uses may hold any transition back (the decision waits for the advice asked), see
:mod:`dossiers.stages`. A refused change raises :class:`InvalidTransition`; a dossier that
changed since the actor looked at it raises :class:`ConcurrentChange`, so nothing is
silently overwritten.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers import permissions, stages
from dossiers.constants import (
    APPLICANT,
    COLLEGE,
    LEAD,
    OFFICER,
    OPEN_STATUSES,
    PAUSED_STATUSES,
    SYSTEM,
    EventType,
    Outcome,
    Status,
)
from dossiers.exceptions import ActionRefused, ConcurrentChange
from dossiers.models import Dossier, Event
from dossiers.outbox import notify

__all__ = [
    "APPLICANT",
    "COLLEGE",
    "LEAD",
    "OFFICER",
    "SYSTEM",
    "TRANSITIONS",
    "ConcurrentChange",
    "InvalidTransition",
    "Transition",
    "available_transitions",
    "transition",
]


class InvalidTransition(ActionRefused):
    """The requested status change is not allowed now; the message is for the person."""


@dataclass(frozen=True)
class Transition:
    name: str
    #: What the button says.
    label: str
    sources: tuple[str, ...]
    target: str
    #: Kinds of actors that may make this change (dossiers.constants).
    actors: tuple[str, ...] = (OFFICER,)
    #: Data keys that must be given and not empty (e.g. a rejection's motivation).
    requires: tuple[str, ...] = ()
    #: Whether the applicant sees the resulting event and gets an e-mail.
    public: bool = True
    #: The outcome this transition decides (stored on the dossier with the "decision"
    #: text, who decided and when); empty for transitions that decide nothing.
    decides: str = ""
    #: The sentence the applicant reads for this change on the status page's timeline.
    applicant_text: str = ""
    #: Sentences that replace :attr:`applicant_text` when the change had a cause of its
    #: own (``data["cause"]``), e.g. a withdrawal because of an erasure request.
    applicant_text_by_cause: dict[str, str] = field(default_factory=dict, compare=False)
    #: The key of the event's data whose text the applicant reads under the sentence
    #: (the question asked, the reason given); empty for none.
    applicant_detail: str = ""
    #: The procedure stage (dossiers.stages) this transition belongs to: it is only
    #: possible when the dossier's form uses that stage and the stage allows it now.
    #: Empty for the transitions every procedure has.
    stage: str = ""
    #: Whether this transition declares the application complete: the day is stored and,
    #: when the term waits for completeness, the decision term starts that day.
    completes: bool = False
    #: Keys of the event's data the applicant's sentence names (``%(authority)s``).
    applicant_values: tuple[str, ...] = ()

    def text_for_applicant(self, data: dict) -> str:
        """The sentence the applicant reads for an event of this transition."""
        text = str(self.applicant_text_by_cause.get(data.get("cause"), self.applicant_text))
        if self.applicant_values:
            text = text % {key: data.get(key, "") for key in self.applicant_values}
        return text

    def detail_for_applicant(self, data: dict) -> str:
        """The text the applicant reads under the sentence (see :attr:`applicant_detail`)."""
        return data.get(self.applicant_detail, "") if self.applicant_detail else ""


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        # "Payment when submitting": the fee is paid, so the application reaches the
        # team (dossiers.payments.prepayment writes the "submitted" event and e-mails).
        Transition(
            "receive_prepayment",
            _("Send the application once paid"),
            # From "not paid" as well: a late payment still sends the application.
            (Status.AWAITING_PAYMENT, Status.NOT_PAID),
            Status.SUBMITTED,
            actors=(SYSTEM,),
            public=False,
            stage=stages.PREPAYMENT,
        ),
        # Nobody paid within LOKET_UNPAID_APPLICATION_DAYS (dossiers.payments.prepayment).
        Transition(
            "expire_unpaid",
            _("Close the unpaid application"),
            (Status.AWAITING_PAYMENT,),
            Status.NOT_PAID,
            actors=(SYSTEM,),
            applicant_text=_("Your application was not sent: the fee was not paid in time."),
        ),
        Transition(
            "start_review",
            _("Start review"),
            (Status.SUBMITTED,),
            Status.IN_REVIEW,
            applicant_text=_("An officer started to review your application."),
        ),
        Transition(
            "request_information",
            _("Ask for information"),
            (Status.SUBMITTED, Status.IN_REVIEW),
            Status.INFO_REQUESTED,
            requires=("question",),
            applicant_text=_("We asked you for more information."),
            applicant_detail="question",
        ),
        Transition(
            "receive_information",
            _("Send the information"),
            (Status.INFO_REQUESTED,),
            Status.IN_REVIEW,
            actors=(APPLICANT, OFFICER),
            applicant_text=_("We received the information. The review goes on."),
        ),
        Transition(
            "declare_complete",
            _("Declare complete"),
            (Status.SUBMITTED, Status.IN_REVIEW),
            Status.IN_REVIEW,
            stage=stages.COMPLETENESS,
            completes=True,
            applicant_text=_("Your application is complete. We are now reviewing it."),
        ),
        Transition(
            "declare_incomplete",
            _("Declare incomplete"),
            (Status.SUBMITTED, Status.IN_REVIEW),
            Status.INFO_REQUESTED,
            # The question says what is missing; dossiers.completeness asks it as an
            # information request, so the applicant answers on the usual page.
            requires=("question",),
            stage=stages.COMPLETENESS,
            applicant_text=_(
                "Your application is not complete yet. We asked you for what is missing."
            ),
            applicant_detail="question",
        ),
        Transition(
            "approve",
            _("Approve"),
            (Status.IN_REVIEW,),
            Status.APPROVED,
            requires=("decision",),
            decides=Outcome.APPROVED,
            applicant_text=_("Your application was approved."),
        ),
        Transition(
            "reject",
            _("Reject"),
            (Status.IN_REVIEW,),
            Status.REJECTED,
            requires=("decision",),
            decides=Outcome.REJECTED,
            applicant_text=_("Your application was rejected."),
        ),
        Transition(
            "propose_to_college",
            _("Propose a decision to the college"),
            (Status.IN_REVIEW,),
            Status.COLLEGE,
            # dossiers.college.services.propose: the proposal goes on a meeting's list
            # in the same transaction (the back office's own screen, not a plain button).
            requires=("decision",),
            stage=stages.COLLEGE,
            applicant_text=_(
                "We sent a proposed decision on your application to the college of mayor "
                "and aldermen."
            ),
        ),
        Transition(
            "take_off_college_list",
            _("Take off the college list"),
            (Status.COLLEGE,),
            Status.IN_REVIEW,
            # dossiers.college.services.take_off_list: before the meeting's outcome is
            # recorded; the proposal stays on the meeting's page, marked with the reason.
            requires=("reason",),
            stage=stages.COLLEGE,
            applicant_text=_(
                "We took the proposed decision on your application off the college's "
                "list. We will put it on the list of a later meeting."
            ),
        ),
        # The college's outcome, recorded for a meeting's whole list at once
        # (dossiers.college.services.record_outcome); never a button on one dossier.
        Transition(
            "college_approve",
            _("Approved by the college"),
            (Status.COLLEGE,),
            Status.APPROVED,
            actors=(COLLEGE,),
            requires=("decision",),
            decides=Outcome.APPROVED,
            stage=stages.COLLEGE,
            applicant_text=_("The college of mayor and aldermen approved your application."),
        ),
        Transition(
            "college_reject",
            _("Refused by the college"),
            (Status.COLLEGE,),
            Status.REJECTED,
            actors=(COLLEGE,),
            requires=("decision",),
            decides=Outcome.REJECTED,
            stage=stages.COLLEGE,
            applicant_text=_("The college of mayor and aldermen refused your application."),
        ),
        Transition(
            "college_postpone",
            _("Postponed by the college"),
            (Status.COLLEGE,),
            Status.COLLEGE,
            actors=(COLLEGE,),
            stage=stages.COLLEGE,
            applicant_text=_(
                "The college of mayor and aldermen postponed its decision to a later meeting."
            ),
        ),
        Transition(
            "forward",
            _("Forward to another authority"),
            (Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED),
            Status.FORWARDED,
            # The applicant's e-mail is its own (dossiers.routing.emails): it names the
            # authority and gives the message.
            requires=("authority", "message"),
            applicant_text=_("We forwarded your application to %(authority)s. They handle it now."),
            applicant_values=("authority",),
            applicant_detail="message",
        ),
        Transition(
            "withdraw",
            _("Withdraw the application"),
            (Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED, Status.COLLEGE),
            Status.WITHDRAWN,
            # SYSTEM: an erasure on request withdraws the person's open dossiers first
            # (dossiers.privacy).
            actors=(APPLICANT, SYSTEM),
            applicant_text=_("You withdrew your application."),
            applicant_text_by_cause={
                # dossiers.privacy.erasure.REQUEST: an erasure on request
                "request": _(
                    "Your application was withdrawn because you asked us to erase your "
                    "personal data."
                ),
            },
            applicant_detail="reason",
        ),
        Transition(
            "issue_permit",
            _("Issue the permit"),
            (Status.APPROVED,),
            Status.APPROVED,
            # SYSTEM: a payment received online or matched from a bank statement issues
            # it (dossiers.payments.permit); an officer when it was paid otherwise.
            actors=(SYSTEM, OFFICER),
            stage=stages.PAYMENT,
            applicant_text=_("We received your payment. Your permit is issued."),
        ),
        Transition(
            "close",
            _("Close"),
            (Status.APPROVED, Status.REJECTED, Status.WITHDRAWN, Status.FORWARDED),
            Status.CLOSED,
            applicant_text=_("Your dossier was closed."),
        ),
        # Reports from residents (stage "report", dossiers.reports). SYSTEM: a merged
        # report follows the report it was merged into, and routing at submission.
        Transition(
            "start_handling",
            _("Start handling the report"),
            (Status.REPORTED, Status.REOPENED),
            Status.IN_REVIEW,
            actors=(OFFICER, SYSTEM),
            stage=stages.REPORT,
            applicant_text=_("We are handling your report."),
        ),
        Transition(
            "schedule",
            _("Schedule the work"),
            (Status.REPORTED, Status.IN_REVIEW, Status.REOPENED),
            Status.SCHEDULED,
            actors=(OFFICER, SYSTEM),
            stage=stages.REPORT,
            applicant_text=_("The work on your report is planned."),
            applicant_detail="message",
        ),
        Transition(
            "forward_to_party",
            _("Forward to an outside party"),
            (Status.REPORTED, Status.IN_REVIEW, Status.SCHEDULED, Status.REOPENED),
            Status.FORWARDED_EXTERNAL,
            # dossiers.reports.services.forward_to_party: the party gets its link.
            actors=(OFFICER, SYSTEM),
            requires=("party",),
            stage=stages.REPORT,
            applicant_text=_("We forwarded your report to %(party)s. They fix it."),
            applicant_values=("party",),
        ),
        Transition(
            "resolve",
            _("Mark the report as resolved"),
            (
                Status.REPORTED,
                Status.IN_REVIEW,
                Status.SCHEDULED,
                Status.FORWARDED_EXTERNAL,
                Status.REOPENED,
            ),
            Status.RESOLVED,
            # SYSTEM: the outside party through its link (dossiers.reports.views).
            actors=(OFFICER, SYSTEM),
            stage=stages.REPORT,
            applicant_text=_("Your report has been handled."),
            applicant_detail="message",
        ),
        Transition(
            "reopen_report",
            _("Reopen the report"),
            (Status.RESOLVED,),
            Status.REOPENED,
            # Within the site's reopen window (dossiers.stages.ReportStage).
            actors=(APPLICANT, OFFICER, SYSTEM),
            stage=stages.REPORT,
            applicant_text=_("The report was opened again."),
            applicant_detail="reason",
        ),
        Transition(
            "reopen",
            _("Reopen"),
            (Status.CLOSED,),
            Status.IN_REVIEW,
            actors=(LEAD,),
            applicant_text=_("Your dossier was opened again. We are looking at it once more."),
        ),
    ]
}

#: Called as ``listener(dossier, transition)`` after every change, in its transaction
#: with the dossier row locked; raising undoes the change. Feature packages that build
#: on the lifecycle add theirs in ``DossiersConfig.ready()`` (a withdrawn or refused
#: application's payments: dossiers.payments.refunds.after_transition), so this module
#: imports none of them.
listeners: list[Callable[[Dossier, Transition], None]] = []

#: Statuses that end the handling; closed_at is set when one is reached.
FINAL_STATUSES = (
    Status.NOT_PAID,
    Status.APPROVED,
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.FORWARDED,
    Status.CLOSED,
    Status.RESOLVED,
)


def actor_kinds(dossier: Dossier, actor=None, actor_kind: str | None = None) -> frozenset[str]:
    """The kinds of actor making a change.

    ``actor_kind`` when the caller states it (the applicant's status page, tasks);
    otherwise the roles the ``actor`` user has on the dossier's team (none for a user
    outside the team). Without either, trusted code acts for the team (demo data,
    imports) and counts as an officer.
    """
    if actor_kind is not None:
        return frozenset({actor_kind})
    if actor is not None:
        return permissions.roles_on(actor, dossier)
    return frozenset({OFFICER})


def available_transitions(
    dossier: Dossier, actor_kind: str | None = None, *, actor=None
) -> list[Transition]:
    """The transitions this actor may make from the dossier's status now (the buttons)."""
    kinds = actor_kinds(dossier, actor, actor_kind)
    return [
        t
        for t in TRANSITIONS.values()
        if dossier.status in t.sources
        and kinds & set(t.actors)
        and not (t.stage and stages.refusal(dossier, t.stage, t.name))
        and not stages.holding(dossier, t)
    ]


def transition(
    dossier: Dossier,
    name: str,
    *,
    actor=None,
    actor_kind: str | None = None,
    expected_status: str | None = None,
    data: dict | None = None,
) -> Dossier:
    """Make the transition ``name`` on ``dossier`` and return the updated dossier.

    ``actor`` is the user who acts (recorded on the event and as the decider);
    ``actor_kind`` see :func:`actor_kinds`. ``expected_status`` is the status the actor
    saw; when given and the dossier has another status by now, :class:`ConcurrentChange`
    is raised. ``data`` holds the transition's input (see ``Transition.requires``); it is
    stored on the event.
    """
    data = {key: value for key, value in (data or {}).items() if value not in (None, "")}
    try:
        spec = TRANSITIONS[name]
    except KeyError:
        raise InvalidTransition(_("This action does not exist.")) from None
    missing = [key for key in spec.requires if not str(data.get(key, "")).strip()]
    if missing:
        raise InvalidTransition(_("Fill in the text that goes with this action."))

    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if not actor_kinds(locked, actor, actor_kind) & set(spec.actors):
            raise InvalidTransition(_("You may not do this on this dossier."))
        if expected_status is not None and locked.status != expected_status:
            raise ConcurrentChange(
                _("Someone else changed this dossier in the meantime. Look at it again.")
            )
        if locked.status not in spec.sources:
            raise InvalidTransition(
                _('"%(action)s" is not possible while the dossier is "%(status)s".')
                % {"action": spec.label, "status": locked.get_status_display()}
            )
        refused = stages.refusal(locked, spec.stage, name) if spec.stage else ""
        refused = refused or stages.holding(locked, spec)
        if refused:
            raise InvalidTransition(refused)
        now = timezone.now()
        from_status = locked.status
        locked.status = spec.target
        update_fields = ["status", "updated_at"]
        update_fields += _keep_decision_term(locked, from_status, timezone.localdate(now))
        update_fields += _record_decision(locked, from_status, spec, actor, data, now)
        update_fields += _start_decision_term(locked, spec, timezone.localdate(now))
        if spec.target in FINAL_STATUSES and locked.closed_at is None:
            locked.closed_at = now
            update_fields.append("closed_at")
        elif spec.target not in FINAL_STATUSES and locked.closed_at is not None:
            locked.closed_at = None
            update_fields.append("closed_at")
        locked.save(update_fields=update_fields)
        event = Event.objects.create(
            dossier=locked,
            type=EventType.STATUS_CHANGED,
            actor=actor,
            public=spec.public,
            from_status=from_status,
            to_status=spec.target,
            data={"transition": name, **data},
        )
        if spec.decides:
            # Registered before the notifications, so the letter is usually made before
            # the decision e-mail is sent; delivery.deliver makes it when not.
            transaction.on_commit(lambda pk=locked.pk: _queue_decision_letter(pk))
        stages.made(locked, spec, data, actor)
        for listener in listeners:
            listener(locked, spec)
        if spec.public:
            notify.queue_for_event(event)
    return locked


def _queue_decision_letter(dossier_id: int) -> None:
    from dossiers.tasks import queue_decision_letter

    queue_decision_letter(dossier_id)


def _keep_decision_term(dossier: Dossier, from_status: str, today: datetime.date) -> list[str]:
    """Stop the decision term when the dossier starts waiting for the applicant, and run
    it on again when it stops waiting: the decision date moves by the days it waited.

    Returns the fields it changed.
    """
    paused_before = from_status in PAUSED_STATUSES
    paused_now = dossier.status in PAUSED_STATUSES
    if paused_now and not paused_before and dossier.decision_due is not None:
        dossier.due_paused_on = today
        return ["due_paused_on"]
    if paused_before and not paused_now and dossier.due_paused_on is not None:
        waited = max((today - dossier.due_paused_on).days, 0)
        dossier.decision_due += datetime.timedelta(days=waited)
        dossier.due_paused_on = None
        return ["decision_due", "due_paused_on"]
    return []


def _start_decision_term(dossier: Dossier, spec: Transition, today: datetime.date) -> list[str]:
    """A completing transition stores the day; when the dossier's term waits for
    completeness, the decision date is that day plus the term.

    Returns the fields it changed.
    """
    if not spec.completes:
        return []
    dossier.complete_on = today
    if not (dossier.term_from_completeness and dossier.term_days):
        return ["complete_on"]
    dossier.decision_due = today + datetime.timedelta(days=dossier.term_days)
    return ["complete_on", "decision_due"]


def _record_decision(
    dossier: Dossier, from_status: str, spec: Transition, actor, data: dict, now
) -> list[str]:
    """Write the decision of a deciding transition; a handled dossier that goes back to
    open handling (reopened) has no decision any more (the timeline keeps the old one).

    Returns the fields it changed.
    """
    fields = ["decision_outcome", "decision_text", "decided_by", "decided_at"]
    if spec.decides:
        dossier.decision_outcome = spec.decides
        dossier.decision_text = str(data.get("decision", "")).strip()
        dossier.decided_by = actor
        dossier.decided_at = now
        return fields
    if from_status in FINAL_STATUSES and spec.target in OPEN_STATUSES:
        dossier.decision_outcome = dossier.decision_text = ""
        dossier.decided_by = dossier.decided_at = None
        return fields
    return []
