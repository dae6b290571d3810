"""Adding a municipality to the installation (docs/gemeenten.md).

One installation serves several municipalities. A municipality is a Wagtail Site with
its own host name and page tree, and around it:

- the group **Redacteurs <gemeente>**: may use the admin, edit and publish the pages of
  the site's tree (GroupPagePermission on its home page), add, change and choose images
  and documents in the municipality's collection (GroupCollectionPermission), and edit
  the site's branding (GroupSitePermission: Wagtail's per-site settings permission),
  and keep the municipality's own e-mail texts, decision letters and report categories
  (:data:`EDITOR_SNIPPETS`, :func:`grant_snippet_rights`);
- the group **Behandelaars <gemeente>** and **Teamleiders <gemeente>**: the officers and
  team leads of the municipality's team, which serves the site (dossiers.permissions);
- its settings: the name in the branding, the code in reference numbers and the sender
  of its e-mails (dossiers.MunicipalitySettings), the bank account (PaymentSettings).

``manage.py add_municipality`` and the admin screen Settings → Municipalities both call
:func:`add_municipality`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
)

from cms.models import HomePage, SiteBranding
from dossiers.models import MunicipalitySettings, PaymentSettings, Team

#: What an editor of a municipality may do with the pages of its tree.
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
#: What an editor may do with the images and documents of its collection.
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
#: The site settings an editor of a municipality changes (of its own site only).
EDITOR_SETTINGS = (("cms", "sitebranding"),)
#: The snippets an editor keeps for the municipality: only the items of its own site
#: (cms.tenancy.SitePermissionPolicy); the shared ones stay the installation's.
EDITOR_SNIPPETS = (
    ("dossiers", "notificationtemplate"),
    ("dossiers", "decisionlettertemplate"),
    ("dossiers", "reportcategory"),
    # The assistant (docs/assistent.md): questions it could not answer, synonyms and
    # links, each kept per municipality (cms.assistant.admin).
    ("cms", "unansweredquestion"),
    ("cms", "assistantsynonym"),
    ("cms", "assistantbestbet"),
)


@dataclass(frozen=True)
class Municipality:
    """What :func:`add_municipality` made."""

    site: Site
    home: HomePage
    collection: Collection
    editors: Group
    team: Team


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _group(name: str) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    return group


@transaction.atomic
def add_municipality(
    *,
    name: str,
    hostname: str,
    port: int = 80,
    reference_code: str = "",
    sender_email: str = "",
    creditor_name: str = "",
    iban: str = "",
    regional_team: Team | None = None,
) -> Municipality:
    """Add the municipality ``name`` (e.g. "Gemeente Anderzijds") served at ``hostname``:
    its Site with a home page, collection, editors' group, team (officers' and leads'
    groups) and settings, in one transaction. ``regional_team``: a regional desk that
    serves the new municipality too. Raises ValidationError (Dutch) for a host name or
    name already in use or a code that is not valid."""
    name = name.strip()
    hostname = hostname.strip().lower()
    if not name or not hostname:
        raise ValidationError(_("Fill in the name and the host name of the municipality."))
    if Site.objects.filter(hostname=hostname, port=port).exists():
        raise ValidationError(
            _("The host name %(host)s is already used by another municipality.")
            % {"host": hostname}
        )
    if Site.objects.filter(site_name=name).exists() or Team.objects.filter(name=name).exists():
        raise ValidationError(_("A municipality called %(name)s already exists.") % {"name": name})
    code = reference_code.strip().upper()

    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(title=name, slug=_free_slug(root, slugify(name) or "gemeente"))
    )
    site = Site.objects.create(
        hostname=hostname, port=port, site_name=name, root_page=home, is_default_site=False
    )
    collection = Collection.get_first_root_node().add_child(name=name)

    # Group names are data, in the municipalities' language (docs/gemeenten.md).
    editors = _group(f"Redacteurs {name}")
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=editors, page=home, permission=_permission("wagtailcore", codename)
        )
    for app_label, codename in COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=editors, collection=collection, permission=_permission(app_label, codename)
        )
    for app_label, model in EDITOR_SETTINGS:
        GroupSitePermission.objects.get_or_create(
            group=editors, site=site, permission=_permission(app_label, f"change_{model}")
        )
    grant_snippet_rights(editors)

    officers = _group(f"Behandelaars {name}")
    leads = _group(f"Teamleiders {name}")
    team = Team.objects.create(name=name, group=officers, lead_group=leads)
    team.sites.add(site)
    if regional_team is not None:
        regional_team.sites.add(site)

    branding = SiteBranding.for_site(site)
    branding.municipality_name = name
    branding.save()
    municipality = MunicipalitySettings.for_site(site)
    municipality.reference_code = code
    municipality.sender_name = name
    municipality.sender_email = sender_email.strip()
    municipality.full_clean()
    municipality.save()
    payment = PaymentSettings.for_site(site)
    payment.creditor_name = (creditor_name or name)[:70]
    payment.iban = iban
    payment.full_clean()
    payment.save()
    return Municipality(site, home, collection, editors, team)


def grant_snippet_rights(editors: Group) -> None:
    """Let a municipality's editors add, change and delete the snippets of
    :data:`EDITOR_SNIPPETS`; which items is the policy's business (their own site's).
    Safe to run again (the demo does, for a municipality made before)."""
    for app_label, model in EDITOR_SNIPPETS:
        for action in ("add", "change", "delete", "view"):
            editors.permissions.add(_permission(app_label, f"{action}_{model}"))


def _free_slug(parent: Page, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate
