"""Booked and cancelled appointments, a read-only list for officers (issue #19).

Officers look up who comes when; people cancel through their own link. Moving,
marking done or no-show and day agendas come later and will be actions here.
"""

from __future__ import annotations

from django.contrib.admin import display
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin

from dossiers.admin.common import ReadOnlyPermissionHelper
from dossiers.models import Appointment

from .. import permissions


class AppointmentPermissionHelper(ReadOnlyPermissionHelper):
    """Every officer may see appointments; nobody edits them here."""

    def user_can_list(self, user):
        return user.is_active and (user.is_superuser or permissions.is_officer(user))

    def user_can_inspect_obj(self, user, obj):
        return self.user_can_list(user)


class AppointmentAdmin(ModelAdmin):
    model = Appointment
    menu_label = _("Appointments")
    menu_icon = "date"
    menu_order = 210
    permission_helper_class = AppointmentPermissionHelper
    inspect_view_enabled = True
    inspect_view_fields = (
        "appointment_type",
        "desk",
        "starts_at",
        "ends_at",
        "status",
        "name",
        "email",
        "phone",
        "company",
        "question",
    )
    list_display = ("local_start", "appointment_type", "name", "email", "status")
    list_filter = ("status",)
    list_select_related = ("appointment_type", "desk")
    search_fields = ("name", "email", "company")
    ordering = ("starts_at",)

    @display(description=_("starts at"), ordering="starts_at")
    def local_start(self, obj):
        return f"{obj.local_start():%d-%m-%Y %H:%M}"
