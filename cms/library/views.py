"""Admin screens of the shared library: the list, publishing, adopting, updates.

Request handling only: the work is done by :mod:`cms.library.services`. Registered in
``cms/wagtail_hooks.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms import tenancy

from . import services, transfer
from .changes import Outcome
from .forms import AdoptForm, ImportTemplateForm, PublishVersionForm
from .kinds import kind_for_page, kinds
from .models import AdoptedPage, LibraryTemplate


def library_editor_pages(user):
    """The library's pages ``user`` may publish (library editors)."""
    roots = services.library_root_paths()
    if not roots:
        return Page.objects.none()
    in_library = Q()
    for root in roots:
        in_library |= Q(path__startswith=root)
    return (
        PagePermissionPolicy().instances_user_has_permission_for(user, "publish").filter(in_library)
    )


def can_see_library(user) -> bool:
    """Editors who may adopt or publish a template. Asked on every admin page (the menu):
    a user without page permissions (an officer) costs the one query of
    cms.tenancy.page_roots, kept on the user for the request."""
    if not user.is_superuser and not tenancy.page_roots(user):
        return False
    return services.can_adopt(user) or library_editor_pages(user).exists()


class LibraryMenuItem(MenuItem):
    """ "Bibliotheek" in the main menu, for editors who may adopt or publish."""

    def is_shown(self, request):
        return can_see_library(request.user)


class LibraryView(WagtailAdminTemplateMixin, TemplateView):
    """The templates the library offers, and the adopted pages with a newer version."""

    template_name = "cms/library/index.html"
    page_title = _("Library")
    header_icon = "folder-open-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_library(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        user = self.request.user
        adoptable = {
            kind.kind_id for kind in kinds.all() if services.adopt_parent_pages(user, kind).exists()
        }
        templates = []
        for template in LibraryTemplate.objects.prefetch_related("versions"):
            versions = sorted(template.versions.all(), key=lambda version: version.number)
            if versions:
                templates.append(
                    {
                        "template": template,
                        "latest": versions[-1],
                        "can_adopt": template.kind in adoptable,
                        # Only the pages of the user's own municipalities.
                        "adopted": AdoptedPage.objects.filter(
                            template=template,
                            page__in=tenancy.limit_pages(Page.objects.all(), user),
                        )
                        .select_related("page")
                        .order_by("page__path"),
                    }
                )
        return super().get_context_data(
            templates=templates,
            can_transfer=can_transfer(user),
            updates=services.pages_with_updates(user),
            library_pages=[
                page
                for page in library_editor_pages(user).specific().order_by("path")
                if kind_for_page(page) is not None
            ],
            **kwargs,
        )


class PublishVersionView(WagtailAdminTemplateMixin, FormView):
    """A library editor publishes a service page or form as the template's next version."""

    form_class = PublishVersionForm
    template_name = "cms/library/publish.html"
    page_title = _("Publish to the library")
    header_icon = "folder-open-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        if not services.can_publish_to_library(request.user, self.page):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        template = LibraryTemplate.objects.filter(source_page=self.page).first()
        versions = template.versions.order_by("-number") if template else []
        return super().get_context_data(
            page=self.page, versions=versions, action_url=self.request.path, **kwargs
        )

    def form_valid(self, form):
        try:
            version = services.publish_version(
                self.page, change_note=form.cleaned_data["change_note"], user=self.request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("Version %(number)s of “%(title)s” is in the library.")
            % {"number": version.number, "title": version.template.title},
        )
        return redirect("cms_library")


