"""Proactive services in the admin: the rules editors write (the modeladmin "Proactive
rules") and the officers' review of the invitations a
run proposed (approve or reject, one or many). Both are scoped per municipality: a
rule is seen by who works for its site (editors with pages there, officers of teams
serving it), an invitation by the officers of its site (dossiers.proactive.services).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Site
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from cms.tenancy import editor_site_ids
from dossiers import permissions
from dossiers.models import InvitationStatus, ProactiveRule, RuleKind
from dossiers.outbox.kinds import TextError
from dossiers.proactive import services
from dossiers.proactive.sending import check_text
from forms_builder.models import ApplicationFormPage

#: How many invitations the review screen lists per state.
REVIEW_ROWS = 200


def rule_site_ids(user) -> set[int] | None:
    """The municipalities whose rules ``user`` may write: sites in whose page tree the
    user's groups have page permissions (editors), and sites their teams serve
    (officers); None for an administrator."""
    if not user.is_active:
        return set()
    if user.is_superuser:
        return None
    return set(editor_site_ids(user) or ()) | set(permissions.membership(user).site_ids)


class ProactiveRuleForm(WagtailAdminModelForm):
    """The municipality and forms limited to the user's own; placeholders checked."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        site_ids = rule_site_ids(for_user) if for_user is not None else set()
        if site_ids is not None:
            self.fields["site"].queryset = Site.objects.filter(pk__in=sorted(site_ids))
            roots = [site.root_page.path for site in self.fields["site"].queryset]
            forms_here = ApplicationFormPage.objects.none()
            for path in roots:
                forms_here |= ApplicationFormPage.objects.filter(path__startswith=path)
            for name in ("permit_form", "form_page"):
                self.fields[name].queryset = forms_here
        for name in ("permit_form", "form_page"):
            self.fields[name].widget = forms.Select(choices=self.fields[name].widget.choices)

    def clean(self):
        data = super().clean()
        for name in ("subject", "message", "subject_en", "message_en"):
            try:
                check_text(data.get(name) or "")
            except TextError as error:
                self.add_error(name, str(error))
        if data.get("kind") == RuleKind.RENEWAL and not data.get("permit_form"):
            self.add_error(
                "permit_form", gettext("Choose the form whose permits this rule looks at.")
            )
        if data.get("kind") == RuleKind.COMPANIES and not data.get("form_page"):
            self.add_error("form_page", gettext("Choose the form the invitation links to."))
        site, forms_chosen = data.get("site"), [data.get("permit_form"), data.get("form_page")]
        for name, form in zip(("permit_form", "form_page"), forms_chosen, strict=True):
            if site and form and not form.path.startswith(site.root_page.path):
                self.add_error(name, gettext("Choose a form of this municipality."))
        return data


class ProactiveRulePermissionHelper(PermissionHelper):
    """Whoever works for a municipality writes its rules; administrators all of them."""

    def _reaches(self, user, obj=None) -> bool:
        ids = rule_site_ids(user)
        if ids is None:
            return True
        return bool(ids) if obj is None else obj.site_id in ids

    def user_can_list(self, user):
        return user.is_active and self._reaches(user)

    def user_can_create(self, user):
        return self.user_can_list(user)

    def user_can_inspect_obj(self, user, obj):
        # Rules have no inspect view (an "inspect" button would name a missing URL).
        return self.inspect_view_enabled and self._reaches(user, obj)

    def user_can_edit_obj(self, user, obj):
        return self._reaches(user, obj)

    def user_can_delete_obj(self, user, obj):
        return self._reaches(user, obj)


class ProactiveRuleAdmin(ModelAdmin):
    model = ProactiveRule
    menu_label = _("Proactive rules")
    menu_icon = "calendar-alt"
    menu_order = 260
    permission_helper_class = ProactiveRulePermissionHelper
    list_display = ("name", "site", "kind", "active", "last_run_at")
    list_filter = ("kind", "active")
    search_fields = ("name",)
    edit_handler = ObjectList(
        [
            FieldPanel("site"),
            FieldPanel("name"),
            FieldPanel("kind"),
            FieldPanel("active"),
            MultiFieldPanel(
                [
                    FieldPanel("nace_codes"),
                    FieldPanel("legal_forms"),
                    FieldPanel("postcodes"),
                    FieldPanel("started_within_days"),
                ],
                heading=_("Companies in the register"),
            ),
            MultiFieldPanel(
                [FieldPanel("permit_form"), FieldPanel("days_before_end")],
                heading=_("Permits that end soon (renewal)"),
            ),
            FieldPanel("form_page"),
            MultiFieldPanel(
                [
                    FieldPanel("subject"),
                    FieldPanel("message"),
                    FieldPanel("subject_en"),
                    FieldPanel("message_en"),
                ],
                heading=_("The invitation"),
            ),
        ],
        base_form_class=ProactiveRuleForm,
    )

    def get_queryset(self, request):
        rules = super().get_queryset(request).select_related("site")
        ids = rule_site_ids(request.user)
        return rules if ids is None else rules.filter(site_id__in=sorted(ids))


# --- the officers' review -------------------------------------------------------------


def can_review(user) -> bool:
    return user.is_active and permissions.membership(user).is_officer


class InvitationReviewView(WagtailAdminTemplateMixin, TemplateView):
    """The invitations waiting for review, with a checkbox each and two buttons; the
    ones decided lately below. Posting approves or rejects the ticked ones."""

    template_name = "dossiers/admin/proactive_review.html"
    page_title = _("Proactive invitations")
    header_icon = "calendar-alt"

    def dispatch(self, request, *args, **kwargs):
        if not can_review(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = services.visible_invitations(self.request.user).select_related(
            "rule", "site", "dossier", "decided_by"
        )
        context.update(
            waiting=list(
                visible.filter(status=InvitationStatus.PROPOSED).order_by("created_at", "pk")[
                    :REVIEW_ROWS
                ]
            ),
            decided=list(
                visible.exclude(status=InvitationStatus.PROPOSED).order_by("-decided_at", "-pk")[
                    :REVIEW_ROWS
                ]
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        ids = [value for value in request.POST.getlist("invitation") if value.isdigit()]
        if action not in ("approve", "reject"):
            messages.error(request, gettext("Choose to approve or to reject."))
        elif not ids:
            messages.error(request, gettext("Tick at least one invitation."))
        else:
            approve = action == "approve"
            count = services.decide(request.user, ids, approve=approve)
            messages.success(request, services.describe(count, approve=approve))
        return redirect("dossiers_proactive_review")


class InvitationReviewMenuItem(MenuItem):
    """ "Proactive invitations", for officers."""

    def is_shown(self, request):
        return can_review(request.user)
