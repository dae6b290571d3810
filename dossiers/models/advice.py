"""Advice from other services: the parties that give it and each request for it."""

from __future__ import annotations

import hmac
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tokens import hash_token


class AdviceParty(models.Model):
    """A service that gives advice on dossiers: outside the municipality (the police
    zone, the fire brigade, the road agency) or one of its own teams. Managed by
    administrators."""

    name = models.CharField(
        _("name"),
        max_length=150,
        unique=True,
        help_text=_('As the applicant may read it: "advice asked from <name>".'),
    )
    email = models.EmailField(
        _("e-mail address"),
        blank=True,
        help_text=_("Where the request with its secure link goes."),
    )
    team = models.ForeignKey(
        "Team",
        verbose_name=_("team of the municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "For an internal service: the team that gives the advice. Without an e-mail "
            "address above, the request goes to the team's address."
        ),
    )
    #: The municipality that asks this party; empty: every municipality (a police zone
    #: or fire brigade that serves several).
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty when every municipality of the installation may ask it."),
    )
    active = models.BooleanField(
        _("can be asked"), default=True, help_text=_("Switch off instead of deleting.")
    )

    class Meta:
        verbose_name = _("advice party")
        verbose_name_plural = _("advice parties")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.email and not (self.team and self.team.email):
            raise ValidationError({"email": _("Give an e-mail address, or a team that has one.")})

    def serves(self, site_id) -> bool:
        """Whether the dossiers of the Site ``site_id`` may ask this party."""
        return self.site_id is None or self.site_id == site_id

    @classmethod
    def for_dossier(cls, dossier):
        """The active parties ``dossier``'s officers may ask: its municipality's and
        those of every municipality."""
        return cls.objects.filter(
            models.Q(site__isnull=True) | models.Q(site=dossier.site_id), active=True
        )

    @property
    def address(self) -> str:
        """Where requests go: the party's own address, else its team's."""
        return self.email or (self.team.email if self.team else "")


class Verdict(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable")
    CONDITIONAL = "conditional", _("Favourable with conditions")
    UNFAVOURABLE = "unfavourable", _("Unfavourable")


class AdviceRequest(models.Model):
    """One party asked for advice on one dossier: what it may read, until when, and
    its answer.

    The party opens the request through a secret link (``public_id`` + a key of which
    only the hash is stored); the link stops working at :attr:`link_expires_at`, when
    the request is answered or closed, and when the dossier is no longer open.
    """

    dossier = models.ForeignKey("Dossier", on_delete=models.CASCADE, related_name="advice_requests")
    party = models.ForeignKey(
        AdviceParty, verbose_name=_("party"), on_delete=models.PROTECT, related_name="requests"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    link_expires_at = models.DateTimeField(_("link valid until"))
    question = models.TextField(_("question to the party"), blank=True)
    deadline = models.DateField(_("answer by"))
    #: The answers the party may read: ``["<step id>:<field name>", ...]``.
    shared_fields = models.JSONField(_("answers shown"), default=list, blank=True)
    shared_files = models.ManyToManyField(
        "Attachment", verbose_name=_("files shown"), blank=True, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    reminded_before_at = models.DateTimeField(null=True, blank=True)
    reminded_after_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(_("advice"), max_length=20, choices=Verdict.choices, blank=True)
    conditions = models.TextField(_("conditions and remarks"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    #: Set when answered, or when the officer decided without waiting for it.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("advice request")
        verbose_name_plural = _("advice requests")
        ordering = ["asked_at", "pk"]

    def __str__(self):
        return f"{self.dossier}: {self.party}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def new_key(self) -> str:
        """Give the request a new secret key and return it (the old link stops working).
        Only the hash is kept: the key is in the e-mail and nowhere else."""
        key = secrets.token_urlsafe(24)
        self.key_hash = hash_token(key)
        return key

    def key_matches(self, key: str) -> bool:
        """Whether ``key`` is this request's key (compared in constant time)."""
        return bool(self.key_hash) and hmac.compare_digest(self.key_hash, hash_token(key or ""))

    def link_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.link_expires_at

    def get_link(self, key: str) -> str:
        """The party's absolute link (needs the key, which is not stored)."""
        from django.urls import reverse

        path = reverse("dossiers:advice", kwargs={"public_id": self.public_id, "key": key})
        return settings.LOKET_BASE_URL.rstrip("/") + path