class AdoptView(WagtailAdminTemplateMixin, FormView):
    """An editor adopts a template: a draft copy under a page of their municipality."""

    form_class = AdoptForm
    template_name = "cms/library/adopt.html"
    page_title = _("Adopt from the library")
    header_icon = "folder-open-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.template = get_object_or_404(LibraryTemplate, pk=kwargs["template_id"])
        self.version = self.template.latest_version
        self.kind = kinds.get(self.template.kind)
        if (
            self.version is None
            or not services.adopt_parent_pages(request.user, self.kind).exists()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "parents": services.adopt_parent_pages(self.request.user, self.kind),
            "asks_prefix": self.template.kind == "form",
        }

    def get_initial(self):
        prefix = (self.version.content.get("form") or {}).get("reference_prefix", "")
        return {"reference_prefix": prefix}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            template=self.template, version=self.version, action_url=self.request.path, **kwargs
        )

    def form_valid(self, form):
        parent = form.cleaned_data["parent"]
        if not services.can_adopt_under(self.request.user, parent, self.kind):
            raise PermissionDenied
        local = {}
        if "reference_prefix" in form.cleaned_data:
            local["reference_prefix"] = form.cleaned_data["reference_prefix"]
        try:
            page = services.adopt(self.template, parent, user=self.request.user, **local)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext(
                "“%(title)s” is adopted as a draft. Make it your own (texts, team, fee) and "
                "publish it."
            )
            % {"title": page.title},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)


class UpdateView(WagtailAdminTemplateMixin, TemplateView):
    """A newer version for an adopted page: what changed; take it, merge it or keep yours."""

    template_name = "cms/library/update.html"
    page_title = _("New version from the library")
    header_icon = "folder-open-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        if not services.can_update(request.user, self.page):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        update = services.pending_update(self.page)
        return super().get_context_data(
            page=self.page,
            update=update,
            outcome=Outcome,
            taken=[item for item in update.merge if item.outcome == Outcome.LIBRARY]
            if update
            else [],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            expected = int(request.POST.get("version", ""))
        except ValueError:
            expected = -1
        try:
            if action == "accept":
                services.accept_update(self.page, user=request.user, expected_version=expected)
                done = gettext("The new version is saved as a draft. Check it and publish it.")
            elif action == "merge":
                choices = {
                    key.removeprefix("choice:"): value
                    for key, value in request.POST.items()
                    if key.startswith("choice:")
                }
                services.merge_update(
                    self.page, choices=choices, user=request.user, expected_version=expected
                )
                done = gettext("The merged page is saved as a draft. Check it and publish it.")
            elif action == "keep":
                services.keep_local(self.page, user=request.user, expected_version=expected)
                messages.success(request, gettext("You keep your page as it is."))
                return redirect("wagtailadmin_pages:edit", self.page.pk)
            else:
                raise PermissionDenied
        except ValidationError as error:
            context = self.get_context_data(errors=error.messages)
            return self.render_to_response(context)
        messages.success(request, done)
        return redirect("wagtailadmin_pages:edit", self.page.pk)


def update_url(page: Page) -> str:
    return reverse("cms_library_update", args=[page.pk])


def can_transfer(user) -> bool:
    """Who exports and imports templates: the library's editors and administrators."""
    return user.is_superuser or library_editor_pages(user).exists()


class ExportTemplateView(View):
    """One template with all its versions as a file, for another installation."""

    def get(self, request, template_id):
        if not can_transfer(request.user):
            raise PermissionDenied
        template = get_object_or_404(LibraryTemplate, pk=template_id)
        response = JsonResponse(transfer.export_template(template), json_dumps_params={"indent": 2})
        response["Content-Disposition"] = (
            f'attachment; filename="{transfer.export_filename(template)}"'
        )
        return response


class ImportTemplateView(WagtailAdminTemplateMixin, FormView):
    """Read an exported template into this installation's library."""

    form_class = ImportTemplateForm
    template_name = "cms/library/import.html"
    page_title = _("Import a library template")
    header_icon = "folder-open-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not can_transfer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        return super().get_context_data(action_url=self.request.path, **kwargs)

    def form_valid(self, form):
        try:
            document = transfer.read_file(form.cleaned_data["file"].read())
            template, added = transfer.import_template(document)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("“%(title)s” is in the library: %(count)d version(s) added.")
            % {"title": template.title, "count": added},
        )
        return redirect("cms_library")
