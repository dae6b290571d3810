"""Registers the dossier back office with the Wagtail admin."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from dossiers.admin import (
    AppointmentAdmin,
    DossierAdmin,
    DossierDashboardPanel,
    MyDossiersMenuItem,
    TeamAdmin,
    ratings,
)
from dossiers.admin import privacy as privacy_admin
from dossiers.admin.advice import AdvicePartyAdmin
from dossiers.admin.notification_templates import NotificationTemplateViewSet
from dossiers.models import AppointmentType, DecisionTemplate, Desk

from . import permissions
from .companies import admin_views as company_register

modeladmin_register(DossierAdmin)
modeladmin_register(TeamAdmin)
modeladmin_register(AdvicePartyAdmin)
modeladmin_register(AppointmentAdmin)
#: Decision texts officers pick when approving or rejecting (per form or for all forms).
register_snippet(DecisionTemplate)
#: The editable texts of the e-mails (per kind, per form or for every form, per language).
register_snippet(NotificationTemplateViewSet)
#: Appointments (issue #19): desks with opening hours and closing days, and what can be
#: booked there.
register_snippet(Desk)
register_snippet(AppointmentType)


@hooks.register("register_admin_menu_item")
def my_dossiers_menu_item():
    return MyDossiersMenuItem(order=DossierAdmin.menu_order + 1)


@hooks.register("construct_homepage_panels")
def dossier_dashboard_panel(request, panels):
    if permissions.is_officer(request.user):
        panels.append(DossierDashboardPanel(request))


@hooks.register("register_admin_urls")
def ratings_report_urls():
    return [path("dossiers/ratings/", ratings.RatingsReportView.as_view(), name="dossiers_ratings")]


@hooks.register("register_reports_menu_item")
def ratings_report_menu_item():
    return ratings.RatingsMenuItem(
        _("Ratings of the service"), reverse("dossiers_ratings"), icon_name="pick", order=950
    )


# --- privacy requests (dossiers.admin.privacy) -------------------------------------------


@hooks.register("register_admin_urls")
def privacy_urls():
    return [
        path("privacy/", privacy_admin.PrivacyRequestsView.as_view(), name="dossiers_privacy"),
    ]


@hooks.register("register_settings_menu_item")
def privacy_menu_item():
    return privacy_admin.PrivacyMenuItem(
        _("Privacy requests"), reverse("dossiers_privacy"), icon_name="lock", order=950
    )


@hooks.register("register_permissions")
def privacy_permissions():
    """Lets administrators give a group (e.g. the data protection officer's) the
    privacy requests screen, in the group editor's "Other permissions"."""
    app_label, codename = privacy_admin.PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


# --- the company register (dossiers.companies.admin_views) --------------------------------


@hooks.register("register_admin_urls")
def company_register_urls():
    return [
        path(
            "company-register/",
            company_register.CompanyRegisterView.as_view(),
            name="dossiers_company_register",
        ),
    ]


@hooks.register("register_settings_menu_item")
def company_register_menu_item():
    return company_register.CompanyRegisterMenuItem(
        _("Company register"), reverse("dossiers_company_register"), icon_name="site", order=960
    )
