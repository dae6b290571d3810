"""Admin screens of the form library: reusable steps, and exporting and importing forms.

Request handling only: the work is done by :mod:`forms_builder.library` and
:mod:`forms_builder.transfer`; and the administrators' list of types of file for uploads.
Registered in ``wagtail_hooks.py``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from . import transfer
from .library import ReusableStep
from .models import ApplicationFormPage, UploadFileType


class ReusableStepViewSet(SnippetViewSet):
    """Reusable steps as snippets: revisions, drafts, publishing and "used in" for free."""

    model = ReusableStep
    icon = "copy"
    #: Under "Snippets", next to the other texts editors reuse.
    menu_label = _("Reusable steps")
    search_fields = ["title"]


# --- export ------------------------------------------------------------------------------


def can_export(user, page: Page) -> bool:
    """Whether ``user`` may download ``page`` as a form document: editors of the page."""
    return page.permissions_for_user(user).can_edit()


def export_form_view(request, page_id: int):
    """Download the form as a JSON document (see :mod:`forms_builder.transfer`)."""
    page = get_object_or_404(ApplicationFormPage, pk=page_id)
    if not can_export(request.user, page):
        raise PermissionDenied
    document = transfer.export_form(page)
    response = HttpResponse(
        transfer.dumps_document(document), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{page.slug}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- import ------------------------------------------------------------------------------


def import_parent_pages(user):
    """The pages ``user`` may add an application form under."""
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "add")
    return pages.type(*ApplicationFormPage.allowed_parent_page_models()).order_by("path")


def can_import(user) -> bool:
    """Whether ``user`` may import a form anywhere (shows the menu item)."""
    return import_parent_pages(user).exists()


def can_import_under(user, parent: Page) -> bool:
    """Whether ``user`` may import a form under ``parent``, like adding one there."""
    return (
        ApplicationFormPage.can_create_at(parent)
        and parent.permissions_for_user(user).can_add_subpage()
    )


class ParentPageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, page):
        titles = [ancestor.title for ancestor in page.get_ancestors()[1:]] + [page.title]
        return " › ".join(titles)


class ImportFormForm(forms.Form):
    file = forms.FileField(
        label=_("Form file"),
        help_text=_("A .json file exported from Loket, in this or another municipality."),
    )
    parent = ParentPageChoiceField(
        label=_("Place the form under"),
        queryset=Page.objects.none(),
        empty_label=None,
    )
    slug = forms.SlugField(
        label=_("Slug"),
        required=False,
        help_text=_("Leave empty to use the slug in the file."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = import_parent_pages(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > transfer.MAX_DOCUMENT_BYTES:
            raise ValidationError(gettext("The file is too large for a form (at most 2 MB)."))
        return transfer.read_document(upload.read())


class ImportFormView(WagtailAdminTemplateMixin, FormView):
    """Upload a form document and create the form as a draft under a chosen page."""

    form_class = ImportFormForm
    template_name = "forms_builder/admin/import_form.html"
    page_title = _("Import a form")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        return {"parent": self.request.GET.get("parent")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse("forms_builder_import"),
            submit_button_label=gettext("Import as draft"),
            submit_button_active_label=gettext("Importing…"),
        )
        return context

    def form_valid(self, form):
        parent = form.cleaned_data["parent"]
        if not can_import_under(self.request.user, parent):
            raise PermissionDenied
        try:
            page = transfer.import_form(
                form.cleaned_data["file"],
                parent,
                slug=form.cleaned_data["slug"] or None,
                user=self.request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("The form “%(title)s” was imported as a draft. Check it before you publish it.")
            % {"title": page.title},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)


class ImportFormMenuItem(MenuItem):
    """The "Import a form" item under Settings, for everyone who may add a form somewhere."""

    def is_shown(self, request):
        return can_import(request.user)


class UploadFileTypeViewSet(SnippetViewSet):
    """Settings → Types of file for uploads: the types administrators add to those
    editors can allow in an upload question (gif, doc, xls)."""

    model = UploadFileType
    icon = "doc-full"
    add_to_settings_menu = True
    menu_label = _("Types of file for uploads")
    list_display = ["label", "extension", "content_type"]
