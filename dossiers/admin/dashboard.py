"""What an officer sees of the dossiers outside the inbox: menu items and the home panel."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail_modeladmin.menus import ModelAdminMenuItem

from .. import permissions
from .inbox import default_query

#: How many dossiers each list of the home panel shows (the inbox has the rest).
PANEL_ROWS = 8


def inbox_url(**params) -> str:
    """The inbox, filtered with the inbox's own query parameters (see .filters)."""
    url = reverse("dossiers_dossier_modeladmin_index")
    return f"{url}?{urlencode(params)}" if params else url


def my_open_params() -> dict:
    return {"assigned": "me", "status": "open"}


def new_dossiers(user):
    """Submitted dossiers of the user's teams that nobody has taken yet."""
    return permissions.visible_dossiers(user).new()


class DossierMenuItem(ModelAdminMenuItem):
    """The inbox in the menu, with the number of new dossiers of the officer's teams."""

    def render_component(self, request):
        label = self.label
        count = new_dossiers(request.user).count()
        if count:
            label = ngettext("%(label)s (%(count)s new)", "%(label)s (%(count)s new)", count) % {
                "label": self.label,
                "count": count,
            }
        return LinkMenuItem(
            self.name,
            label,
            f"{self.url}?{default_query(self.model_admin)}",
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class MyDossiersMenuItem(MenuItem):
    """ "My dossiers": the open dossiers assigned to the officer."""

    def __init__(self, order: int):
        super().__init__(
            _("My dossiers"),
            "",
            name="my-dossiers",
            icon_name="user",
            order=order,
        )

    def is_shown(self, request):
        return permissions.is_officer(request.user)

    def render_component(self, request):
        # The URL is built per request: the URLconf is not loaded when hooks register.
        return LinkMenuItem(
            self.name,
            self.label,
            inbox_url(**my_open_params()),
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class DossierDashboardPanel(Component):
    """The officer's dossiers on the admin home: theirs, the late ones, this week's."""

    name = "loket_dossiers"
    template_name = "dossiers/admin/dashboard_panel.html"
    #: Before Wagtail's own panels: for officers this is the work of the day.
    order = 50

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        user = self.request.user
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())
        visible = permissions.visible_dossiers(user).defer("answers")
        mine = visible.open().filter(assigned_to=user.pk).order_by("decision_due", "submitted_at")
        overdue = visible.overdue(today).select_related("assigned_to").order_by("decision_due")
        start_of_week = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
        this_week = visible.filter(submitted_at__gte=start_of_week)
        return {
            # The same number as the menu item's "(N new)", and the same dossiers.
            "untaken_count": new_dossiers(user).count(),
            "untaken_url": inbox_url(status="new"),
            "today": today,
            "mine": list(mine[:PANEL_ROWS]),
            "mine_count": mine.count(),
            "mine_url": inbox_url(**my_open_params()),
            "overdue": list(overdue[:PANEL_ROWS]),
            "overdue_count": overdue.count(),
            "overdue_url": inbox_url(overdue="yes"),
            "new_count": this_week.count(),
            "new_url": inbox_url(submitted_from=monday.isoformat()),
            # The dashboard's own search finds pages; this one finds dossiers.
            "search_url": inbox_url(),
            "inspect_url_name": "dossiers_dossier_modeladmin_inspect",
        }
