"""Registers the dossier back office with the Wagtail admin."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from . import permissions
from .admin import DossierAdmin, DossierDashboardPanel, MyDossiersMenuItem, TeamAdmin
from .admin.notification_templates import NotificationTemplateViewSet
from .models import DecisionTemplate

modeladmin_register(DossierAdmin)
modeladmin_register(TeamAdmin)
#: Decision texts officers pick when approving or rejecting (per form or for all forms).
register_snippet(DecisionTemplate)
#: The editable texts of the e-mails (per kind, per form or for every form, per language).
register_snippet(NotificationTemplateViewSet)


@hooks.register("register_admin_menu_item")
def my_dossiers_menu_item():
    return MyDossiersMenuItem(order=DossierAdmin.menu_order + 1)


@hooks.register("construct_homepage_panels")
def dossier_dashboard_panel(request, panels):
    if permissions.is_officer(request.user):
        panels.append(DossierDashboardPanel(request))
