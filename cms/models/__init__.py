"""The public site's pages and the branding settings; one module per page type."""

from ..assistant.models import AssistantSynonym, UnansweredQuestion
from .branding import SiteBranding
from .content import ContactPage, ContentPage
from .finder import FinderPage
from .home import HomePage
from .services import SERVICE_SECTIONS, ServicePage
from .topics import TopicPage

__all__ = [
    "AssistantSynonym",
    "SERVICE_SECTIONS",
    "ContactPage",
    "ContentPage",
    "FinderPage",
    "HomePage",
    "ServicePage",
    "SiteBranding",
    "TopicPage",
    "UnansweredQuestion",
]
