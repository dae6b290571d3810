"""cms.sites: the Site of a request comes from the cache, and is forgotten when sites or
pages change."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, Site

from cms.sites import find_site
from tests.conftest import make_form_page

pytestmark = pytest.mark.django_db


def request_for(host: str):
    return RequestFactory().get("/", HTTP_HOST=host)


def test_finds_the_same_site_as_wagtail(home_page):
    request = request_for("localhost")
    assert find_site(request) == Site._find_for_request(request_for("localhost"))


def test_second_lookup_runs_no_query_and_has_the_home_page_loaded(
    home_page, django_assert_num_queries
):
    find_site(request_for("localhost"))
    with django_assert_num_queries(0):
        site = find_site(request_for("localhost"))
        assert site.root_page.specific.pk == home_page.pk


def test_other_hosts_and_a_missing_default_are_looked_up_on_their_own(home_page):
    other_root = home_page.add_child(instance=Page(title="Andere gemeente", slug="andere"))
    other = Site.objects.create(hostname="andere.example", port=80, root_page=other_root)
    assert find_site(request_for("andere.example")) == other
    assert find_site(request_for("localhost")).root_page.pk == home_page.pk
    Site.objects.update(is_default_site=False)
    Site.objects.filter(pk=other.pk).delete()  # a signal: the lookups are forgotten
    assert find_site(request_for("nergens.example")) is None
    assert find_site(request_for("nergens.example")) is None  # cached as "none"


def test_saving_a_site_forgets_the_lookups(home_page):
    site = find_site(request_for("localhost"))
    site.site_name = "Nieuwe naam"
    site.save()
    assert find_site(request_for("localhost")).site_name == "Nieuwe naam"


def test_changing_a_page_forgets_the_lookups(home_page):
    assert find_site(request_for("localhost")).root_page.specific.title == home_page.title
    home_page.title = "Ondernemersloket Gent"
    home_page.save()
    assert find_site(request_for("localhost")).root_page.specific.title == ("Ondernemersloket Gent")


def test_moving_a_page_forgets_the_lookups(home_page):
    form_page = make_form_page(home_page)
    other_root = home_page.add_child(instance=Page(title="Andere", slug="andere"))
    site = find_site(request_for("localhost"))
    site.root_page = other_root
    Site.objects.filter(pk=site.pk).update(root_page=other_root)  # no signal
    form_page.move(other_root, pos="last-child")  # a signal
    assert find_site(request_for("localhost")).root_page.pk == other_root.pk


def test_pages_are_served_through_the_cached_site(client, home_page):
    form_page = make_form_page(home_page)
    assert client.get(form_page.url, follow=True).status_code == 200
    home_page.add_child(instance=Page(title="Nieuw", slug="nieuw", live=True))
    response = client.get("/nieuw/")
    assert response.status_code == 200
