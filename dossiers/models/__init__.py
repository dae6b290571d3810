"""The models of the dossiers app, one module per aggregate, all importable from here."""

from dossiers.models.advice import AdviceParty, AdviceRequest, Verdict
from dossiers.models.appointment import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    Channel,
    ClosingDay,
    Desk,
    OpeningPeriod,
)
from dossiers.models.attachment import Attachment, AttachmentKind, attachment_path
from dossiers.models.company import (
    CompanyActivity,
    CompanyAddress,
    CompanyName,
    Enterprise,
    Establishment,
    RegisterCode,
    RegisterExtract,
)
from dossiers.models.decision import DecisionTemplate
from dossiers.models.dossier import (
    Dossier,
    DossierQuerySet,
    Event,
    ReferenceCounter,
    new_access_key,
)
from dossiers.models.information import InformationRequest
from dossiers.models.message import Message
from dossiers.models.outbox import Notification, NotificationTemplate
from dossiers.models.payment import PaymentRequest, PaymentSettings
from dossiers.models.portal import EmailConfirmation, SignInToken
from dossiers.models.privacy import PrivacyRequest
from dossiers.models.rating import Rating
from dossiers.models.team import Team

__all__ = [
    "AdviceParty",
    "AdviceRequest",
    "Appointment",
    "AppointmentStatus",
    "AppointmentType",
    "Channel",
    "ClosingDay",
    "Desk",
    "OpeningPeriod",
    "Attachment",
    "CompanyActivity",
    "CompanyAddress",
    "CompanyName",
    "Enterprise",
    "Establishment",
    "RegisterCode",
    "RegisterExtract",
    "AttachmentKind",
    "DecisionTemplate",
    "Dossier",
    "DossierQuerySet",
    "EmailConfirmation",
    "Event",
    "InformationRequest",
    "Message",
    "Notification",
    "NotificationTemplate",
    "PaymentRequest",
    "PaymentSettings",
    "PrivacyRequest",
    "Rating",
    "ReferenceCounter",
    "SignInToken",
    "Team",
    "Verdict",
    "attachment_path",
    "new_access_key",
]
