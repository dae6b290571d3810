"""ServicePage: one service of the desk, written in the same structure as every other."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.translation import EnglishTextsMixin, translated

from ..blocks import FAQBlock
from ..page_cache import CachedPageMixin

#: What editors may use in the texts of a service.
RICH_TEXT_FEATURES = ["h3", "bold", "italic", "link", "ol", "ul"]


@dataclass(frozen=True)
class ServiceSection:
    """One titled part of a service page, in the order applicants read it."""

    field_name: str
    heading: str | Promise
    help_text: str | Promise = ""


#: The fixed parts of every service page, so that every service reads the same. The
#: headings are the page's h2 elements and its table of contents.
SERVICE_SECTIONS = [
    ServiceSection("what_it_is", _("What is it?")),
    ServiceSection("audience", _("Who is it for?")),
    ServiceSection("conditions", _("Conditions")),
    ServiceSection("cost", _("What does it cost?")),
    ServiceSection("how_to_apply", _("How do you apply?")),
    ServiceSection(
        "processing_time",
        _("How long does it take?"),
        _("Mention the legal term within which the municipality decides."),
    ),
    ServiceSection("documents", _("What do you need?"), _("Documents to prepare.")),
    ServiceSection("legal_basis", _("Legal basis")),
    ServiceSection("contact", _("Contact")),
]


#: An identifier in the Flemish catalogue of products and services (IPDC, and the local
#: one, LPDC): its product number (digits) or the id of its concept (a UUID).
IPDC_CODE_PATTERN = (
    r"^(?:[0-9]{1,8}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
)


def _section_field(section: ServiceSection) -> RichTextField:
    return RichTextField(
        section.heading,
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=section.help_text,
    )


def _english_section_field(section: ServiceSection) -> RichTextField:
    return RichTextField(
        format_lazy("{} ({})", section.heading, _("in English")),
        blank=True,
        features=RICH_TEXT_FEATURES,
    )


#: The texts of a service page an editor can give in English (``<name>_en``), in the
#: order of the editor's "English" tab (core.translation).
ENGLISH_TEXTS = [
    "title",
    "intro",
    "call_to_action",
    *[section.field_name for section in SERVICE_SECTIONS],
    "faq",
]


class ServicePage(EnglishTextsMixin, CachedPageMixin, Page):
    """One service of the desk ("Terrasvergunning aanvragen") with its call to action.

    The texts follow :data:`SERVICE_SECTIONS`; empty sections are left out. The call to
    action leads to the service's application form, or to another website when the
    service is handled elsewhere (e.g. the regional e-desk).
    """

    intro = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences: what is this service?")
    )
    what_it_is = _section_field(SERVICE_SECTIONS[0])
    audience = _section_field(SERVICE_SECTIONS[1])
    conditions = _section_field(SERVICE_SECTIONS[2])
    cost = _section_field(SERVICE_SECTIONS[3])
    how_to_apply = _section_field(SERVICE_SECTIONS[4])
    processing_time = _section_field(SERVICE_SECTIONS[5])
    documents = _section_field(SERVICE_SECTIONS[6])
    legal_basis = _section_field(SERVICE_SECTIONS[7])
    contact = _section_field(SERVICE_SECTIONS[8])

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
    #: "Maak een afspraak": the kinds of appointment this page offers (issue #19).
    appointment_types = ParentalManyToManyField(
        "dossiers.AppointmentType",
        verbose_name=_("appointments"),
        blank=True,
        related_name="+",
        help_text=_("The page offers to make an appointment of these kinds."),
    )

    faq = StreamField(
        [("item", FAQBlock())],
        verbose_name=_("frequently asked questions"),
        blank=True,
        use_json_field=True,
    )
    related_services = StreamField(
        [("service", blocks.PageChooserBlock(page_type="cms.ServicePage", label=_("Service")))],
        verbose_name=_("related services"),
        blank=True,
        use_json_field=True,
    )
    # --- English (core.translation; an empty one shows the Dutch text, marked Dutch) --
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    intro_en = models.TextField(_("summary in English"), blank=True)
    call_to_action_en = models.CharField(_("button text in English"), max_length=60, blank=True)
    what_it_is_en = _english_section_field(SERVICE_SECTIONS[0])
    audience_en = _english_section_field(SERVICE_SECTIONS[1])
    conditions_en = _english_section_field(SERVICE_SECTIONS[2])
    cost_en = _english_section_field(SERVICE_SECTIONS[3])
    how_to_apply_en = _english_section_field(SERVICE_SECTIONS[4])
    processing_time_en = _english_section_field(SERVICE_SECTIONS[5])
    documents_en = _english_section_field(SERVICE_SECTIONS[6])
    legal_basis_en = _english_section_field(SERVICE_SECTIONS[7])
    contact_en = _english_section_field(SERVICE_SECTIONS[8])
    faq_en = StreamField(
        [("item", FAQBlock())],
        verbose_name=_("frequently asked questions in English"),
        blank=True,
        use_json_field=True,
    )

    keywords = models.CharField(
        _("search words"),
        max_length=255,
        blank=True,
        help_text=_(
            "Other words people use for this service, separated by commas, e.g. "
            "stoep, terras, inname openbaar domein. Only used by the search."
        ),
    )

    #: Proactive services (issue #22): Mijn loket and the confirmation page suggest the
    #: service to companies whose NACE codes or legal form match.
    suggest_for_nace = models.CharField(
        _("suggest for activities (NACE)"),
        max_length=255,
        blank=True,
        help_text=_(
            "Suggest this service to companies with these activities: NACE codes or their "
            "beginning, separated by commas, e.g. 56 for all horeca, 47.11 for supermarkets."
        ),
    )
    suggest_for_legal_forms = models.CharField(
        _("suggest for legal forms"),
        max_length=255,
        blank=True,
        help_text=_(
            "Only for companies with these legal forms: the register's codes, separated by "
            "commas, e.g. 610 (BV), 014 (NV). Empty: every legal form."
        ),
    )
    ipdc_code = models.CharField(
        _("IPDC/LPDC product number"),
        max_length=36,
        blank=True,
        validators=[
            RegexValidator(
                IPDC_CODE_PATTERN,
                _(
                    "Enter the product number from the Flemish catalogue (digits only, "
                    "e.g. 1502) or the id of its concept (e.g. "
                    "0f2d5b9e-3c1a-4b7e-9d4f-2a6c8e1b7d30)."
                ),
            )
        ],
        help_text=_(
            "The number of this product or service in the Flemish catalogue of products "
            "and services (IPDC/LPDC). Other government websites and the API use it."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                PageChooserPanel("form_page", "forms_builder.ApplicationFormPage"),
                FieldPanel("external_url"),
                FieldPanel("call_to_action"),
            ],
            heading=_("How to apply online"),
        ),
        FieldPanel("appointment_types", widget=forms.CheckboxSelectMultiple),
        *[FieldPanel(section.field_name) for section in SERVICE_SECTIONS],
        FieldPanel("faq"),
        FieldPanel("related_services"),
    ]
    english_panels = [
        HelpPanel(
            content=_(
                "For visitors who chose English. Leave a text empty to show the Dutch "
                "one: the page then says that parts of it are only in Dutch and marks "
                "them as Dutch for screen readers."
            )
        ),
        *[FieldPanel(f"{name}_en") for name in ENGLISH_TEXTS],
    ]
    promote_panels = Page.promote_panels + [
        FieldPanel("keywords"),
        FieldPanel("ipdc_code"),
        MultiFieldPanel(
            [FieldPanel("suggest_for_nace"), FieldPanel("suggest_for_legal_forms")],
            heading=_("Suggest to companies"),
        ),
    ]

    english_texts = tuple(ENGLISH_TEXTS)
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(english_panels, heading=_("English")),
            ObjectList(promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("keywords", boost=3),
        index.AutocompleteField("keywords"),
        index.SearchField("intro", boost=2),
        *[index.SearchField(section.field_name) for section in SERVICE_SECTIONS[:7]],
        index.SearchField("faq"),
    ]
    parent_page_types = ["cms.HomePage", "cms.TopicPage"]

    def bookable_appointment_types(self):
        """The chosen kinds of appointment that can be booked now."""
        return self.appointment_types.filter(active=True).order_by("name")

    subpage_types = ["forms_builder.ApplicationFormPage"]

    class Meta:
        verbose_name = _("service page")

    @property
    def apply_url(self) -> str:
        """Where the call to action leads: the live form, else the external link."""
        if self.form_page_id and self.form_page.live:
            return self.form_page.url
        return self.external_url

    @property
    def applies_elsewhere(self) -> bool:
        """True when the call to action leaves this site."""
        return bool(self.apply_url) and self.apply_url == self.external_url

    def sections(self) -> list[dict]:
        """The filled-in sections, each with its heading, anchor and rich text (in
        English for an English visitor where the editor translated it; ``lang`` "nl"
        where not)."""
        sections = []
        for section in SERVICE_SECTIONS:
            if not getattr(self, section.field_name):
                continue
            text = translated(self, section.field_name)
            sections.append(
                {
                    "id": section.field_name.replace("_", "-"),
                    "heading": section.heading,
                    "text": text.text,
                    "lang": text.lang,
                }
            )
        return sections

    def nace_prefixes(self) -> list[str]:
        """The NACE codes (or their beginnings) to suggest for, digits only: "56.*" → "56"."""
        return [
            prefix
            for part in self.suggest_for_nace.split(",")
            if (prefix := "".join(ch for ch in part if ch.isdigit()))
        ]

    def legal_form_codes(self) -> list[str]:
        return [code.strip() for code in self.suggest_for_legal_forms.split(",") if code.strip()]

    def suits_company(self, nace_codes: set[str], legal_form: str) -> bool:
        """True when the service is tagged for companies and this one matches: one of its
        NACE codes starts with a tagged prefix (when there are any) and its legal form is
        a tagged one (when there are any)."""
        prefixes, forms = self.nace_prefixes(), self.legal_form_codes()
        if not prefixes and not forms:
            return False
        if prefixes and not any(code.startswith(p) for code in nace_codes for p in prefixes):
            return False
        return not forms or legal_form in forms

    def live_related_services(self) -> list[ServicePage]:
        """The related services that applicants can open now."""
        pages = [block.value for block in self.related_services if block.value is not None]
        return [page.specific for page in pages if page.live and page.pk != self.pk]
