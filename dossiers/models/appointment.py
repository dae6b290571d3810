"""Appointments at the desk: where (Desk, its opening hours and closing days), what
(AppointmentType) and the bookings themselves (Appointment).

Desks and types are configuration, edited as Wagtail snippets; an Appointment is a
record the public makes through ``dossiers.appointments``. Times are stored in UTC;
opening hours are wall-clock times in ``Desk.time_zone`` (Europe/Brussels), so a desk
that opens at 9.00 opens at 9.00 in summer and in winter.

The last free seat of a slot cannot be taken twice: a booked appointment holds one
seat number (1..capacity) of its (desk, start), and the database refuses a second
booked row with the same three (``unique_booked_seat``).
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from .dossier import new_access_key

BRUSSELS = "Europe/Brussels"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Channel(models.TextChoices):
    DESK = "desk", _("At the desk")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video call")


class Desk(ClusterableModel):
    """A place (or a team answering the phone) where appointments happen, of one
    municipality (a Wagtail Site): its booking pages offer it, its officers see its
    appointments (docs/gemeenten.md). A desk saved without a site gets the default
    site."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="desks",
        help_text=_(
            "The municipality whose booking pages offer this desk. Empty: the default site."
        ),
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.TextField(_("address"), blank=True)
    #: Closed on the Belgian public holidays (core.holidays) as well as
    #: on the closing days listed.
    closed_on_public_holidays = models.BooleanField(_("closed on public holidays"), default=True)
    #: Opening hours are wall-clock times in this zone.
    time_zone = models.CharField(_("time zone"), max_length=64, default=BRUSSELS)

    panels = [
        FieldPanel("site"),
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("closed_on_public_holidays"),
        InlinePanel("opening_hours", label=_("Opening hours")),
        InlinePanel("closing_days", label=_("Closing days")),
    ]

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.site_id is None and self.pk is None:
            from wagtail.models import Site

            self.site = Site.objects.filter(is_default_site=True).first()
        super().save(*args, **kwargs)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class OpeningPeriod(models.Model):
    """One block of opening hours on a weekday; a day may have several."""

    desk = ParentalKey(Desk, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))

    panels = [FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")]

    class Meta:
        verbose_name = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")),
                name="opening_period_order",
                violation_error_message=_("The desk must close after it opens."),
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError({"closes": _("The desk must close after it opens.")})


class ClosingDay(models.Model):
    """A day the desk is closed (besides public holidays): a bridge day, a move."""

    desk = ParentalKey(Desk, on_delete=models.CASCADE, related_name="closing_days")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    panels = [FieldPanel("date"), FieldPanel("reason")]

    class Meta:
        verbose_name = _("closing day")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.reason}".strip()


class AppointmentType(ClusterableModel):
    """What one can book: "Starten met een zaak", 30 minutes, at the desk."""

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="appointment_types")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.DESK
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    #: Minutes kept free after each appointment (notes, the next visitor).
    buffer_minutes = models.PositiveSmallIntegerField(_("buffer (minutes)"), default=0)
    #: How many appointments of this type the desk takes at the same time.
    capacity = models.PositiveSmallIntegerField(
        _("capacity per slot"), default=1, validators=[MinValueValidator(1)]
    )
    #: How late one can book: at least this many hours before the start.
    min_notice_hours = models.PositiveSmallIntegerField(_("book at least (hours ahead)"), default=2)
    #: How far ahead one can book.
    max_days_ahead = models.PositiveSmallIntegerField(_("book at most (days ahead)"), default=60)
    active = models.BooleanField(_("can be booked"), default=True)
    #: Who takes these appointments. Empty: the desk itself, ``capacity`` at a time.
    #: Chosen: a slot is free while one of them is available (their hours, not absent,
    #: no other appointment then) and the booking goes to that officer.
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officers"),
        blank=True,
        related_name="+",
        help_text=_(
            "Leave empty when anyone at the desk can help (then the capacity counts). "
            "Choose officers to book only their free times."
        ),
    )

    panels = [
        FieldPanel("desk"),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("channel"),
        FieldPanel("duration_minutes"),
        FieldPanel("buffer_minutes"),
        FieldPanel("capacity"),
        FieldPanel("min_notice_hours"),
        FieldPanel("max_days_ahead"),
        FieldPanel("officers", widget=forms.CheckboxSelectMultiple),
        InlinePanel("booking_questions", label=_("Questions when booking")),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = _("appointment type")
        verbose_name_plural = _("appointment types")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0, capacity__gt=0),
                name="appointment_type_positive",
                violation_error_message=_("Duration and capacity must be at least 1."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def step(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.duration_minutes + self.buffer_minutes)

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.duration_minutes)


