"""Use cases of the shared library: publish a version, adopt it, take or keep an update.

Keep it small: views call these; these call the models and the template kinds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, Revision, Site
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.sites import TIMEOUT, VERSION_KEY

from . import changes
from .kinds import TemplateKind, kind_for_page, kinds
from .models import AdoptedPage, LibrarySettings, LibraryTemplate, LibraryVersion

# --- where the library is, who may do what ------------------------------------------------


#: Where the root paths of the library sites are kept (Django's cache, see
#: :func:`library_root_paths`).
ROOTS_KEY = "loket:library-root-paths"


def library_root_paths() -> list[str]:
    """The tree paths of the home pages of the sites marked as the shared library.

    Every admin page asks (the "Library" menu item), so the answer is kept in Django's
    cache under the version of :mod:`cms.sites`: saving a Site, a page or the library
    setting (``LibrarySettings``) makes it stale. One cache round trip, no query."""
    found = cache.get_many([VERSION_KEY, ROOTS_KEY])
    version = found.get(VERSION_KEY, 0)
    entry = found.get(ROOTS_KEY)
    if entry is not None and entry[0] == version:
        return entry[1]
    site_ids = LibrarySettings.objects.filter(is_library=True).values("site_id")
    paths = sorted(Site.objects.filter(pk__in=site_ids).values_list("root_page__path", flat=True))
    cache.set(ROOTS_KEY, (version, paths), timeout=TIMEOUT)
    return paths


def in_library(page: Page) -> bool:
    """Whether ``page`` is in the tree of a library site."""
    return any(page.path.startswith(root) for root in library_root_paths())


def can_publish_to_library(user, page: Page) -> bool:
    """Library editors: those who may publish ``page``, a service page or form of the
    library site."""
    return (
        kind_for_page(page) is not None
        and in_library(page)
        and page.permissions_for_user(user).can_publish()
    )


def adopt_parent_pages(user, kind: TemplateKind):
    """The pages outside the library that ``user`` may add a page of ``kind`` under."""
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "add")
    pages = pages.type(*kind.page_model.allowed_parent_page_models()).order_by("path")
    for root in library_root_paths():
        pages = pages.exclude(path__startswith=root)
    return pages


def can_adopt(user) -> bool:
    """Whether ``user`` may adopt a template anywhere (editors of a municipality)."""
    return any(adopt_parent_pages(user, kind).exists() for kind in kinds.all())


def can_adopt_under(user, parent: Page, kind: TemplateKind) -> bool:
    return (
        not in_library(parent)
        and kind.page_model.can_create_at(parent.specific)
        and parent.permissions_for_user(user).can_add_subpage()
    )


def can_update(user, page: Page) -> bool:
    """Who decides on a newer version: the page's editors."""
    return page.permissions_for_user(user).can_edit()


# --- the library's side -------------------------------------------------------------------


@transaction.atomic
def publish_version(page: Page, *, change_note: str, user=None) -> LibraryVersion:
    """Publish ``page`` (as its editors last saved it) as the newest version of its
    template, made the first time. Raises ``ValidationError`` for a page outside the
    library, of a kind the library does not offer, or without a change note."""
    kind = kind_for_page(page)
    if kind is None or not in_library(page):
        raise ValidationError(_("Only service pages and forms of the library can be published."))
    if not change_note.strip():
        raise ValidationError(_("Say what changed, for the municipalities."))
    template, _created = LibraryTemplate.objects.get_or_create(
        source_page=page, defaults={"kind": kind.kind_id, "title": page.title}
    )
    template = LibraryTemplate.objects.select_for_update().get(pk=template.pk)
    content = kind.read(page)
    template.title = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object().title
    template.save(update_fields=["title"])
    latest = template.latest_version
    return LibraryVersion.objects.create(
        template=template,
        number=(latest.number + 1) if latest else 1,
        change_note=change_note.strip(),
        content=content,
        published_by=user if user and user.is_authenticated else None,
    )


# --- the municipality's side --------------------------------------------------------------


@transaction.atomic
def adopt(template: LibraryTemplate, parent: Page, *, user=None, **local) -> Page:
    """A draft copy of the template's newest version under ``parent``, linked to it.

    ``local`` holds the municipality's own settings (a form's ``reference_prefix``).
    Raises ``ValidationError`` when the template has no version or the content does not
    fit (nothing is created then).
    """
    version = template.latest_version
    if version is None:
        raise ValidationError(_("This template has no published version yet."))
    kind = kinds.get(template.kind)
    page = kind.create(version.content, parent, user=user, **local)
    AdoptedPage.objects.create(
        page=page, template=template, version=version, adopted_content=kind.read(page)
    )
    return page


@dataclass
class Update:
    """A newer version for an adopted page: what the library changed, and how it meets the
    municipality's own changes."""

    origin: AdoptedPage
    version: LibraryVersion
    #: The versions between the adopted one and this one, for their change notes.
    versions: list[LibraryVersion]
    library_changes: list[changes.Change]
    merge: list[changes.MergeItem]

    @property
    def conflicts(self) -> list[changes.MergeItem]:
        return [item for item in self.merge if item.outcome == changes.Outcome.CONFLICT]

    @property
    def local_changes(self) -> list[changes.MergeItem]:
        return [item for item in self.merge if item.outcome == changes.Outcome.LOCAL]


