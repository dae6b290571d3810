"""Administrators set up teams in Settings: a name, the officers' group, the leads' group."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dossiers import permissions
from dossiers.models import Team
from tests.dossiers.conftest import make_user
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def test_administrator_creates_a_team_with_its_groups(client, admin):
    officers = Group.objects.create(name="Team Vergunningen")
    leads = Group.objects.create(name="Team Vergunningen – leads")
    client.force_login(admin)

    assert client.get(reverse("dossiers_team_modeladmin_create")).status_code == 200
    response = client.post(
        reverse("dossiers_team_modeladmin_create"),
        {
            "name": "Vergunningen",
            "group": officers.pk,
            "lead_group": leads.pk,
            "email": "vergunningen@voorbeeld.be",
        },
    )

    assert response.status_code == 302
    team = Team.objects.get(name="Vergunningen")
    assert (team.group, team.lead_group) == (officers, leads)


def test_membership_follows_the_groups(economy, events_team):
    # Users and groups are managed in Wagtail's Users area; the team follows.
    user = make_user("nieuw")
    assert not permissions.is_officer(user)

    user = make_user("nieuw2", economy.group, events_team.lead_group)
    member = permissions.membership(user)

    assert member.team_ids == {economy.pk, events_team.pk}
    assert member.lead_team_ids == {events_team.pk}
    assert list(economy.members()) == [user]
    assert list(events_team.members()) == [user]


def test_a_team_with_dossiers_cannot_be_deleted(client, admin, economy, events_team):
    DossierFactory(team=economy)
    client.force_login(admin)

    client.post(reverse("dossiers_team_modeladmin_delete", args=[economy.pk]))
    client.post(reverse("dossiers_team_modeladmin_delete", args=[events_team.pk]))

    assert list(Team.objects.all()) == [economy]
