"""Branding per Site: colours checked for contrast, and every page following them."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import Site

from cms.models import HomePage, SiteBranding
from core.colours import contrast_ratio

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "first, second, ratio",
    [("#ffffff", "#000000", 21.0), ("#ffffff", "#ffffff", 1.0), ("#767676", "#ffffff", 4.54)],
)
def test_contrast_ratio_as_wcag_defines_it(first, second, ratio):
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)


def branding_for(site, **fields) -> SiteBranding:
    branding = SiteBranding.for_site(site)
    for name, value in fields.items():
        setattr(branding, name, value)
    return branding


class TestSavingColours:
    def test_the_default_colours_pass(self, home_page):
        branding_for(Site.objects.get()).full_clean()

    @pytest.mark.parametrize("colour", ["#ffbf47", "#1e90ff", "#888888"])
    def test_a_colour_white_text_cannot_be_read_on_is_refused(self, home_page, colour):
        branding = branding_for(Site.objects.get(), brand_colour=colour)

        with translation.override("en"), pytest.raises(ValidationError) as raised:
            branding.full_clean()

        assert "brand_colour" in raised.value.message_dict
        assert "4.5:1" in raised.value.message_dict["brand_colour"][0]

    @pytest.mark.parametrize("colour", ["1d4e89", "#1d4e8", "red", "#1d4e89;}"])
    def test_only_hexadecimal_colours_are_accepted(self, home_page, colour):
        branding = branding_for(Site.objects.get(), brand_colour_dark=colour)

        with pytest.raises(ValidationError) as raised:
            branding.full_clean()

        assert "brand_colour_dark" in raised.value.message_dict


class TestEveryPageFollowsTheBranding:
    def test_colours_become_css_custom_properties(self, client, home_page):
        branding_for(Site.objects.get(), brand_colour="#6a1b9a", brand_colour_dark="#4a148c").save()

        html = client.get("/").content.decode()

        # A stylesheet of its own (the CSP allows no inline styles), cached per version.
        assert '<link rel="stylesheet" href="/huisstijl.css?v=6a1b9a4a148c">' in html
        css = client.get("/huisstijl.css?v=6a1b9a4a148c")
        assert css["Content-Type"] == "text/css; charset=utf-8"
        assert css.content.decode() == (
            ":root { --color-brand: #6a1b9a; --color-brand-dark: #4a148c; }\n"
        )
        assert "immutable" in css["Cache-Control"] and "max-age=31536000" in css["Cache-Control"]
        # An old version's address is not kept for long: the colours changed.
        assert "max-age=300" in client.get("/huisstijl.css?v=1d4e89133660")["Cache-Control"]

    def test_a_colour_that_is_not_a_colour_never_reaches_the_css(self, client, home_page):
        branding = branding_for(Site.objects.get())
        branding.save()
        # Bypassing the form's validation, as a database edit or an import could.
        # Seven characters, as the column allows, enough to end the rule and start another.
        type(branding).objects.filter(pk=branding.pk).update(brand_colour="#fff}*{")

        css = client.get("/huisstijl.css").content.decode()

        assert "}*{" not in css and "--color-brand: #1d4e89;" in css

    def test_name_contact_details_and_footer_links(self, client, home_page):
        privacy = home_page.add_child(instance=_content_page("Privacyverklaring", "privacy"))
        branding_for(
            Site.objects.get(),
            municipality_name="Gemeente Elders",
            phone="09 999 99 99",
            email="loket@elders.be",
            address="Dorp 1\n9998 Elders",
            privacy_page=privacy,
            footer_links=[
                {
                    "type": "link",
                    "value": {"label": "Elders.be", "page": None, "url": "https://elders.example"},
                }
            ],
        ).save()

        html = client.get("/").content.decode()

        assert '<span class="site-header__name">Gemeente Elders</span>' in html
        assert 'href="tel:099999999"' in html
        assert "mailto:loket@elders.be" in html
        assert "Dorp 1<br>9998 Elders" in html
        assert f'href="{privacy.url}"' in html
        assert 'href="https://elders.example"' in html

    def test_each_site_has_its_own_branding(self, client, home_page, settings):
        settings.ALLOWED_HOSTS = ["testserver", "elders.test"]
        from wagtail.models import Page

        other_home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Loket Elders", slug="elders")
        )
        other = Site.objects.create(hostname="elders.test", root_page=other_home, site_name="E")
        branding_for(Site.objects.get(is_default_site=True), municipality_name="Voorbeeld").save()
        branding_for(other, municipality_name="Elders", brand_colour="#2e7d32").save()

        default_html = client.get("/").content.decode()
        other_html = client.get("/", HTTP_HOST="elders.test").content.decode()

        assert ">Voorbeeld<" in default_html and "2e7d32" not in default_html
        assert ">Elders<" in other_html and "huisstijl.css?v=2e7d32" in other_html
        other_css = client.get("/huisstijl.css", HTTP_HOST="elders.test").content.decode()
        assert "--color-brand: #2e7d32" in other_css


def _content_page(title, slug):
    from cms.models import ContentPage

    return ContentPage(title=title, slug=slug, body="<p>Tekst</p>")


def test_the_logo_is_shown_in_the_header(client, home_page):
    from wagtail_factories import ImageFactory

    branding_for(Site.objects.get(), logo=ImageFactory(title="Logo")).save()

    html = client.get("/").content.decode()

    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert 'class="site-header__logo"' in header and 'alt=""' in header  # the name is next to it
