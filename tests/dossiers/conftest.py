"""Builders for the back office's people: teams, their officers and leads, other roles.

Each role the permission matrix knows is one fixture; ``people`` gives them all by
name. Teams are built the way an administrator sets them up in the admin: a group for
the officers and one for the leads, both with access to the Wagtail admin.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import Site

from dossiers.models import Team
from tests.factories import DossierFactory, UserFactory


def make_team(name: str) -> Team:
    """A team with an officers' group and a leads' group that may use the admin."""
    access = Permission.objects.get(codename="access_admin")
    group = Group.objects.create(name=f"Team {name}")
    lead_group = Group.objects.create(name=f"Team {name} – leads")
    for each in (group, lead_group):
        each.permissions.add(access)
    team = Team.objects.create(name=name, group=group, lead_group=lead_group)
    team.sites.add(*Site.objects.filter(is_default_site=True))
    return team


def make_user(username: str, *groups: Group, **extra):
    user = UserFactory(username=username, first_name=username.capitalize(), **extra)
    user.groups.add(*groups)
    return user


@pytest.fixture
def economy(db) -> Team:
    return make_team("Economie")


@pytest.fixture
def events_team(db) -> Team:
    return make_team("Evenementen")


@pytest.fixture
def officer(economy):
    """An officer of the dossier's team."""
    return make_user("officer", economy.group)


@pytest.fixture
def colleague(economy):
    """Another officer of the same team."""
    return make_user("colleague", economy.group)


@pytest.fixture
def lead(economy):
    """The lead of the dossier's team (only in the leads' group: that makes an officer too)."""
    return make_user("lead", economy.lead_group)


@pytest.fixture
def other_officer(events_team):
    """An officer of another team."""
    return make_user("other", events_team.group)


@pytest.fixture
def admin(db):
    return make_user("admin", is_superuser=True, is_staff=True)


@pytest.fixture
def editor(db):
    """An editor: uses the admin for pages and forms, is in no team."""
    return make_user("editor", Group.objects.get(name="Editors"))


@pytest.fixture
def people(officer, colleague, lead, other_officer, admin, editor):
    return {
        "officer": officer,
        "colleague": colleague,
        "lead": lead,
        "other_officer": other_officer,
        "admin": admin,
        "editor": editor,
    }


@pytest.fixture
def team_dossier(economy):
    """A submitted dossier of the team "Economie"."""
    return DossierFactory(team=economy)