def pending_update(page: Page) -> Update | None:
    """The newer version ``page`` can take, or None (not adopted, or up to date)."""
    origin = (
        AdoptedPage.objects.select_related("template", "version", "seen_version")
        .filter(page_id=page.pk)
        .first()
    )
    if origin is None:
        return None
    version = origin.pending_version()
    if version is None:
        return None
    return _update(origin, version)


def _update(origin: AdoptedPage, version: LibraryVersion) -> Update:
    kind = kinds.get(origin.template.kind)
    old_library = kind.items(origin.version.content)
    new_library = kind.items(version.content)
    local = kind.items(kind.read(origin.page))
    base = kind.items(origin.adopted_content)
    return Update(
        origin=origin,
        version=version,
        versions=list(
            origin.template.versions.filter(
                number__gt=origin.version.number, number__lte=version.number
            ).order_by("number")
        ),
        library_changes=changes.compare(old_library, new_library),
        merge=changes.three_way(base, local, old_library, new_library),
    )


@dataclass
class PendingPage:
    """An adopted page and the newer version it can take (for lists: no diff)."""

    origin: AdoptedPage
    version: LibraryVersion


def pages_with_updates(user) -> list[PendingPage]:
    """The adopted pages ``user`` may edit that can take a newer version."""
    found = []
    origins = AdoptedPage.objects.select_related("page", "template", "version", "seen_version")
    for origin in origins.order_by("page__path"):
        version = origin.pending_version()
        if version is not None and can_update(user, origin.page):
            found.append(PendingPage(origin, version))
    return found


def _current(update: Update, expected_version: int | None) -> None:
    if expected_version is not None and update.version.number != expected_version:
        raise ValidationError(
            _("The library published another version meanwhile. Look at the changes again.")
        )


@transaction.atomic
def accept_update(page: Page, *, user=None, expected_version: int | None = None) -> Revision:
    """Take the newer version as it is (the page's own changes to its content are
    replaced; its address, prefix, team and procedure stay). Saves a draft revision: the
    live page changes when an editor publishes it."""
    update = _locked_update(page)
    _current(update, expected_version)
    kind = kinds.get(update.origin.template.kind)
    revision = kind.update(page, update.version.content, user=user)
    _took(update, kind, choices={})
    return revision


@transaction.atomic
def merge_update(
    page: Page, *, choices: dict[str, str], user=None, expected_version: int | None = None
) -> Revision:
    """Take the library's changes where the municipality did not change the item, keep
    the municipality's where the library did not; ``choices`` decides each conflict
    ("local" or "library"). Saves a draft revision, like :func:`accept_update`."""
    update = _locked_update(page)
    _current(update, expected_version)
    missing = [
        item.label for item in update.conflicts if choices.get(item.key) not in ("local", "library")
    ]
    if missing:
        raise ValidationError(
            [_("Choose which version to keep of: %(item)s") % {"item": label} for label in missing]
        )
    kind = kinds.get(update.origin.template.kind)
    items = changes.resolve(update.merge, choices)
    document = kind.rebuild(items, like=kind.read(page))
    revision = kind.update(page, document, user=user)
    _took(update, kind, choices=choices)
    return revision


@transaction.atomic
def keep_local(page: Page, *, user=None, expected_version: int | None = None) -> AdoptedPage:
    """Keep the page as it is: the newer version counts as seen (the next one shows)."""
    update = _locked_update(page)
    _current(update, expected_version)
    origin = update.origin
    origin.seen_version = update.version
    origin.save(update_fields=["seen_version", "updated_at"])
    return origin


def _locked_update(page: Page) -> Update:
    AdoptedPage.objects.select_for_update().filter(page_id=page.pk).first()
    update = pending_update(page)
    if update is None:
        raise ValidationError(_("This page has no newer version from the library."))
    return update


def _took(update: Update, kind: TemplateKind, *, choices: dict[str, str]) -> None:
    """Link the page to the version it took, with that version as this page would hold
    it as the base for its next update (:mod:`cms.library.changes`): what the library
    did not change is the old base; what the page took, as the page now has it; a
    conflict the editor kept local, as the library wrote it."""
    origin = update.origin
    old_library = {item.key: item for item in kind.items(origin.version.content)}
    old_base = {item.key: item for item in kind.items(origin.adopted_content)}
    now = {item.key: item for item in kind.items(kind.read(origin.page))}
    base = []
    for item in kind.items(update.version.content):
        old = old_library.get(item.key)
        if old is not None and old.value == item.value and item.key in old_base:
            base.append(old_base[item.key])
        elif choices.get(item.key) == "local" or item.key not in now:
            base.append(item)
        else:
            base.append(now[item.key])
    origin.adopted_content = kind.rebuild(base, like=origin.adopted_content)
    origin.version = update.version
    origin.seen_version = None
    origin.save(update_fields=["version", "seen_version", "adopted_content", "updated_at"])
