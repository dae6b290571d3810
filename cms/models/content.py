"""Plain pages of the desk: the contact and appointment page, and information pages
such as the privacy and accessibility statements."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.pages import SitePathUrlMixin
from core.translation import EnglishTextsMixin

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class ContactPage(EnglishTextsMixin, SitePathUrlMixin, Page):
    """How to reach the desk and make an appointment.

    The address, phone, e-mail and opening hours come from the Site's branding settings;
    this page adds how to make an appointment and how to find the desk.
    """

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    appointment_text = RichTextField(
        _("making an appointment"), blank=True, features=RICH_TEXT_FEATURES
    )
    appointment_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page to ask a question or make an appointment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    appointment_link_text = models.CharField(_("button text"), max_length=60, blank=True)
    body = RichTextField(
        _("more information"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("For example: how to get there, parking, access for wheelchairs."),
    )
    # --- English (core.translation; an empty one shows the Dutch text, marked Dutch) --
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    intro_en = RichTextField(
        _("introduction in English"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    appointment_text_en = RichTextField(
        _("making an appointment, in English"), blank=True, features=RICH_TEXT_FEATURES
    )
    appointment_link_text_en = models.CharField(
        _("button text in English"), max_length=60, blank=True
    )
    body_en = RichTextField(
        _("more information in English"), blank=True, features=RICH_TEXT_FEATURES
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("appointment_text"),
                PageChooserPanel("appointment_page"),
                FieldPanel("appointment_link_text"),
            ],
            heading=_("Appointment"),
        ),
        FieldPanel("body"),
    ]
    english_texts = ("title", "intro", "appointment_text", "appointment_link_text", "body")
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
    search_fields = Page.search_fields + [index.SearchField("appointment_text")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("contact page")


class ContentPage(EnglishTextsMixin, SitePathUrlMixin, Page):
    """A page of text, e.g. the privacy statement or the accessibility statement."""

    intro = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("text"), blank=True, features=RICH_TEXT_FEATURES)
    # --- English (core.translation; an empty one shows the Dutch text, marked Dutch) --
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    intro_en = models.TextField(_("summary in English"), blank=True)
    body_en = RichTextField(_("text in English"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    english_texts = ("title", "intro", "body")
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
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("information page")
