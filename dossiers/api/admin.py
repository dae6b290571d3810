"""The API in the Wagtail admin (Settings), for administrators (superusers): client
applications with their tokens (shown once, when made), and the log of calls.
Registered in dossiers/wagtail_hooks.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.admin_screens import AdministratorScreen, is_administrator
from dossiers.models import ApiCall, ApiClient, ApiScope

#: How many calls the log screen shows.
LOG_ROWS = 200


class AdministratorsOnly(ModelPermissionPolicy):
    """Tokens open the municipality's dossiers to another system: administrators only."""

    def user_has_permission(self, user, action):
        return is_administrator(user)

    def user_has_any_permission(self, user, actions):
        return is_administrator(user)


register_permission_policy(ApiClient, AdministratorsOnly(ApiClient))


class ApiClientForm(WagtailAdminModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Give only what the other system needs."),
    )

    class Meta:
        model = ApiClient
        fields = ["name", "site", "scopes", "reveal_sensitive", "is_active"]


class ApiClientCreateView(generic.CreateView):
    def save_instance(self):
        client = self.form.save(commit=False)
        self.token = client.new_token()
        client.created_by = self.request.user
        client.save()
        return client

    def get_success_message(self, instance):
        return gettext(
            "API client %(name)s made. Its token: %(token)s — copy it now and give it to "
            "the other system safely: it is not shown again."
        ) % {"name": instance.name, "token": self.token}


class ApiClientViewSet(ModelViewSet):
    model = ApiClient
    icon = "key"
    menu_label = _("API clients")
    add_to_settings_menu = True
    menu_order = 900
    copy_view_enabled = False
    add_view_class = ApiClientCreateView
    form_fields = ["name", "site", "scopes", "reveal_sensitive", "is_active"]
    list_display = ["name", "site", "token_hint", "is_active", "last_used_at"]
    list_filter = ["is_active"]

    def get_form_class(self, for_update=False):
        return ApiClientForm


class ApiCallLogView(AdministratorScreen):
    """The latest calls: who, what, when, the answer."""

    template_name = "dossiers/admin/api_calls.html"
    page_title = _("API calls")
    header_icon = "list-ul"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        calls = ApiCall.objects.select_related("client")
        client = self.request.GET.get("client", "")
        if client.isdigit():
            calls = calls.filter(client_id=int(client))
        context.update(calls=calls[:LOG_ROWS], clients=ApiClient.objects.all(), chosen=client)
        return context
