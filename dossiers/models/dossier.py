"""The dossier, its reference numbering and its timeline of events."""

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from dossiers.constants import OPEN_STATUSES, EventType, Outcome, Status
from dossiers.models.portal import Assurance

#: Status value → its (lazily translated) label.
_STATUS_LABELS = dict(Status.choices)


def new_access_key() -> str:
    """The secret half of a status-page link: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


class ReferenceCounter(models.Model):
    """The last reference number handed out per form prefix and year."""

    #: The form's prefix, after the municipality's code when its site has one
    #: (``ANZ-TER``): every municipality numbers its own dossiers.
    prefix = models.CharField(max_length=32)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_counter")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"

    @classmethod
    def next_number(cls, prefix: str, year: int) -> int:
        """Atomically take the next number for (prefix, year).

        One upsert statement, so two applicants submitting at the same moment always get
        different numbers: PostgreSQL locks the counter row until the transaction ends.
        """
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (prefix, year, last_number) VALUES (%s, %s, 1) "
                f"ON CONFLICT (prefix, year) DO UPDATE "
                f"SET last_number = {table}.last_number + 1 RETURNING last_number",
                [prefix, year],
            )
            return cursor.fetchone()[0]


class DossierQuerySet(models.QuerySet):
    def open(self):
        """Dossiers the municipality still has to act on or decide."""
        return self.filter(status__in=OPEN_STATUSES)

    def new(self):
        """Submitted dossiers (and reports) that nobody has taken yet."""
        return self.filter(status__in=(Status.SUBMITTED, Status.REPORTED), assigned_to__isnull=True)

    def overdue(self, today: datetime.date | None = None):
        """Open dossiers past their decision date, counting the way :meth:`Dossier.days_left`
        does: a paused term is compared with the day it was paused."""
        today = today or timezone.localdate()
        return self.open().filter(
            Q(due_paused_on__isnull=True, decision_due__lt=today)
            | Q(due_paused_on__isnull=False, decision_due__lt=F("due_paused_on"))
        )


class Dossier(models.Model):
    """One submitted application, tracked from submission to decision."""

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    access_key = models.CharField(max_length=64, default=new_access_key, editable=False)

    form_page = models.ForeignKey(
        "forms_builder.ApplicationFormPage",
        verbose_name=_("form"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    form_title = models.CharField(_("form title"), max_length=255)
    #: The municipality (Wagtail Site) the dossier belongs to: the form's Site when it
    #: was submitted. Only officers of a team that serves this site see the dossier
    #: (dossiers.permissions); its numbering, sender and bank account are the site's.
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        # Without a site only administrators see the dossier (dossiers.permissions).
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    snapshot = models.ForeignKey(
        "forms_builder.FormSnapshot",
        verbose_name=_("form version"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    answers = models.JSONField(_("answers"), default=dict)
    #: The form's calculations computed on the server when it was submitted
    #: (``{name: JSON value}``, amounts as decimal strings), see forms_builder.calculations.
    calculations = models.JSONField(_("calculations"), default=dict, blank=True)
    #: What the application costs: the calculation the editor marked as the fee.
    amount_due = models.DecimalField(
        _("amount due"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    language = models.CharField(_("language"), max_length=10, default="nl")

    applicant_name = models.CharField(_("applicant"), max_length=255, blank=True)
    applicant_email = models.EmailField(_("e-mail address"), blank=True)
    #: When the applicant proved they own ``applicant_email``: signed in to Mijn loket
    #: with it when submitting, or opened the confirmation link sent to it. Until then
    #: the dossier is not in that address's Mijn loket and prefills nothing; its status
    #: page works through its secret link all the same (see dossiers.portal.confirmation).
    email_verified_at = models.DateTimeField(_("e-mail address proven at"), null=True, blank=True)
    applicant_phone = models.CharField(_("phone number"), max_length=50, blank=True)
    company_name = models.CharField(_("company"), max_length=255, blank=True)
    enterprise_number = models.CharField(_("enterprise number"), max_length=20, blank=True)

    # The identity a sign-in vouched for when the dossier was submitted (the government
    # login), never what was typed in the form; see dossiers.portal.vouched. Empty when
    # the applicant was not signed in with such a method.
    #: The sign-in method that vouched for the identity (e.g. "oidc-vlaanderen").
    vouched_method = models.CharField(_("signed in with"), max_length=40, blank=True)
    #: A keyed hash (HMAC-SHA256) of the national register number: finds a person's
    #: dossiers without holding the number.
    vouched_person = models.CharField(
        _("signed-in person (pseudonym)"), max_length=64, blank=True, db_index=True
    )
    #: The national register number, encrypted: the portals name an affair's owner by it.
    vouched_national_id = models.TextField(_("national register number (encrypted)"), blank=True)
    #: The enterprise number (10 digits) the sign-in vouched the person acts for.
    vouched_enterprise = models.CharField(
        _("enterprise of the sign-in"), max_length=10, blank=True, db_index=True
    )
    #: The level of assurance of the sign-in (dossiers.models.portal.Assurance).
    vouched_assurance = models.PositiveSmallIntegerField(
        _("level of assurance"), choices=Assurance.choices, default=Assurance.NONE
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    team = models.ForeignKey(
        "Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    decision_due = models.DateField(_("decide by"), null=True, blank=True, db_index=True)
    #: The day the decision term stopped running (while waiting for the applicant);
    #: dossiers.workflow moves decision_due on by the paused days when it runs again.
    due_paused_on = models.DateField(_("term paused since"), null=True, blank=True)
    #: The stages of the procedure (dossiers.stages) as the form had them at submission.
    stages = models.JSONField(_("stages of the procedure"), default=list, blank=True)
    #: The legal decision term in calendar days, as the form had it at submission.
    term_days = models.PositiveIntegerField(_("decision term (days)"), null=True, blank=True)
    #: True when the term only starts once the application is declared complete; until
    #: then decision_due is empty (dossiers.workflow sets it with "declare_complete").
    term_from_completeness = models.BooleanField(_("term runs from completeness"), default=False)
    #: The day an officer declared the application complete (completeness stage).
    complete_on = models.DateField(_("complete since"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The decision, written by dossiers.workflow with the approve or reject transition.
    decision_outcome = models.CharField(
        _("decision"), max_length=20, choices=Outcome.choices, blank=True
    )
    decision_text = models.TextField(_("decision text"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    #: When dossiers.privacy erased the personal data (retention or a request); the
    #: reference, form, dates, status history and decision outcome stay.
    personal_data_erased_at = models.DateTimeField(
        _("personal data erased at"), null=True, blank=True
    )

    #: The procedure an outcome of the form chose (e.g. "Melding" instead of the form's
    #: "Toelating"), as its title; empty for the form's own procedure
    #: (forms_builder.outcomes: outcomes that change what is submitted).
    procedure = models.CharField(_("procedure"), max_length=255, blank=True)
    #: Submitted after a lead time the form asks for, which the form accepts but marks
    #: (forms_builder.fields.date: "accept but mark late"); formulas know it as te_laat.
    late = models.BooleanField(_("submitted late"), default=False)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at"]
        permissions = [
            (
                "view_sensitive_answers",
                _("Can see sensitive answers (national register numbers) in full"),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            # The inbox's counts (the list's total, the menu's "new" badge, a filter on a
            # form or on overdue) of one team in one municipality, from the index alone
            # on PostgreSQL (docs/PERFORMANCE.md, Indexes).
            models.Index(
                fields=["team", "site", "status", "assigned_to"],
                include=["form_page", "decision_due", "due_paused_on"],
                name="dossier_inbox_counts",
            ),
            # "Mijn loket" finds an applicant's dossiers by e-mail address, in any case.
            models.Index(Upper("applicant_email"), name="dossier_applicant_email_upper"),
        ]

    def __str__(self):
        return self.reference

    def get_status_display(self) -> str:
        """The status's label, in the active language. (Django's version hashes every
        choice again on each call; a page of the inbox asks fifty times.)"""
        return str(_STATUS_LABELS.get(self.status, self.status))

    @property
    def schema(self) -> dict:
        return self.snapshot.schema

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def awaiting_payment(self) -> bool:
        """Sent by the applicant but not yet to the team: the fee is paid first
        (dossiers.payments.prepayment)."""
        return self.status == Status.AWAITING_PAYMENT

    @property
    def waits_for_completeness(self) -> bool:
        """Whether the decision term has not started yet because the application has not
        been declared complete."""
        return self.term_from_completeness and self.complete_on is None and self.is_open

    def term_explanation(self) -> str:
        """One plain sentence on the decision term: from when it runs and why (the status
        page, the dossier view); empty for a dossier without a term."""
        if not self.is_open or not self.term_days:
            return ""
        if self.waits_for_completeness:
            return _(
                "The term of %(days)d calendar days only starts when the application is complete."
            ) % {"days": self.term_days}
        if self.term_from_completeness:
            return _(
                "The term of %(days)d calendar days started on %(date)s, when the "
                "application was complete."
            ) % {"days": self.term_days, "date": date_format(self.complete_on, "j F Y")}
        return _(
            "The term of %(days)d calendar days started when the application was submitted."
        ) % {"days": self.term_days}

    def days_left(self, today: datetime.date | None = None) -> int | None:
        """Days until the decision date (negative when late); None when there is no term
        to keep. While the term is paused, the days left stay as they were that day."""
        if self.decision_due is None or not self.is_open:
            return None
        reference = self.due_paused_on or today or timezone.localdate()
        return (self.decision_due - reference).days

    def get_status_url(self) -> str:
        """The applicant's link to this dossier (path only; see get_absolute_status_url)."""
        from django.urls import reverse

        return reverse(
            "dossiers:status", kwargs={"public_id": self.public_id, "key": self.access_key}
        )

    def get_absolute_status_url(self) -> str:
        return settings.LOKET_BASE_URL.rstrip("/") + self.get_status_url()


class Event(models.Model):
    """One line of a dossier's timeline (the audit trail)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("type"), max_length=30, choices=EventType.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: True when the applicant sees this event on the status page.
    public = models.BooleanField(_("visible to the applicant"), default=False)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    #: Free data of the event (a transition's name, a question, a note's text).
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.dossier} {self.get_type_display()}"
