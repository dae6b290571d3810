"""Searching the desk: services with their call to action, topics and FAQ."""

import pytest
from wagtail.models import Page, Site

from cms.models import HomePage
from tests.conftest import make_form_page

from .builders import make_service, make_topic

pytestmark = pytest.mark.django_db


def search(client, query, **extra):
    response = client.get("/zoeken/", {"q": query}, **extra)
    assert response.status_code == 200
    return response


@pytest.fixture
def terrace(home_page, team):
    topic = make_topic(home_page, "Vergunningen", intro="<p>Alles over vergunningen.</p>")
    service = make_service(
        topic,
        "Terrasvergunning aanvragen",
        slug="terras",
        keywords="stoep, inname openbaar domein",
        call_to_action="Terras aanvragen",
        faq=[
            {
                "type": "item",
                "value": {
                    "question": "Mag ik parasols met reclame gebruiken?",
                    "answer": "<p>Ja, voor uw eigen zaak.</p>",
                },
            },
            {
                "type": "item",
                "value": {
                    "question": "Hoe lang geldt de vergunning?",
                    "answer": "<p>Vijf jaar.</p>",
                },
            },
        ],
    )
    service.form_page = make_form_page(service, team=team)
    service.save()
    return service


def test_finds_a_service_by_its_title_with_its_call_to_action(client, terrace):
    response = search(client, "terrasvergunning")

    html = response.content.decode()
    assert [hit.page for hit in response.context["services"]] == [terrace]
    assert f'href="{terrace.form_page.url}">Terras aanvragen' in html


def test_finds_a_service_by_the_words_people_use(client, terrace):
    response = search(client, "inname openbaar domein")

    assert [hit.page for hit in response.context["services"]] == [terrace]


def test_finds_a_service_by_the_start_of_a_word(client, terrace):
    response = search(client, "terras")

    assert [hit.page for hit in response.context["services"]] == [terrace]


def test_shows_the_faq_questions_that_match(client, terrace):
    response = search(client, "parasols reclame")

    hits = response.context["services"]
    assert [hit.page for hit in hits] == [terrace]
    assert hits[0].faq_questions == ["Mag ik parasols met reclame gebruiken?"]
    assert f'href="{terrace.url}#faq"' in response.content.decode()


def test_finds_topics_too(client, terrace):
    response = search(client, "vergunningen")

    assert [topic.title for topic in response.context["topics"]] == ["Vergunningen"]


def test_nothing_found_says_what_to_do(client, terrace):
    response = search(client, "xyzzy")

    assert response.context["result_count"] == 0
    assert response.context["services"] == []


def test_an_empty_search_shows_only_the_form(client, home_page):
    response = search(client, "")

    assert "services" not in response.context
    assert 'name="q"' in response.content.decode()


def test_only_searches_the_site_that_was_asked_for(client, terrace, settings):
    settings.ALLOWED_HOSTS = ["testserver", "elders.test"]
    other_home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Loket Elders", slug="elders")
    )
    Site.objects.create(hostname="elders.test", root_page=other_home, site_name="Elders")
    make_service(other_home, "Terrasvergunning Elders", slug="terras-elders")

    here = search(client, "terrasvergunning")
    there = search(client, "terrasvergunning", HTTP_HOST="elders.test")

    assert [hit.page.title for hit in here.context["services"]] == ["Terrasvergunning aanvragen"]
    assert [hit.page.title for hit in there.context["services"]] == ["Terrasvergunning Elders"]


def test_unpublished_services_are_not_found(client, terrace):
    terrace.unpublish()

    assert search(client, "terrasvergunning").context["result_count"] == 0
