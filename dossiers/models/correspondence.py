"""How a company or person wants our letters, and the letters that go by paper or eBox.

- :class:`ContactPreference`: one row per choice, never changed afterwards; the newest
  row for an enterprise number (or, without one, an e-mail address) is the one that
  counts, and the rows together say where and when each choice was given.
- :class:`PostedLetter`: a decision letter that goes by paper (into a print batch) or to
  the enterprise's eBox (through the configured adapter).
- :class:`PrintBatch`: the paper letters officers print as one PDF and mark as sent.
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
    """The paper letters printed together; sent once an officer confirms it."""

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


class PostedLetter(models.Model):
    """A letter that goes by paper or eBox instead of (only) by e-mail."""

    dossier = models.ForeignKey("Dossier", on_delete=models.CASCADE, related_name="+")
    attachment = models.ForeignKey("Attachment", on_delete=models.CASCADE, related_name="+")
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

    class Meta:
        verbose_name = _("posted letter")
        verbose_name_plural = _("posted letters")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["attachment"], name="posted_letter_once")]

    def __str__(self):
        return f"{self.dossier_id} {self.channel}"
