"""Routing and forwarding: the form's routing rules choose the team at submission
(first rule that holds, else the form's team), an officer gives a dossier to another
team (recorded), and forwarding to another authority tells the applicant who handles
it now and why (status page and e-mail)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from dossiers import services, workflow
from dossiers.constants import EventType, Status
from dossiers.exceptions import ActionRefused
from dossiers.models import Notification
from dossiers.routing import services as routing
from tests.conftest import make_form_page
from tests.dossiers.conftest import make_team
from tests.factories import DossierFactory, terrace_answers

pytestmark = pytest.mark.django_db


def rule(team, field, operator, value=""):
    return {
        "type": "rule",
        "value": {
            "team": str(team.pk),
            "condition": {
                "combinator": "all",
                "rules": [{"field": field, "operator": operator, "value": value}],
            },
        },
    }


@pytest.fixture
def public_domain(db):
    return make_team("Openbaar domein")


@pytest.fixture
def big_terraces(db):
    return make_team("Grote terrassen")


def submit(page, **answers):
    schema = page.get_schema()
    return services.submit_application(
        form_page=page, schema=schema, answers=terrace_answers(schema, **answers)
    )


class TestRoutingAtSubmission:
    def test_the_first_rule_that_holds_chooses_the_team(
        self, home_page, team, public_domain, big_terraces
    ):
        page = make_form_page(
            home_page,
            team=team,
            routing=[
                rule(public_domain, "soort", "equals", "Overdekt terras"),
                rule(big_terraces, "oppervlakte", "greater_than", "20"),
                rule(public_domain, "oppervlakte", "greater_than", "10"),
            ],
        )

        dossier = submit(page, oppervlakte=24)

        assert dossier.team == big_terraces
        event = dossier.events.get(type=EventType.TEAM_CHANGED)
        assert event.data == {"from": team.name, "to": big_terraces.name, "cause": "routing"}
        assert not event.public

    def test_no_rule_holds_the_forms_team(self, home_page, team, big_terraces):
        page = make_form_page(
            home_page, team=team, routing=[rule(big_terraces, "oppervlakte", "greater_than", "50")]
        )

        dossier = submit(page, oppervlakte=24)

        assert dossier.team == team
        assert not dossier.events.filter(type=EventType.TEAM_CHANGED).exists()

    def test_a_rule_on_a_question_the_form_does_not_have_is_refused(
        self, home_page, team, big_terraces
    ):
        page = make_form_page(home_page, team=team)
        page.routing = [rule(big_terraces, "bestaat_niet", "equals", "ja")]
        with pytest.raises(ValidationError) as excinfo:
            page.full_clean()
        assert "Routeringsregel 1" in str(excinfo.value)


class TestReassigning:
    def test_an_officer_gives_the_dossier_to_another_team(self, economy, officer, events_team):
        dossier = DossierFactory(team=economy, assigned_to=officer)

        routing.reassign(dossier, events_team, officer, reason="Het is een evenement.")

        dossier.refresh_from_db()
        assert dossier.team == events_team and dossier.assigned_to is None
        event = dossier.events.get(type=EventType.TEAM_CHANGED)
        assert event.actor == officer and not event.public
        assert event.data == {
            "from": economy.name,
            "to": events_team.name,
            "reason": "Het is een evenement.",
        }

    def test_refused_in_dutch(self, economy, other_officer, officer, events_team):
        dossier = DossierFactory(team=economy)
        with pytest.raises(ActionRefused):
            routing.reassign(dossier, events_team, other_officer)
        with pytest.raises(ActionRefused, match="behandelt het dossier al"):
            routing.reassign(dossier, economy, officer)
        assert not dossier.events.exists()

    def test_in_the_back_office(self, client, economy, officer, events_team):
        dossier = DossierFactory(team=economy)
        client.force_login(officer)
        page = client.get(f"/admin/dossiers/dossier/inspect/{dossier.pk}/").content.decode()
        assert "Aan een ander team geven" in page

        response = client.post(
            f"/admin/dossiers/dossier/team/{dossier.pk}/", {"team": events_team.pk}
        )

        assert response.status_code == 302
        dossier.refresh_from_db()
        assert dossier.team == events_team


class TestForwarding:
    DATA = {
        "authority": "het Agentschap Wegen en Verkeer",
        "message": "Uw terras ligt langs een gewestweg: de Vlaamse overheid beslist.",
    }

    def test_the_applicant_is_told_who_and_why(
        self, client, economy, officer, django_capture_on_commit_callbacks
    ):
        dossier = DossierFactory(team=economy, status=Status.IN_REVIEW)

        with django_capture_on_commit_callbacks(execute=True):
            workflow.transition(dossier, "forward", actor=officer, data=self.DATA)

        dossier.refresh_from_db()
        assert dossier.status == Status.FORWARDED and dossier.closed_at is not None
        [notification] = Notification.objects.all()
        assert notification.kind == "application_forwarded"
        [email] = mail.outbox
        assert "het Agentschap Wegen en Verkeer" in email.body
        assert "gewestweg" in email.body
        page = client.get(dossier.get_status_url()).content.decode()
        assert "We hebben uw aanvraag doorgestuurd naar het Agentschap Wegen en Verkeer." in page
        assert "gewestweg" in page

    def test_needs_the_authority_and_the_message(self, economy, officer):
        dossier = DossierFactory(team=economy, status=Status.IN_REVIEW)
        for missing in ("authority", "message"):
            data = {**self.DATA, missing: ""}
            with pytest.raises(workflow.InvalidTransition):
                workflow.transition(dossier, "forward", actor=officer, data=data)
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW

    def test_in_the_back_office(self, client, economy, officer):
        dossier = DossierFactory(team=economy, status=Status.IN_REVIEW)
        client.force_login(officer)
        page = client.get(f"/admin/dossiers/dossier/inspect/{dossier.pk}/").content.decode()
        assert 'name="authority"' in page

        client.post(
            f"/admin/dossiers/dossier/transition/{dossier.pk}/",
            {"transition": "forward", **self.DATA},
        )

        dossier.refresh_from_db()
        assert dossier.status == Status.FORWARDED
