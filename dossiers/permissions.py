"""Who may see and do what with dossiers in the back office.

- An **officer** is a member of a :class:`~dossiers.models.Team`: a user in the team's
  group. Officers see, search, export and act on the dossiers of their teams only, and
  of those only the dossiers of the municipalities (Wagtail Sites) the team serves
  (``Team.sites``; a team with several is a regional desk). A dossier of a site its
  team does not serve, or without a site, is seen by administrators only.
- A **team lead** is a user in the team's lead group. A lead is an officer of the team
  and may also (re)assign its dossiers to anyone of the team and reopen them.
- An **administrator** (superuser) holds both roles on every dossier, also on dossiers
  that have no team.
- Everyone else (editors, anonymous visitors) sees no dossiers at all.

What a user may do with a status is decided by the transition table in
:mod:`dossiers.workflow`, from the roles :func:`roles_on` gives here.

The teams of a user and the sites they serve are read with one query and kept on the
user object for the rest of the request, the way Django keeps a user's permissions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from wagtail.models import Site

from dossiers.constants import LEAD, OFFICER, Status
from dossiers.models import Dossier, Team

_CACHE_ATTRIBUTE = "_loket_membership"


@dataclass(frozen=True)
class Membership:
    """The teams a user belongs to."""

    #: Teams of which the user is an officer (leads included).
    team_ids: frozenset[int]
    #: Teams of which the user is a lead.
    lead_team_ids: frozenset[int]
    #: Per team of the user: the ids of the sites (municipalities) it serves.
    team_sites: dict[int, frozenset[int]] = field(default_factory=dict)
    #: A superuser: every role on every dossier.
    is_admin: bool = False

    @property
    def is_officer(self) -> bool:
        return self.is_admin or bool(self.team_ids)

    @property
    def site_ids(self) -> frozenset[int]:
        """The sites any of the user's teams serves."""
        return frozenset().union(*self.team_sites.values())

    def handles(self, team_id: int | None, site_id: int | None) -> bool:
        """Whether one of the user's teams is ``team_id`` and serves ``site_id``."""
        return site_id is not None and site_id in self.team_sites.get(team_id, ())

    def dossier_filter(self) -> Q:
        """The dossiers of the user's teams, each of the sites its team serves: one
        condition per distinct set of sites (a few, whatever the number of sites)."""
        teams_by_sites: dict[frozenset[int], list[int]] = {}
        for team_id, site_ids in self.team_sites.items():
            if site_ids:
                teams_by_sites.setdefault(site_ids, []).append(team_id)
        condition = Q(pk__in=[])
        for site_ids, team_ids in teams_by_sites.items():
            condition |= Q(team_id__in=sorted(team_ids), site_id__in=sorted(site_ids))
        return condition


NOBODY = Membership(frozenset(), frozenset())


