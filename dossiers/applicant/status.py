"""What the applicant's status page shows, read in the same few queries for every dossier.

Only what is meant for the applicant: the public events, each told in a sentence of its
own (:func:`public_timeline`; a status change in the words of its transition in
:data:`dossiers.workflow.TRANSITIONS`); the message thread; the documents the applicant
may download (:data:`APPLICANT_FILE_KINDS`); the decision; the applicant's own rating.
Never internal events, notes, officer names or the data of events beyond what is written
here for the applicant.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dossiers import services, workflow
from dossiers.constants import (
    APPLICANT,
    PAUSED_STATUSES,
    STATUS_EXPLANATIONS,
    EventType,
    Sender,
    Status,
)
from dossiers.correspondence import history as delivery_history
from dossiers.feedback import services as feedback
from dossiers.messages import services as messaging
from dossiers.models import AppointmentStatus, AttachmentKind, Dossier, Event, Permit, Rating
from dossiers.outbox import letters
from dossiers.payments import online
from dossiers.payments import services as payments
from dossiers.workflow import TRANSITIONS
from forms_builder.schema import display_answers, stored_calculation_sections

#: The kinds of files the applicant can download through the status-page link: the
#: municipality's letters, the receipt, the files of the message thread and the
#: documents sent in answer to a question. The files of the form itself are not
#: served back: the applicant has them.
APPLICANT_FILE_KINDS = (
    AttachmentKind.DECISION_LETTER,
    AttachmentKind.RECEIPT,
    AttachmentKind.MESSAGE,
    AttachmentKind.INFORMATION,
)

#: What other public events say, by type.
EVENT_TEXTS = {
    # A report merged into another report of the same problem (dossiers.reports).
    EventType.REPORT_MERGED: _(
        "Someone else reported the same problem. We handle both reports together; you "
        "keep hearing from us."
    ),
    EventType.SUBMITTED: _("You sent your application."),
    EventType.INFORMATION_ANSWERED: _("You sent the information we asked for."),
    EventType.REMINDER_SENT: _("We sent you a reminder: we are still waiting for your answer."),
    # Public only when the form says advice is public (dossiers.advice).
    EventType.ADVICE_REQUESTED: _("We asked %(party)s for advice."),
    EventType.PAYMENT_REQUESTED: _("We asked you to pay."),
    EventType.PAYMENT_CANCELLED: _("We cancelled a payment request."),
    EventType.PAYMENT_RECEIVED: _("We received your payment."),
    EventType.PERMIT_WITHDRAWN: _("We withdrew your permit."),
    # Only automatic refunds are public (dossiers.payments.refunds).
    EventType.REFUND: _("We pay money back to you."),
}

#: The key of the event's data the applicant reads under the sentence, by type (for a
#: status change: its transition's, see dossiers.workflow.Transition.applicant_detail).
EVENT_DETAILS = {EventType.PERMIT_WITHDRAWN: "reason", EventType.REFUND: "applicant_note"}

#: What a message event says, by who wrote it.
MESSAGE_TEXTS = {
    Sender.APPLICANT: _("You sent us a message."),
    Sender.MUNICIPALITY: _("We sent you a message."),
}


def event_text(event: Event) -> str:
    """One sentence for the applicant about a public event."""
    if event.type == EventType.STATUS_CHANGED:
        spec = TRANSITIONS.get(event.data.get("transition", ""))
        if spec is None or not spec.applicant_text:
            return _('The status changed to "%(status)s".') % {
                "status": event.get_to_status_display()
            }
        return spec.text_for_applicant(event.data)
    if event.type == EventType.MESSAGE:
        return str(MESSAGE_TEXTS.get(event.data.get("sender"), EventType.MESSAGE.label))
    # Texts name what the event's data hold (the party asked for advice).
    return str(EVENT_TEXTS.get(event.type, event.get_type_display())) % {
        "party": (event.data or {}).get("party", "")
    }


def event_detail(event: Event) -> str:
    """A text the applicant wrote or was sent with the event, shown under it."""
    if event.type in EVENT_DETAILS:
        return (event.data or {}).get(EVENT_DETAILS[event.type], "")
    spec = TRANSITIONS.get(event.data.get("transition", ""))
    return spec.detail_for_applicant(event.data) if spec is not None else ""


def public_timeline(dossier: Dossier) -> list[Event]:
    """The public events, oldest first, each with ``text`` and ``detail`` for the page."""
    events = list(services.public_events(dossier))
    for event in events:
        event.text = event_text(event)
        event.detail = event_detail(event)
    return events


def term_paused(dossier: Dossier) -> bool:
    """Whether the decision term stands still, waiting for the applicant."""
    return dossier.status in PAUSED_STATUSES and dossier.due_paused_on is not None


def page_context(dossier: Dossier) -> dict:
    """Everything the status page shows about ``dossier``; marks the municipality's
    messages read (they stay marked as new on this page view)."""
    thread = messaging.thread(dossier)
    unread = [m for m in thread if m.sender == Sender.MUNICIPALITY and m.read_at is None]
    messaging.mark_read(thread, reader=Sender.APPLICANT)
    open_for_messages = messaging.can_send_messages(dossier)
    payment = payments.shown_request(dossier)
    return {
        "dossier": dossier,
        "deliveries": delivery_history.public_history_of(dossier),
        "explanation": STATUS_EXPLANATIONS.get(dossier.status, ""),
        "term_paused": term_paused(dossier),
        "events": public_timeline(dossier),
        "thread": thread,
        "unread_messages": unread,
        "can_send_messages": open_for_messages,
        "messages_closed_text": "" if open_for_messages else messaging.closed_text(dossier),
        "decision_letter": letters.current_letter(dossier),
        "information_files": list(
            dossier.attachments.filter(kind=AttachmentKind.INFORMATION).order_by("created_at")
        ),
        "answers": display_answers(dossier.schema, dossier.answers)
        + stored_calculation_sections(dossier.schema, dossier.calculations, dossier.answers),
        "can_withdraw": feedback.can_withdraw(dossier),
        "can_reopen": any(
            each.name == "reopen_report"
            for each in workflow.available_transitions(dossier, APPLICANT)
        ),
        "can_rate": feedback.can_rate(dossier),
        "rating": Rating.objects.filter(dossier=dossier).first(),
        "waiting_for_applicant": dossier.status == Status.INFO_REQUESTED,
        "payment": payment,
        "online_payment": online.online_choice(payment.request if payment else None),
        "appointments": list(
            dossier.appointments.filter(status=AppointmentStatus.BOOKED)
            .select_related("appointment_type", "desk")
            .order_by("starts_at")
        ),
        "permit": Permit.objects.filter(dossier=dossier).first(),
    }


def pay_to_submit_context(dossier: Dossier) -> dict:
    """What the page of an application that waits for its fee shows (the stage "payment
    when submitting", dossiers.payments.prepayment): the fee's request, how paying
    online went, and the calculations the applicant saw on the check page."""
    payment_request = dossier.payment_requests.order_by("-created_at", "-pk").first()
    return {
        "dossier": dossier,
        # Closed as not paid (dossiers.payments.prepayment.expire_unpaid): says so.
        "not_paid": dossier.status == Status.NOT_PAID,
        "explanation": STATUS_EXPLANATIONS.get(dossier.status, ""),
        "payment_request": payment_request,
        "online_payment": online.online_choice(payment_request),
        "fee_sections": stored_calculation_sections(
            dossier.schema, dossier.calculations, dossier.answers
        ),
    }
