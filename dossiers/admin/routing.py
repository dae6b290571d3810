"""The back office of routing: giving a dossier to another team (recorded with the
reason). Forwarding to another authority is a status button (the ``forward``
transition, with the authority and the message). Plain POST, back to the dossier."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers import permissions
from dossiers.admin import common
from dossiers.constants import OFFICER
from dossiers.exceptions import ActionRefused
from dossiers.models import Dossier, Team
from dossiers.routing import services as routing


def inspect_context(view, dossier: Dossier) -> dict:
    """``other_teams``: the teams the officer may give the dossier to (none for a user
    who is no officer of its team)."""
    if OFFICER not in permissions.roles_on(view.request.user, dossier) or not dossier.is_open:
        return {"other_teams": []}
    # Only teams that work for the dossier's municipality.
    teams = Team.objects.filter(sites=dossier.site_id).exclude(pk=dossier.team_id)
    return {"other_teams": list(teams.order_by("name"))}


@require_POST
def team_view(request, model_admin, instance_pk):
    """Give the dossier to the chosen team, with the reason."""
    dossier = common.dossier_for(request, model_admin, instance_pk)
    chosen = request.POST.get("team", "")
    team = Team.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    if team is None:
        messages.error(request, _("Choose a team."))
        return common.back_to(model_admin, dossier)
    try:
        routing.reassign(dossier, team, request.user, reason=request.POST.get("reason", ""))
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return common.back_to(model_admin, dossier)
    messages.success(request, _("The team %(team)s handles the dossier now.") % {"team": team})
    # The officer may no longer see it: back to the inbox when so.
    if not permissions.can_view(request.user, dossier):
        from django.shortcuts import redirect

        return redirect(model_admin.url_helper.index_url)
    return common.back_to(model_admin, dossier)