def membership(user) -> Membership:
    """The teams of ``user`` (read once per user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        result = Membership(frozenset(), frozenset(), is_admin=True)
    else:
        in_group = get_user_model().groups.through.objects.filter(user_id=user.pk)
        rows = (
            Team.objects.annotate(
                member=Exists(in_group.filter(group_id=OuterRef("group_id"))),
                lead=Exists(in_group.filter(group_id=OuterRef("lead_group_id"))),
            )
            .filter(Q(member=True) | Q(lead=True))
            # One row per team and site it serves (a team without sites: one, None).
            .values_list("pk", "lead", "sites")
        )
        served: dict[int, set[int]] = {}
        leads = set()
        for pk, lead, site_id in rows:
            served.setdefault(pk, set())
            if site_id is not None:
                served[pk].add(site_id)
            if lead:
                leads.add(pk)
        team_ids = frozenset(served)
        result = Membership(
            team_ids=team_ids,
            lead_team_ids=frozenset(leads),
            team_sites={pk: frozenset(sites) for pk, sites in served.items()},
        )
    setattr(user, _CACHE_ATTRIBUTE, result)
    return result


def is_officer(user) -> bool:
    """Whether the user works in the back office at all (sees the inbox)."""
    return membership(user).is_officer


def visible_teams(user) -> QuerySet[Team]:
    """The teams whose dossiers ``user`` sees (all of them for administrators)."""
    member = membership(user)
    if member.is_admin:
        return Team.objects.all()
    return Team.objects.filter(pk__in=member.team_ids)


#: Applications that never reached a team: paid when submitting, and not (yet) paid.
NEVER_SENT = (Status.AWAITING_PAYMENT, Status.NOT_PAID)


def visible_dossiers(user, queryset: QuerySet[Dossier] | None = None) -> QuerySet[Dossier]:
    """``queryset`` (default: all dossiers) narrowed to what ``user`` may see. A
    dossier whose fee is paid when submitting is nobody's until paid (it is not sent
    yet: dossiers.payments.prepayment), nor when it was never paid."""
    queryset = Dossier.objects.all() if queryset is None else queryset
    queryset = queryset.exclude(status__in=NEVER_SENT)
    member = membership(user)
    if member.is_admin:
        return queryset
    if not member.site_ids:
        return queryset.none()
    return queryset.filter(member.dossier_filter())


def visible_sites(user):
    """The sites (municipalities) whose dossiers ``user`` may see: those the user's
    teams serve, every site for administrators."""
    member = membership(user)
    if member.is_admin:
        return Site.objects.all()
    return Site.objects.filter(pk__in=member.site_ids)


def secretariat_dossiers(user):
    """The dossiers whose proposals the college's secretariat ``user`` reads: of the
    municipalities the user's teams serve. Administrators, and a secretariat in no team
    on an installation of one municipality, read every dossier; with several
    municipalities a secretariat in no team reads none (docs/gemeenten.md)."""
    member = membership(user)
    if member.is_admin:
        return Dossier.objects.all()
    if member.site_ids:
        return Dossier.objects.filter(site_id__in=sorted(member.site_ids))
    if Site.objects.count() <= 1:
        return Dossier.objects.all()
    return Dossier.objects.none()


def visible_desks(user):
    """The desks of the municipalities the user's teams serve (every desk for
    administrators): the agenda, the appointments and their figures show only these."""
    from dossiers.models import Desk

    member = membership(user)
    if member.is_admin:
        return Desk.objects.all()
    return Desk.objects.filter(site_id__in=sorted(member.site_ids))


def visible_appointments(user, queryset=None):
    """``queryset`` (default: all appointments) narrowed to the desks of
    :func:`visible_desks`."""
    from dossiers.models import Appointment

    queryset = Appointment.objects.all() if queryset is None else queryset
    member = membership(user)
    if member.is_admin:
        return queryset
    return queryset.filter(desk__site_id__in=sorted(member.site_ids))


def roles_on(user, dossier: Dossier) -> frozenset[str]:
    """The roles (kinds of actors in dossiers.workflow) ``user`` has on ``dossier``."""
    member = membership(user)
    if member.is_admin:
        return frozenset({OFFICER, LEAD})
    if dossier.team_id is None or not member.handles(dossier.team_id, dossier.site_id):
        return frozenset()
    if dossier.team_id in member.lead_team_ids:
        return frozenset({OFFICER, LEAD})
    return frozenset({OFFICER})


#: The permission that shows sensitive answers (national register numbers) in full.
VIEW_SENSITIVE = "dossiers.view_sensitive_answers"


def can_see_sensitive(user) -> bool:
    """Whether ``user`` reads sensitive answers in full (the dossier view, exports):
    administrators, and users with :data:`VIEW_SENSITIVE` through one of their groups.
    Everyone else sees them masked (:meth:`forms_builder.fields.FieldType.masked`)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(VIEW_SENSITIVE)


def can_view(user, dossier: Dossier) -> bool:
    """Whether ``user`` may open the dossier, its files and its notes (and add notes)."""
    return OFFICER in roles_on(user, dossier)


def can_assign(user, dossier: Dossier, assignee) -> bool:
    """Whether ``user`` may give ``dossier`` to ``assignee`` (None: to nobody).

    An officer may take a dossier nobody has, and pass one they have to a colleague;
    a lead may give any dossier of the team to anyone of the team, or to nobody. Closed
    dossiers are not assigned. Whether ``assignee`` is in the team is checked by
    :func:`dossiers.services.assign`.
    """
    roles = roles_on(user, dossier)
    if OFFICER not in roles or dossier.status == Status.CLOSED:
        return False
    if LEAD in roles:
        return assignee is None or assignee.pk != dossier.assigned_to_id
    if assignee is None or assignee.pk == dossier.assigned_to_id:
        return False
    return dossier.assigned_to_id in (None, user.pk)


@dataclass(frozen=True)
class AssignmentChoices:
    """The assignment buttons to offer ``user`` on a dossier."""

    #: "Take": assign the dossier to the user.
    can_take: bool
    #: Colleagues the user may give the dossier to.
    colleagues: list
    #: Whether the user may take the dossier away from its officer.
    can_unassign: bool

    def __bool__(self):
        return self.can_take or bool(self.colleagues) or self.can_unassign


def assignment_choices(user, dossier: Dossier) -> AssignmentChoices:
    """What ``user`` may do about who handles ``dossier`` now."""
    if OFFICER not in roles_on(user, dossier) or dossier.team_id is None:
        return AssignmentChoices(False, [], False)
    members = list(dossier.team.members())
    is_member = any(member.pk == user.pk for member in members)
    return AssignmentChoices(
        can_take=is_member and can_assign(user, dossier, user),
        colleagues=[
            member
            for member in members
            if member.pk != user.pk and can_assign(user, dossier, member)
        ],
        can_unassign=dossier.assigned_to_id is not None and can_assign(user, dossier, None),
    )
