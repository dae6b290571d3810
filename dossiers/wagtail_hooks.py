"""Registers the dossier back office with the Wagtail admin."""

from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from . import permissions
from .admin import DossierAdmin, DossierDashboardPanel, MyDossiersMenuItem, TeamAdmin

modeladmin_register(DossierAdmin)
modeladmin_register(TeamAdmin)


@hooks.register("register_admin_menu_item")
def my_dossiers_menu_item():
    return MyDossiersMenuItem(order=DossierAdmin.menu_order + 1)


@hooks.register("construct_homepage_panels")
def dossier_dashboard_panel(request, panels):
    if permissions.is_officer(request.user):
        panels.append(DossierDashboardPanel(request))
