"""Installation-wide screens in the Wagtail admin that only administrators open.

Several set-up screens (the address and company registers, the API call log, webhook
deliveries) change or show data for the whole installation, not one team's work. They
share the same rule, kept here once: administrators (active superusers) only, anyone else
gets 403, and the screen stands on its own (no breadcrumb trail: it hangs under Settings
or Reports, not under a listing).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


def is_administrator(user) -> bool:
    """Whether ``user`` administers the installation (an active superuser)."""
    return bool(user.is_active and user.is_superuser)


class AdministratorScreen(WagtailAdminTemplateMixin, TemplateView):
    """A template view in the admin for administrators only."""

    def dispatch(self, request, *args, **kwargs):
        if not is_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []


class AdministratorMenuItem(MenuItem):
    """A menu item shown to administrators only."""

    def is_shown(self, request):
        return is_administrator(request.user)
