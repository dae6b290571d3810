"""Who handles a dossier: taking it, giving it to a colleague, and what leads may do."""

import pytest
from django.utils import timezone

from dossiers import permissions, services
from dossiers.constants import EventType, Status
from dossiers.exceptions import ActionRefused, ConcurrentChange
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def assignments(dossier):
    return dossier.events.filter(type=EventType.ASSIGNED)


class TestOfficer:
    def test_takes_a_dossier_nobody_has(self, officer, team_dossier):
        services.assign(team_dossier, officer, actor=officer, expected_assignee=None)

        team_dossier.refresh_from_db()
        assert team_dossier.assigned_to == officer
        assert team_dossier.status == Status.SUBMITTED  # assignment is not a status change
        event = assignments(team_dossier).get()
        assert event.actor == officer
        assert not event.public
        assert event.data == {
            "assignee": officer.pk,
            "assignee_name": "Officer",
            "previous": None,
            "previous_name": "",
        }

    def test_gives_their_dossier_to_a_colleague(self, officer, colleague, team_dossier):
        services.assign(team_dossier, officer, actor=officer)

        services.assign(team_dossier, colleague, actor=officer, expected_assignee=officer.pk)

        team_dossier.refresh_from_db()
        assert team_dossier.assigned_to == colleague
        assert assignments(team_dossier).last().data["previous"] == officer.pk

    def test_gives_a_new_dossier_to_a_colleague(self, officer, colleague, team_dossier):
        services.assign(team_dossier, colleague, actor=officer)

        team_dossier.refresh_from_db()
        assert team_dossier.assigned_to == colleague

    def test_cannot_take_a_colleagues_dossier(self, officer, colleague, team_dossier):
        services.assign(team_dossier, colleague, actor=colleague)

        with pytest.raises(ActionRefused):
            services.assign(team_dossier, officer, actor=officer)

        team_dossier.refresh_from_db()
        assert team_dossier.assigned_to == colleague
        assert assignments(team_dossier).count() == 1

    def test_cannot_take_it_away_from_everybody(self, officer, team_dossier):
        services.assign(team_dossier, officer, actor=officer)

        with pytest.raises(ActionRefused):
            services.assign(team_dossier, None, actor=officer)

    def test_cannot_give_it_to_someone_outside_the_team(self, officer, other_officer, team_dossier):
        with pytest.raises(ActionRefused):
            services.assign(team_dossier, other_officer, actor=officer)

        team_dossier.refresh_from_db()
        assert team_dossier.assigned_to is None
        assert not assignments(team_dossier).exists()

    def test_of_another_team_cannot_assign(self, other_officer, team_dossier):
        with pytest.raises(ActionRefused):
            services.assign(team_dossier, other_officer, actor=other_officer)

    def test_closed_dossiers_are_not_assigned(self, officer, economy):
        dossier = DossierFactory(team=economy, status=Status.CLOSED)

        with pytest.raises(ActionRefused):
            services.assign(dossier, officer, actor=officer)

    def test_sees_when_a_colleague_was_quicker(self, officer, colleague, team_dossier):
        # Both opened the dossier while nobody had it; the colleague took it first.
        services.assign(team_dossier, colleague, actor=colleague, expected_assignee=None)

        with pytest.raises(ConcurrentChange):
            services.assign(team_dossier, officer, actor=officer, expected_assignee=None)

        team_dossier.refresh_from_db()
        assert team_dossier.assigned_to == colleague


class TestLead:
    def test_reassigns_within_the_team(self, lead, officer, colleague, team_dossier):
        services.assign(team_dossier, officer, actor=officer)

        services.assign(team_dossier, colleague, actor=lead)

        team_dossier.refresh_from_db()
        assert team_dossier.assigned_to == colleague
        assert assignments(team_dossier).last().actor == lead

    def test_takes_a_dossier_away(self, lead, officer, team_dossier):
        services.assign(team_dossier, officer, actor=officer)

        services.assign(team_dossier, None, actor=lead)

        team_dossier.refresh_from_db()
        assert team_dossier.assigned_to is None
        assert assignments(team_dossier).last().data["assignee_name"] == ""

    def test_leads_are_in_the_team(self, lead, team_dossier):
        services.assign(team_dossier, lead, actor=lead)

        team_dossier.refresh_from_db()
        assert team_dossier.assigned_to == lead

    def test_not_outside_the_team(self, lead, other_officer, team_dossier):
        with pytest.raises(ActionRefused):
            services.assign(team_dossier, other_officer, actor=lead)


