"""Dutch first: the browser's language does not switch the site to English."""

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_site_is_dutch_even_for_an_english_browser(client, form_page):
    response = client.get(form_page.url + "stap/1/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl">' in response.content.decode()


@pytest.mark.django_db
def test_a_visitor_can_choose_english(client, form_page):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(form_page.url + "stap/1/")
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_dutch(client, form_page):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    response = client.get(form_page.url + "stap/1/")
    assert '<html lang="nl">' in response.content.decode()


@pytest.mark.django_db
def test_the_footer_offers_english_and_the_choice_sticks(client, form_page):
    step = form_page.url + "stap/1/"
    page = client.get(step).content.decode()
    # A link, not a form: public pages come from a shared cache without a CSRF token.
    assert f'href="/taal/en/?next={step}"' in page
    response = client.get(f"/taal/en/?next={step}")
    assert response.status_code == 302
    assert '<html lang="en">' in client.get(step).content.decode()
    # ... and back to Dutch.
    assert f'href="/taal/nl/?next={step}"' in client.get(step).content.decode()
    client.get(f"/taal/nl/?next={step}")
    assert '<html lang="nl">' in client.get(step).content.decode()


@pytest.mark.django_db
def test_the_language_form_of_older_pages_still_works(client, form_page):
    response = client.post("/i18n/setlang/", {"language": "en", "next": form_page.url})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get(form_page.url + "stap/1/").content.decode()


# --- pages written only in Dutch (issue #14, item 25) -------------------------------------


@pytest.fixture
def service(home_page):
    from tests.cms.builders import make_service, make_topic

    topic = make_topic(home_page)
    return make_service(
        topic,
        what_it_is="<p>Een terras op de stoep.</p>",
        call_to_action="Vraag uw terras aan",
        external_url="https://e-loket.voorbeeld.be/terras",
    )


def _tag(html: str, start: str) -> str:
    """The opening tag that begins with ``start``."""
    at = html.index(start)
    return html[at : html.index(">", at) + 1]


@pytest.mark.django_db
def test_a_dutch_page_read_in_english_says_so_and_marks_its_texts_dutch(client, service):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(service.url).content.decode()

    assert '<html lang="en">' in html
    assert '<p class="language-notice">This page is only available in Dutch.</p>' in html
    assert _tag(html, "<h1") == '<h1 lang="nl">'
    assert 'class="lead" lang="nl">Samenvatting van Terrasvergunning aanvragen.' in html
    assert '<div class="rich-text" lang="nl"><p>Een terras op de stoep.</p>' in html
    assert '<span lang="nl">Vraag uw terras aan</span>' in html
    # The interface around the texts is English, and is not marked Dutch.
    assert '<h2 id="what-it-is">What is it?</h2>' in html
    # The topic's list marks the service's title and summary too.
    topic_html = client.get(service.get_parent().url).content.decode()
    assert "This page is only available in Dutch." in topic_html
    assert f'href="{service.url}" lang="nl">Terrasvergunning aanvragen</a>' in topic_html


@pytest.mark.django_db
def test_the_same_page_in_dutch_has_no_notice_and_no_marks(client, service):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get(service.url)  # the English one is cached first, per language
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"

    html = client.get(service.url).content.decode()

    assert '<html lang="nl">' in html
    assert "language-notice" not in html
    assert 'lang="nl"' not in html.replace('<html lang="nl">', "")
    assert _tag(html, "<h1") == "<h1>"
