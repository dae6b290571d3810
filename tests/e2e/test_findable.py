"""Lighthouse's SEO checks in a real browser (issue #25): every public page type of the
demo has a title, a meta description, one h1 and a valid canonical address; a service
page carries schema.org data the browser can parse (and the CSP does not block)."""

from __future__ import annotations

import json

import pytest

from cms.demo import load_demo
from cms.models import ContactPage, ContentPage, FinderPage, ServicePage, TopicPage
from forms_builder.models import ApplicationFormPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: What Lighthouse's SEO audit reads from a page.
READ_SEO = """() => ({
    title: document.title,
    description: document.querySelector('meta[name="description"]')?.content ?? '',
    h1: document.querySelectorAll('h1').length,
    canonical: [...document.querySelectorAll('link[rel="canonical"]')].map((l) => l.href),
    robots: document.querySelector('meta[name="robots"]')?.content ?? '',
    structured: [...document.querySelectorAll('script[type="application/ld+json"]')]
        .map((s) => s.textContent),
})"""


@pytest.fixture
def demo_site(live_server):
    load_demo()
    return live_server.url


def public_pages():
    """One page of each public page type, as the demo has them, and whether search
    engines may index it (search results may not)."""
    yield "home page", "/", True
    for model in (TopicPage, ServicePage, FinderPage, ContactPage, ContentPage):
        yield model._meta.verbose_name, model.objects.live().public().first().url, True
    yield "search", "/zoeken/?q=terras", False


def test_every_public_page_type_passes_the_seo_checks(demo_site, new_page):
    page = new_page()
    for what, path, indexable in public_pages():
        response = page.goto(demo_site + path)
        assert response is not None and response.status == 200, what
        seo = page.evaluate(READ_SEO)

        assert seo["title"].strip(), what
        assert seo["description"].strip(), what
        assert seo["h1"] == 1, what
        assert len(seo["canonical"]) == 1, what
        assert seo["canonical"][0].startswith("http"), what
        assert "?" not in seo["canonical"][0], what
        assert ("noindex" not in seo["robots"]) == indexable, what


def test_a_service_page_describes_the_service(demo_site, new_page):
    service = ServicePage.objects.live().exclude(form_page=None).first()
    page = new_page()
    page.goto(demo_site + service.url)

    [data] = [json.loads(text) for text in page.evaluate(READ_SEO)["structured"]]

    assert data["@type"] == "GovernmentService"
    assert data["name"] == service.title
    assert data["provider"]["@type"] == "GovernmentOrganization"
    assert data["availableChannel"]["serviceUrl"].endswith(service.form_page.url)


def test_form_steps_are_kept_from_search_engines(demo_site, new_page):
    form = ApplicationFormPage.objects.live().first()
    page = new_page()

    page.goto(demo_site + form.url)

    assert page.evaluate(READ_SEO)["robots"] == "noindex"
    robots = page.request.get(demo_site + "/robots.txt").text()
    assert f"Disallow: {form.url}" in robots
    sitemap = page.request.get(demo_site + "/sitemap.xml").text()
    assert "<loc>" in sitemap and form.url not in sitemap
