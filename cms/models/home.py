"""HomePage: the front door of a municipality's desk."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from core.translation import EnglishTextsMixin

from ..blocks import AnnouncementBlock
from ..page_cache import CachedPageMixin
from .services import ServicePage
from .topics import TopicPage


class HomePage(EnglishTextsMixin, CachedPageMixin, Page):
    """Search, the topics, the most used services, the desk's contact details and news.

    The contact details come from the Site's :class:`~cms.models.SiteBranding`, so that
    the home page, the contact page and the footer always say the same.
    """

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    most_used_services = StreamField(
        [("service", blocks.PageChooserBlock(page_type="cms.ServicePage", label=_("Service")))],
        verbose_name=_("most used services"),
        blank=True,
        use_json_field=True,
    )
    announcements = StreamField(
        [("announcement", AnnouncementBlock())],
        verbose_name=_("news and announcements"),
        blank=True,
        use_json_field=True,
        help_text=_("The newest first. Remove announcements that are no longer true."),
    )
    # --- English (core.translation; an empty one shows the Dutch text, marked Dutch) --
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    intro_en = RichTextField(
        _("introduction in English"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
    )
    announcements_en = StreamField(
        [("announcement", AnnouncementBlock())],
        verbose_name=_("news and announcements in English"),
        blank=True,
        use_json_field=True,
        help_text=_("All of them or none: without any, the Dutch ones are shown."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("most_used_services"),
        FieldPanel("announcements"),
    ]
    english_texts = ("title", "intro", "announcements")
    english_panels = [
        HelpPanel(
            content=_(
                "For visitors who chose English. Leave a text empty to show the Dutch "
                "one: the page then says that parts of it are only in Dutch and marks "
                "them as Dutch for screen readers."
            )
        ),
        *[FieldPanel(f"{name}_en") for name in english_texts],
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(english_panels, heading=_("English")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    subpage_types = [
        "cms.TopicPage",
        "cms.ServicePage",
        "cms.FinderPage",
        "cms.ContactPage",
        "cms.ContentPage",
        "forms_builder.ApplicationFormPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_most_used_services(self) -> list[ServicePage]:
        """The chosen services that are live; without a choice, the first six services."""
        chosen = [block.value for block in self.most_used_services if block.value is not None]
        if chosen:
            return [page.specific for page in chosen if page.live]
        return list(ServicePage.objects.live().public().descendant_of(self)[:6])

    def get_context(self, request, *args, **kwargs):
        from .finder import FinderPage

        context = super().get_context(request, *args, **kwargs)
        context["topics"] = TopicPage.objects.live().public().child_of(self)
        context["most_used_services"] = self.get_most_used_services()
        context["finders"] = FinderPage.objects.live().public().child_of(self)
        return context
