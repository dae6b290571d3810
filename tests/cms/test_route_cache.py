"""cms.route_cache and the cached site settings: a step of a form is routed and its
header drawn without the page tree's queries, and nothing is stale after a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from cms.models import SiteBranding
from tests.cms.builders import make_service, make_topic
from tests.conftest import make_form_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_page(home_page):
    SiteBranding.for_site(home_page.get_site())
    service = make_service(make_topic(home_page), title="Terrasvergunning")
    return make_form_page(service)


def step_url(form_page, step="1"):
    return form_page.url + form_page.reverse_subpage("step", kwargs={"step": step})


def tables_queried(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


def test_a_second_step_request_runs_no_routing_or_settings_query(client, form_page):
    client.get(step_url(form_page))
    _response, queries = tables_queried(client, step_url(form_page))
    assert not [sql for sql in queries if 'FROM "wagtailcore_page"' in sql]
    assert not [sql for sql in queries if "sitebranding" in sql or "mapsettings" in sql]
    # The privacy check is never cached.
    assert [sql for sql in queries if "pageviewrestriction" in sql]


def test_the_steps_of_a_form_share_one_cached_page(client, form_page):
    client.get(step_url(form_page))
    _response, queries = tables_queried(client, step_url(form_page, "2"))
    assert not [sql for sql in queries if 'FROM "wagtailcore_page"' in sql]


def test_a_published_change_is_served_at_once(client, form_page):
    client.get(step_url(form_page))
    form_page.title = "Terras aanvragen, nieuw"
    form_page.save_revision().publish()
    assert "Terras aanvragen, nieuw" in client.get(step_url(form_page)).content.decode()


def test_an_unpublished_form_is_gone_at_once(client, form_page):
    assert client.get(step_url(form_page)).status_code == 200
    form_page.unpublish()
    assert client.get(step_url(form_page)).status_code == 404


def test_a_moved_form_answers_at_its_new_address_only(client, form_page, home_page):
    old = step_url(form_page)
    assert client.get(old).status_code == 200
    elsewhere = home_page.add_child(instance=Page(title="Elders", slug="elders", live=True))
    form_page.move(elsewhere, pos="last-child")
    form_page.refresh_from_db()
    assert client.get(old).status_code == 404
    assert step_url(form_page).startswith("/elders/")
    assert client.get(step_url(form_page)).status_code == 200


def test_a_new_view_restriction_is_applied_at_once(client, form_page):
    assert client.get(step_url(form_page)).status_code == 200
    PageViewRestriction.objects.create(page=form_page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(step_url(form_page))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_branding_change_shows_on_the_next_step_at_once(client, form_page):
    client.get(step_url(form_page))
    branding = SiteBranding.for_site(form_page.get_site())
    branding.municipality_name = "Gemeente Zonnedorp"
    branding.save()
    assert "Gemeente Zonnedorp" in client.get(step_url(form_page)).content.decode()


def test_unknown_addresses_below_a_cached_page_are_still_404(client, form_page):
    client.get(step_url(form_page))
    assert client.get(form_page.url + "bestaat-niet/").status_code == 404
