"""Company data from the public register (KBO/CBE open data), as far as Loket needs it.

Only enterprises and establishments with an address in the postcodes the installation
serves are kept (see :mod:`dossiers.companies.importer`), with their names, addresses,
activities (NACE codes) and the register's code descriptions (legal forms, NACE). Rows
are keyed by the register's numbers, compact (ten digits, no dots), because the
extract's files refer to each other by number, not by an id of ours.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisterExtract(models.Model):
    """One imported extract: which one, of when, and what it brought."""

    class Type(models.TextChoices):
        FULL = "full", _("full")
        UPDATE = "update", _("update")

    number = models.PositiveIntegerField(_("extract number"))
    extract_type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    snapshot_date = models.DateField(_("extract date"))
    extract_timestamp = models.CharField(_("made at"), max_length=40, blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True)
    #: What the import kept or deleted, per kind of row ("enterprises", ...).
    counts = models.JSONField(_("counts"), default=dict)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.CharField(_("imported by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("register extract")
        verbose_name_plural = _("register extracts")
        ordering = ["-imported_at", "-id"]

    def __str__(self):
        return f"KBO {self.number} ({self.extract_type}, {self.snapshot_date:%d-%m-%Y})"


class Enterprise(models.Model):
    """An enterprise (legal person or natural person with a business)."""

    number = models.CharField(_("enterprise number"), max_length=10, unique=True)
    status = models.CharField(_("status"), max_length=2)
    juridical_situation = models.CharField(_("juridical situation"), max_length=3, blank=True)
    type_of_enterprise = models.CharField(_("type of enterprise"), max_length=1, blank=True)
    juridical_form = models.CharField(_("legal form"), max_length=3, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.number

    @property
    def is_active(self) -> bool:
        return self.status == "AC"


class Establishment(models.Model):
    """An establishment unit (a place where the enterprise works)."""

    number = models.CharField(_("establishment number"), max_length=10, unique=True)
    enterprise_number = models.CharField(_("enterprise number"), max_length=10, db_index=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")

    def __str__(self):
        return self.number


class CompanyName(models.Model):
    """A name of an enterprise or establishment (denomination.csv)."""

    entity_number = models.CharField(max_length=10, db_index=True)
    language = models.CharField(max_length=1)
    #: 001 the legal name, 002 the abbreviation, 003 a trade name.
    name_type = models.CharField(max_length=3)
    name = models.CharField(max_length=320)

    class Meta:
        verbose_name = _("company name")
        verbose_name_plural = _("company names")

    def __str__(self):
        return self.name


class CompanyAddress(models.Model):
    """An address of an enterprise (REGO: its seat) or establishment (BAET)."""

    entity_number = models.CharField(max_length=10, db_index=True)
    address_type = models.CharField(max_length=4)
    country = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=20, db_index=True)
    municipality_nl = models.CharField(max_length=200, blank=True)
    municipality_fr = models.CharField(max_length=200, blank=True)
    street_nl = models.CharField(max_length=200, blank=True)
    street_fr = models.CharField(max_length=200, blank=True)
    house_number = models.CharField(max_length=22, blank=True)
    box = models.CharField(max_length=20, blank=True)
    extra = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("company address")
        verbose_name_plural = _("company addresses")

    def __str__(self):
        return f"{self.street_nl or self.street_fr} {self.house_number}, {self.postcode}"


class CompanyActivity(models.Model):
    """An activity (NACE code) of an enterprise or establishment."""

    entity_number = models.CharField(max_length=10, db_index=True)
    activity_group = models.CharField(max_length=6)
    nace_version = models.CharField(max_length=4)
    nace_code = models.CharField(max_length=8)
    #: MAIN, SECO (secondary) or ANCI (auxiliary).
    classification = models.CharField(max_length=4)

    class Meta:
        verbose_name = _("company activity")
        verbose_name_plural = _("company activities")

    def __str__(self):
        return self.nace_code


class RegisterCode(models.Model):
    """A description of one of the register's codes (legal forms, NACE codes, ...)."""

    category = models.CharField(max_length=30)
    code = models.CharField(max_length=10)
    language = models.CharField(max_length=2)
    description = models.CharField(max_length=400)

    class Meta:
        verbose_name = _("register code")
        verbose_name_plural = _("register codes")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code", "language"], name="register_code_unique"
            )
        ]

    def __str__(self):
        return f"{self.category} {self.code}: {self.description}"
