"""The modeladmin classes: the dossier inbox and its views, and the teams."""

from __future__ import annotations

from django.contrib.admin import display
from django.contrib.auth.models import Permission
from django.urls import re_path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin

from dossiers.admin import (
    advice,
    appointment_invitations,
    college,
    filters,
    grants,
    inbox,
    information,
    messaging,
    payments,
    reports,
    routing,
    views,
)
from dossiers.admin.common import AdministratorsOnlyPermissionHelper, ReadOnlyPermissionHelper
from dossiers.admin.dashboard import DossierMenuItem
from dossiers.admin.display import due_text, municipality_name, officer_name, status_tag
from dossiers.models import Dossier, Team

from .. import permissions


class DossierPermissionHelper(ReadOnlyPermissionHelper):
    """Dossiers are seen by the officers of their team (see dossiers.permissions); they
    are created by applicants and changed only through the workflow and services."""

    def user_can_list(self, user):
        return permissions.is_officer(user)

    def user_can_inspect_obj(self, user, obj):
        return permissions.can_view(user, obj)


class DossierButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        # The reference itself opens the dossier (see get_primary_button): no more buttons
        # on the row, so the list stays narrow enough to read.
        return []

    def get_primary_button(self, obj):
        return self.inspect_button(obj.pk)

    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().inspect_button(pk, classnames_add, classnames_exclude)
        button["label"] = _("Open")
        button["title"] = _("Open this dossier")
        return button


class DossierAdmin(ModelAdmin):
    """The officers' inbox (index), the dossier (inspect) and the actions on it."""

    model = Dossier
    menu_label = _("Dossiers")
    menu_icon = "folder-open-inverse"
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = views.DossierIndexView
    index_template_name = "dossiers/admin/index.html"
    index_view_extra_css = ["dossiers/admin.css"]
    inspect_view_enabled = True
    inspect_view_class = views.DossierInspectView
    inspect_template_name = "dossiers/admin/inspect.html"
    inspect_view_extra_css = ["dossiers/admin.css"]
    #: Dossiers keep their own timeline (Events); Wagtail's history view would show
    #: nothing useful and skip the team check.
    history_view_enabled = False
    permission_helper_class = DossierPermissionHelper
    button_helper_class = DossierButtonHelper
    #: The decision date and the officer come right after the status, so that they stay
    #: in view on a 1280 px screen (the rest may scroll).
    list_display = (
        "select_column",
        "reference",
        "status_column",
        "due_column",
        "officer_column",
        "form_column",
        "company_name",
        "applicant_name",
        "submitted_at",
        # Last: saved views order by a column's position.
        "municipality_column",
    )
    #: The reference opens the dossier (not the tick box, which comes first).
    list_display_add_buttons = "reference"
    list_filter = (
        filters.StatusFilter,
        filters.AssignedFilter,
        filters.OverdueFilter,
        filters.FormFilter,
        filters.TeamFilter,
        filters.MunicipalityFilter,
        filters.SubmittedBetweenFilter,
    )
    list_select_related = ("assigned_to", "site")
    list_per_page = 50
    search_fields = (
        "reference",
        "company_name",
        "enterprise_number",
        "applicant_name",
        "applicant_email",
    )
    ordering = ("-submitted_at",)

    #: The actions on one dossier, each a plain POST handled by dossiers.admin.views at
    #: <action>/<dossier id>/ (a file's download is at attachment/<dossier id>/<file id>/).
    dossier_actions = {
        "transition": views.transition_view,
        "assign": views.assign_view,
        "note": views.note_view,
        "message": messaging.message_view,
        "information": information.information_view,
        "advice": advice.advice_view,
        "payment": payments.payment_view,
        "invitation": appointment_invitations.invitation_view,
        "grant": grants.grant_view,
        "college": college.college_view,
        "college_off": college.college_off_view,
        "permit": college.permit_view,
        "team": routing.team_view,
        "report_forward": reports.forward_view,
        "report_merge": reports.merge_view,
    }

    def get_queryset(self, request):
        return permissions.visible_dossiers(request.user, super().get_queryset(request))

    def get_menu_item(self, order=None):
        return DossierMenuItem(self, order or self.get_menu_order())

    def get_permissions_for_registration(self):
        # Team membership decides who sees dossiers, not model permissions: do not offer
        # permissions in the group editor that would do nothing.
        return Permission.objects.none()

    def get_admin_urls_for_registration(self):
        urls = super().get_admin_urls_for_registration()
        urls += tuple(
            re_path(
                self.url_helper.get_action_url_pattern(action),
                self._bind(view),
                name=self.url_helper.get_action_url_name(action),
            )
            for action, view in self.dossier_actions.items()
        )
        urls += tuple(
            re_path(
                self.url_helper._get_action_url_pattern(action),
                self._bind(view),
                name=self.url_helper.get_action_url_name(action),
            )
            for action, view in (
                ("save_inbox_view", inbox.save_view),
                ("bulk", inbox.bulk_view),
            )
        ) + (
            re_path(
                self.url_helper.get_action_url_pattern("delete_inbox_view"),
                self._bind(inbox.delete_view),
                name=self.url_helper.get_action_url_name("delete_inbox_view"),
            ),
        )
        prefix = self.url_helper.get_action_url_pattern("attachment").rstrip("/$")
        urls += (
            re_path(
                prefix + r"/(?P<attachment_pk>\d+)/$",
                self._bind(views.attachment_view),
                name=self.url_helper.get_action_url_name("attachment"),
            ),
        )
        return urls

    def _bind(self, view):
        def bound(request, *args, **kwargs):
            return view(request, self, *args, **kwargs)

        return bound

    # --- inbox columns -------------------------------------------------------------------

    @display(description=_("tick"))
    def select_column(self, obj):
        # Belongs to the bulk form above the list (HTML's form attribute: no nested forms).
        return format_html(
            '<input type="checkbox" name="dossier" value="{}" form="loket-bulk" aria-label="{}">',
            obj.pk,
            _("Tick %(reference)s") % {"reference": obj.reference},
        )

    @display(description=_("form"), ordering="form_title")
    def form_column(self, obj):
        return obj.form_title

    @display(description=_("municipality"), ordering="site__site_name")
    def municipality_column(self, obj):
        return municipality_name(obj)

    @display(description=_("status"), ordering="status")
    def status_column(self, obj):
        return status_tag(obj)

    @display(description=_("officer"), ordering="assigned_to__first_name")
    def officer_column(self, obj):
        return officer_name(obj.assigned_to)

    @display(description=_("decide within"), ordering="decision_due")
    def due_column(self, obj):
        return due_text(obj, timezone.localdate())


class TeamPermissionHelper(AdministratorsOnlyPermissionHelper):
    """Teams are set up by administrators (superusers)."""

    def in_use(self, obj) -> bool:
        return obj.dossiers.exists()


class TeamAdmin(ModelAdmin):
    """Teams and their groups, in Settings. Who is in a team is managed under Users."""

    model = Team
    menu_label = _("Teams")
    menu_icon = "group"
    add_to_settings_menu = True
    permission_helper_class = TeamPermissionHelper
    list_display = ("name", "group", "lead_group", "email")
    list_select_related = ("group", "lead_group")
