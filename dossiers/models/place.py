"""The municipality's streets and addresses, from the Flemish address register.

Imported from the register's open data (see :mod:`dossiers.places.importer`). Rows keep
the register's own identifiers (the objectId of the street name and of the address, the
NIS code of the municipality), so an answer can point at the register's address
(``https://data.vlaanderen.be/id/adres/<address_id>``) and a later import updates the
same rows instead of adding new ones.

A row is never deleted by an import: an address the register retired, or one that is no
longer in the file, is marked retired. Answers that refer to it keep their meaning.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceStatus(models.TextChoices):
    """The register's statuses (in the file: current, proposed, reserved, retired)."""

    CURRENT = "current", _("in use")
    PROPOSED = "proposed", _("proposed")
    RESERVED = "reserved", _("reserved")
    RETIRED = "retired", _("retired")


class AddressImport(models.Model):
    """One run of the import: which file, for which municipality, what it changed."""

    file_name = models.CharField(_("file"), max_length=255, blank=True)
    #: The NIS code the import was limited to; empty: every municipality in the file.
    municipality = models.CharField(_("municipality (NIS code)"), max_length=5, blank=True)
    #: What the import did: "read", "created", "updated", "unchanged", "retired", ...
    counts = models.JSONField(_("counts"), default=dict)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.CharField(_("imported by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("address import")
        verbose_name_plural = _("address imports")
        ordering = ["-imported_at", "-id"]

    def __str__(self):
        return f"{self.file_name or 'adressen'} ({self.imported_at:%d-%m-%Y %H:%M})"


class Street(models.Model):
    """A street name of a municipality (the register's "straatnaam")."""

    #: The register's objectId of the street name.
    street_id = models.CharField(_("street name id"), max_length=20, unique=True)
    name_nl = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_de = models.CharField(_("name (German)"), max_length=200, blank=True)
    #: The Dutch name without case, accents or punctuation: what a search compares.
    search_name = models.CharField(max_length=200, db_index=True)
    nis_code = models.CharField(_("NIS code"), max_length=5, db_index=True)
    municipality = models.CharField(_("municipality"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=PlaceStatus.choices, default=PlaceStatus.CURRENT
    )
    #: The last import that found the street in its file (see the importer).
    seen_in = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["name_nl"]

    def __str__(self):
        return f"{self.name_nl}, {self.municipality}"


class Address(models.Model):
    """An address of the register: a house number in a street, with or without a box."""

    #: The register's objectId of the address.
    address_id = models.CharField(_("address id"), max_length=20, unique=True)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="addresses", verbose_name=_("street")
    )
    house_number = models.CharField(_("house number"), max_length=20)
    box_number = models.CharField(_("box number"), max_length=40, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4)
    nis_code = models.CharField(_("NIS code"), max_length=5)
    municipality = models.CharField(_("municipality"), max_length=100)
    #: WGS84 (EPSG:4326), when the file has it.
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlaceStatus.choices, default=PlaceStatus.CURRENT
    )
    seen_in = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        indexes = [
            models.Index(fields=["street", "house_number"], name="address_street_number"),
            models.Index(fields=["nis_code", "status"], name="address_municipality"),
        ]

    def __str__(self):
        box = f" bus {self.box_number}" if self.box_number else ""
        return f"{self.street.name_nl} {self.house_number}{box}, {self.postcode}"
