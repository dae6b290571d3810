"""The guided finder: editors' decision tree, and the applicant's way through it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cms.finder import parse_path

from .builders import answer, make_finder, make_service, question

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(home_page):
    return {
        "terras": make_service(home_page, "Terrasvergunning aanvragen", slug="terras"),
        "reclame": make_service(home_page, "Reclame plaatsen", slug="reclame"),
        "evenement": make_service(home_page, "Evenement organiseren", slug="evenement"),
    }


@pytest.fixture
def finder(home_page, services):
    return make_finder(
        home_page,
        question(
            "plan",
            "Wat wilt u doen?",
            answer("Een terras plaatsen", next_question="terras-reclame"),
            answer(
                "Een evenement organiseren",
                services=[services["evenement"]],
                advice="<p>Vraag minstens 30 dagen vooraf aan.</p>",
            ),
            hint="Kies wat het best past.",
        ),
        question(
            "terras-reclame",
            "Komt er reclame op het terras?",
            answer("Ja", services=[services["terras"], services["reclame"]]),
            answer("Nee", services=[services["terras"]]),
        ),
    )


def question_url(finder, query=""):
    return finder.url + "vraag/" + (f"?{query}" if query else "")


class TestTheTreeEditorsBuild:
    def test_a_question_without_a_short_name_gets_one_from_its_text(self, home_page, services):
        finder = make_finder(
            home_page,
            question(
                "",
                "Wat wilt u doen?",
                answer("Iets", services=[services["terras"]]),
                answer("Iets anders", services=[services["reclame"]]),
            ),
        )

        assert finder.questions[0].value["name"] == "wat-wilt-u-doen"

    def test_an_answer_may_name_the_next_question_by_its_text(self, home_page, services):
        finder = make_finder(
            home_page,
            question(
                "",
                "Wat wilt u doen?",
                answer("Terras", next_question="Komt er reclame?"),
                answer("Niets", services=[services["terras"]]),
            ),
            question(
                "",
                "Komt er reclame?",
                answer("Ja", services=[services["reclame"]]),
                answer("Nee", services=[services["terras"]]),
            ),
        )

        assert finder.get_tree().problems() == []

    @pytest.mark.parametrize(
        "questions, problem",
        [
            (
                [
                    question(
                        "a",
                        "Vraag A",
                        answer("Ja", next_question="bestaat-niet"),
                        answer("Nee", advice="<p>Klaar</p>"),
                    )
                ],
                "does not exist",
            ),
            (
                [question("a", "Vraag A", answer("Ja"), answer("Nee", advice="<p>Klaar</p>"))],
                "recommends nothing",
            ),
            (
                [
                    question(
                        "a",
                        "Vraag A",
                        answer("Ja", next_question="b"),
                        answer("Nee", advice="<p>x</p>"),
                    ),
                    question(
                        "b",
                        "Vraag B",
                        answer("Ja", next_question="a"),
                        answer("Nee", advice="<p>x</p>"),
                    ),
                ],
                "circle",
            ),
            (
                [
                    question(
                        "a",
                        "Vraag A",
                        answer("Ja", advice="<p>x</p>"),
                        answer("Nee", advice="<p>x</p>"),
                    ),
                    question(
                        "a",
                        "Vraag B",
                        answer("Ja", advice="<p>x</p>"),
                        answer("Nee", advice="<p>x</p>"),
                    ),
                ],
                "Two questions",
            ),
        ],
        ids=["unknown next question", "dead end", "loop", "duplicate names"],
    )
    def test_a_broken_tree_cannot_be_saved(self, home_page, questions, problem):
        with translation.override("en"), pytest.raises(ValidationError) as raised:
            make_finder(home_page, *questions)

        assert problem in str(raised.value)


class TestAnsweringOneQuestionPerScreen:
    def test_the_start_page_links_to_the_first_question(self, client, finder):
        response = client.get(finder.url)

        assert response.status_code == 200
        assert question_url(finder) in response.content.decode()

    def test_the_first_question_is_the_page_heading_with_its_answers(self, client, finder):
        html = client.get(question_url(finder)).content.decode()

        assert '<h1 class="fieldset__heading">Wat wilt u doen?</h1>' in html
        assert "Kies wat het best past." in html
        assert "Een terras plaatsen" in html and "Een evenement organiseren" in html
        assert f'href="{finder.url}"' in html  # back to the start

    def test_an_answer_leads_to_the_next_question(self, client, finder):
        response = client.get(
            question_url(finder), {"pad": "", "stap": "0", "antwoord": "0", "verder": "1"}
        )

        assert response.status_code == 302
        assert response["Location"] == question_url(finder, "pad=0")
        html = client.get(response["Location"]).content.decode()
        assert "Komt er reclame op het terras?" in html
        assert question_url(finder, "pad=0&amp;stap=0") in html  # back link

    def test_no_answer_shows_an_error_linked_to_the_answers(self, client, finder):
        response = client.get(question_url(finder), {"pad": "0", "stap": "1", "verder": "1"})

        html = response.content.decode()
        assert response.status_code == 200
        assert "error-summary" in html
        assert 'href="#id_antwoord_0"' in html
        assert 'aria-describedby="id_antwoord_helptext id_antwoord_error"' not in html  # no hint
        assert 'aria-describedby=" id_antwoord_error"' in html

    def test_the_last_answer_leads_to_the_result(self, client, finder, services):
        response = client.get(
            question_url(finder), {"pad": "0", "stap": "1", "antwoord": "0", "verder": "1"}
        )

        assert response["Location"] == finder.url + "resultaat/?pad=0-0"
        html = client.get(response["Location"]).content.decode()
        assert "Terrasvergunning aanvragen" in html and "Reclame plaatsen" in html
        assert "Evenement organiseren" not in html
        assert "Komt er reclame op het terras?" in html  # the answers, for printing
        assert question_url(finder, "pad=0-0&amp;stap=1") in html  # change an answer

    def test_the_result_shows_the_advice_of_the_answers(self, client, finder):
        response = client.get(question_url(finder), {"antwoord": "1", "verder": "1"})

        html = client.get(response["Location"]).content.decode()
        assert "Vraag minstens 30 dagen vooraf aan." in html
        assert "Evenement organiseren" in html

    def test_going_back_shows_the_earlier_answer_chosen(self, client, finder):
        html = client.get(question_url(finder), {"pad": "0-1", "stap": "1"}).content.decode()

        assert 'value="1" id="id_antwoord_1" checked' in html.replace("required ", "")

    def test_the_same_answer_again_keeps_the_later_answers(self, client, finder):
        response = client.get(
            question_url(finder), {"pad": "0-1", "stap": "0", "antwoord": "0", "verder": "1"}
        )

        assert response["Location"] == question_url(finder, "pad=0-1&stap=1")

    def test_another_answer_forgets_the_later_answers(self, client, finder):
        response = client.get(
            question_url(finder), {"pad": "0-1", "stap": "0", "antwoord": "1", "verder": "1"}
        )

        assert response["Location"] == finder.url + "resultaat/?pad=1"

    @pytest.mark.parametrize("pad", ["9", "0-0-0", "x", "-"])
    def test_a_path_that_does_not_fit_starts_again(self, client, finder, pad):
        response = client.get(question_url(finder), {"pad": pad})

        assert response.status_code == 302
        assert response["Location"] == question_url(finder)

    def test_an_unfinished_path_has_no_result_yet(self, client, finder):
        response = client.get(finder.url + "resultaat/", {"pad": "0"})

        assert response["Location"] == question_url(finder, "pad=0")

    def test_an_answer_out_of_range_is_refused(self, client, finder):
        response = client.get(question_url(finder), {"antwoord": "7", "verder": "1"})

        assert response.status_code == 200
        assert "error-summary" in response.content.decode()


def test_parse_path():
    assert parse_path("0-2-1") == [0, 2, 1]
    assert parse_path("") == []
    assert parse_path("1-a") is None
