"""Messages between the applicant and the officers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.constants import Sender


class Message(models.Model):
    """One message in the thread between the applicant and the municipality."""

    dossier = models.ForeignKey("Dossier", on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(_("from"), max_length=20, choices=Sender.choices)
    #: The officer who wrote it (empty for the applicant's messages).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    #: When the other side first read it (officers: opened the dossier; applicant:
    #: opened the status page).
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    #: The token of the form the message was sent with: the same form posted twice
    #: (a double click, a reload) gives one message (see dossiers.messages.services).
    client_token = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "client_token"],
                condition=~Q(client_token=""),
                name="unique_message_client_token",
            )
        ]

    def __str__(self):
        return f"{self.dossier}: {self.get_sender_display()}"