class TestAdministrator:
    def test_reassigns_in_any_team(self, admin, officer, colleague, team_dossier):
        services.assign(team_dossier, officer, actor=officer)

        services.assign(team_dossier, colleague, actor=admin)

        team_dossier.refresh_from_db()
        assert team_dossier.assigned_to == colleague

    def test_is_not_an_officer_of_the_team(self, admin, team_dossier):
        with pytest.raises(ActionRefused):
            services.assign(team_dossier, admin, actor=admin)


def test_inactive_officers_are_not_in_the_team(officer, colleague, team_dossier):
    colleague.is_active = False
    colleague.save()

    with pytest.raises(ActionRefused):
        services.assign(team_dossier, colleague, actor=officer)


def test_editor_cannot_assign(editor, officer, team_dossier):
    with pytest.raises(ActionRefused):
        services.assign(team_dossier, officer, actor=editor)


class TestChoices:
    """The buttons offered on the dossier follow the same rules."""

    def names(self, choices):
        return sorted(user.username for user in choices.colleagues)

    def test_officer_on_a_new_dossier(self, officer, colleague, lead, team_dossier):
        choices = permissions.assignment_choices(officer, team_dossier)

        assert choices.can_take
        assert self.names(choices) == ["colleague", "lead"]
        assert not choices.can_unassign

    def test_officer_on_a_colleagues_dossier(self, officer, colleague, team_dossier):
        team_dossier = services.assign(team_dossier, colleague, actor=colleague)

        assert not permissions.assignment_choices(officer, team_dossier)

    def test_lead_on_an_officers_dossier(self, officer, colleague, lead, team_dossier):
        team_dossier = services.assign(team_dossier, officer, actor=officer)

        choices = permissions.assignment_choices(lead, team_dossier)

        assert choices.can_take
        assert self.names(choices) == ["colleague"]
        assert choices.can_unassign

    def test_admin_outside_the_team(self, admin, officer, team_dossier):
        choices = permissions.assignment_choices(admin, team_dossier)

        assert not choices.can_take
        assert self.names(choices) == ["officer"]

    @pytest.mark.parametrize("role", ["other_officer", "editor"])
    def test_outsiders_get_nothing(self, role, people, team_dossier):
        assert not permissions.assignment_choices(people[role], team_dossier)


class TestNotes:
    def test_officer_adds_an_internal_note(self, officer, team_dossier):
        event = services.add_note(team_dossier, "  Belde de aanvrager.  ", author=officer)

        assert event.type == EventType.NOTE_ADDED
        assert event.data == {"text": "Belde de aanvrager."}
        assert event.actor == officer
        assert not event.public

    def test_empty_note_is_refused(self, officer, team_dossier):
        with pytest.raises(ActionRefused):
            services.add_note(team_dossier, "   ", author=officer)

        assert not team_dossier.events.exists()

    def test_no_notes_once_the_personal_data_are_erased(self, officer, team_dossier):
        team_dossier.personal_data_erased_at = timezone.now()
        team_dossier.save(update_fields=["personal_data_erased_at"])

        with pytest.raises(ActionRefused, match="gewist"):
            services.add_note(team_dossier, "Belde de aanvrager.", author=officer)

        assert not team_dossier.events.exists()

    @pytest.mark.parametrize("role", ["other_officer", "editor"])
    def test_outsiders_cannot_add_notes(self, role, people, team_dossier):
        with pytest.raises(ActionRefused):
            services.add_note(team_dossier, "Hallo", author=people[role])

        assert not team_dossier.events.exists()