class BookingQuestion(Orderable):
    """A question of an appointment type, asked with the person's details when booking
    ("Over welke vergunning gaat het?"). The answers are kept on the appointment with
    the question's text of that moment."""

    appointment_type = ParentalKey(
        AppointmentType, on_delete=models.CASCADE, related_name="booking_questions"
    )
    label = models.CharField(_("question"), max_length=200)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    long_answer = models.BooleanField(_("long answer"), default=False)

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldPanel("required"),
        FieldPanel("long_answer"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question when booking")

    def __str__(self):
        return self.label


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    #: Marked by an officer afterwards.
    DONE = "done", _("Took place")
    NO_SHOW = "no_show", _("Did not come")


class Appointment(models.Model):
    """One booking. ``public_id`` + ``access_key`` make the secret link to see and
    cancel it; ``public_id`` is also the stable UID of its calendar event, and
    ``sequence`` goes up with every change the calendar must follow."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    access_key = models.CharField(max_length=64, default=new_access_key, editable=False)
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="appointments"
    )
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    #: Which of the type's ``capacity`` places of this (desk, start) it holds.
    seat = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    sequence = models.PositiveIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    company = models.CharField(_("company"), max_length=200, blank=True)
    question = models.TextField(_("what is it about"), blank=True)
    #: Answers to the type's booking questions: [{"question": ..., "answer": ...}].
    answers = models.JSONField(_("answers"), default=list, blank=True)
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    #: The officer who takes it, when its type names officers.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("officer"),
    )
    #: The dossier it is about, when an officer invited the applicant.
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("dossier"),
    )
    #: When the reminder e-mail was queued; never twice, never after a cancellation.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    #: How many times the applicant moved it (each move also raises ``sequence``).
    times_moved = models.PositiveSmallIntegerField(default=0)
    #: The officer's note when marking it done or no-show.
    officer_note = models.TextField(_("note"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "starts_at", "seat"],
                condition=models.Q(status="booked", officer__isnull=True),
                name="unique_booked_seat",
            ),
            models.UniqueConstraint(
                fields=["officer", "starts_at"],
                condition=models.Q(status="booked"),
                name="unique_booked_officer_start",
            ),
        ]
        indexes = [
            models.Index(fields=["desk", "starts_at"]),
            models.Index(fields=["status", "starts_at"], name="appointment_due_idx"),
        ]

    def __str__(self):
        return f"{self.appointment_type} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_booked(self) -> bool:
        return self.status == AppointmentStatus.BOOKED

    @property
    def can_change(self) -> bool:
        """Whether the applicant may still move or cancel it (booked, not begun)."""
        return self.is_booked and self.starts_at > timezone.now()

    @property
    def uid(self) -> str:
        """The calendar event's UID: the same in the booking and the cancellation."""
        return f"{self.public_id}@loket"

    def get_channel_line(self) -> str:
        """ "Uw vergunning bespreken (via videogesprek)": the type and how it happens."""
        return f"{self.appointment_type.name} ({self.appointment_type.get_channel_display()})"

    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(self.desk.zone)

    def local_end(self) -> dt.datetime:
        return self.ends_at.astimezone(self.desk.zone)

    def get_manage_url(self) -> str:
        return reverse(
            "appointments:manage", kwargs={"public_id": self.public_id, "key": self.access_key}
        )

    def get_move_url(self) -> str:
        return reverse(
            "appointments:move", kwargs={"public_id": self.public_id, "key": self.access_key}
        )

    def get_cancel_url(self) -> str:
        return reverse(
            "appointments:cancel", kwargs={"public_id": self.public_id, "key": self.access_key}
        )
