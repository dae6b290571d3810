"""The models of the dossiers app, one module per aggregate, all importable from here."""

from .attachment import Attachment, AttachmentKind, attachment_path
from .decision import DecisionTemplate
from .dossier import Dossier, DossierQuerySet, Event, ReferenceCounter, new_access_key
from .information import InformationRequest
from .message import Message
from .outbox import Notification, NotificationTemplate
from .portal import SignInToken
from .privacy import PrivacyRequest
from .rating import Rating
from .team import Team

__all__ = [
    "Attachment",
    "AttachmentKind",
    "DecisionTemplate",
    "Dossier",
    "DossierQuerySet",
    "Event",
    "InformationRequest",
    "Message",
    "Notification",
    "NotificationTemplate",
    "PrivacyRequest",
    "Rating",
    "ReferenceCounter",
    "SignInToken",
    "Team",
    "attachment_path",
    "new_access_key",
]
