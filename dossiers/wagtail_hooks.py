"""Registers the dossier back office with the Wagtail admin."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from core.admin_screens import AdministratorMenuItem
from dossiers.admin import (
    AppointmentAdmin,
    DossierAdmin,
    DossierDashboardPanel,
    MyDossiersMenuItem,
    TeamAdmin,
    agenda,
    finance,
    occupations,
    ratings,
    reports,
)
from dossiers.admin import privacy as privacy_admin
from dossiers.admin import proactive as proactive_admin
from dossiers.admin.advice import AdvicePartyAdmin
from dossiers.admin.appointments import AppointmentTypeViewSet, DeskViewSet
from dossiers.admin.college import CollegeMeetingAdmin
from dossiers.admin.common import OfficerMenuItem
from dossiers.admin.letter_templates import DecisionLetterTemplateViewSet
from dossiers.admin.notification_templates import NotificationTemplateViewSet
from dossiers.admin.reports import ReportCategoryViewSet
from dossiers.models import (
    DecisionTemplate,
    ExternalParty,
    OfficerAbsence,
    OfficerAvailability,
    ReportArea,
    ReportRoute,
)

from . import permissions
from .api import admin as api_admin
from .companies import admin_views as company_register
from .correspondence import admin_views as print_batches
from .places import admin_views as address_register
from .webhooks import admin as webhook_admin

modeladmin_register(DossierAdmin)
modeladmin_register(TeamAdmin)
modeladmin_register(AdvicePartyAdmin)
modeladmin_register(AppointmentAdmin)
#: College meetings and their lists (issue #16).
modeladmin_register(CollegeMeetingAdmin)
#: Decision texts officers pick when approving or rejecting (per form or for all forms).
register_snippet(DecisionTemplate)
#: The decision letters' legal basis, conditions and how to appeal (per form or for all).
register_snippet(DecisionLetterTemplateViewSet)
#: The editable texts of the e-mails (per kind, per form or for every form, per language).
register_snippet(NotificationTemplateViewSet)
#: Appointments (issue #19): desks with opening hours and closing days, and what can be
#: booked there.
register_snippet(DeskViewSet)
register_snippet(AppointmentTypeViewSet)
#: When officers named on an appointment type take appointments.
register_snippet(OfficerAvailability)
register_snippet(OfficerAbsence)
#: Reports (meldingen, issue #18): categories with their handling text and target time,
#: areas, outside parties and the routes between them (dossiers.reports).
register_snippet(ReportCategoryViewSet)
register_snippet(ReportArea)
register_snippet(ExternalParty)
register_snippet(ReportRoute)


@hooks.register("register_admin_urls")
def reports_urls():
    return [
        path("dossiers/reports/", reports.ReportsView.as_view(), name="dossiers_reports"),
        path("dossiers/reports/points.json", reports.points_view, name="dossiers_report_points"),
        path(
            "dossiers/reports/routing-check/",
            reports.RoutingCheckView.as_view(),
            name="dossiers_report_routing_check",
        ),
    ]


@hooks.register("register_admin_menu_item")
def reports_menu_item():
    return OfficerMenuItem(
        _("Reports on a map"),
        reverse("dossiers_reports"),
        icon_name="warning",
        order=DossierAdmin.menu_order + 2,
    )


@hooks.register("register_settings_menu_item")
def report_routing_menu_item():
    return AdministratorMenuItem(
        _("Routing of reports: check"),
        reverse("dossiers_report_routing_check"),
        icon_name="warning",
        order=966,
    )


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


# --- the appointments agenda (dossiers.admin.agenda) -------------------------------------


@hooks.register("register_admin_urls")
def agenda_urls():
    return [
        path("appointments/agenda/", agenda.AgendaView.as_view(), name="dossiers_agenda"),
        path(
            "appointments/figures/",
            agenda.AppointmentFiguresView.as_view(),
            name="dossiers_appointment_figures",
        ),
    ]


# --- occupations of the public domain (dossiers.admin.occupations) ------------------------


@hooks.register("register_admin_urls")
def occupations_urls():
    return [
        path(
            "dossiers/occupations/",
            occupations.OccupationsView.as_view(),
            name="dossiers_occupations",
        )
    ]


@hooks.register("register_admin_menu_item")
def occupations_menu_item():
    return OfficerMenuItem(
        _("Occupations on a map"),
        reverse("dossiers_occupations"),
        icon_name="site",
        order=DossierAdmin.menu_order + 2,
    )


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


# --- proactive services (dossiers.admin.proactive) ------------------------------------

modeladmin_register(proactive_admin.ProactiveRuleAdmin)


@hooks.register("register_admin_urls")
def proactive_review_urls():
    return [
        path(
            "proactive-invitations/",
            proactive_admin.InvitationReviewView.as_view(),
            name="dossiers_proactive_review",
        ),
    ]


@hooks.register("register_admin_menu_item")
def proactive_review_menu_item():
    return proactive_admin.InvitationReviewMenuItem(
        _("Proactive invitations"),
        reverse("dossiers_proactive_review"),
        icon_name="calendar-alt",
        order=265,
    )


# --- letters on paper (dossiers.correspondence.admin_views) ------------------------------


@hooks.register("register_admin_urls")
def print_batch_urls():
    return [
        path(
            "print-batches/",
            print_batches.PrintBatchesView.as_view(),
            name="dossiers_print_batches",
        ),
        path(
            "print-batches/<int:pk>/pdf/", print_batches.batch_pdf, name="dossiers_print_batch_pdf"
        ),
        path(
            "print-batches/<int:pk>/csv/",
            print_batches.batch_manifest,
            name="dossiers_print_batch_csv",
        ),
        path(
            "print-batches/<int:pk>/sent/",
            print_batches.mark_sent,
            name="dossiers_print_batch_sent",
        ),
    ]


@hooks.register("register_reports_menu_item")
def print_batches_menu_item():
    return print_batches.PrintBatchesMenuItem(
        _("Letters on paper"), reverse("dossiers_print_batches"), icon_name="mail", order=760
    )


# --- the address register (dossiers.places.admin_views) ----------------------------------


@hooks.register("register_admin_urls")
def address_register_urls():
    return [
        path(
            "address-register/",
            address_register.AddressRegisterView.as_view(),
            name="dossiers_address_register",
        ),
    ]


@hooks.register("register_settings_menu_item")
def address_register_menu_item():
    return address_register.AddressRegisterMenuItem(
        _("Address register"), reverse("dossiers_address_register"), icon_name="home", order=965
    )


# --- finance (dossiers.admin.finance, issue #17) ------------------------------------------


@hooks.register("register_admin_urls")
def finance_urls():
    return [
        path("financien/", finance.StatementsView.as_view(), name="finance_statements"),
        path(
            "financien/uittreksel/<int:pk>/",
            finance.StatementView.as_view(),
            name="finance_statement",
        ),
        path("financien/betalingen/", finance.PaymentsView.as_view(), name="finance_payments"),
        path("financien/export/", finance.ExportView.as_view(), name="finance_export"),
        path("financien/terugbetalingen/", finance.RefundsView.as_view(), name="finance_refunds"),
        path("financien/uitbetalingen/", finance.PayoutsView.as_view(), name="finance_payouts"),
        path(
            "financien/uitbetalingen/<int:pk>/",
            finance.BatchDownloadView.as_view(),
            name="finance_batch",
        ),
    ]


@hooks.register("register_reports_menu_item")
def appointment_figures_menu_item():
    return OfficerMenuItem(
        _("Appointments in figures"),
        reverse("dossiers_appointment_figures"),
        icon_name="date",
        order=960,
    )


@hooks.register("register_admin_menu_item")
def agenda_menu_item():
    return OfficerMenuItem(
        _("Agenda"),
        reverse("dossiers_agenda"),
        icon_name="calendar",
        order=AppointmentAdmin.menu_order + 1,
    )


@hooks.register("register_admin_menu_item")
def finance_menu_item():
    items = [
        finance.FinanceMenuItem(_("Bank statements"), reverse("finance_statements"), order=1),
        finance.FinanceMenuItem(_("Payments"), reverse("finance_payments"), order=2),
        finance.FinanceMenuItem(_("Refunds"), reverse("finance_refunds"), order=3),
        finance.FinanceMenuItem(_("Payouts"), reverse("finance_payouts"), order=4),
    ]
    return finance.FinanceSubmenu(
        _("Finance"), Menu(items=items), icon_name="doc-full", order=DossierAdmin.menu_order + 3
    )


@hooks.register("register_permissions")
def sensitive_answers_permission():
    """Lets administrators give a group the right to read sensitive answers (national
    register numbers) in full, in the group editor's "Other permissions"."""
    app_label, codename = permissions.VIEW_SENSITIVE.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


