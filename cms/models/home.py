"""HomePage: the front door of a municipality's desk."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from ..blocks import AnnouncementBlock
from ..page_cache import CachedPageMixin
from .services import ServicePage
from .topics import TopicPage


class HomePage(CachedPageMixin, Page):
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

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("most_used_services"),
        FieldPanel("announcements"),
    ]
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
