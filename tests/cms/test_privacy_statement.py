"""The demo's privacy statement: a page of its own, linked from every page's footer, that
tells what the form settings do."""

import pytest
from wagtail.models import Site

from cms.models import ContentPage, SiteBranding
from forms_builder.models import ApplicationFormPage

pytestmark = pytest.mark.django_db


def test_the_privacy_statement_is_linked_from_the_footer(demo, client):
    page = ContentPage.objects.live().get(slug="privacy")
    assert SiteBranding.objects.get().privacy_page_id == page.pk

    html = client.get("/").content.decode()

    footer = html[html.index('<footer class="site-footer"') :]
    # Relative to the site (the demo has more than one site, so page.url names the host).
    url = page.relative_url(Site.objects.get(is_default_site=True))
    assert f'href="{url}"' in footer
    assert client.get(url).status_code == 200


def test_the_privacy_statement_says_what_the_law_asks(demo, client):
    text = client.get(ContentPage.objects.get(slug="privacy").url).content.decode()

    for words in (
        "Gemeente Voorbeeld, Markt 1",  # who is responsible
        "Welke gegevens",
        "Waarom",
        "Hoe lang",
        "Wat zijn uw rechten",
        "functionaris voor gegevensbescherming",
        "privacy@voorbeeld.be",
        "Vlaamse Toezichtcommissie",
    ):
        assert words in text, words


def test_the_periods_it_names_are_those_of_the_demo_forms(demo, client):
    text = client.get(ContentPage.objects.get(slug="privacy").url).content.decode()
    forms = ApplicationFormPage.objects.all()

    assert set(forms.values_list("retention_months", flat=True)) == {24}
    assert "2 jaar" in text
    assert set(forms.values_list("draft_retention_days", flat=True)) == {30}
    assert "na 30 dagen" in text
