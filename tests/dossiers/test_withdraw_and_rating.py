"""The applicant withdraws an application before the decision, and rates the service
after it; ratings per form in the admin."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import translation

from dossiers import services, workflow
from dossiers.applicant import views
from dossiers.constants import EventType, Status
from dossiers.feedback import services as feedback
from dossiers.models import Notification, Rating
from tests.conftest import make_form_page
from tests.dossiers.test_concurrency import at_the_same_moment
from tests.factories import DossierFactory, terrace_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(form_page, economy):
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = economy
    dossier.save()
    mail.outbox.clear()
    return dossier


def withdraw_url(dossier):
    return reverse(
        "dossiers:withdraw", kwargs={"public_id": dossier.public_id, "key": dossier.access_key}
    )


def flashed(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def decide(dossier, officer, name="approve"):
    workflow.transition(dossier, "start_review", actor=officer)
    workflow.transition(dossier, name, actor=officer, data={"decision": "Beslist."})
    dossier.refresh_from_db()
    return dossier


def rate(client, dossier, score="4", comment="Vlot geholpen."):
    return client.post(
        dossier.get_status_url(),
        {"sending": "rating", "rating-score": score, "rating-comment": comment},
    )


class TestWithdraw:
    def test_the_status_page_offers_it_before_the_decision(self, client, dossier):
        content = client.get(dossier.get_status_url()).content.decode()

        assert withdraw_url(dossier) in content

    def test_the_confirmation_page_asks_for_an_optional_reason(self, client, dossier):
        response = client.get(withdraw_url(dossier))

        assert response.status_code == 200
        content = response.content.decode()
        assert 'name="reason"' in content
        assert dossier.reference in content
        assert "no-store" in response["Cache-Control"]
        dossier.refresh_from_db()
        assert dossier.status == Status.SUBMITTED  # looking changes nothing

    def test_withdrawing_tells_the_officer_and_the_applicant(
        self, client, dossier, officer, django_capture_on_commit_callbacks
    ):
        services.assign(dossier, officer, actor=officer)

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(withdraw_url(dossier), {"reason": "Het terras gaat niet door."})

        assert response.status_code == 302
        assert response.url == dossier.get_status_url()
        assert flashed(response)
        dossier.refresh_from_db()
        assert dossier.status == Status.WITHDRAWN
        event = dossier.events.get(type=EventType.STATUS_CHANGED)
        assert event.public
        assert event.data == {"transition": "withdraw", "reason": "Het terras gaat niet door."}
        kinds = dict(Notification.objects.filter(event=event).values_list("kind", "recipient"))
        assert kinds == {
            "application_withdrawn": officer.email,
            "status_changed": "an@cafedemarkt.be",
        }
        to_officer = next(m for m in mail.outbox if m.to == [officer.email])
        assert "Het terras gaat niet door." in to_officer.body
        assert dossier.access_key not in to_officer.body

    def test_without_a_reason(self, client, dossier):
        client.post(withdraw_url(dossier), {"reason": ""})

        dossier.refresh_from_db()
        assert dossier.status == Status.WITHDRAWN
        assert "reason" not in dossier.events.get(type=EventType.STATUS_CHANGED).data

    def test_the_status_page_shows_it_and_no_longer_offers_it(self, client, dossier):
        client.post(withdraw_url(dossier), {"reason": "Te duur."})

        response = client.get(dossier.get_status_url())

        content = response.content.decode()
        assert withdraw_url(dossier) not in content
        assert 'class="status-tag status-tag--withdrawn"' in content
        assert "Te duur." in content  # the applicant's own reason, on the timeline

    def test_posting_twice_withdraws_once(self, client, dossier):
        client.post(withdraw_url(dossier), {"reason": "Eerste keer"})

        second = client.post(withdraw_url(dossier), {"reason": "Tweede keer"})

        assert second.status_code == 302
        assert flashed(second)
        assert dossier.events.filter(type=EventType.STATUS_CHANGED).count() == 1
        assert "Tweede keer" not in str(dossier.events.values_list("data", flat=True))

    def test_after_the_decision_it_is_no_longer_possible(self, client, dossier, officer):
        decide(dossier, officer)

        page = client.get(withdraw_url(dossier))
        response = client.post(withdraw_url(dossier), {"reason": "Toch niet"})

        assert page.status_code == 200
        assert 'name="reason"' not in page.content.decode()
        assert withdraw_url(dossier) not in client.get(dossier.get_status_url()).content.decode()
        assert response.status_code == 302
        dossier.refresh_from_db()
        assert dossier.status == Status.APPROVED
        with translation.override("nl"):
            assert flashed(response) == [views.no_withdrawal_text(dossier)]

    def test_too_long_a_reason_is_shown_as_an_error(self, client, dossier):
        response = client.post(withdraw_url(dossier), {"reason": "x" * 2001})

        assert response.status_code == 200
        assert 'class="error-summary"' in response.content.decode()
        dossier.refresh_from_db()
        assert dossier.status == Status.SUBMITTED


class TestRating:
    def test_not_asked_before_the_decision(self, client, dossier):
        content = client.get(dossier.get_status_url()).content.decode()

        assert 'name="rating-score"' not in content

    @pytest.mark.parametrize("outcome", ["approve", "reject"])
    def test_asked_after_the_decision_with_radios_in_a_fieldset(
        self, client, dossier, officer, outcome
    ):
        decide(dossier, officer, outcome)

        content = client.get(dossier.get_status_url()).content.decode()

        form = content[content.index('id="rating"') :]
        assert '<fieldset class="fieldset"' in form
        assert '<legend class="label">' in form
        assert form.count('type="radio" name="rating-score"') == 5
        assert 'name="rating-comment"' in form

    def test_asked_once_closed(self, dossier, officer):
        decide(dossier, officer)
        workflow.transition(dossier, "close", actor=officer)
        dossier.refresh_from_db()

        assert feedback.can_rate(dossier)

    def test_the_rating_is_stored_with_an_internal_event(self, client, dossier, officer):
        decide(dossier, officer)

        response = rate(client, dossier)

        assert response.status_code == 302
        assert response.url == dossier.get_status_url() + "#rating"
        rating = Rating.objects.get(dossier=dossier)
        assert (rating.score, rating.comment) == (4, "Vlot geholpen.")
        event = dossier.events.get(type=EventType.RATED)
        assert not event.public
        assert not Notification.objects.filter(event=event).exists()
        page = client.get(dossier.get_status_url())
        assert event.pk not in [e.pk for e in page.context["events"]]
        assert 'name="rating-score"' not in page.content.decode()
        assert page.context["rating"] == rating

    def test_a_second_rating_changes_nothing(self, client, dossier, officer):
        decide(dossier, officer)
        rate(client, dossier, "5", "Top")

        response = rate(client, dossier, "1", "Slecht")

        assert response.status_code == 302
        assert flashed(response)
        rating = Rating.objects.get(dossier=dossier)
        assert (rating.score, rating.comment) == (5, "Top")
        assert dossier.events.filter(type=EventType.RATED).count() == 1

    @pytest.mark.parametrize("score", ["", "0", "6", "vijf"])
    def test_a_missing_or_wrong_score_shows_the_error_summary(
        self, client, dossier, officer, score
    ):
        decide(dossier, officer)

        response = rate(client, dossier, score, "Mijn uitleg")

        assert response.status_code == 200
        content = response.content.decode()
        assert 'class="error-summary"' in content
        assert 'href="#id_rating-score_0"' in content
        assert "Mijn uitleg</textarea>" in content
        assert not Rating.objects.exists()

    def test_rating_before_the_decision_is_refused(self, client, dossier):
        response = rate(client, dossier)

        assert response.status_code == 200
        assert not Rating.objects.exists()
        assert not dossier.events.filter(type=EventType.RATED).exists()

    def test_the_officer_sees_the_rating_on_the_dossier(self, client, dossier, officer):
        decide(dossier, officer)
        feedback.rate(dossier, 3, "Het duurde lang.")
        client.force_login(officer)

        content = client.get(
            reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])
        ).content.decode()

        assert 'id="rating-title"' in content
        assert "Het duurde lang." in content


class TestRatingsReport:
    URL = "/admin/dossiers/ratings/"

    @pytest.fixture
    def ratings(self, home_page, economy, events_team):
        terrace = make_form_page(home_page)
        market = make_form_page(home_page, title="Standplaats markt", slug="markt")
        for score, comment, form, team in [
            (5, "Snel en vriendelijk", terrace, economy),
            (4, "", terrace, economy),
            (2, "Te veel papier", terrace, economy),
            (1, "Geheim van een ander team", market, events_team),
        ]:
            dossier = DossierFactory(
                form_page=form, form_title=form.title, team=team, status=Status.APPROVED
            )
            feedback.rate(dossier, score, comment)
        return terrace, market

    def test_the_url(self):
        assert reverse("dossiers_ratings") == self.URL

    def test_an_administrator_sees_every_form(self, client, admin, ratings):
        client.force_login(admin)

        response = client.get(self.URL)

        assert response.status_code == 200
        report = {entry.title: entry for entry in response.context["forms"]}
        terrace = report["Aanvraag terrasvergunning"]
        assert (terrace.count, terrace.average) == (3, 3.7)
        assert terrace.distribution == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
        assert [comment for _at, _score, comment in terrace.comments] == [
            "Te veel papier",
            "Snel en vriendelijk",
        ]
        assert report["Standplaats markt"].count == 1
        content = response.content.decode()
        assert "Snel en vriendelijk" in content
        assert "Geheim van een ander team" in content

    def test_a_team_lead_sees_the_ratings_of_the_team(self, client, lead, ratings):
        client.force_login(lead)

        response = client.get(self.URL)

        assert response.status_code == 200
        assert [entry.title for entry in response.context["forms"]] == ["Aanvraag terrasvergunning"]
        assert "Geheim van een ander team" not in response.content.decode()

    @pytest.mark.parametrize("who", ["officer", "editor"])
    def test_others_may_not(self, client, people, ratings, who):
        client.force_login(people[who])

        response = client.get(self.URL)

        assert response.status_code in (302, 403)
        assert "Snel en vriendelijk" not in response.content.decode()

    def test_the_menu_item_shows_for_leads_only(self, client, people, ratings):
        client.force_login(people["lead"])
        assert self.URL in client.get(reverse("wagtailadmin_home")).content.decode()
        client.force_login(people["officer"])
        assert self.URL not in client.get(reverse("wagtailadmin_home")).content.decode()

    def test_no_ratings_yet(self, client, admin):
        client.force_login(admin)

        response = client.get(self.URL)

        assert response.status_code == 200
        assert response.context["forms"] == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises all writers; row locks are a PostgreSQL concern",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestAtTheSameMoment:
    def test_two_withdrawals_make_one_change(self, economy):
        dossier = DossierFactory(team=economy)

        results, errors = at_the_same_moment(
            lambda: feedback.withdraw(dossier, "een"), lambda: feedback.withdraw(dossier, "twee")
        )

        assert len(results) == len(errors) == 1
        assert dossier.events.filter(type=EventType.STATUS_CHANGED).count() == 1

    def test_two_ratings_make_one(self, economy):
        dossier = DossierFactory(team=economy, status=Status.APPROVED)

        results, errors = at_the_same_moment(
            lambda: feedback.rate(dossier, 5), lambda: feedback.rate(dossier, 1)
        )

        assert errors == []
        assert sorted(created for _rating, created in results) == [False, True]
        assert Rating.objects.filter(dossier=dossier).count() == 1
        assert dossier.events.filter(type=EventType.RATED).count() == 1
