"""The province's shared library in the demo: its own site with the terrace form as a
template, which the demo municipality's terrace form was adopted from.

Version 1 is the form as the municipality has it; version 2 explains the terrace's
surface, so an editor of the municipality sees a newer version on the terrace form
(and in Bibliotheek) and can take it, merge it or keep the form as it is.

The library's pages are drafts: only editors use them, the public finds the
municipality's pages. Idempotent: once the template has versions nothing changes.
"""

from __future__ import annotations

from wagtail.models import Page, Site

from forms_builder.models import ApplicationFormPage
from forms_builder.transfer import import_form

from ..library import services
from ..library.kinds import kinds
from ..library.models import AdoptedPage, LibrarySettings, LibraryTemplate
from ..models import HomePage, ServicePage

LIBRARY_HOSTNAME = "bibliotheek.localhost"
LIBRARY_TITLE = "Bibliotheek van de provincie"
#: The library's own copy must not take a municipality's numbering.
LIBRARY_PREFIX = "BIBTER"
SURFACE_HELP = "Meet de lengte en de breedte van het terras en vermenigvuldig ze."


def ensure_library_site() -> HomePage:
    """The library's home page and Site, marked as the shared library."""
    root = Page.get_first_root_node()
    home = HomePage.objects.child_of(root).filter(slug="bibliotheek").first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title=LIBRARY_TITLE,
                slug="bibliotheek",
                intro="<p>Dienstpagina's en formulieren die de gemeenten overnemen.</p>",
            )
        )
    site, _created = Site.objects.get_or_create(
        hostname=LIBRARY_HOSTNAME,
        port=80,
        defaults={"root_page": home, "site_name": LIBRARY_TITLE},
    )
    settings = LibrarySettings.for_site(site)
    if not settings.is_library:
        settings.is_library = True
        settings.save()
    return home


def ensure_library(terrace: ApplicationFormPage) -> LibraryTemplate:
    """The terrace form in the library, published, and ``terrace`` adopted from it."""
    home = ensure_library_site()
    service = ServicePage.objects.child_of(home).filter(slug="terras").first()
    if service is None:
        service = home.add_child(
            instance=ServicePage(
                title="Terrasvergunning",
                slug="terras",
                intro="Een terras op het openbaar domein aanvragen.",
                live=False,
            )
        )
    form = ApplicationFormPage.objects.child_of(service).first()
    if form is None:
        # A copy of the municipality's form with the same block ids: the library's
        # versions and the municipality's form then speak of the same steps.
        document = kinds.get("form").read(terrace)
        document["form"]["reference_prefix"] = LIBRARY_PREFIX
        form = import_form(document, service, slug="terrasformulier")
    template = LibraryTemplate.objects.filter(source_page=form).first()
    if template is not None and template.versions.exists():
        return template
    first = services.publish_version(
        form, change_note="Eerste versie: het terrasformulier met de retributie per m²."
    )
    AdoptedPage.objects.get_or_create(
        page=terrace,
        defaults={
            "template": first.template,
            "version": first,
            "adopted_content": kinds.get("form").read(terrace),
        },
    )
    _explain_surface(form)
    services.publish_version(form, change_note="Uitleg bij de oppervlakte van het terras.")
    return first.template


def _explain_surface(form: ApplicationFormPage) -> None:
    draft = ApplicationFormPage.objects.get(pk=form.pk).get_latest_revision_as_object()
    steps = [child.get_prep_value() for child in draft.steps]
    for step in steps:
        for field in step["value"].get("fields", []):
            if field["value"].get("name") == "oppervlakte":
                field["value"]["help_text"] = SURFACE_HELP
    draft.steps = steps
    draft.save_revision()
