"""Reports from residents (meldingen): categories, areas, routes, outside parties, and
the report kept with each dossier a report form made.

Editors manage :class:`ReportCategory` (a category, or a subcategory of one, with the
text on how it is handled and a target time), :class:`ReportArea` (a district drawn on
the map, or a list of streets), :class:`ExternalParty` (the grid operator, the water
company) and :class:`ReportRoute` (category plus area → a team or a party). The routing
and the rest of the use cases are in :mod:`dossiers.reports`.
"""

from __future__ import annotations

import datetime
import hmac
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from core.tokens import hash_token
from forms_builder import geometry
from forms_builder.streets import comparable


class ReportCategory(models.Model):
    """What a report is about ("Street lighting"), or a subcategory of it ("Lamp out")."""

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("main category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subcategories",
        help_text=_("Empty for a main category."),
    )
    handling_text = models.TextField(
        _("how we handle it"),
        blank=True,
        help_text=_(
            "The reporter reads this when the report is handled. Empty in a subcategory: "
            "the main category's text."
        ),
    )
    target_days = models.PositiveIntegerField(
        _("target time (days)"),
        null=True,
        blank=True,
        help_text=_("Handled within this many days. Empty in a subcategory: the main category's."),
    )
    #: The municipality whose category this is; empty: shared by every municipality.
    #: A subcategory has its main category's municipality.
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_(
            "Leave empty to offer this category in every municipality. A subcategory has "
            "the municipality of its main category."
        ),
    )
    #: Whether open reports of this category are shown on the public map (when on).
    public = models.BooleanField(_("show on the public map"), default=True)
    active = models.BooleanField(_("can be chosen"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.full_name

    def clean(self):
        if self.parent_id:
            self.site_id = self.parent.site_id
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("A subcategory cannot have subcategories.")})
        if self.parent_id and self.pk and self.subcategories.exists():
            raise ValidationError({"parent": _("This category has subcategories of its own.")})

    @property
    def full_name(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    @property
    def main(self) -> ReportCategory:
        return self.parent if self.parent_id else self

    def handling(self) -> str:
        return self.handling_text or (self.parent.handling_text if self.parent_id else "")

    def target(self) -> int | None:
        if self.target_days is not None:
            return self.target_days
        return self.parent.target_days if self.parent_id else None


class ReportArea(models.Model):
    """A part of the municipality: a district drawn on the map, or a list of streets."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    polygon = models.JSONField(
        _("district on the map"),
        null=True,
        blank=True,
        help_text=_(
            "A GeoJSON Polygon in WGS84 (longitude, latitude), e.g. drawn with a location "
            "question or exported from the GIS."
        ),
    )
    streets = models.TextField(
        _("streets"), blank=True, help_text=_("One street name per line, as in the register.")
    )

    class Meta:
        verbose_name = _("report area")
        verbose_name_plural = _("report areas")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.polygon and not self.streets.strip():
            raise ValidationError(_("Draw a district or give its streets."))
        if self.polygon and (
            not isinstance(self.polygon, dict) or self.polygon.get("type") != "Polygon"
        ):
            raise ValidationError({"polygon": _("Give a GeoJSON Polygon.")})

    def street_names(self) -> set[str]:
        return {comparable(line) for line in self.streets.splitlines() if line.strip()}

    def contains(self, point: dict | None, street: str) -> bool:
        """Whether a report at ``point`` (a GeoJSON geometry) or in ``street`` is here."""
        if street and comparable(street) in self.street_names():
            return True
        if point and self.polygon:
            return geometry.overlaps(self.polygon, point)
        return False


class ExternalParty(models.Model):
    """Someone outside the municipality who fixes what is reported: the grid operator
    (street lights), the water company, the waste intercommunale."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    email = models.EmailField(_("e-mail address"), help_text=_("Where reports go, with a link."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("outside party for reports")
        verbose_name_plural = _("outside parties for reports")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ReportRoute(models.Model):
    """Category plus area → who handles it: a team of the municipality or an outside
    party. A route without an area holds for the whole municipality."""

    category = models.ForeignKey(
        ReportCategory,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="routes",
        help_text=_("A main category holds for its subcategories without a route of their own."),
    )
    area = models.ForeignKey(
        ReportArea,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routes",
        help_text=_("Empty: the whole municipality."),
    )
    team = models.ForeignKey(
        "Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    party = models.ForeignKey(
        ExternalParty,
        verbose_name=_("outside party"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routes",
    )

    class Meta:
        verbose_name = _("report route")
        verbose_name_plural = _("report routes")
        ordering = ["category__name", "area__name"]

    def __str__(self):
        where = self.area.name if self.area_id else _("whole municipality")
        return f"{self.category} ({where}) → {self.handler}"

    def clean(self):
        if bool(self.team_id) == bool(self.party_id):
            raise ValidationError(_("Choose a team or an outside party (one of both)."))

    @property
    def handler(self):
        return self.party if self.party_id else self.team


class Report(models.Model):
    """The report behind a dossier of a report form: its category, where it is, who
    handles it, and the outside party's secret link."""

    dossier = models.OneToOneField("Dossier", on_delete=models.CASCADE, related_name="report")
    category = models.ForeignKey(
        ReportCategory,
        verbose_name=_("category"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    area = models.ForeignKey(
        ReportArea, verbose_name=_("area"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    party = models.ForeignKey(
        ExternalParty,
        verbose_name=_("outside party"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    #: The place given (a GeoJSON geometry) and its street, for routing and the maps.
    place = models.JSONField(null=True, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    #: The day the category's target time runs out.
    due_on = models.DateField(_("handle by"), null=True, blank=True, db_index=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    #: Another report of the same problem that this one follows (dossiers.reports.merge).
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )
    party_link_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    party_key_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["category", "due_on"])]

    def __str__(self):
        return str(self.dossier)

    def reopen_days(self) -> int:
        """How long the reporter may reopen once handled: the setting of the form's site."""
        page = self.dossier.form_page
        site = page.get_site() if page is not None else None
        if site is None:
            return ReportSettings._meta.get_field("reopen_days").default
        return ReportSettings.for_site(site).reopen_days

    def reopen_refusal(self, now=None) -> str:
        """Why the report cannot be reopened now; empty when it can."""
        if self.resolved_at is None:
            return ""
        days = self.reopen_days()
        if (now or timezone.now()) > self.resolved_at + datetime.timedelta(days=days):
            return str(
                _("A report can only be reopened within %(days)d days after it was handled.")
                % {"days": days}
            )
        return ""

    def new_party_key(self) -> str:
        """A new secret key for the party's link (the old one stops working); only the
        hash is kept."""
        key = secrets.token_urlsafe(24)
        self.party_key_hash = hash_token(key)
        return key

    def party_key_matches(self, key: str) -> bool:
        return bool(self.party_key_hash) and hmac.compare_digest(
            self.party_key_hash, hash_token(key or "")
        )


@register_setting(icon="warning")
class ReportSettings(BaseSiteSetting):
    """How reports work on a site."""

    reopen_days = models.PositiveIntegerField(
        _("days to reopen"),
        default=14,
        help_text=_("The reporter can reopen a handled report this many days after."),
    )
    public_map = models.BooleanField(
        _("public map of open reports"),
        default=False,
        help_text=_("Shows category, rough place and status; never who reported it."),
    )

    class Meta:
        verbose_name = _("reports")
