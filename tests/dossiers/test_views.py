"""What applicants see on their status page and what officers do in the back office."""

import uuid

import pytest
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse

from cms.demo import ensure_team, ensure_users
from dossiers import services, workflow
from dossiers.constants import EventType, Status
from dossiers.models import Event
from tests.factories import terrace_answers

pytestmark = pytest.mark.django_db

INDEX_URL_NAME = "dossiers_dossier_modeladmin_index"


@pytest.fixture
def dossier(form_page):
    schema = form_page.get_schema()
    return services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )


@pytest.fixture
def demo_users(team):
    ensure_users(team)
    return {user.username: user for user in get_user_model().objects.all()}


@pytest.fixture
def officer_client(client, demo_users):
    client.force_login(demo_users["behandelaar"])
    return client


def index_url():
    return reverse(INDEX_URL_NAME)


def inspect_url(dossier):
    return reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])


def transition_url(dossier):
    return reverse("dossiers_dossier_modeladmin_transition", args=[dossier.pk])


def flashed(response):
    return [(message.level, str(message)) for message in get_messages(response.wsgi_request)]


def status_changes(dossier):
    return dossier.events.filter(type=EventType.STATUS_CHANGED)


class TestStatusPage:
    def test_shows_reference_status_and_answers(self, client, dossier):
        response = client.get(dossier.get_status_url())

        assert response.status_code == 200
        assert response.context["dossier"] == dossier
        content = response.content.decode()
        assert dossier.reference in content
        assert 'class="status-tag status-tag--submitted"' in content
        for answer in ("Café De Markt", "An Peeters", "Markt 1, 9999 Voorbeeld", "Open terras"):
            assert answer in content
        assert "Uw e-mailadres" in content  # the question as the editor wrote it

    def test_timeline_shows_public_events_only(self, client, dossier, demo_users):
        Event.objects.create(
            dossier=dossier, type=EventType.VIEWED, actor=demo_users["behandelaar"]
        )
        Event.objects.create(dossier=dossier, type=EventType.NOTE_ADDED, data={"text": "Intern"})
        workflow.transition(dossier, "start_review")

        response = client.get(dossier.get_status_url())

        shown = list(response.context["events"])
        assert [(event.type, event.to_status) for event in shown] == [
            (EventType.SUBMITTED, ""),
            (EventType.STATUS_CHANGED, Status.IN_REVIEW),
        ]
        assert response.content.decode().count('class="timeline__item"') == 2
        assert 'class="status-tag status-tag--in_review"' in response.content.decode()

    def test_shows_the_questions_as_they_were_when_submitted(self, client, form_page, dossier):
        form_page.steps[0].value["fields"][1].value["label"] = "Voornaam en naam"
        form_page.save()

        content = client.get(dossier.get_status_url()).content.decode()

        assert "Uw naam" in content
        assert "Voornaam en naam" not in content

    def test_wrong_key_is_not_found(self, client, dossier):
        url = reverse("dossiers:status", kwargs={"public_id": dossier.public_id, "key": "raden"})

        assert client.get(url).status_code == 404

    def test_non_ascii_key_is_not_found(self, client, dossier):
        url = reverse("dossiers:status", kwargs={"public_id": dossier.public_id, "key": "sleutél"})

        assert client.get(url).status_code == 404

    def test_unknown_dossier_is_not_found(self, client, dossier):
        url = reverse(
            "dossiers:status", kwargs={"public_id": uuid.uuid4(), "key": dossier.access_key}
        )

        assert client.get(url).status_code == 404


class TestBackOfficeAccess:
    def test_officer_sees_the_dossiers(self, officer_client, dossier):
        response = officer_client.get(index_url())

        assert response.status_code == 200
        assert dossier.reference in response.content.decode()

    def test_officer_sees_the_dossiers_of_their_team_only(self, officer_client, form_page, dossier):
        other_team = ensure_team("Evenementen")
        schema = form_page.get_schema()
        reviewed = services.submit_application(
            form_page=form_page, schema=schema, answers=terrace_answers(schema)
        )
        workflow.transition(reviewed, "start_review")
        elsewhere = services.submit_application(
            form_page=form_page, schema=schema, answers=terrace_answers(schema)
        )
        elsewhere.team = other_team
        elsewhere.save()

        def listed(**params):
            response = officer_client.get(index_url(), params)
            assert response.status_code == 200
            return {d.reference for d in response.context["object_list"]}

        assert listed() == {dossier.reference, reviewed.reference}
        assert listed(status="in_review") == {reviewed.reference}
        assert listed(team=other_team.pk) == set()
        assert listed(team__id__exact=other_team.pk) == {dossier.reference, reviewed.reference}
        assert listed(q=elsewhere.reference) == set()

    def test_editor_is_sent_back_to_the_dashboard(self, client, demo_users, dossier):
        client.force_login(demo_users["redacteur"])

        response = client.get(index_url())

        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
        assert [level for level, _text in flashed(response)] == [messages.ERROR]

    def test_editor_cannot_open_a_dossier(self, client, demo_users, dossier):
        client.force_login(demo_users["redacteur"])

        response = client.get(inspect_url(dossier))

        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
        assert not dossier.events.filter(type=EventType.VIEWED).exists()

    def test_editor_cannot_change_a_dossier(self, client, demo_users, dossier):
        client.force_login(demo_users["redacteur"])

        response = client.post(
            transition_url(dossier), {"transition": "start_review", "expected_status": "submitted"}
        )

        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
        dossier.refresh_from_db()
        assert dossier.status == Status.SUBMITTED

    @pytest.mark.parametrize("url_of", [lambda d: index_url(), inspect_url])
    def test_anonymous_is_sent_to_the_login_page(self, client, dossier, url_of):
        url = url_of(dossier)

        response = client.get(url)

        assert response.status_code == 302
        assert response.url == f"{reverse('wagtailadmin_login')}?next={url}"

    def test_anonymous_cannot_change_a_dossier(self, client, dossier):
        response = client.post(transition_url(dossier), {"transition": "start_review"})

        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))
        dossier.refresh_from_db()
        assert dossier.status == Status.SUBMITTED


