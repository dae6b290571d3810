"""An officer's saved views of the inbox: a name and the inbox's own query string."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedInboxView(models.Model):
    """A filtered, searched and sorted inbox an officer keeps under a name.

    ``query`` holds only the inbox's own parameters (see
    :func:`dossiers.admin.inbox.clean_query`); opening the view runs the inbox with
    them, so an officer sees no dossier through a saved view that the inbox would not
    show them anyway.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_views"
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("query"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved inbox view")
        verbose_name_plural = _("saved inbox views")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_inbox_view_unique_name")
        ]

    def __str__(self):
        return self.name
