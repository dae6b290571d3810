"""The public site's pages: home, topics and services."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class HomePage(Page):
    """The front door of a municipality's desk."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.TopicPage", "cms.ServicePage", "forms_builder.ApplicationFormPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = ServicePage.objects.live().public().descendant_of(self)
        return context


class TopicPage(Page):
    """A theme entrepreneurs recognise ("Vergunningen"), listing its services."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ServicePage"]

    class Meta:
        verbose_name = _("topic page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = ServicePage.objects.live().public().child_of(self)
        return context


class ServicePage(Page):
    """One service of the desk ("Terrasvergunning aanvragen") with its call to action."""

    intro = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences: what is this service?")
    )
    body = RichTextField(_("text"), blank=True, features=RICH_TEXT_FEATURES)
    form_page = models.ForeignKey(
        "forms_builder.ApplicationFormPage",
        verbose_name=_("application form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_url = models.URLField(
        _("external application link"),
        blank=True,
        help_text=_("Use this when the service is handled elsewhere (e.g. the regional e-desk)."),
    )
    call_to_action = models.CharField(_("button text"), max_length=60, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                PageChooserPanel("form_page", "forms_builder.ApplicationFormPage"),
                FieldPanel("external_url"),
                FieldPanel("call_to_action"),
            ],
            heading=_("How to apply"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.HomePage", "cms.TopicPage"]
    subpage_types = ["forms_builder.ApplicationFormPage"]

    class Meta:
        verbose_name = _("service page")

    @property
    def apply_url(self) -> str:
        if self.form_page_id and self.form_page.live:
            return self.form_page.url
        return self.external_url
