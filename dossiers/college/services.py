"""College decisions: proposed decisions on the list of a college meeting, and the
outcome of the whole list recorded at once (the "college" stage).

An officer of the dossier's team prepares a proposed decision (:func:`propose`): the
outcome it proposes, the decision text and, for a form that issues a permit, the
permit's period, place and conditions. The dossier goes to the status "waiting for the
college decision" (the ``propose_to_college`` transition) and the proposal on the list
of a planned meeting. The list prints as a PDF agenda (:mod:`.agenda`).

After the meeting an officer records the outcome of the whole list in one go
(:func:`record_outcome`): approved, refused or postponed per proposal. Approved and
refused dossiers are decided through the lifecycle table (``college_approve``,
``college_reject``: the college is the actor, the recorder is on the events), so the
decision letter, the e-mail and the permit go out the way every decision does. A
postponed proposal moves to a later meeting's list (``college_postpone``).

Before the outcome is recorded, an officer may take a proposal off the list
(:func:`take_off_list`, the ``take_off_college_list`` transition) with a reason: the
dossier goes back to "in review", so it can be proposed again for a later meeting.

Locks: the meeting row first, then each dossier (through
:func:`dossiers.workflow.transition`). Two officers recording the same meeting at once:
the first records, the second is told the outcome was recorded already.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import permissions, stages, workflow
from dossiers.constants import COLLEGE, OFFICER, Outcome, Status
from dossiers.exceptions import ActionRefused
from dossiers.models import (
    CollegeMeeting,
    CollegeOutcome,
    CollegeProposal,
    Dossier,
    MeetingStatus,
)
from dossiers.permits import services as permits

#: The transition that records each outcome of the college.
OUTCOME_TRANSITIONS = {
    CollegeOutcome.APPROVED: "college_approve",
    CollegeOutcome.REFUSED: "college_reject",
    CollegeOutcome.POSTPONED: "college_postpone",
}


def planned_meetings(today: datetime.date | None = None):
    """Meetings a proposal can still go on: planned, today or later."""
    today = today or timezone.localdate()
    return CollegeMeeting.objects.filter(status=MeetingStatus.PLANNED, date__gte=today)


def _check_meeting(meeting: CollegeMeeting) -> None:
    if meeting.status != MeetingStatus.PLANNED or meeting.date < timezone.localdate():
        raise ActionRefused(_("Choose a college meeting that is still planned."))


def propose(
    dossier: Dossier,
    officer,
    *,
    meeting: CollegeMeeting,
    outcome: str,
    decision: str,
    permit: Mapping | None = None,
    expected_status: str | None = None,
) -> CollegeProposal:
    """Put a proposed decision on ``dossier`` on the list of ``meeting``, in one
    transaction: the ``propose_to_college`` transition (its event and e-mail) and the
    proposal. ``permit`` holds the permit's details (``dossiers.permits.DETAIL_KEYS``)
    when the form issues one; they are checked now, so the college approves a permit
    that can be issued. Refuses (Dutch) what the transition refuses, a meeting that is
    not planned, an unknown outcome and missing permit details."""
    if outcome not in Outcome.values:
        raise ActionRefused(_("Choose the decision you propose."))
    decision = (decision or "").strip()
    details = {key: permit[key] for key in permits.DETAIL_KEYS if permit and key in permit}
    with transaction.atomic():
        meeting = CollegeMeeting.objects.select_for_update().get(pk=meeting.pk)
        _check_meeting(meeting)
        locked = workflow.transition(
            dossier,
            "propose_to_college",
            actor=officer,
            expected_status=expected_status,
            data={"decision": decision, "proposal": outcome, "meeting": meeting.date.isoformat()},
        )
        if outcome == Outcome.APPROVED and stages.uses(locked, stages.PERMIT):
            permits.check_details(locked, details)
        return CollegeProposal.objects.create(
            meeting=meeting,
            dossier=locked,
            proposed_outcome=outcome,
            decision_text=decision,
            permit_details={key: str(value) for key, value in details.items()},
            prepared_by=officer,
        )


def pending(meeting: CollegeMeeting) -> list[CollegeProposal]:
    """The proposals of ``meeting`` the college still has to decide on: without an
    outcome, their dossier still waiting for the college (an application withdrawn in
    the meantime has left the list)."""
    return list(
        meeting.proposals.select_related("dossier")
        .filter(outcome="", removed_at__isnull=True, dossier__status=Status.COLLEGE)
        .order_by("prepared_at", "pk")
    )


def may_record(user) -> bool:
    """Whether ``user`` may record a meeting's outcome: the college's secretariat (the
    permission to change college meetings) and administrators."""
    return bool(user and user.is_active and user.has_perm("dossiers.change_collegemeeting"))


def record_outcome(
    meeting: CollegeMeeting,
    officer,
    outcomes: Mapping[int, str],
    *,
    later_meeting: CollegeMeeting | None = None,
) -> CollegeMeeting:
    """Record the college's outcome for the whole list of ``meeting`` at once.

    ``outcomes`` maps every pending proposal's id to a :class:`CollegeOutcome`; a
    postponed one is copied to ``later_meeting`` (planned, after this one). All in one
    transaction: one proposal that cannot be recorded records nothing. The decision
    letters and e-mails go out after commit, through the lifecycle table. Refuses
    (Dutch) a user who may not record, a meeting recorded already (by someone else at
    the same moment too), a proposal left without an outcome or not on this list.
    """
    if not may_record(officer):
        raise ActionRefused(_("You may not record the outcome of a college meeting."))
    with transaction.atomic():
        locked = CollegeMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.PLANNED:
            raise ActionRefused(
                _("The outcome of this meeting was recorded already. Look at it again.")
            )
        proposals = pending(locked)
        chosen = {int(key): value for key, value in outcomes.items()}
        if set(chosen) - {each.pk for each in proposals}:
            raise ActionRefused(_("Only proposals on this list can be recorded."))
        if any(chosen.get(each.pk) not in CollegeOutcome.values for each in proposals):
            raise ActionRefused(_("Choose the outcome of every proposal on the list."))
        if CollegeOutcome.POSTPONED in chosen.values():
            if later_meeting is None:
                raise ActionRefused(_("Choose the later meeting for the postponed proposals."))
            later_meeting = CollegeMeeting.objects.select_for_update().get(pk=later_meeting.pk)
            _check_meeting(later_meeting)
            if later_meeting.date <= locked.date:
                raise ActionRefused(_("Choose a meeting after this one for what is postponed."))
        for proposal in proposals:
            _record_one(proposal, chosen[proposal.pk], officer, later_meeting)
        locked.status = MeetingStatus.RECORDED
        locked.recorded_at = timezone.now()
        locked.recorded_by = officer
        locked.save(update_fields=["status", "recorded_at", "recorded_by"])
    return locked


def _record_one(proposal: CollegeProposal, outcome: str, officer, later_meeting) -> None:
    data = {"decision": proposal.decision_text, "meeting": proposal.meeting.date.isoformat()}
    if outcome == CollegeOutcome.APPROVED:
        data.update(proposal.permit_details)
    elif outcome == CollegeOutcome.POSTPONED:
        data = {"meeting": later_meeting.date.isoformat()}
    workflow.transition(
        proposal.dossier,
        OUTCOME_TRANSITIONS[outcome],
        actor=officer,
        actor_kind=COLLEGE,
        expected_status=Status.COLLEGE,
        data=data,
    )
    proposal.outcome = outcome
    proposal.save(update_fields=["outcome"])
    if outcome == CollegeOutcome.POSTPONED:
        CollegeProposal.objects.create(
            meeting=later_meeting,
            dossier=proposal.dossier,
            proposed_outcome=proposal.proposed_outcome,
            decision_text=proposal.decision_text,
            permit_details=proposal.permit_details,
            prepared_by=proposal.prepared_by,
        )


def take_off_list(
    dossier: Dossier, officer, *, reason: str, expected_status: str | None = None
) -> CollegeProposal:
    """Take the proposal on ``dossier`` off its meeting's list, before the meeting's
    outcome is recorded, in one transaction: the ``take_off_college_list`` transition
    (back to "in review", the reason on the timeline, the applicant told) and the
    proposal marked as taken off with the reason. Locks the meeting first, like
    :func:`record_outcome`, so a proposal is never both recorded and taken off. Refuses
    (Dutch) no reason, no proposal waiting on a list, a meeting recorded already and
    what the transition refuses."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Say why the proposal is taken off the list."))
    waiting = (
        CollegeProposal.objects.filter(dossier=dossier, outcome="", removed_at__isnull=True)
        .order_by("-prepared_at", "-pk")
        .first()
    )
    if waiting is None:
        raise ActionRefused(_("This dossier is not on the list of a college meeting."))
    with transaction.atomic():
        meeting = CollegeMeeting.objects.select_for_update().get(pk=waiting.meeting_id)
        if meeting.status != MeetingStatus.PLANNED:
            raise ActionRefused(
                _("The outcome of this meeting was recorded already. Look at it again.")
            )
        workflow.transition(
            dossier,
            "take_off_college_list",
            actor=officer,
            expected_status=expected_status,
            data={"reason": reason, "meeting": meeting.date.isoformat()},
        )
        waiting = CollegeProposal.objects.select_for_update().get(pk=waiting.pk)
        waiting.removed_at = timezone.now()
        waiting.removed_by = officer
        waiting.removal_reason = reason
        waiting.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    return waiting


def may_take_off(user, dossier: Dossier) -> bool:
    """Whether ``user`` may take the proposal on ``dossier`` off its list now."""
    return OFFICER in permissions.roles_on(user, dossier) and any(
        t.name == "take_off_college_list"
        for t in workflow.available_transitions(dossier, actor=user)
    )


def may_propose(user, dossier: Dossier) -> bool:
    """Whether ``user`` may prepare a proposed decision on ``dossier`` now."""
    return OFFICER in permissions.roles_on(user, dossier) and any(
        t.name == "propose_to_college" for t in workflow.available_transitions(dossier, actor=user)
    )
