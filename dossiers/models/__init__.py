"""The models of the dossiers app, one module per aggregate, all importable from here."""

from dossiers.models.advice import AdviceParty, AdviceRequest, Verdict
from dossiers.models.affair import AffairDelivery
from dossiers.models.api import ApiCall, ApiClient, ApiScope
from dossiers.models.appointment import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    BookingQuestion,
    Channel,
    ClosingDay,
    Desk,
    OpeningPeriod,
)
from dossiers.models.appointment_officers import (
    AppointmentInvitation,
    CalendarFeed,
    OfficerAbsence,
    OfficerAvailability,
)
from dossiers.models.attachment import Attachment, AttachmentKind, attachment_path
from dossiers.models.college import (
    CollegeMeeting,
    CollegeOutcome,
    CollegeProposal,
    MeetingStatus,
)
from dossiers.models.company import (
    CompanyActivity,
    CompanyAddress,
    CompanyName,
    Enterprise,
    Establishment,
    RegisterCode,
    RegisterExtract,
)
from dossiers.models.correspondence import (
    ContactPreference,
    DeliveryRecord,
    DeliveryResult,
    LetterChannel,
    PaperReason,
    PostedLetter,
    PrintBatch,
)
from dossiers.models.decision import DecisionLetterTemplate, DecisionTemplate
from dossiers.models.dossier import (
    Dossier,
    DossierQuerySet,
    Event,
    ReferenceCounter,
    new_access_key,
)
from dossiers.models.grant import Grant, GrantState, PayoutBatch
from dossiers.models.inbox_view import SavedInboxView
from dossiers.models.information import InformationRequest
from dossiers.models.message import Message
from dossiers.models.municipality import MunicipalitySettings
from dossiers.models.online_payment import OnlinePayment, SimulatedCheckout
from dossiers.models.outbox import Notification, NotificationTemplate
from dossiers.models.payment import PaymentRequest, PaymentSettings
from dossiers.models.permit import Permit, PermitState, new_verification_token
from dossiers.models.place import Address, AddressImport, PlaceStatus, Street
from dossiers.models.portal import EmailConfirmation, GovernmentLoginSettings, SignInToken
from dossiers.models.privacy import PrivacyRequest
from dossiers.models.proactive import (
    InvitationChannel,
    InvitationStatus,
    ProactiveInvitation,
    ProactiveRule,
    RuleKind,
)
from dossiers.models.rating import Rating
from dossiers.models.refund import Refund, RefundReason, RefundState
from dossiers.models.report import (
    ExternalParty,
    Report,
    ReportArea,
    ReportCategory,
    ReportRoute,
    ReportSettings,
)
from dossiers.models.statement import (
    BankStatement,
    LineState,
    StatementFormat,
    StatementLine,
)
from dossiers.models.team import Team
from dossiers.models.webhook import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)

__all__ = [
    "AffairDelivery",
    "ExternalParty",
    "Report",
    "ReportArea",
    "ReportCategory",
    "ReportRoute",
    "ReportSettings",
    "SavedInboxView",
    "ApiCall",
    "ApiClient",
    "ApiScope",
    "DeliveryStatus",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
    "Address",
    "AddressImport",
    "PlaceStatus",
    "Street",
    "AdviceParty",
    "AdviceRequest",
    "Appointment",
    "BookingQuestion",
    "AppointmentInvitation",
    "CalendarFeed",
    "OfficerAbsence",
    "OfficerAvailability",
    "AppointmentStatus",
    "AppointmentType",
    "Channel",
    "ClosingDay",
    "Desk",
    "OpeningPeriod",
    "Attachment",
    "LetterChannel",
    "ContactPreference",
    "DeliveryRecord",
    "DeliveryResult",
    "PaperReason",
    "PostedLetter",
    "PrintBatch",
    "CompanyActivity",
    "CompanyAddress",
    "CompanyName",
    "Enterprise",
    "Establishment",
    "RegisterCode",
    "RegisterExtract",
    "AttachmentKind",
    "CollegeMeeting",
    "CollegeOutcome",
    "CollegeProposal",
    "DecisionLetterTemplate",
    "DecisionTemplate",
    "Dossier",
    "DossierQuerySet",
    "EmailConfirmation",
    "Event",
    "InformationRequest",
    "Message",
    "Notification",
    "NotificationTemplate",
    "OnlinePayment",
    "PaymentRequest",
    "MunicipalitySettings",
    "PaymentSettings",
    "Permit",
    "InvitationChannel",
    "InvitationStatus",
    "ProactiveInvitation",
    "ProactiveRule",
    "RuleKind",
    "PermitState",
    "MeetingStatus",
    "new_verification_token",
    "PrivacyRequest",
    "Rating",
    "ReferenceCounter",
    "SignInToken",
    "GovernmentLoginSettings",
    "SimulatedCheckout",
    "Team",
    "Verdict",
    "attachment_path",
    "new_access_key",
    "BankStatement",
    "Grant",
    "GrantState",
    "LineState",
    "PayoutBatch",
    "Refund",
    "RefundReason",
    "RefundState",
    "StatementFormat",
    "StatementLine",
]
