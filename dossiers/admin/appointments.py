"""Booked and cancelled appointments, a read-only list for officers (issue #19).

Officers look up who comes when; people cancel through their own link. Moving,
marking done or no-show and day agendas come later and will be actions here.
"""

from __future__ import annotations

from django.contrib.admin import display
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.options import ModelAdmin

from dossiers.admin.common import ReadOnlyPermissionHelper
from dossiers.models import Appointment, AppointmentType, Desk

from .. import permissions


class AppointmentPermissionHelper(ReadOnlyPermissionHelper):
    """Every officer may see the appointments of their municipalities' desks; nobody
    edits them here."""

    def user_can_list(self, user):
        return user.is_active and (user.is_superuser or permissions.is_officer(user))

    def user_can_inspect_obj(self, user, obj):
        return (
            self.user_can_list(user)
            and permissions.visible_appointments(user).filter(pk=obj.pk).exists()
        )


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

    def get_queryset(self, request):
        return permissions.visible_appointments(request.user, super().get_queryset(request))

    @display(description=_("starts at"), ordering="starts_at")
    def local_start(self, obj):
        return f"{obj.local_start():%d-%m-%Y %H:%M}"


class _ScopedChoose:
    """The snippet chooser of desks or kinds of appointment: only those of the user's
    municipalities (Wagtail's chooser shows every object to anyone in the admin)."""

    #: The lookup from the model to its desk's site ("site_id" for a desk).
    site_lookup = "site_id"

    def get_object_list(self):
        objects = super().get_object_list()
        return _scoped(objects, self.request.user, self.site_lookup)


def _scoped(objects, user, site_lookup):
    member = permissions.membership(user)
    if member.is_admin:
        return objects
    return objects.filter(**{f"{site_lookup}__in": sorted(member.site_ids)})


def _chooser_viewset(lookup: str):
    class Choose(_ScopedChoose, snippet_chooser.ChooseView):
        site_lookup = lookup

    class ChooseResults(_ScopedChoose, snippet_chooser.ChooseResultsView):
        site_lookup = lookup

    class Chosen(snippet_chooser.SnippetChosenView):
        def get_object(self, pk):
            objects = _scoped(self.model_class.objects.all(), self.request.user, lookup)
            return objects.get(pk=pk)

    class ChooserViewSet(snippet_chooser.SnippetChooserViewSet):
        choose_view_class = Choose
        choose_results_view_class = ChooseResults
        chosen_view_class = Chosen

    return ChooserViewSet


class DeskViewSet(SnippetViewSet):
    """Desks as snippets; the list and the chooser show the desks of the user's
    municipalities (administrators: all)."""

    model = Desk
    chooser_viewset_class = _chooser_viewset("site_id")

    def get_queryset(self, request):
        return _scoped(Desk.objects.all(), request.user, "site_id")


class AppointmentTypeViewSet(SnippetViewSet):
    """Kinds of appointment as snippets, scoped like their desks."""

    model = AppointmentType
    chooser_viewset_class = _chooser_viewset("desk__site_id")

    def get_queryset(self, request):
        return _scoped(AppointmentType.objects.all(), request.user, "desk__site_id")
