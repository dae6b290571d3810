"""The outbox: notifications are rows written with their event, sent by a Celery task.

Each kind of notification is one registered :class:`NotificationKind`: which events it
answers, who receives it and which templates render it. Rendering happens when the row
is written (in the recipient's language), so what is sent is exactly what was decided
in the transaction; sending happens after commit, by :func:`deliver`.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .constants import EventType, NotificationStatus, Status
from .models import Event, Notification

#: Statuses whose status-change e-mail carries the decision letter.
DECISION_STATUSES = (Status.APPROVED, Status.REJECTED)

#: After this many failed attempts a notification is marked failed (and shown so).
MAX_ATTEMPTS = 8


#: Who reads a kind of e-mail.
TO_APPLICANT = "applicant"
TO_OFFICERS = "officers"


class NotificationKind:
    """One kind of e-mail. Subclasses are registered with ``@register``."""

    #: Identifier stored on the Notification row.
    kind_id: ClassVar[str] = ""
    #: What editors see when they pick the kind of an editable e-mail text.
    label: ClassVar[str] = ""
    #: Who receives it: TO_APPLICANT (in the dossier's language) or TO_OFFICERS.
    audience: ClassVar[str] = TO_APPLICANT
    #: Template base name: ``dossiers/emails/<template>_subject.txt`` and ``_body.txt``.
    template: ClassVar[str] = ""

    def matches(self, event: Event) -> bool:
        """Whether this kind of e-mail goes out for the event."""
        raise NotImplementedError

    def recipients(self, event: Event) -> list[str]:
        """The addresses to send to; default: the applicant."""
        email = event.dossier.applicant_email
        return [email] if email else []

    def context(self, event: Event) -> dict:
        dossier = event.dossier
        return {
            "dossier": dossier,
            "event": event,
            "status_url": dossier.get_absolute_status_url(),
        }


def officer_recipients(dossier) -> list[str]:
    """Who hears from the applicant's side of a dossier: the officer handling it; when
    nobody handles it, the team's e-mail address, else every active member of the team.
    """
    officer = dossier.assigned_to
    if officer is not None and officer.is_active and officer.email:
        return [officer.email]
    team = dossier.team
    if team is None:
        return []
    if team.email:
        return [team.email]
    return sorted({member.email for member in team.members() if member.email})


_kinds: dict[str, NotificationKind] = {}


def register(cls: type[NotificationKind]) -> type[NotificationKind]:
    _kinds[cls.kind_id] = cls()
    return cls


def all_kinds() -> list[NotificationKind]:
    """Every registered kind of e-mail, in registration order."""
    return list(_kinds.values())


def get_kind(kind_id: str) -> NotificationKind | None:
    return _kinds.get(kind_id)


@register
class ApplicationReceived(NotificationKind):
    kind_id = "application_received"
    label = _("Application received (to the applicant)")
    template = "application_received"

    def matches(self, event):
        return event.type == EventType.SUBMITTED


@register
class StatusChanged(NotificationKind):
    kind_id = "status_changed"
    label = _("Status changed (to the applicant)")
    template = "status_changed"

    def matches(self, event):
        # A question to the applicant has its own e-mail (dossiers.information).
        return (
            event.type == EventType.STATUS_CHANGED
            and event.public
            and event.data.get("transition") != "request_information"
        )


def queue_for_event(event: Event) -> list[Notification]:
    """Write the notifications that ``event`` causes and send them after commit.

    Must run inside the transaction that wrote the event: the rows commit or roll back
    with it.
    """
    created = []
    dossier = event.dossier
    for kind in _kinds.values():
        if not kind.matches(event):
            continue
        context = kind.context(event)
        with translation.override(dossier.language or settings.LANGUAGE_CODE):
            subject = render_to_string(
                f"dossiers/emails/{kind.template}_subject.txt", context
            ).strip()
            body = render_to_string(f"dossiers/emails/{kind.template}_body.txt", context)
        for recipient in kind.recipients(event):
            created.append(
                Notification.objects.create(
                    dossier=dossier,
                    event=event,
                    kind=kind.kind_id,
                    recipient=recipient,
                    subject=" ".join(subject.split())[:255],
                    body=body,
                )
            )
    for notification in created:
        transaction.on_commit(lambda pk=notification.pk: enqueue(pk))
    return created


def enqueue(notification_id: int) -> None:
    """Hand a notification to Celery. A broker that is down only delays it.

    The row stays pending; ``send_pending_notifications`` (periodic) sends it later.
    """
    from cms.celery import queue

    from .tasks import send_notification

    queue(send_notification, notification_id)


def decision_letter_for(notification_id: int):
    """The decision letter a pending notification must carry, made now if missing.

    A status-change notification about an approval or rejection carries the letter of
    the dossier's decision; every other notification carries none (None).
    """
    from .letters import ensure_decision_letter

    notification = (
        Notification.objects.select_related("event")
        .filter(pk=notification_id, status=NotificationStatus.PENDING)
        .first()
    )
    event = notification.event if notification else None
    if (
        event is None
        or notification.kind != StatusChanged.kind_id
        or event.to_status not in DECISION_STATUSES
    ):
        return None
    return ensure_decision_letter(notification.dossier_id)


def deliver(notification_id: int) -> bool:
    """Send one notification unless it was sent already. Returns True when it sent now.

    The row is locked while sending, so two workers never send the same notification.
    A failure is recorded on the row and raised again, so the caller can retry.
    """
    error = None
    letter = decision_letter_for(notification_id)
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("dossier")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.status != NotificationStatus.PENDING:
            return False
        notification.attempts += 1
        try:
            message = EmailMessage(
                subject=notification.subject,
                body=notification.body,
                to=[notification.recipient],
            )
            if letter is not None:
                with letter.file.open("rb") as handle:
                    message.attach(letter.original_name, handle.read(), "application/pdf")
            message.send()
        except Exception as exc:  # noqa: BLE001 - recorded below and raised again
            error = exc
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = NotificationStatus.FAILED
                Event.objects.create(
                    dossier=notification.dossier,
                    type=EventType.NOTIFICATION_FAILED,
                    data={"notification": notification.pk, "kind": notification.kind},
                )
        else:
            notification.status = NotificationStatus.SENT
            notification.sent_at = timezone.now()
            Event.objects.create(
                dossier=notification.dossier,
                type=EventType.NOTIFICATION_SENT,
                data={"notification": notification.pk, "kind": notification.kind},
            )
        notification.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    if error is not None:
        raise error
    return True
