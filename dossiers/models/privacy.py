"""Requests about personal data (access, erasure)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.constants import PrivacyRequestKind, SearchKind


class PrivacyRequest(models.Model):
    """The audit record of one export or erasure of a data subject's personal data.

    The e-mail address or enterprise number searched for is kept only as a keyed hash
    (see :func:`dossiers.privacy.hash_search_term`): the same term gives the same hash,
    so earlier requests about one person can be found, but the row does not say whom.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=PrivacyRequestKind.choices)
    search_kind = models.CharField(_("searched by"), max_length=20, choices=SearchKind.choices)
    search_hash = models.CharField(_("search term (hashed)"), max_length=64, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: Who it was, kept when the user account is deleted later.
    requested_by_name = models.CharField(_("by (name)"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    dossier_count = models.PositiveIntegerField(_("dossiers"), default=0)
    draft_count = models.PositiveIntegerField(_("unfinished applications"), default=0)
    #: Open dossiers withdrawn so they could be erased (erasure only).
    withdrawn_count = models.PositiveIntegerField(_("open dossiers withdrawn"), default=0)
    #: Why the data were erased, e.g. the number of the request in the register.
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("handle_privacy_requests", _("Can export and erase personal data on request")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
