"""College decisions: the meetings of the college of mayor and aldermen and the
proposed decisions on their lists (dossiers.college)."""

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from dossiers.constants import Outcome


class MeetingStatus(models.TextChoices):
    #: Proposals can be put on the list.
    PLANNED = "planned", _("Planned")
    #: The outcome of the whole list was recorded; the list is closed.
    RECORDED = "recorded", _("Outcome recorded")


class CollegeMeeting(models.Model):
    """A meeting of the college of mayor and aldermen, with its list of proposals."""

    date = models.DateField(_("date of the meeting"))
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    recorded_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("college meeting")
        verbose_name_plural = _("college meetings")
        ordering = ["date", "pk"]

    def __str__(self):
        return str(_("College of %(date)s") % {"date": date_format(self.date, "j F Y")})

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED


class CollegeOutcome(models.TextChoices):
    """What the college decided on one proposal."""

    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    #: Moved to a later meeting's list.
    POSTPONED = "postponed", _("Postponed")


class CollegeProposal(models.Model):
    """A proposed decision on one dossier, on the list of one meeting.

    What the officer proposes (the outcome and the decision text, and for a permit its
    period, place and conditions) is what the college approves or refuses; a postponed
    proposal is copied to the later meeting's list.
    """

    meeting = models.ForeignKey(
        CollegeMeeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    dossier = models.ForeignKey(
        "Dossier", on_delete=models.CASCADE, related_name="college_proposals"
    )
    proposed_outcome = models.CharField(
        _("proposed decision"), max_length=20, choices=Outcome.choices
    )
    decision_text = models.TextField(_("decision text"))
    #: For a form that issues a permit: what the permit will say (dossiers.permits).
    permit_details = models.JSONField(default=dict, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    #: Empty until the meeting's outcome is recorded (and for a dossier that left the
    #: list before, e.g. withdrawn by the applicant).
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=CollegeOutcome.choices, blank=True
    )

    #: Set when an officer took the proposal off the list before the meeting's outcome
    #: was recorded (dossiers.college.services.take_off_list).
    removed_at = models.DateTimeField(_("taken off the list at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken off the list by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    removal_reason = models.TextField(_("why it was taken off the list"), blank=True)

    class Meta:
        verbose_name = _("proposed decision")
        verbose_name_plural = _("proposed decisions")
        ordering = ["meeting", "prepared_at", "pk"]

    def __str__(self):
        return f"{self.dossier}: {self.meeting}"
