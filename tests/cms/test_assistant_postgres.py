"""On PostgreSQL the assistant's passages are written when a page is published,
unpublished, moved or deleted, not by the first question after it; a failure to write
them never stops the publication (the next question writes them then)."""

import logging

import pytest
from django.db import connection
from wagtail.models import PageViewRestriction

from cms.assistant.indexes import forget_indexes
from cms.assistant.models import AssistantPassage
from cms.assistant.postgres import PostgresIndex
from cms.assistant.services import answer_question
from cms.models import ServicePage

from .builders import make_service, make_topic

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="passages are kept in PostgreSQL only"
    ),
]


@pytest.fixture(autouse=True)
def fresh_indexes():
    forget_indexes()
    yield
    forget_indexes()


@pytest.fixture
def topic(home_page):
    return make_topic(home_page, "Vergunningen", intro="<p>Alles over vergunningen.</p>")


def passages_of(page):
    return list(AssistantPassage.objects.filter(page_id=page.pk).order_by("position"))


def test_publishing_writes_the_passages(topic):
    service = make_service(topic, "Terrasvergunning aanvragen", slug="terras")
    assert passages_of(service) == []  # add_child does not publish through Wagtail

    service.intro = "Een terras op de stoep voor uw café."
    service.save_revision().publish()

    rows = passages_of(service)
    assert rows and rows[0].text == "Een terras op de stoep voor uw café."
    assert rows[0].search is not None
    service.refresh_from_db()
    assert rows[0].indexed_at >= service.last_published_at
    # Nothing is left for the first question to write.
    assert not PostgresIndex(None)._stale(ServicePage).exists()
    answer = answer_question(question="terras op de stoep", root=None)
    assert answer.known and answer.pages[0].page.pk == service.pk

    service.intro = "Een terras met windschermen."
    service.save_revision().publish()
    assert [row.text for row in passages_of(service)][0] == "Een terras met windschermen."


def test_unpublishing_and_deleting_remove_the_passages(topic):
    service = make_service(topic, "Parkeerkaart aanvragen", slug="parkeren")
    service.save_revision().publish()
    assert passages_of(service)

    service.unpublish()
    assert passages_of(service) == []

    service.save_revision().publish()
    assert passages_of(service)
    page_id = service.pk
    service.delete()
    assert not AssistantPassage.objects.filter(page_id=page_id).exists()


def test_moving_into_a_restricted_section_removes_the_passages(home_page, topic):
    service = make_service(topic, "Parkeerkaart aanvragen", slug="parkeren")
    service.save_revision().publish()
    closed = make_topic(home_page, "Intern", slug="intern", intro="<p>Voor medewerkers.</p>")
    PageViewRestriction.objects.create(page=closed, restriction_type="login")

    service.move(closed, pos="last-child")
    assert passages_of(service) == []

    service.refresh_from_db()
    topic.refresh_from_db()
    service.move(topic, pos="last-child")
    assert passages_of(service)


def test_a_failure_to_index_does_not_stop_the_publication(topic, caplog):
    service = make_service(topic, "Parkeerkaart aanvragen", slug="parkeren")
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute("ALTER TABLE cms_assistantpassage RENAME TO cms_assistantpassage_gone")
    with caplog.at_level(logging.ERROR, logger="cms.assistant.postgres"):
        service.save_revision().publish()
    service.refresh_from_db()
    assert service.live and service.has_unpublished_changes is False
    assert "could not index page" in caplog.text
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE cms_assistantpassage_gone RENAME TO cms_assistantpassage")

    # The next question writes the passages (the lazy path stays as the safety net).
    assert passages_of(service) == []
    answer = answer_question(question="parkeerkaart", root=None)
    assert answer.known and answer.pages[0].page.pk == service.pk
    assert passages_of(service)
