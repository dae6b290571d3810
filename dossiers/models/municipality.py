"""What makes a municipality's dossiers its own, per Wagtail Site: the code in its
reference numbers and the sender of its e-mails. Its bank account is
:class:`~dossiers.models.PaymentSettings`, its name and colours
:class:`cms.models.branding.SiteBranding` (docs/gemeenten.md)."""

from __future__ import annotations

from email.utils import formataddr

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

validate_reference_code = RegexValidator(
    r"^[A-Z0-9]{1,6}$",
    _("Use 1 to 6 capital letters or digits, e.g. ANZ."),
)


@register_setting(icon="home")
class MunicipalitySettings(BaseSiteSetting):
    """The municipality's code in reference numbers and the sender of its e-mails."""

    reference_code = models.CharField(
        _("code in reference numbers"),
        max_length=6,
        blank=True,
        validators=[validate_reference_code],
        help_text=_(
            "Comes before every reference number of this municipality, e.g. ANZ gives "
            "ANZ-TER-2026-00001. Fill it in when this installation serves several "
            "municipalities."
        ),
    )
    sender_name = models.CharField(
        _("sender name of e-mails"),
        max_length=100,
        blank=True,
        help_text=_("For example: Gemeente Voorbeeld. Empty: the installation's sender."),
    )
    sender_email = models.EmailField(
        _("sender address of e-mails"),
        blank=True,
        help_text=_(
            "The address e-mails about this municipality's dossiers come from. The mail "
            "server must be allowed to send for it. Empty: the installation's sender."
        ),
    )

    panels = [
        FieldPanel("reference_code"),
        FieldPanel("sender_name"),
        FieldPanel("sender_email"),
    ]

    class Meta:
        verbose_name = _("municipality")

    def from_email(self) -> str:
        """The ``From`` of the municipality's e-mails (the installation's without an
        address of its own)."""
        if not self.sender_email:
            return settings.DEFAULT_FROM_EMAIL
        return formataddr((self.sender_name, self.sender_email))


def site_of_form(form_page):
    """The municipality (Site) a form's dossiers belong to: the form's Site, else the
    default Site (a form outside every site's tree: demo data, tests)."""
    # From the tree itself, not Wagtail's cached site root paths: the dossier's
    # municipality decides who sees it.
    path = getattr(form_page, "path", "") or ""
    above = [path[:end] for end in range(4, len(path) + 1, 4)]
    site = (
        Site.objects.filter(root_page__path__in=above)
        .order_by("-root_page__depth", "-is_default_site", "pk")
        .first()
    )
    return site or Site.objects.filter(is_default_site=True).first()
