"""Choices of the dossier domain. Labels are what people read, so plain words."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    #: Sent by the applicant, but the form asks to pay first (the stage "payment when
    #: submitting"): not in any officer's inbox until paid (dossiers.payments.prepayment).
    AWAITING_PAYMENT = "awaiting_payment", _("Not sent yet: waiting for payment")
    #: The fee of such an application was not paid within ``LOKET_UNPAID_APPLICATION_DAYS``:
    #: it was never sent (dossiers.payments.prepayment.expire_unpaid). A payment that still
    #: comes in sends it after all.
    NOT_PAID = "not_paid", _("Not sent: not paid in time")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    INFO_REQUESTED = "info_requested", _("Waiting for the applicant")
    #: A proposed decision is on the list of a college meeting (dossiers.college).
    COLLEGE = "college", _("Waiting for the college decision")
    #: Sent on to another authority that handles it now (dossiers.routing).
    FORWARDED = "forwarded", _("Forwarded to another authority")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")
    # A report from a resident (dossiers.reports); "in behandeling" is IN_REVIEW.
    REPORTED = "reported", _("Reported")
    SCHEDULED = "scheduled", _("Scheduled")
    #: Sent on to an outside party (grid operator, water company) that fixes it.
    FORWARDED_EXTERNAL = "forwarded_external", _("Forwarded to an outside party")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")


#: Statuses in which the municipality still has to act or decide.
OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.IN_REVIEW,
    Status.INFO_REQUESTED,
    Status.COLLEGE,
    Status.REPORTED,
    Status.SCHEDULED,
    Status.FORWARDED_EXTERNAL,
    Status.REOPENED,
)

#: Statuses in which the decision term stands still: the municipality waits for the
#: applicant, so those days do not count (see dossiers.workflow).
PAUSED_STATUSES = (Status.INFO_REQUESTED,)


class Outcome(models.TextChoices):
    """What was decided on a dossier."""

    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# Kinds of actors: who makes a change. The transition table in dossiers.workflow names
# the kinds that may make each change; dossiers.permissions derives them for a user.
#: The applicant, on the status page (through the dossier's secret link).
APPLICANT = "applicant"
#: A member of the dossier's team (and an administrator).
OFFICER = "officer"
#: A lead of the dossier's team (and an administrator). A lead is an officer too.
LEAD = "lead"
#: The college of mayor and aldermen: its outcome, recorded for a whole meeting's list
#: by an officer (dossiers.college). No user has this kind on a dossier.
COLLEGE = "college"
#: Background work and imports, acting for nobody in particular.
SYSTEM = "system"

#: One line per status that tells the applicant what happens next (the status page).
STATUS_EXPLANATIONS = {
    Status.AWAITING_PAYMENT: _(
        "Your application is not sent yet. Pay the fee online: then we send it at once. "
        "Your answers are kept."
    ),
    Status.NOT_PAID: _(
        "Your application was not sent, because the fee was not paid in time. You can still "
        "pay: then we send it at once. Your answers are kept."
    ),
    Status.SUBMITTED: _("We have received your application. An officer will look at it soon."),
    Status.IN_REVIEW: _(
        "An officer is reviewing your application. We will e-mail you when we have "
        "decided, or when we need something from you."
    ),
    Status.INFO_REQUESTED: _(
        "We need more information from you before we can go on. Answer our question at "
        "the top of this page."
    ),
    Status.COLLEGE: _(
        "A proposed decision on your application is on the list of the college of mayor "
        "and aldermen. We will e-mail you when the college has decided."
    ),
    Status.FORWARDED: _(
        "We forwarded your application to another authority. That authority handles it "
        "now: the timeline below says which one and why."
    ),
    Status.APPROVED: _("Your application has been approved. The decision letter is on this page."),
    Status.REJECTED: _(
        "Your application has been rejected. The decision letter on this page says why."
    ),
    Status.WITHDRAWN: _("You withdrew this application. We do not handle it any more."),
    Status.CLOSED: _("This dossier is closed. We do not handle it any more."),
    Status.REPORTED: _("We have received your report. We will look at it soon."),
    Status.SCHEDULED: _("The work on your report is planned."),
    Status.FORWARDED_EXTERNAL: _(
        "We sent your report to the party that fixes it. The timeline below says which one."
    ),
    Status.RESOLVED: _("Your report has been handled."),
    Status.REOPENED: _("Your report was opened again. We are looking at it once more."),
}


class EventType(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    NOTE_ADDED = "note_added", _("Note added")
    NOTIFICATION_SENT = "notification_sent", _("Notification sent")
    NOTIFICATION_FAILED = "notification_failed", _("Notification failed")
    VIEWED = "viewed", _("Viewed by an officer")
    ATTACHMENT_DOWNLOADED = "attachment_downloaded", _("File downloaded")
    MESSAGE = "message", _("Message")
    INFORMATION_ANSWERED = "information_answered", _("Information sent")
    REMINDER_SENT = "reminder_sent", _("Reminder sent")
    RATED = "rated", _("Service rated")
    #: Advice asked from a party (dossiers.advice); public when the form says so.
    ADVICE_REQUESTED = "advice_requested", _("Advice asked")
    ADVICE_GIVEN = "advice_given", _("Advice given")
    ADVICE_REMINDER_SENT = "advice_reminder_sent", _("Advice reminder sent")
    #: The officer went on without the advice still awaited.
    ADVICE_NOT_AWAITED = "advice_not_awaited", _("Decided without waiting for advice")
    #: The personal data were erased (retention or a request); see dossiers.privacy.
    PERSONAL_DATA_ERASED = "personal_data_erased", _("Personal data erased")
    #: A payment request was made, changed in amount, cancelled or marked paid (see
    #: dossiers.payments); ``data["payment_request"]`` is its id.
    PAYMENT_REQUESTED = "payment_requested", _("Payment requested")
    PAYMENT_CANCELLED = "payment_cancelled", _("Payment request cancelled")
    PAYMENT_RECEIVED = "payment_received", _("Payment received")
    #: An officer invited the applicant to book a time about the dossier, and the
    #: applicant booked it (dossiers.appointments.invitations).
    APPOINTMENT_INVITED = "appointment_invited", _("Invited to make an appointment")
    APPOINTMENT_BOOKED = "appointment_booked", _("Appointment made")
    #: A bank-statement line was booked to a payment request (on reading the file or by
    #: hand, see dossiers.payments.statements): ``data["line"]``, ``data["state"]``.
    PAYMENT_BOOKED = "payment_booked", _("Payment booked from a bank statement")
    #: A refund was recorded or changed state (dossiers.payments.refunds).
    REFUND = "refund", _("Refund")
    #: A grant was given, changed, approved, put in a payout batch or paid out
    #: (dossiers.payments.grants, payouts): ``data["grant"]``.
    GRANTED = "granted", _("Amount granted")
    GRANT_CHANGED = "grant_changed", _("Grant changed")
    GRANT_APPROVED = "grant_approved", _("Grant approved")
    PAYOUT_EXPORTED = "payout_exported", _("Payout exported")
    PAYOUT_PAID = "payout_paid", _("Paid out")
    #: Another team handles the dossier: routed at submission by the form's routing
    #: rules, or reassigned by an officer (dossiers.routing).
    TEAM_CHANGED = "team_changed", _("Team changed")
    #: An officer withdrew the permit of an approval (dossiers.permits).
    PERMIT_WITHDRAWN = "permit_withdrawn", _("Permit withdrawn")
    #: A proactive invitation (a renewal, a service) went to the applicant (dossiers.proactive).
    PROACTIVE_INVITATION = "proactive_invitation", _("Invitation sent")
    #: A report was merged into another report of the same problem (dossiers.reports).
    REPORT_MERGED = "report_merged", _("Merged with another report")
    #: A report was sent to an outside party with its link (dossiers.reports).
    REPORT_SENT_TO_PARTY = "report_sent_to_party", _("Report sent to an outside party")


class PaymentStatus(models.TextChoices):
    """Where a payment request stands (see dossiers.payments)."""

    OPEN = "open", _("Waiting for payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class OnlinePaymentStatus(models.TextChoices):
    """Where one attempt to pay online stands (see dossiers.payments.online). Paid is
    final; a failed, cancelled or expired attempt can still turn paid (a late report)."""

    STARTED = "started", _("Started")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


#: Who wrote a message in a dossier's thread.
class Sender(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    MUNICIPALITY = "municipality", _("Municipality")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class PrivacyRequestKind(models.TextChoices):
    """What an administrator did for a data subject (see dossiers.privacy)."""

    EXPORT = "export", _("Export")
    ERASURE = "erasure", _("Erasure")


class SearchKind(models.TextChoices):
    """What a privacy request searched by."""

    EMAIL = "email", _("E-mail address")
    ENTERPRISE_NUMBER = "enterprise_number", _("Enterprise number")
    NATIONAL_ID = "national_id", _("National register number")
