"""Proactive services: rules editors write, and the invitations a run proposes.

A :class:`ProactiveRule` belongs to one municipality (a Wagtail Site). Its criteria are
over the company register (NACE codes, legal form, an establishment in the
municipality's postcodes, its start date) or over dossiers (a permit of a form that
ends within N days). Running it (:mod:`dossiers.proactive.services`) writes one
:class:`ProactiveInvitation` per company or permit it finds, in the state
"proposed": nothing goes out until an officer of the municipality approves it. The
unique constraint on (rule, subject) makes a run safe to repeat: a company or permit
is proposed once per rule, whatever is decided about it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    #: Companies in the register that match the criteria.
    COMPANIES = "companies", _("Companies in the register")
    #: Permits of a form that end soon: invite the holder to apply again.
    RENEWAL = "renewal", _("Permits that end soon (renewal)")


class ProactiveRule(models.Model):
    """What to look for, what to propose, and the text of the invitation."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="proactive_rules",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("what the rule looks for"), max_length=20, choices=RuleKind.choices)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active rules run every night.")
    )
    nace_codes = models.CharField(
        _("activities (NACE)"),
        max_length=255,
        blank=True,
        help_text=_(
            "NACE codes or their beginning, separated by commas, e.g. 56 for all horeca, "
            "47.11 for supermarkets. Empty: every activity."
        ),
    )
    legal_forms = models.CharField(
        _("legal forms"),
        max_length=255,
        blank=True,
        help_text=_(
            "The register's codes of legal forms, separated by commas, e.g. 610 for a BV. "
            "Empty: every legal form."
        ),
    )
    postcodes = models.CharField(
        _("postcodes"),
        max_length=255,
        blank=True,
        help_text=_(
            "The company has its seat or an establishment in one of these postcodes, "
            "separated by commas. Empty: every postcode of the company register."
        ),
    )
    started_within_days = models.PositiveIntegerField(
        _("started at most this many days ago"),
        null=True,
        blank=True,
        help_text=_(
            "Only establishments that started in the register at most this many days "
            "before the run, e.g. 90. Empty: whenever they started."
        ),
    )
    permit_form = models.ForeignKey(
        "forms_builder.ApplicationFormPage",
        verbose_name=_("permits of this form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Renewal: the form whose permits the rule looks at."),
    )
    days_before_end = models.PositiveIntegerField(
        _("days before the permit ends"),
        default=60,
        help_text=_("Renewal: invite the holder this many days before the permit ends."),
    )
    form_page = models.ForeignKey(
        "forms_builder.ApplicationFormPage",
        verbose_name=_("form to propose"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The invitation links to this form. Renewal: empty means the form of the "
            "permit, filled in with the answers of the last application."
        ),
    )
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(
        _("message"),
        help_text=_("Plain text. You can use {bedrijfsnaam}, {reden}, {einddatum} and {link}."),
    )
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    message_en = models.TextField(
        _("message (English)"),
        blank=True,
        help_text=_("For applicants who use Loket in English. Empty: the Dutch text."),
    )
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proactive rule")
        verbose_name_plural = _("proactive rules")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def nace_prefixes(self) -> list[str]:
        """The NACE beginnings as the register writes codes (digits only)."""
        return [
            prefix
            for part in self.nace_codes.split(",")
            if (prefix := "".join(ch for ch in part if ch.isdigit()))
        ]

    def legal_form_codes(self) -> list[str]:
        return [code.strip() for code in self.legal_forms.split(",") if code.strip()]

    def postcode_list(self) -> list[str]:
        return [code.strip() for code in self.postcodes.split(",") if code.strip()]

    def proposed_form(self):
        """The form the invitation links to."""
        return self.form_page or (self.permit_form if self.kind == RuleKind.RENEWAL else None)

    def text(self, language: str) -> tuple[str, str]:
        """Subject and message in ``language`` (English when written, else Dutch)."""
        if language.startswith("en") and self.subject_en.strip() and self.message_en.strip():
            return self.subject_en, self.message_en
        return self.subject, self.message


class InvitationStatus(models.TextChoices):
    PROPOSED = "proposed", _("To review")
    APPROVED = "approved", _("Approved, being sent")
    REJECTED = "rejected", _("Rejected")
    SENT = "sent", _("Sent")


class InvitationChannel(models.TextChoices):
    EMAIL = "email", _("By e-mail")
    PAPER = "paper", _("On paper, by post")
    EBOX = "ebox", _("In the eBox for enterprises")
    #: No address known: the company sees it on its page in Mijn loket only.
    PORTAL = "portal", _("Only in Mijn loket")


class ProactiveInvitation(models.Model):
    """One company (or permit) a rule found, and what became of it."""

    rule = models.ForeignKey(
        ProactiveRule,
        verbose_name=_("rule"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    #: The rule's municipality, kept here so a list is scoped without a join.
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    #: What the rule found, once per rule: "company:<number>" or "permit:<id>".
    subject_key = models.CharField(max_length=40)
    enterprise_number = models.CharField(_("enterprise number"), max_length=10, blank=True)
    company_name = models.CharField(_("company"), max_length=320, blank=True)
    #: The dossier the invitation is about (the permit's), or the company's last one.
    dossier = models.ForeignKey(
        "Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proactive_invitations",
    )
    reason = models.TextField(_("why"))
    #: Renewal: the day the permit ends.
    ends_on = models.DateField(_("permit ends on"), null=True, blank=True)
    #: The address of the proposed form, with the prefilled answers.
    link = models.CharField(_("link"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PROPOSED,
        db_index=True,
    )
    channel = models.CharField(
        _("sent by"), max_length=10, choices=InvitationChannel.choices, blank=True
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proactive invitation")
        verbose_name_plural = _("proactive invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_key"], name="proactive_invitation_once"
            )
        ]

    def __str__(self):
        return f"{self.rule}: {self.company_name or self.enterprise_number or self.subject_key}"
