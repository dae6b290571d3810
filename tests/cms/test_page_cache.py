"""cms.page_cache: anonymous visitors get home, topic and service pages from the cache,
never stale after a change, and nobody else is ever served from it."""

import pytest
from django.conf import settings
from wagtail.models import Page, PageViewRestriction

from cms.models import SiteBranding
from cms.page_cache import HIT_HEADER
from tests.cms.builders import make_service, make_topic
from tests.conftest import make_form_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(home_page):
    SiteBranding.for_site(home_page.get_site())  # as on every site that is set up
    topic = make_topic(home_page)
    return make_service(topic, title="Terrasvergunning", intro="Een terras op de stoep.")


def publish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_second_visit_comes_from_the_cache_without_a_query(
    client, service, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(10):
        first = client.get(service.url)
    assert first.status_code == 200
    assert first[HIT_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get(service.url)
    assert second[HIT_HEADER] == "hit"
    assert second.content == first.content
    assert "Een terras op de stoep." in second.content.decode()
    # The headers the outer middleware sets are there on a cached page too.
    assert second["Content-Security-Policy"]
    assert "Cookie" in second["Vary"]
    assert not second.cookies


@pytest.mark.parametrize("which", ["home", "topic"])
def test_home_and_topic_pages_are_cached_too(
    client, service, which, django_assert_max_num_queries, django_assert_num_queries
):
    page = service.get_parent().specific if which == "topic" else service.get_site().root_page
    with django_assert_max_num_queries(10):
        assert client.get(page.url)[HIT_HEADER] == "miss"
    with django_assert_num_queries(0):
        assert client.get(page.url)[HIT_HEADER] == "hit"


def test_publishing_a_change_is_shown_at_once(client, service):
    client.get(service.url)
    publish(service, intro="Nieuwe samenvatting.")
    response = client.get(service.url)
    assert response[HIT_HEADER] == "miss"
    assert "Nieuwe samenvatting." in response.content.decode()


def test_a_new_service_appears_on_its_topic_and_the_home_page(client, service, home_page):
    topic = service.get_parent().specific
    client.get(topic.url)
    client.get(home_page.url)
    new = make_service(topic, title="Evenementvergunning", live=False)
    publish(new)
    assert "Evenementvergunning" in client.get(topic.url).content.decode()
    assert "Evenementvergunning" in client.get(home_page.url).content.decode()


def test_unpublishing_a_page_removes_it_and_its_links(client, service):
    topic = service.get_parent().specific
    assert "Terrasvergunning" in client.get(topic.url).content.decode()
    client.get(service.url)
    service.unpublish()
    assert client.get(service.url).status_code == 404
    assert "Terrasvergunning" not in client.get(topic.url).content.decode()


def test_moving_a_page_moves_it_in_the_cache(client, service, home_page):
    old_url = service.url
    other = make_topic(home_page, title="Evenementen")
    assert client.get(old_url).status_code == 200
    assert "Terrasvergunning" not in client.get(other.url).content.decode()
    service.move(other, pos="last-child")
    service.refresh_from_db()
    gone = client.get(old_url)
    # Not the cached page: gone, or Wagtail's automatic redirect to the new address.
    assert gone.status_code in (301, 302, 404)
    if gone.status_code != 404:
        assert gone["Location"].endswith(service.url)
    assert "Terrasvergunning" in client.get(other.url).content.decode()
    assert client.get(service.url).status_code == 200


def test_deleting_a_page_removes_it(client, service):
    topic = service.get_parent().specific
    client.get(service.url)
    client.get(topic.url)
    Page.objects.get(pk=service.pk).delete()
    assert client.get(service.url).status_code == 404
    assert "Terrasvergunning" not in client.get(topic.url).content.decode()


def test_a_branding_change_shows_in_header_and_footer_at_once(client, service):
    site = service.get_site()
    branding = SiteBranding.for_site(site)
    branding.municipality_name = "Gemeente Oud"
    branding.save()
    assert "Gemeente Oud" in client.get(service.url).content.decode()
    branding.municipality_name = "Gemeente Nieuw"
    branding.phone = "050 12 34 56"
    branding.save()
    page = client.get(service.url).content.decode()
    assert "Gemeente Nieuw" in page and "Gemeente Oud" not in page
    assert "050 12 34 56" in page
    # The header and footer fragments of other pages (not cached as a whole) follow too.
    form = make_form_page(service, team=None)
    step = client.get(form.url + "stap/1/").content.decode()
    assert "Gemeente Nieuw" in step and "Gemeente Oud" not in step


def test_a_view_restriction_is_applied_at_once(client, service):
    client.get(service.url)
    PageViewRestriction.objects.create(page=service, restriction_type="login")
    response = client.get(service.url)
    assert response.status_code == 302


def test_the_language_link_switches_the_cached_page(client, service):
    dutch = client.get(service.url).content.decode()
    assert '<html lang="nl">' in dutch
    assert client.get(service.url)[HIT_HEADER] == "hit"
    link = f"/taal/en/?next={service.url}"
    assert link in dutch
    assert "csrfmiddlewaretoken" not in dutch
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == service.url
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = client.get(service.url)
    assert '<html lang="en">' in english.content.decode()
    assert english[HIT_HEADER] == "miss"
    assert client.get(service.url)[HIT_HEADER] == "hit"
    client.get(f"/taal/nl/?next={service.url}")
    assert '<html lang="nl">' in client.get(service.url).content.decode()


def test_the_language_link_stays_on_this_site(client, home_page):
    response = client.get("/taal/en/?next=https://elders.example/")
    assert response["Location"] == "/"
    assert client.get("/taal/xx/?next=/").cookies.get(settings.LANGUAGE_COOKIE_NAME) is None


def test_signed_in_users_are_never_served_from_the_cache(client, service):
    client.get(service.url)
    assert client.get(service.url)[HIT_HEADER] == "hit"
    client.force_login(UserFactory())
    response = client.get(service.url)
    assert HIT_HEADER not in response
    assert response.status_code == 200


def test_a_page_rendered_for_a_session_is_not_stored(client, service):
    client.force_login(UserFactory())
    client.get(service.url)
    client.logout()
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    assert client.get(service.url)[HIT_HEADER] == "miss"


def test_form_steps_are_never_cached(client, form_page):
    for _ in range(2):
        response = client.get(form_page.url + "stap/1/")
        assert response.status_code == 200
        assert response[HIT_HEADER] == "pass"


def test_a_query_string_or_a_message_bypasses_the_cache(client, service):
    client.get(service.url)
    assert HIT_HEADER not in client.get(service.url + "?x=1")
    client.cookies["messages"] = "anything"
    assert HIT_HEADER not in client.get(service.url)


def test_a_page_with_a_csrf_token_is_not_stored(client, service, monkeypatch):
    from django.middleware.csrf import get_token

    original = type(service).get_context

    def with_token(self, request, *args, **kwargs):
        get_token(request)
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(type(service), "get_context", with_token)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    assert client.get(service.url)[HIT_HEADER] == "pass"
    assert client.get(service.url)[HIT_HEADER] == "pass"


def test_a_new_release_does_not_serve_the_previous_ones_pages(client, service, settings):
    from cms.page_cache import release

    client.get(service.url)
    assert client.get(service.url)[HIT_HEADER] == "hit"
    settings.LOKET_RELEASE = "the-next-release"
    release.cache_clear()  # as in a freshly started process
    try:
        assert client.get(service.url)[HIT_HEADER] == "miss"
        assert client.get(service.url)[HIT_HEADER] == "hit"
    finally:
        release.cache_clear()
