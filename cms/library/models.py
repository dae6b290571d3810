"""The library's templates, their published versions, and where adopted pages came from."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class TemplateKindChoice(models.TextChoices):
    """What a template makes: the ids of the kinds in :mod:`cms.library.kinds`."""

    FORM = "form", _("Application form")
    SERVICE = "service", _("Service page")


@register_setting(icon="folder-open-inverse")
class LibrarySettings(BaseSiteSetting):
    """Whether a site is the shared library (e.g. the province's) that municipalities
    adopt service pages and forms from."""

    is_library = models.BooleanField(
        _("this site is the shared library"),
        default=False,
        help_text=_(
            "Editors of this site publish its service pages and forms as templates. "
            "Other sites adopt them and get their own copy."
        ),
    )

    panels = [FieldPanel("is_library")]

    class Meta:
        verbose_name = _("shared library")


class LibraryTemplate(models.Model):
    """A service page or form of the library site that municipalities can adopt."""

    #: Stays the same in every installation the template's pages travel to (export).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        _("kind of template"), max_length=20, choices=TemplateKindChoice.choices
    )
    title = models.CharField(_("title"), max_length=255)
    source_page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("page in the library"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="library_template",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("library template")
        verbose_name_plural = _("library templates")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def latest_version(self) -> LibraryVersion | None:
        return self.versions.order_by("-number").first()


class LibraryVersion(models.Model):
    """One published version of a template: its content, frozen, and what changed."""

    template = models.ForeignKey(LibraryTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    change_note = models.TextField(_("what changed"))
    #: The page's content as a document of the template's kind (see cms.library.kinds).
    content = models.JSONField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("template version")
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="library_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class AdoptedPage(models.Model):
    """Where a municipality's page came from: the template and the version it took last.

    ``adopted_content`` is the page's own content right after it took that version (as
    its kind reads a page), so that its local changes since then can be told apart
    from the library's (:mod:`cms.library.changes`).
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="library_origin"
    )
    template = models.ForeignKey(
        LibraryTemplate, on_delete=models.CASCADE, related_name="adoptions"
    )
    version = models.ForeignKey(LibraryVersion, on_delete=models.PROTECT, related_name="+")
    adopted_content = models.JSONField()
    #: The newest version the editors looked at and chose to keep their own page against.
    seen_version = models.ForeignKey(
        LibraryVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("adopted page")

    def __str__(self) -> str:
        return f"{self.page} ← {self.version}"

    def pending_version(self) -> LibraryVersion | None:
        """The library's newest version when the editors have not decided on it yet."""
        latest = self.template.latest_version
        handled = max(self.version.number, self.seen_version.number if self.seen_version else 0)
        return latest if latest is not None and latest.number > handled else None
