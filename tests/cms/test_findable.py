"""Findable (issue #25): descriptions, canonical addresses, Open Graph, the sitemap,
robots.txt and schema.org data, as a search engine or a chat preview reads them."""

import json
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Page, PageViewRestriction, Site

from cms.findable.views import PRIVATE_PATHS
from cms.models import SiteBranding
from tests.conftest import make_form_page
from tests.factories import DossierFactory

from .builders import make_service, make_topic

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def get_soup(client, url, **extra) -> BeautifulSoup:
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def meta(soup, **attrs) -> str | None:
    tag = soup.find("meta", attrs=attrs)
    return tag["content"] if tag else None


def canonical(soup) -> str | None:
    tag = soup.find("link", rel="canonical")
    return tag["href"] if tag else None


def structured_data(soup) -> list[dict]:
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def sitemap_urls(client, **extra) -> list[str]:
    response = client.get("/sitemap.xml", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    tree = ElementTree.fromstring(response.content)
    return [loc.text for loc in tree.findall("sm:url/sm:loc", SITEMAP_NS)]


@pytest.fixture
def branding(home_page):
    settings = SiteBranding.for_site(Site.objects.get(is_default_site=True))
    settings.municipality_name = "Gemeente Voorbeeld"
    settings.address = "Markt 1\n9999 Voorbeeld"
    settings.phone = "050 12 34 56"
    settings.email = "ondernemen@voorbeeld.be"
    settings.save()
    return settings


def the_site_description():
    with translation.override("nl"):
        return _("The desk for entrepreneurs of %(name)s.") % {"name": "Gemeente Voorbeeld"}


class TestDescription:
    def test_the_editors_search_description(self, client, home_page, branding):
        service = make_service(home_page, search_description="Zet tafels op de stoep.")

        soup = get_soup(client, service.url)

        assert meta(soup, name="description") == "Zet tafels op de stoep."
        assert meta(soup, property="og:description") == "Zet tafels op de stoep."

    def test_without_one_the_services_summary(self, client, home_page, branding):
        service = make_service(home_page, intro="Een terras op het openbaar domein.")

        assert meta(get_soup(client, service.url), name="description") == (
            "Een terras op het openbaar domein."
        )

    def test_without_a_summary_what_the_service_is(self, client, home_page, branding):
        service = make_service(
            home_page, intro="", what_it_is="<p>Tafels &amp; stoelen <b>op de stoep</b>.</p>"
        )

        assert meta(get_soup(client, service.url), name="description") == (
            "Tafels & stoelen op de stoep."
        )

    def test_a_long_text_is_shortened_for_search_results(self, client, home_page, branding):
        service = make_service(home_page, intro="Een lange zin over het terras. " * 20)

        description = meta(get_soup(client, service.url), name="description")

        assert len(description) <= 160 and description.endswith("…")

    def test_a_page_without_text_and_other_screens_describe_the_desk(
        self, client, home_page, branding
    ):
        topic = make_topic(home_page, intro="")

        assert meta(get_soup(client, topic.url), name="description") == the_site_description()
        search = get_soup(client, reverse("search"))
        assert meta(search, name="description") == the_site_description()

    def test_quotes_stay_inside_the_attribute(self, client, home_page, branding):
        service = make_service(home_page, search_description='Een "terras" <b>& meer</b>')

        soup = get_soup(client, service.url)

        assert meta(soup, name="description") == 'Een "terras" & meer'
        assert len(soup.find_all("meta", attrs={"name": "description"})) == 1


class TestCanonicalAndOpenGraph:
    def test_a_page_names_its_own_address_on_the_sites_host(self, client, home_page, branding):
        service = make_service(home_page, seo_title="Terras aanvragen in Voorbeeld")

        soup = get_soup(client, service.url + "?utm_source=nieuwsbrief", HTTP_HOST="testserver")

        assert canonical(soup) == "http://localhost" + service.url
        assert meta(soup, property="og:url") == "http://localhost" + service.url
        assert meta(soup, property="og:title") == "Terras aanvragen in Voorbeeld"
        assert meta(soup, property="og:site_name") == "Gemeente Voorbeeld"
        assert meta(soup, property="og:type") == "website"

    def test_search_results_without_the_query(self, client, home_page, branding):
        soup = get_soup(client, reverse("search") + "?q=terras")

        assert canonical(soup) == "http://localhost" + reverse("search")
        assert meta(soup, property="og:title") is None  # not a page of the site's tree


class TestSitemap:
    def test_public_live_pages_without_form_steps(self, client, home_page, team):
        topic = make_topic(home_page)
        service = make_service(topic)
        form = make_form_page(service, team=team)
        draft = make_service(topic, "Nog niet klaar", slug="nog-niet-klaar")
        draft.unpublish()
        private = make_service(topic, "Voor het personeel", slug="intern")
        PageViewRestriction.objects.create(page=private, restriction_type="login")

        urls = sitemap_urls(client)

        assert urls == [p.full_url for p in (home_page, topic, service)]
        assert form.full_url not in urls
        assert draft.full_url not in urls and private.full_url not in urls

    def test_each_site_lists_its_own_pages(self, client, home_page, settings):
        settings.ALLOWED_HOSTS = ["testserver", "andere.example"]
        own = make_service(home_page)
        other_home = Page.get_first_root_node().add_child(
            instance=Page(title="Andere gemeente", slug="andere")
        )
        Site.objects.create(hostname="andere.example", port=80, root_page=other_home)
        other_service = make_service(other_home, "Markt", slug="markt")

        assert own.full_url in sitemap_urls(client)
        other = sitemap_urls(client, HTTP_HOST="andere.example")
        assert other == [other_home.full_url, other_service.full_url]


class TestRobots:
    def test_keeps_crawlers_from_private_screens_and_forms(self, client, home_page, team):
        service = make_service(home_page)
        form = make_form_page(service, team=team)

        response = client.get("/robots.txt")

        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        lines = response.content.decode().splitlines()
        assert lines[0] == "User-agent: *"
        disallowed = [line.split(": ", 1)[1] for line in lines if line.startswith("Disallow:")]
        assert disallowed == ["/admin/", "/dossier/", "/mijn-loket/", form.url]
        assert "Sitemap: http://localhost/sitemap.xml" in lines
        assert f"Disallow: {service.url}" not in lines

    def test_the_private_paths_are_where_those_screens_are(self, home_page):
        dossier = DossierFactory()
        screens = [
            reverse("wagtailadmin_home"),
            dossier.get_status_url(),
            reverse("portal:overview"),
        ]
        for screen, path in zip(screens, PRIVATE_PATHS, strict=True):
            assert screen.startswith(path), screen

    def test_form_steps_say_noindex(self, client, home_page, team):
        service = make_service(home_page)
        form = make_form_page(service, team=team)

        assert meta(get_soup(client, form.url, follow=True), name="robots") == "noindex"
        assert meta(get_soup(client, service.url), name="robots") is None


class TestStructuredData:
    def test_a_service_is_a_government_service_of_the_municipality(
        self, client, home_page, team, branding
    ):
        service = make_service(home_page, intro="Tafels op de stoep.", call_to_action="Aanvragen")
        service.form_page = make_form_page(service, team=team)
        service.save()

        [data] = structured_data(get_soup(client, service.url))

        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "GovernmentService"
        assert data["name"] == service.title
        assert data["description"] == "Tafels op de stoep."
        assert data["url"] == "http://localhost" + service.url
        assert data["provider"] == {
            "@type": "GovernmentOrganization",
            "name": "Gemeente Voorbeeld",
            "url": "http://localhost/",
            "address": "Markt 1, 9999 Voorbeeld",
            "telephone": "050 12 34 56",
            "email": "ondernemen@voorbeeld.be",
        }
        assert data["availableChannel"] == {
            "@type": "ServiceChannel",
            "name": "Aanvragen",
            "serviceUrl": "http://localhost" + service.form_page.url,
        }

    def test_a_title_cannot_end_the_data_block(self, client, home_page, branding):
        title = "Terras </script><script>alert(1)</script>"
        service = make_service(home_page, title, slug="terras")

        soup = get_soup(client, service.url)

        [data] = structured_data(soup)
        assert data["name"] == title
        inline = [s for s in soup.find_all("script") if not s.get("src")]
        assert [s["type"] for s in inline] == ["application/ld+json"]

    def test_only_on_service_pages(self, client, home_page, branding):
        assert structured_data(get_soup(client, make_topic(home_page).url)) == []


def test_every_public_page_of_the_demo_is_findable(demo, client):
    """What Lighthouse's SEO audit checks, for every page type of the demo: a title, a
    description, one h1 and a canonical address."""
    # The demo municipality's site (the province's library is another site).
    site = Site.objects.get(is_default_site=True)
    pages = Page.objects.live().public().descendant_of(site.root_page, inclusive=True).specific()
    seen = set()
    for page in pages:
        url = page.relative_url(site)
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        # A redirect may name the host (several sites): compare paths.
        path = urlsplit(response.redirect_chain[-1][0] if response.redirect_chain else url).path
        soup = BeautifulSoup(response.content, "html.parser")
        what = f"{type(page).__name__} {path}"
        assert soup.title and soup.title.string.strip(), what
        assert meta(soup, name="description"), what
        assert len(soup.find_all("h1")) == 1, what
        assert canonical(soup) == "http://localhost" + path, what
        seen.add(type(page).__name__)
    assert {
        "HomePage",
        "TopicPage",
        "ServicePage",
        "FinderPage",
        "ContactPage",
        "ContentPage",
        "ApplicationFormPage",
    } <= seen
