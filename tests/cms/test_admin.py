"""Editors and administrators work with the public site's pages and settings in the admin."""

import pytest
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import nested_form_data, streamfield

from cms.models import SiteBranding

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def test_every_page_of_the_demo_opens_in_the_editor(admin_client):
    """The demo's texts and forms are valid editor content (rich text, blocks)."""
    pages = Page.objects.filter(depth__gte=2).specific()
    kinds = {type(page).__name__ for page in pages}
    assert {"HomePage", "TopicPage", "ServicePage", "FinderPage", "ContactPage"} <= kinds

    for page in pages:
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page.title


def settings_url(site) -> str:
    return reverse("wagtailsettings:edit", args=["cms", "sitebranding", site.pk])


def test_the_branding_settings_open(admin_client):
    response = admin_client.get(settings_url(Site.objects.get(is_default_site=True)))

    assert response.status_code == 200
    assert "Gemeente Voorbeeld" in response.content.decode()


def test_a_colour_without_enough_contrast_is_refused_when_saved(admin_client):
    site = Site.objects.get(is_default_site=True)
    data = nested_form_data(
        {
            "municipality_name": "Gemeente Voorbeeld",
            "brand_colour": "#ffbf47",
            "brand_colour_dark": "#133660",
            "opening_hours": streamfield([]),
            "footer_links": streamfield([]),
        }
    )

    response = admin_client.post(settings_url(site), data)

    assert response.status_code == 200  # the form again, with the error
    assert "brand_colour" in response.context["form"].errors
    assert SiteBranding.for_site(site).brand_colour == "#1d4e89"
