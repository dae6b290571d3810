"""The library of procedure stages a form can use, and what each allows.

A stage is a fixed part of a procedure (checking completeness, asking advice, the
college decision, issuing a permit; later payment before the permit). Administrators
switch stages on per form (``ApplicationFormPage.stages``, offered through
:mod:`forms_builder.stages`); a dossier keeps the stages of its form as they were when
it was submitted (``Dossier.stages``).

The lifecycle table in :mod:`dossiers.workflow` stays the one place that decides what
may happen: a :class:`~dossiers.workflow.Transition` names the stage it belongs to,
and :func:`~dossiers.workflow.transition` asks that stage (:meth:`Stage.refusal`)
whether the dossier may take it, and asks every stage the dossier uses whether it
holds the transition back (:meth:`Stage.holds`: the decision waits for the advice
asked), and lets each do its part of a change just made (:meth:`Stage.made`: an
approval issues the permit). Work of a stage that changes no status (asking
advice) asks the same question through :func:`refusal`.

Add a stage: a :class:`Stage` subclass with ``@register`` here, its transitions in the
table with ``stage=<its id>``, its use cases in a feature package.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.registry import Registry
from dossiers.constants import EventType, Outcome, PaymentStatus, Status
from dossiers.models import Dossier, Report
from dossiers.permits import services as permits
from forms_builder import stages as offered
from forms_builder.stages import COMPLETENESS, PREPAYMENT, REPORT, StageOption

#: The id of the advice stage (dossiers.advice).
ADVICE = "advice"
#: The id of the stage "payment before the permit" (dossiers.payments.permit).
PAYMENT = "payment"
#: The transition that issues the permit once paid (dossiers.payments.permit).
ISSUE_PERMIT = "issue_permit"
#: The id of the college decision stage (dossiers.college).
COLLEGE = "college"
#: The id of the permit stage (dossiers.permits).
PERMIT = "permit"

__all__ = [
    "ADVICE",
    "COLLEGE",
    "COMPLETENESS",
    "PAYMENT",
    "PERMIT",
    "PREPAYMENT",
    "REPORT",
    "Stage",
    "holding",
    "made",
    "refusal",
    "register",
    "stages",
    "uses",
]


class Stage:
    """One stage of the library: its id, its name and when it allows its work."""

    #: Stored on forms and dossiers; never change it once used.
    id: str = ""
    #: The administrator's name for it.
    label: str = ""
    #: One sentence on what it does, next to the checkbox in the form's settings.
    help_text: str = ""

    def applies(self, dossier: Dossier) -> bool:
        """Whether the dossier's procedure uses this stage."""
        return self.id in (dossier.stages or [])

    def refusal(self, dossier: Dossier, action: str) -> str:
        """Why ``action`` of this stage is not possible on ``dossier`` now; empty when it
        is. Subclasses add their own conditions after this one."""
        if not self.applies(dossier):
            return str(_("This step is not part of the procedure of this form."))
        return ""

    def holds(self, dossier: Dossier, transition) -> str:
        """Why a transition of the lifecycle (any stage's, or none) must wait for this
        stage on ``dossier``; empty when it need not. Only asked of stages the dossier
        uses."""
        return ""

    def made(self, dossier: Dossier, transition, data: dict, actor) -> None:
        """Do this stage's part of a transition just made on ``dossier`` (in its
        transaction, the row locked); raise ``ActionRefused`` to undo the whole change.
        Only asked of stages the dossier uses."""


stages: Registry[Stage] = Registry("procedure stage")


def register(cls: type[Stage]) -> type[Stage]:
    """Class decorator: put the stage in the library and offer it to every form."""
    stages.register(cls)
    offered.offer(StageOption(cls.id, str(cls.label), str(cls.help_text)))
    return cls


@register
class PrepaymentStage(Stage):
    id = PREPAYMENT
    label = _("Payment when submitting")
    help_text = _(
        "The applicant pays the form's fee online as the last step; the application "
        "reaches the team only once paid."
    )

    def refusal(self, dossier: Dossier, action: str) -> str:
        reason = super().refusal(dossier, action)
        if not reason and not dossier.payment_requests.filter(status=PaymentStatus.PAID).exists():
            reason = str(_("The applicant has not paid yet."))
        return reason


@register
class CompletenessStage(Stage):
    id = COMPLETENESS
    label = _("Completeness check")
    help_text = _(
        "An officer declares the application complete, or asks the applicant what is missing."
    )

    def refusal(self, dossier: Dossier, action: str) -> str:
        reason = super().refusal(dossier, action)
        if not reason and dossier.complete_on is not None:
            reason = str(_("This application was already declared complete."))
        return reason

    def holds(self, dossier: Dossier, transition) -> str:
        # An approval needs a complete application; a refusal does not (an application
        # that stays incomplete can be refused as inadmissible).
        if transition.decides == Outcome.APPROVED and dossier.complete_on is None:
            return str(_("Declare the application complete before you approve it."))
        return ""


