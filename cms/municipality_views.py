"""Settings → Municipalities: the installation's municipalities, and a form to add one
(superusers only). Request handling only; the work is :func:`cms.municipalities.add_municipality`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Site

from cms.municipalities import add_municipality
from dossiers.models import MunicipalitySettings, Team


class MunicipalityForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("For example: Gemeente Anderzijds."),
    )
    hostname = forms.CharField(
        label=gettext_lazy("Host name"),
        max_length=255,
        help_text=gettext_lazy(
            "The address of its desk, without https://, e.g. loket.anderzijds.be."
        ),
    )
    port = forms.IntegerField(label=gettext_lazy("Port"), initial=80, min_value=1, max_value=65535)
    reference_code = forms.CharField(
        label=gettext_lazy("Code in reference numbers"),
        max_length=6,
        required=False,
        help_text=gettext_lazy("1 to 6 capital letters or digits, e.g. ANZ."),
    )
    sender_email = forms.EmailField(label=gettext_lazy("Sender address of e-mails"), required=False)
    creditor_name = forms.CharField(
        label=gettext_lazy("Name of the account holder"), max_length=70, required=False
    )
    iban = forms.CharField(label=gettext_lazy("IBAN"), max_length=34, required=False)
    regional_team = forms.ModelChoiceField(
        label=gettext_lazy("Regional team"),
        queryset=Team.objects.all(),
        required=False,
        help_text=gettext_lazy("A regional team that also serves this municipality (optional)."),
    )


class MunicipalitiesView(WagtailAdminTemplateMixin, FormView):
    """The list of municipalities and the form to add one."""

    template_name = "cms/admin/municipalities.html"
    form_class = MunicipalityForm
    page_title = gettext_lazy("Municipalities")
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sites = list(Site.objects.order_by("site_name", "hostname").prefetch_related("teams"))
        codes = dict(MunicipalitySettings.objects.values_list("site_id", "reference_code"))
        context["sites"] = [
            (site, codes.get(site.pk, ""), list(site.teams.all())) for site in sites
        ]
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            made = add_municipality(
                name=data["name"],
                hostname=data["hostname"],
                port=data["port"],
                reference_code=data["reference_code"],
                sender_email=data["sender_email"],
                creditor_name=data["creditor_name"],
                iban=data["iban"],
                regional_team=data["regional_team"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    target = field if field in form.fields else None
                    for each in errors:
                        form.add_error(target, each)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "%(name)s is added. Now add its editors to the group “%(editors)s” and its "
                "officers to the group “%(officers)s”."
            )
            % {
                "name": made.site.site_name,
                "editors": made.editors.name,
                "officers": made.team.group.name,
            },
        )
        return redirect(reverse("municipalities"))


class MunicipalitiesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


__all__ = ["MunicipalitiesMenuItem", "MunicipalitiesView"]
