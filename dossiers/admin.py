"""The officers' back office, built with wagtail-modeladmin.

All use of wagtail-modeladmin lives in this module (and its registration in
wagtail_hooks.py), so the rest of the code does not depend on it.
"""

from django.contrib import messages
from django.contrib.admin.filters import RelatedFieldListFilter
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import InspectView

from forms_builder.schema import display_answers

from . import workflow
from .constants import EventType
from .models import Dossier, Event


class DossierPermissionHelper(PermissionHelper):
    """Dossiers are created by applicants and changed only through the workflow."""

    def user_can_list(self, user):
        return user.is_active and (user.is_superuser or user.has_perm("dossiers.view_dossier"))

    def user_can_inspect_obj(self, user, obj):
        return self.user_can_list(user)

    def user_can_act_on_obj(self, user, obj):
        return user.is_active and (user.is_superuser or user.has_perm("dossiers.change_dossier"))

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class RelatedListFilter(RelatedFieldListFilter):
    """Django's filter on a related record, without Django's admin site.

    Django's filter asks ``django.contrib.admin.site`` for the related model's admin
    ordering, which fails when django.contrib.admin is not installed (as here); the
    related model's own ``Meta.ordering`` applies instead.
    """

    def field_admin_ordering(self, field, request, model_admin):
        return ()


class DossierButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        return [self.inspect_button(obj.pk, classnames_add=classnames_add)]

    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().inspect_button(pk, classnames_add, classnames_exclude)
        button["label"] = _("Open")
        button["title"] = _("Open this dossier")
        return button


class DossierInspectView(InspectView):
    """The dossier as an officer sees it: answers, timeline and the possible actions."""

    def get_page_title(self):
        return str(self.instance)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dossier = self.instance
        can_act = self.permission_helper.user_can_act_on_obj(self.request.user, dossier)
        context.update(
            dossier=dossier,
            answers=display_answers(dossier.schema, dossier.answers),
            events=dossier.events.select_related("actor").all(),
            transitions=workflow.available_transitions(dossier) if can_act else [],
            transition_url=self.url_helper.get_action_url("transition", dossier.pk),
        )
        return context

    def get(self, request, *args, **kwargs):
        Event.objects.create(dossier=self.instance, type=EventType.VIEWED, actor=request.user)
        return super().get(request, *args, **kwargs)


class DossierAdmin(ModelAdmin):
    model = Dossier
    menu_label = _("Dossiers")
    menu_icon = "folder-open-inverse"
    menu_order = 150
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_class = DossierInspectView
    inspect_template_name = "dossiers/admin/inspect.html"
    permission_helper_class = DossierPermissionHelper
    button_helper_class = DossierButtonHelper
    list_display = (
        "reference",
        "form_title",
        "company_name",
        "applicant_name",
        "status",
        "assigned_to",
        "submitted_at",
        "decision_due",
    )
    list_filter = ("status", "form_title", ("team", RelatedListFilter))
    list_select_related = ("assigned_to", "team")
    search_fields = (
        "reference",
        "company_name",
        "enterprise_number",
        "applicant_name",
        "applicant_email",
    )
    ordering = ("-submitted_at",)

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            re_path(
                self.url_helper.get_action_url_pattern("transition"),
                self.transition_view,
                name=self.url_helper.get_action_url_name("transition"),
            ),
        )

    def transition_view(self, request, instance_pk):
        return _transition_view(request, self, instance_pk)


@require_POST
def _transition_view(request, model_admin, instance_pk):
    """Apply one workflow transition from the dossier view's buttons (plain POST)."""
    dossier = get_object_or_404(Dossier, pk=instance_pk)
    if not model_admin.permission_helper.user_can_act_on_obj(request.user, dossier):
        raise PermissionDenied
    inspect_url = model_admin.url_helper.get_action_url("inspect", dossier.pk)
    name = request.POST.get("transition", "")
    try:
        workflow.transition(
            dossier,
            name,
            actor=request.user,
            expected_status=request.POST.get("expected_status") or None,
            data={
                key: request.POST.get(key, "").strip()
                for key in ("question", "decision")
                if key in request.POST
            },
        )
    except workflow.InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        dossier.refresh_from_db(fields=["status"])
        messages.success(
            request,
            _("Dossier %(reference)s is now: %(status)s.")
            % {"reference": dossier.reference, "status": dossier.get_status_display()},
        )
    return redirect(inspect_url)
