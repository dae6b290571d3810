"""What the back office's screens share: finding the dossier the officer may work on,
going back to it, the address of its files, the two kinds of permission helper
(records made elsewhere, shown read-only; set-up records that administrators manage),
and the officers' own screens and menu items (the agenda, occupations, reports)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail_modeladmin.helpers import PermissionHelper

from dossiers import permissions
from dossiers.models import Attachment, Dossier
from forms_builder import maps


def attachment_url(model_admin, attachment: Attachment) -> str:
    """The back-office download address of one file of a dossier."""
    return model_admin.url_helper.get_action_url("attachment", attachment.dossier_id, attachment.pk)


def dossier_for(request, model_admin, instance_pk) -> Dossier:
    """The dossier an action is about, if the user may work on it."""
    dossier = get_object_or_404(Dossier.objects.select_related("team"), pk=instance_pk)
    if not permissions.can_view(request.user, dossier):
        raise PermissionDenied
    return dossier


def back_to(model_admin, dossier):
    """Back to the dossier's page in the back office."""
    return redirect(model_admin.url_helper.get_action_url("inspect", dossier.pk))


class OfficerScreen(WagtailAdminTemplateMixin, TemplateView):
    """A template view in the admin for officers (members of a team) only; anyone else
    gets 403. What it shows is the subclass's to scope to the officer's municipalities."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.is_officer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficerMapScreen(OfficerScreen):
    """An :class:`OfficerScreen` that may draw a map: when its context holds
    ``map_media``, the response's CSP allows the map tiles."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.context_data.get("map_media"):
            maps.allow_tiles(request, response)
        return response


class OfficerMenuItem(MenuItem):
    """A menu item shown to officers only."""

    def is_shown(self, request):
        return permissions.is_officer(request.user)


class ReadOnlyPermissionHelper(PermissionHelper):
    """Records made elsewhere (by applicants, the workflow, services): listed and
    inspected in the back office, never created, edited or deleted there. Subclasses say
    who may list and inspect."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class AdministratorsOnlyPermissionHelper(PermissionHelper):
    """Set-up records (teams, advice parties) that administrators (superusers) manage; a
    record still in use (:meth:`in_use`) cannot be deleted."""

    def user_can_list(self, user):
        return user.is_active and user.is_superuser

    def user_can_create(self, user):
        return self.user_can_list(user)

    def user_can_edit_obj(self, user, obj):
        return self.user_can_list(user)

    def user_can_delete_obj(self, user, obj):
        return self.user_can_list(user) and not self.in_use(obj)

    def in_use(self, obj) -> bool:
        """Whether other records still point at ``obj``."""
        return False