@register
class AdviceStage(Stage):
    id = ADVICE
    label = _("Advice")
    help_text = _(
        "An officer asks other services or outside parties (police, fire brigade) for "
        "advice through a secure link."
    )

    def holds(self, dossier: Dossier, transition) -> str:
        # The decision waits for every advice asked, unless the officer chose to go on
        # without it (dossiers.advice.services.stop_waiting closes the open requests
        # and records it).
        if transition.decides and dossier.advice_requests.filter(closed_at__isnull=True).exists():
            return str(
                _(
                    "Advice is still awaited. Wait for it, or choose to go on without "
                    "waiting for advice first."
                )
            )
        return ""


@register
class PaymentStage(Stage):
    id = PAYMENT
    label = _("Payment before the permit")
    help_text = _(
        "After the approval the applicant pays (online or by transfer); the permit is "
        "issued once the payment is received."
    )

    def refusal(self, dossier: Dossier, action: str) -> str:
        reason = super().refusal(dossier, action)
        if reason:
            return reason
        if not dossier.payment_requests.filter(status=PaymentStatus.PAID).exists():
            return str(_("The applicant has not paid yet."))
        issued = dossier.events.filter(
            type=EventType.STATUS_CHANGED, data__transition="issue_permit"
        )
        if issued.exists():
            return str(_("The permit was already issued."))
        return ""


@register
class CollegeStage(Stage):
    id = COLLEGE
    label = _("College decision")
    help_text = _(
        "The college of mayor and aldermen decides: an officer puts a proposed decision "
        "on the list of a college meeting, and records the outcome after the meeting."
    )

    def holds(self, dossier: Dossier, transition) -> str:
        # Only the college decides: the officer proposes (dossiers.college).
        if transition.decides and transition.stage != COLLEGE:
            return str(
                _(
                    "The college decides on this application. Put a proposed decision "
                    "on the list of a college meeting."
                )
            )
        return ""


@register
class PermitStage(Stage):
    id = PERMIT
    label = _("Permit")
    help_text = _(
        "An approval issues a permit: a PDF with the period, the place, the conditions "
        "and a QR code that opens a public check of the permit."
    )

    def made(self, dossier: Dossier, transition, data: dict, actor) -> None:
        if transition.decides == Outcome.APPROVED:
            if uses(dossier, PAYMENT):
                # Payment before the permit: checked now, issued by ``issue_permit``
                # once paid, from what this approval recorded.
                permits.check_details(dossier, data)
                return
            permits.issue(dossier, data, actor)
        elif transition.name == ISSUE_PERMIT:
            permits.issue(dossier, approval_data(dossier), actor)
        elif transition.decides == Outcome.REJECTED:
            permits.refused_after_all(dossier, actor)


@register
class ReportStage(Stage):
    id = REPORT
    label = _("Report from a resident")
    help_text = _(
        "A report (melding): its category and place send it to a team or an outside "
        "party; the reporter can reopen it for a while once handled."
    )

    def refusal(self, dossier: Dossier, action: str) -> str:
        reason = super().refusal(dossier, action)
        if not reason and action == "reopen_report":
            report = Report.objects.filter(dossier=dossier).first()
            reason = report.reopen_refusal() if report else ""
        return reason


def approval_data(dossier: Dossier) -> dict:
    """What the latest approval of ``dossier`` recorded (the permit's period, place and
    conditions), for a permit issued later (once paid)."""
    event = (
        dossier.events.filter(type=EventType.STATUS_CHANGED, to_status=Status.APPROVED)
        .exclude(data__transition=ISSUE_PERMIT)
        .order_by("-created_at", "-pk")
        .first()
    )
    return dict(event.data or {}) if event is not None else {}


def made(dossier: Dossier, transition, data: dict, actor) -> None:
    """Let every stage the dossier uses do its part of a transition just made."""
    for stage in stages.all():
        if stage.applies(dossier):
            stage.made(dossier, transition, data, actor)


def uses(dossier: Dossier, stage_id: str) -> bool:
    """Whether the dossier's procedure uses the stage ``stage_id`` (unknown: no)."""
    stage = stages.find(stage_id)
    return stage is not None and stage.applies(dossier)


def holding(dossier: Dossier, transition) -> str:
    """Why ``transition`` must wait for a stage the dossier uses; empty when none holds
    it."""
    for stage in stages.all():
        if stage.applies(dossier):
            reason = stage.holds(dossier, transition)
            if reason:
                return reason
    return ""


def refusal(dossier: Dossier, stage_id: str, action: str = "") -> str:
    """Why work of stage ``stage_id`` is not possible on ``dossier`` now; empty when it
    is (an unknown stage refuses)."""
    stage = stages.find(stage_id)
    if stage is None:
        return str(_("This step is not part of the procedure of this form."))
    return stage.refusal(dossier, action)