@hooks.register("register_settings_menu_item")
def company_register_menu_item():
    return company_register.CompanyRegisterMenuItem(
        _("Company register"), reverse("dossiers_company_register"), icon_name="site", order=960
    )


# --- the REST API and webhooks (dossiers.api, dossiers.webhooks; issue #23) --------------


@hooks.register("register_admin_viewset")
def api_clients():
    return api_admin.ApiClientViewSet("api_clients")


@hooks.register("register_admin_viewset")
def webhook_subscriptions():
    return webhook_admin.WebhookSubscriptionViewSet("webhooks")


@hooks.register("register_admin_urls")
def api_log_urls():
    return [
        path("api-calls/", api_admin.ApiCallLogView.as_view(), name="dossiers_api_calls"),
        path(
            "webhook-deliveries/",
            webhook_admin.DeliveryLogView.as_view(),
            name="dossiers_webhook_deliveries",
        ),
    ]


@hooks.register("register_settings_menu_item")
def api_calls_menu_item():
    return AdministratorMenuItem(
        _("API calls"), reverse("dossiers_api_calls"), icon_name="list-ul", order=902
    )


@hooks.register("register_settings_menu_item")
def webhook_deliveries_menu_item():
    return AdministratorMenuItem(
        _("Webhook deliveries"), reverse("dossiers_webhook_deliveries"), icon_name="link", order=903
    )