class TestDossierView:
    def test_opening_a_dossier_is_logged(self, officer_client, demo_users, dossier):
        response = officer_client.get(inspect_url(dossier))

        assert response.status_code == 200
        content = response.content.decode()
        assert dossier.reference in content
        assert 'data-status="submitted"' in content
        assert "Café De Markt" in content
        viewed = dossier.events.get(type=EventType.VIEWED)
        assert viewed.actor == demo_users["behandelaar"]
        assert not viewed.public

    def test_offers_the_possible_actions(self, officer_client, dossier):
        response = officer_client.get(inspect_url(dossier))

        assert [t.name for t in response.context["transitions"]] == [
            "start_review",
            "request_information",
            "forward",
        ]
        content = response.content.decode()
        assert 'name="transition" value="start_review"' in content
        assert 'name="transition" value="withdraw"' not in content  # the applicant's action


class TestTransitionView:
    def test_officer_changes_the_status(self, officer_client, demo_users, dossier):
        response = officer_client.post(
            transition_url(dossier), {"transition": "start_review", "expected_status": "submitted"}
        )

        assert response.status_code == 302
        assert response.url == inspect_url(dossier)
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW
        assert status_changes(dossier).get().actor == demo_users["behandelaar"]
        [(level, text)] = flashed(response)
        assert level == messages.SUCCESS
        assert dossier.reference in text

    def test_decision_text_is_stored(self, officer_client, dossier):
        workflow.transition(dossier, "start_review")

        officer_client.post(
            transition_url(dossier),
            {
                "transition": "approve",
                "expected_status": "in_review",
                "decision": "  Vergunning verleend tot eind 2026.  ",
                "confirmed": "1",
            },
        )

        dossier.refresh_from_db()
        assert dossier.status == Status.APPROVED
        event = status_changes(dossier).get(to_status=Status.APPROVED)
        assert event.data["decision"] == "Vergunning verleend tot eind 2026."

    def test_missing_decision_text_changes_nothing(self, officer_client, dossier):
        workflow.transition(dossier, "start_review")

        response = officer_client.post(
            transition_url(dossier),
            {"transition": "reject", "expected_status": "in_review", "decision": "   "},
        )

        assert response.url == inspect_url(dossier)
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW
        assert [level for level, _text in flashed(response)] == [messages.ERROR]

    def test_stale_page_changes_nothing(self, officer_client, dossier):
        # A colleague started the review after this officer opened the dossier.
        workflow.transition(dossier, "start_review")

        response = officer_client.post(
            transition_url(dossier),
            {
                "transition": "request_information",
                "expected_status": "submitted",
                "question": "Hoe breed is de stoep?",
            },
        )

        assert response.status_code == 302
        assert response.url == inspect_url(dossier)
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW
        assert status_changes(dossier).count() == 1
        assert [level for level, _text in flashed(response)] == [messages.ERROR]

    def test_message_is_shown_on_the_dossier(self, officer_client, dossier):
        response = officer_client.post(
            transition_url(dossier),
            {"transition": "start_review", "expected_status": "submitted"},
            follow=True,
        )

        assert response.status_code == 200
        assert response.redirect_chain == [(inspect_url(dossier), 302)]
        assert 'data-status="in_review"' in response.content.decode()
        assert dossier.reference in response.content.decode()

    def test_get_is_not_allowed(self, officer_client, dossier):
        response = officer_client.get(transition_url(dossier))

        assert response.status_code == 405
        dossier.refresh_from_db()
        assert dossier.status == Status.SUBMITTED

    def test_unknown_dossier_is_not_found(self, officer_client, dossier):
        url = reverse("dossiers_dossier_modeladmin_transition", args=[dossier.pk + 1000])

        response = officer_client.post(url, {"transition": "start_review"})

        assert response.status_code == 404
