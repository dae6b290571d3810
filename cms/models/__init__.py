"""The public site's pages and the branding settings; one module per page type."""

from ..assistant.models import (
    AssistantBestBet,
    AssistantLexeme,
    AssistantPassage,
    AssistantSynonym,
    UnansweredQuestion,
)
from ..library.models import AdoptedPage, LibrarySettings, LibraryTemplate, LibraryVersion
from .branding import SiteBranding
from .content import ContactPage, ContentPage
from .finder import FinderPage
from .home import HomePage
from .services import SERVICE_SECTIONS, ServicePage
from .topics import TopicPage

__all__ = [
    "AssistantBestBet",
    "AdoptedPage",
    "LibrarySettings",
    "LibraryTemplate",
    "LibraryVersion",
    "AssistantLexeme",
    "AssistantPassage",
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
