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
