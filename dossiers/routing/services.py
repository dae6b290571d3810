"""Which team handles a dossier, and sending it on to another authority.

- At submission the form's routing rules (:mod:`forms_builder.routing`) choose the team
  (:func:`team_at_submission`); when a rule chose another team than the form's, a
  ``team_changed`` event records it (:func:`record_routing`).
- An officer gives the dossier to another team (:func:`reassign`): recorded as a
  ``team_changed`` event with the reason; nobody of the new team handles it yet.
- Forwarding to another authority (the region, another municipality) is the
  ``forward`` transition of the lifecycle table: the applicant reads who handles it
  now and why, on the status page and in an e-mail (:mod:`.emails`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dossiers import permissions
from dossiers.constants import OFFICER, EventType
from dossiers.exceptions import ActionRefused
from dossiers.models import Dossier, Event, Team
from forms_builder import routing


def team_at_submission(form_page, schema: dict, answers: dict) -> tuple[Team | None, bool]:
    """The team that handles a new application, and whether a routing rule chose it
    (rather than the form's own team)."""
    form_team = getattr(form_page, "team", None)
    team_id = routing.routed_team_id(form_page, schema, answers) if form_page else None
    if team_id is None or (form_team is not None and team_id == form_team.pk):
        return form_team, False
    team = Team.objects.filter(pk=team_id).first()
    return (team, True) if team is not None else (form_team, False)


def record_routing(dossier: Dossier, form_team: Team | None) -> Event:
    """The internal event of a team chosen by a routing rule at submission."""
    return Event.objects.create(
        dossier=dossier,
        type=EventType.TEAM_CHANGED,
        data={
            "from": form_team.name if form_team else "",
            "to": dossier.team.name if dossier.team else "",
            "cause": "routing",
        },
    )


def reassign(dossier: Dossier, team: Team, officer, *, reason: str = "") -> Dossier:
    """Give ``dossier`` to ``team``, in one transaction: nobody handles it until an
    officer of that team takes it, and an internal ``team_changed`` event records who
    moved it, from which team and why. Refuses (Dutch) a user who is no officer of the
    dossier's team, and the team it already has."""
    with transaction.atomic():
        # Only the dossier's row: PostgreSQL cannot lock the nullable side of the join.
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("team")
            .get(pk=dossier.pk)
        )
        if officer is not None and OFFICER not in permissions.roles_on(officer, locked):
            raise ActionRefused(_("You may not do this on this dossier."))
        if locked.team_id == team.pk:
            raise ActionRefused(_("This team already handles the dossier."))
        if not team.serves(locked.site_id):
            raise ActionRefused(_("This team does not work for the municipality of this dossier."))
        previous = locked.team
        locked.team = team
        locked.assigned_to = None
        locked.save(update_fields=["team", "assigned_to", "updated_at"])
        Event.objects.create(
            dossier=locked,
            type=EventType.TEAM_CHANGED,
            actor=officer,
            data={
                "from": previous.name if previous else "",
                "to": team.name,
                "reason": (reason or "").strip(),
            },
        )
    return locked
