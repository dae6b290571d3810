"""The lifecycle of a dossier: the ONLY code that writes ``Dossier.status``.

Every allowed change is a :class:`Transition` in :data:`TRANSITIONS`. :func:`transition`
locks the dossier row, checks the change is allowed from the current status for this
kind of actor, writes the status, an :class:`~dossiers.models.Event` and the
notifications, all in one transaction. A refused change raises
:class:`InvalidTransition`; a dossier that changed since the actor looked at it raises
:class:`ConcurrentChange`, so nothing is silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import notifications
from .constants import EventType, Status
from .models import Dossier, Event

#: Kinds of actors. Officers act in the admin; applicants on their status page.
OFFICER = "officer"
APPLICANT = "applicant"
SYSTEM = "system"


class InvalidTransition(Exception):
    """The requested change is not allowed now; the message is for the person."""


class ConcurrentChange(InvalidTransition):
    """Someone else changed the dossier after the actor loaded it."""


@dataclass(frozen=True)
class Transition:
    name: str
    #: What the button says.
    label: str
    sources: tuple[str, ...]
    target: str
    #: Kinds of actors that may make this change.
    actors: tuple[str, ...] = (OFFICER,)
    #: Data keys that must be given and not empty (e.g. a rejection's motivation).
    requires: tuple[str, ...] = ()
    #: Whether the applicant sees the resulting event and gets an e-mail.
    public: bool = True
    extra: dict = field(default_factory=dict)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("start_review", _("Start review"), (Status.SUBMITTED,), Status.IN_REVIEW),
        Transition(
            "request_information",
            _("Ask for information"),
            (Status.SUBMITTED, Status.IN_REVIEW),
            Status.INFO_REQUESTED,
            requires=("question",),
        ),
        Transition(
            "receive_information",
            _("Send the information"),
            (Status.INFO_REQUESTED,),
            Status.IN_REVIEW,
            actors=(APPLICANT, OFFICER),
        ),
        Transition(
            "approve",
            _("Approve"),
            (Status.IN_REVIEW,),
            Status.APPROVED,
            requires=("decision",),
        ),
        Transition(
            "reject",
            _("Reject"),
            (Status.IN_REVIEW,),
            Status.REJECTED,
            requires=("decision",),
        ),
        Transition(
            "withdraw",
            _("Withdraw the application"),
            (Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED),
            Status.WITHDRAWN,
            actors=(APPLICANT,),
        ),
        Transition(
            "close",
            _("Close"),
            (Status.APPROVED, Status.REJECTED, Status.WITHDRAWN),
            Status.CLOSED,
        ),
        Transition("reopen", _("Reopen"), (Status.CLOSED,), Status.IN_REVIEW),
    ]
}

#: Statuses that end the handling; closed_at is set when one is reached.
FINAL_STATUSES = (Status.APPROVED, Status.REJECTED, Status.WITHDRAWN, Status.CLOSED)


def available_transitions(dossier: Dossier, actor_kind: str = OFFICER) -> list[Transition]:
    """The transitions this kind of actor may make from the dossier's status now."""
    return [
        t for t in TRANSITIONS.values() if dossier.status in t.sources and actor_kind in t.actors
    ]


def transition(
    dossier: Dossier,
    name: str,
    *,
    actor=None,
    actor_kind: str = OFFICER,
    expected_status: str | None = None,
    data: dict | None = None,
) -> Dossier:
    """Make the transition ``name`` on ``dossier`` and return the updated dossier.

    ``expected_status`` is the status the actor saw; when given and the dossier has
    another status by now, :class:`ConcurrentChange` is raised. ``data`` holds the
    transition's input (see ``Transition.requires``); it is stored on the event.
    """
    data = {key: value for key, value in (data or {}).items() if value not in (None, "")}
    try:
        spec = TRANSITIONS[name]
    except KeyError:
        raise InvalidTransition(_("This action does not exist.")) from None
    if actor_kind not in spec.actors:
        raise InvalidTransition(_("You may not do this on this dossier."))
    missing = [key for key in spec.requires if not str(data.get(key, "")).strip()]
    if missing:
        raise InvalidTransition(_("Fill in the text that goes with this action."))

    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if expected_status is not None and locked.status != expected_status:
            raise ConcurrentChange(
                _("Someone else changed this dossier in the meantime. Look at it again.")
            )
        if locked.status not in spec.sources:
            raise InvalidTransition(
                _('"%(action)s" is not possible while the dossier is "%(status)s".')
                % {"action": spec.label, "status": locked.get_status_display()}
            )
        from_status = locked.status
        locked.status = spec.target
        update_fields = ["status", "updated_at"]
        if spec.target in FINAL_STATUSES and locked.closed_at is None:
            locked.closed_at = timezone.now()
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
        if spec.public:
            notifications.queue_for_event(event)
    return locked
