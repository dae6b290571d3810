"""How a company or person wants our letters, and the letters that go by paper or eBox.

- :class:`ContactPreference`: one row per choice, never changed afterwards; the newest
  row for an enterprise number (or, without one, an e-mail address) is the one that
  counts, and the rows together say where and when each choice was given.
- :class:`PostedLetter`: a decision letter that goes by paper (into a print batch) or to
  the enterprise's eBox (through the configured adapter).
- :class:`PrintBatch`: the paper letters of one municipality that officers print as
  one PDF and mark as sent.
- :class:`DeliveryRecord`: a message's delivery history, one row per step, never
  changed (so it never goes backwards): sent by e-mail, bounced, handed to the eBox,
  confirmed or not, waiting for paper, in print batch X, posted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LetterChannel(models.TextChoices):
    EMAIL = "email", _("By e-mail")
    PAPER = "paper", _("On paper, by post")
    EBOX = "ebox", _("In the eBox for enterprises")


class ContactPreference(models.Model):
    """A choice of channel, as given (see the module docstring)."""

    #: The enterprise (10 digits) the choice is for; "" for a person's own choice.
    enterprise_number = models.CharField(_("enterprise number"), max_length=10, blank=True)
    #: The person's verified e-mail address (lower case), for a person's own choice.
    email = models.EmailField(_("e-mail address"), blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=LetterChannel.choices)
    #: Name and address lines for paper, as they go in the envelope's window.
    postal_address = models.TextField(_("postal address"), blank=True)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    #: Where: "Mijn loket", "loket", ...
    given_via = models.CharField(_("given via"), max_length=100)
    #: Who gave it, as the sign-in told (an e-mail address or a name).
    given_by = models.CharField(_("given by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("contact preference")
        verbose_name_plural = _("contact preferences")
        ordering = ["-given_at", "-pk"]
        indexes = [
            models.Index(fields=["enterprise_number", "-given_at"]),
            models.Index(fields=["email", "-given_at"]),
        ]

    def __str__(self):
        return f"{self.enterprise_number or self.email}: {self.channel}"


class PrintBatch(models.Model):
    """The paper letters of one municipality printed together; sent once an officer
    confirms it."""

    #: The municipality whose mail room posts it (the site of its letters' dossiers).
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")
        ordering = ["-created_at", "-pk"]
        permissions = [("print_letters", "Can print paper letters and mark them sent")]

    def __str__(self):
        return f"{self.created_at:%d-%m-%Y %H:%M}"


class PaperReason(models.TextChoices):
    """Why a letter goes on paper (shown to the officer)."""

    PREFERENCE = "preference", _("The recipient chose paper")
    BOUNCED = "bounced", _("The e-mail bounced")
    EMAIL_FAILED = "email_failed", _("The e-mail could not be sent")
    UNCONFIRMED = "unconfirmed", _("The eBox did not confirm delivery in time")
    EBOX_REFUSED = "ebox_refused", _("The eBox refused the letter")


class PostedLetter(models.Model):
    """A letter that goes by paper or eBox instead of (only) by e-mail: a decision
    letter (``attachment``) or the letter of another message (``notification``: an
    information request, a message from the officer, ...)."""

    dossier = models.ForeignKey("Dossier", on_delete=models.CASCADE, related_name="+")
    attachment = models.ForeignKey(
        "Attachment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    notification = models.ForeignKey(
        "Notification", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=LetterChannel.choices)
    #: Name and address lines (paper).
    recipient = models.TextField(_("recipient"), blank=True)
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    batch = models.ForeignKey(
        PrintBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    #: What the eBox adapter answered (its message id).
    ebox_reference = models.CharField(max_length=200, blank=True)
    #: When the eBox said the letter reached the mailbox (eBox only).
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    #: Why the letter goes on paper (paper only).
    reason = models.CharField(_("reason"), max_length=20, choices=PaperReason.choices, blank=True)

    class Meta:
        verbose_name = _("posted letter")
        verbose_name_plural = _("posted letters")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["attachment", "channel"], name="posted_letter_once_per_channel"
            ),
            models.UniqueConstraint(
                fields=["notification", "channel"], name="posted_message_once_per_channel"
            ),
            models.CheckConstraint(
                condition=models.Q(attachment__isnull=False) | models.Q(notification__isnull=False),
                name="posted_letter_has_content",
            ),
        ]

    def __str__(self):
        return f"{self.dossier_id} {self.channel}"


class DeliveryResult(models.TextChoices):
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    FAILED_TEMPORARILY = "failed_temporarily", _("failed for now, tried again")
    BOUNCED = "bounced", _("bounced")
    FAILED = "failed", _("failed")
    UNCONFIRMED = "unconfirmed", _("not confirmed in time")
    WAITING_FOR_PRINT = "waiting_for_print", _("waiting to be printed")
    IN_BATCH = "in_batch", _("in a print batch")
    POSTED = "posted", _("printed and posted")


class DeliveryRecord(models.Model):
    """One step in the delivery of a message of a dossier (see the module docstring).
    Rows are only added: the newest row of a message is where it stands."""

    dossier = models.ForeignKey(
        "Dossier", on_delete=models.CASCADE, related_name="delivery_records"
    )
    #: The e-mail the step is about (also for the paper letter made of it).
    notification = models.ForeignKey(
        "Notification", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    letter = models.ForeignKey(
        PostedLetter, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=LetterChannel.choices)
    result = models.CharField(_("result"), max_length=20, choices=DeliveryResult.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    #: Why, in words for the officer (a bounce's status, the reason for paper, ...).
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    batch = models.ForeignKey(
        PrintBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("delivery history entry")
        verbose_name_plural = _("delivery history")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.dossier_id} {self.channel} {self.result}"
