"""TopicPage: a theme entrepreneurs recognise ("Vergunningen"), listing its services."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.translation import EnglishTextsMixin

from ..page_cache import CachedPageMixin
from .services import ServicePage

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class TopicPage(EnglishTextsMixin, CachedPageMixin, Page):
    """A topic lists the services under it, and services of other topics that fit too
    (the terrace permit is a permit, and also part of doing business in the centre)."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    also_services = StreamField(
        [("service", blocks.PageChooserBlock(page_type="cms.ServicePage", label=_("Service")))],
        verbose_name=_("services of other topics"),
        blank=True,
        use_json_field=True,
        help_text=_("Services that live under another topic but belong here too."),
    )
    # --- English (core.translation; an empty one shows the Dutch text, marked Dutch) --
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    intro_en = RichTextField(_("introduction in English"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("also_services")]
    english_texts = ("title", "intro")
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
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ServicePage", "forms_builder.ApplicationFormPage"]

    class Meta:
        verbose_name = _("topic page")

    def get_services(self) -> list[ServicePage]:
        """This topic's own live services (in the page tree's order), then the others."""
        services = list(ServicePage.objects.live().public().child_of(self))
        seen = {service.pk for service in services}
        for block in self.also_services:
            page = block.value
            if page is not None and page.live and page.pk not in seen:
                services.append(page.specific)
                seen.add(page.pk)
        return services

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = self.get_services()
        return context
