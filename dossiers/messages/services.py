"""Messages between the applicant and the municipality: one thread per dossier.

The applicant writes on the status page (:func:`send_from_applicant`), an officer in the
dossier view of the admin (:func:`send_from_officer`). Each call writes in one
transaction the :class:`~dossiers.models.Message`, its files (attachments of kind
``message`` in private storage), a public ``message`` event for the timeline and the
e-mail to the other side (the outbox): to the applicant, or to the officer handling the
dossier (the team when nobody does, see :func:`dossiers.outbox.kinds.officer_recipients`).

When messages are possible: while the dossier is open, and after the decision until the
dossier is closed (questions about a decision are common and belong with the dossier).
A withdrawn or closed dossier takes no new messages from either side: the applicant
starts a new application or contacts the desk; a team lead can reopen a closed dossier.

Files are checked the way the form builder checks uploads: the ``file_upload`` field
type's form field (allowed types, size per file and in total, the real content by its
first bytes). They are stored under a safe name; the original name is kept for display.

A form posted twice (a double click, a reload after sending) gives one message: every
form carries a token (:func:`dossiers.messages.forms.new_token`) that is stored with the message.

The e-mails do not carry the message's text or files: e-mail is not a safe place for
them. They say there is a message and link to where it can be read.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import permissions
from dossiers.constants import EventType, Sender, Status
from dossiers.exceptions import ActionRefused
from dossiers.messages.forms import MAX_BODY_LENGTH, files_form_field
from dossiers.models import Attachment, AttachmentKind, Dossier, Event, Message
from dossiers.outbox import notify

#: Statuses in which nobody can write a new message.
NO_MESSAGES_STATUSES = (Status.AWAITING_PAYMENT, Status.NOT_PAID, Status.WITHDRAWN, Status.CLOSED)


def can_send_messages(dossier: Dossier) -> bool:
    """Whether a new message can be written on the dossier now (by either side)."""
    return dossier.status not in NO_MESSAGES_STATUSES


def check_files(files: Sequence) -> list:
    """The files, checked like uploads of a form; ``ActionRefused`` with every problem
    when one is not acceptable."""
    try:
        return files_form_field().clean(list(files))
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages)) from None


def send_from_applicant(
    dossier: Dossier, body: str, files: Sequence = (), *, token: str = ""
) -> Message:
    """The applicant sends a message from the status page; the officer side is told."""
    return _send(dossier, Sender.APPLICANT, None, body, files, token)


def send_from_officer(
    dossier: Dossier, officer, body: str, files: Sequence = (), *, token: str = ""
) -> Message:
    """An officer of the dossier's team sends a message; the applicant is told."""
    if not permissions.can_view(officer, dossier):
        raise ActionRefused(_("You may not write messages on this dossier."))
    return _send(dossier, Sender.MUNICIPALITY, officer, body, files, token)


def _send(dossier: Dossier, sender: str, author, body: str, files: Sequence, token: str):
    body = (body or "").strip()
    if not body:
        raise ActionRefused(_("Write your message."))
    if len(body) > MAX_BODY_LENGTH:
        raise ActionRefused(
            _("The message is too long: use at most %(count)d characters.")
            % {"count": MAX_BODY_LENGTH}
        )
    files = check_files(files)
    token = (token or "")[:64]
    with transaction.atomic():
        # The lock makes the token check and the status check hold until the message
        # is written: a second post of the same form waits here and finds the first.
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if token:
            sent = locked.messages.filter(client_token=token).first()
            if sent is not None:
                return sent
        if not can_send_messages(locked):
            raise ActionRefused(closed_text(locked))
        message = Message.objects.create(
            dossier=locked, sender=sender, author=author, body=body, client_token=token
        )
        for uploaded in files:
            store_file(message, uploaded)
        event = Event.objects.create(
            dossier=locked,
            type=EventType.MESSAGE,
            actor=author,
            public=True,
            data={"message": message.pk, "sender": sender, "files": len(files)},
        )
        notify.queue_for_event(event)
    return message


def closed_text(dossier: Dossier) -> str:
    """Why no message can be written on the dossier (for both sides)."""
    if dossier.status == Status.WITHDRAWN:
        return _("This application was withdrawn. You can no longer send messages about it.")
    return _("This dossier is closed. You can no longer send messages about it.")


def store_file(message: Message, uploaded) -> Attachment:
    """Keep one checked file of ``message`` in the dossier's private storage."""
    return Attachment.from_upload(
        uploaded, dossier=message.dossier, message=message, kind=AttachmentKind.MESSAGE
    )


def thread(dossier: Dossier) -> list[Message]:
    """The dossier's messages, oldest first, each with its files in ``attached``.

    Two queries, however long the thread.
    """
    messages = list(dossier.messages.select_related("author").order_by("created_at", "pk"))
    files: dict[int, list[Attachment]] = {}
    if messages:
        for attachment in dossier.attachments.filter(
            kind=AttachmentKind.MESSAGE, message__isnull=False
        ).order_by("created_at", "pk"):
            files.setdefault(attachment.message_id, []).append(attachment)
    for message in messages:
        message.attached = files.get(message.pk, [])
    return messages


def mark_read(messages: Sequence[Message], *, reader: str) -> int:
    """Mark the messages of the other side as read by ``reader`` (a Sender); the
    objects keep their earlier state, so a page can still show them as new."""
    unread = [m.pk for m in messages if m.sender != reader and m.read_at is None]
    if not unread:
        return 0
    return Message.objects.filter(pk__in=unread, read_at__isnull=True).update(
        read_at=timezone.now()
    )
