"""Officers who take appointments: their weekly hours and absences (which times of a
type with named officers are free, ``dossiers.appointments.slots``), their private
calendar feed, and their invitations to an applicant to book a time about a dossier."""

from __future__ import annotations

import hmac
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from core.tokens import hash_token

from .appointment import Weekday


class OfficerAvailability(models.Model):
    """When an officer takes appointments: a block of hours on a weekday (wall clock in
    the desk's time zone). An officer may have several blocks a day."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="appointment_hours",
        verbose_name=_("officer"),
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    panels = [
        FieldPanel("officer"),
        FieldPanel("weekday"),
        FieldPanel("starts"),
        FieldPanel("ends"),
    ]

    class Meta:
        verbose_name = _("availability of an officer")
        verbose_name_plural = _("availability of officers")
        ordering = ["officer", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")),
                name="officer_availability_order",
                violation_error_message=_("The end must come after the start."),
            )
        ]

    def __str__(self):
        return f"{self.officer} {self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def clean(self):
        if self.starts is not None and self.ends is not None and self.ends <= self.starts:
            raise ValidationError({"ends": _("The end must come after the start.")})


class OfficerAbsence(models.Model):
    """Days an officer takes no appointments (leave, training), first and last included."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="appointment_absences",
        verbose_name=_("officer"),
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    panels = [
        FieldPanel("officer"),
        FieldPanel("first_day"),
        FieldPanel("last_day"),
        FieldPanel("reason"),
    ]

    class Meta:
        verbose_name = _("absence of an officer")
        verbose_name_plural = _("absences of officers")
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="officer_absence_order",
                violation_error_message=_("The last day cannot come before the first day."),
            )
        ]

    def __str__(self):
        return f"{self.officer} {self.first_day:%d-%m-%Y}–{self.last_day:%d-%m-%Y}"

    def clean(self):
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": _("The last day cannot come before the first day.")})


class CalendarFeed(models.Model):
    """An officer's private calendar subscription (Outlook, Google, a phone): a secret
    link to their appointments as an iCalendar feed. Only the link's SHA-256 is kept
    (``core.tokens``); making a new link ends the old one."""

    officer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar link")

    def __str__(self):
        return f"{self.officer}"


class AppointmentInvitation(models.Model):
    """An officer invites the applicant of a dossier to book a time with them.

    The e-mailed link is ``public_id`` + a random key of which only the SHA-256 is kept;
    it works until ``expires_at`` and once: after the booking it leads to the
    appointment's own page.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="appointment_invitations"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    appointment_type = models.ForeignKey(
        "dossiers.AppointmentType", on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    appointment = models.OneToOneField(
        "dossiers.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )

    class Meta:
        verbose_name = _("invitation to make an appointment")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.dossier_id}: {self.appointment_type_id}"

    def new_key(self) -> str:
        key = secrets.token_urlsafe(32)
        self.key_hash = hash_token(key)
        return key

    def key_matches(self, key: str) -> bool:
        return bool(self.key_hash) and hmac.compare_digest(self.key_hash, hash_token(key or ""))

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def get_path(self, key: str) -> str:
        return reverse("appointments:invitation", kwargs={"public_id": self.public_id, "key": key})
