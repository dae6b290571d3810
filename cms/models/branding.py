"""Branding per Wagtail Site: a municipality rebrands its desk here, not in templates."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from core.colours import validate_contrast_with_white, validate_hex_colour

from ..blocks import LinkBlock, OpeningHoursBlock
from .burgerprofiel import GlobalHeaderSettings

DEFAULT_BRAND_COLOUR = "#1d4e89"
DEFAULT_BRAND_COLOUR_DARK = "#133660"


@register_setting(icon="palette")
class SiteBranding(GlobalHeaderSettings, BaseSiteSetting):
    """Name, logo, colours and contact details of the municipality that runs a Site.

    ``base.html`` turns the colours into CSS custom properties, and the header, footer,
    home and contact pages show the contact details, so every page follows them.
    """

    municipality_name = models.CharField(
        _("name of the municipality"),
        max_length=100,
        blank=True,
        help_text=_("As it appears in the header, e.g. Gemeente Voorbeeld."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown in the header on the brand colour: use a light or white logo."),
    )
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default=DEFAULT_BRAND_COLOUR,
        validators=[validate_hex_colour, validate_contrast_with_white],
        help_text=_("Header, buttons and links. White text must be readable on it."),
    )
    brand_colour_dark = models.CharField(
        _("dark brand colour"),
        max_length=7,
        default=DEFAULT_BRAND_COLOUR_DARK,
        validators=[validate_hex_colour, validate_contrast_with_white],
        help_text=_("Borders and buttons under the mouse pointer: a darker shade."),
    )
    address = models.TextField(
        _("address of the desk"), blank=True, help_text=_("One line per address line.")
    )
    phone = models.CharField(_("phone number"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    opening_hours = StreamField(
        [("hours", OpeningHoursBlock())],
        verbose_name=_("opening hours"),
        blank=True,
        use_json_field=True,
    )
    opening_hours_note = models.TextField(
        _("note on the opening hours"),
        blank=True,
        help_text=_("For example: closed on public holidays; by appointment on Tuesday evening."),
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("contact page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    footer_links = StreamField(
        [("link", LinkBlock())],
        verbose_name=_("footer links"),
        blank=True,
        use_json_field=True,
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("municipality_name"),
                FieldPanel("logo"),
                FieldPanel("brand_colour"),
                FieldPanel("brand_colour_dark"),
            ],
            heading=_("Branding"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("opening_hours"),
                FieldPanel("opening_hours_note"),
                FieldPanel("contact_page"),
            ],
            heading=_("The desk"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
                FieldPanel("footer_links"),
            ],
            heading=_("Footer"),
        ),
        GlobalHeaderSettings.global_header_panel,
    ]

    class Meta:
        verbose_name = _("branding and contact details")
        verbose_name_plural = _("branding and contact details")

    def __str__(self):
        return self.display_name

    @classmethod
    def for_site(cls, site):
        """Wagtail's lookup, with the Site it was asked for kept on the instance, so
        that :attr:`display_name` on every page needs no query of its own."""
        instance = super().for_site(site)
        if instance.site_id == site.pk:
            instance.site = site
        return instance

    @property
    def display_name(self) -> str:
        """The municipality's name, or the Site's name when none is set."""
        return self.municipality_name or self.site.site_name or "Loket"

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]
