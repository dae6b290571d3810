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


# --- pages translated by editors (issue #14, item 25) --------------------------------------


@pytest.fixture
def english_service(home_page):
    from cms.demo.english import TERRACE_SERVICE
    from tests.cms.builders import make_service, make_topic

    texts = {key: text for key, text in TERRACE_SERVICE.items() if key != "faq_en"}
    # The English texts of every section but the contact details.
    texts.pop("contact_en")
    return make_service(
        make_topic(home_page),
        what_it_is="<p>Een terras op de stoep.</p>",
        contact="<p>Markt 1</p>",
        call_to_action="Vraag uw terras aan",
        external_url="https://e-loket.voorbeeld.be/terras",
        **texts,
    )


@pytest.mark.django_db
def test_a_translated_page_reads_in_english_and_marks_what_is_left_dutch(client, english_service):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(english_service.url).content.decode()

    assert _tag(html, "<h1") == "<h1>"
    assert "<h1>Apply for a terrace permit</h1>" in html
    assert "<title>Apply for a terrace permit – " in html
    assert '<p class="lead">Do you want to put a terrace' in html
    assert "<span>Apply for a terrace permit</span>" not in html
    assert ">Apply for a terrace permit</a>" in html or "Apply for a terrace permit<" in html
    assert '<div class="rich-text"><p>With a terrace permit you may' in html
    # The contact details have no English version: Dutch, marked so, and the page says
    # that parts of it are only in Dutch.
    assert '<div class="rich-text" lang="nl"><p>Markt 1</p></div>' in html
    assert '<p class="language-notice">Parts of this page are only available in Dutch.</p>' in html
    assert "This page is only available in Dutch." not in html
    # The topic's list shows the English title, without a mark.
    topic_html = client.get(english_service.get_parent().url).content.decode()
    assert f'href="{english_service.url}">Apply for a terrace permit</a>' in topic_html


@pytest.mark.django_db
def test_a_translated_page_reads_in_dutch_for_dutch_visitors(client, english_service):
    html = client.get(english_service.url).content.decode()

    assert "<h1>Terrasvergunning aanvragen</h1>" in html
    assert "Apply for a terrace permit" not in html
    assert "language-notice" not in html


@pytest.mark.django_db
def test_a_finder_reads_in_english_where_translated(client, home_page):
    from tests.cms.builders import answer, make_finder, make_service, question

    service = make_service(home_page, slug="terras", title_en="Apply for a terrace permit")
    first = question("plan", "Wat wilt u doen?", answer("Een terras plaatsen", services=[service]))
    first["value"]["answers"].append(answer("Iets anders", services=[service]))
    first["value"].update(question_en="What do you want to do?", hint="Kies wat past.")
    first["value"]["answers"][0]["label_en"] = "Put a terrace outside"
    first["value"]["answers"][0]["advice_en"] = "<p>Apply 30 days ahead.</p>"
    finder = make_finder(home_page, first, title_en="Which permit do I need?")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(finder.url + "vraag/").content.decode()

    assert '<p class="caption">Which permit do I need?</p>' in html
    assert '<h1 class="fieldset__heading">What do you want to do?</h1>' in html
    assert 'lang="nl">Kies wat past.</p>' in html
    assert ">Put a terrace outside</label>" in html
    assert '<span lang="nl">Iets anders</span></label>' in html
    result = client.get(finder.url + "resultaat/?pad=0").content.decode()
    assert '<div class="notification-banner rich-text"><p>Apply 30 days ahead.</p></div>' in result
    assert ">Apply for a terrace permit</a>" in result
    assert '<dd class="summary-list__value">Put a terrace outside</dd>' in result
    # The answer is the same in both languages: the Dutch visitor reaches the same result.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = client.get(finder.url + "resultaat/?pad=0").content.decode()
    assert '<dd class="summary-list__value">Een terras plaatsen</dd>' in dutch
    assert "Put a terrace outside" not in dutch


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["service", "form", "finder", "topic", "content", "home"])
def test_editors_translate_on_an_english_tab(admin_client, home_page, team, kind):
    from cms.models import ContentPage
    from tests.cms.builders import make_finder, make_service, make_topic
    from tests.conftest import make_form_page

    page = {
        "service": lambda: make_service(home_page),
        "form": lambda: make_form_page(home_page, team=team),
        "finder": lambda: make_finder(home_page),
        "topic": lambda: make_topic(home_page),
        "content": lambda: home_page.add_child(
            instance=ContentPage(title="Privacy", slug="privacy")
        ),
        "home": lambda: home_page,
    }[kind]()

    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()

    assert 'name="title_en"' in html
    assert "Voor bezoekers die Engels kozen." in html


# --- topic pages, information pages and the home page (issue #14, item 25) ----------------


@pytest.fixture
def topic(home_page):
    from tests.cms.builders import make_topic

    return make_topic(home_page, intro="<p>Alles over vergunningen.</p>")


@pytest.mark.django_db
def test_a_dutch_topic_read_in_english_says_so_and_marks_its_texts_dutch(client, topic):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(topic.url).content.decode()

    assert '<p class="language-notice">This page is only available in Dutch.</p>' in html
    assert '<h1 lang="nl">Vergunningen</h1>' in html
    assert '<div class="lead rich-text" lang="nl"><p>Alles over vergunningen.</p></div>' in html


@pytest.mark.django_db
def test_a_translated_topic_reads_in_english(client, topic):
    topic.title_en = "Permits"
    topic.intro_en = "<p>All about permits.</p>"
    topic.save_revision().publish()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(topic.url).content.decode()

    assert "language-notice" not in html
    assert "<h1>Permits</h1>" in html
    assert "<title>Permits – " in html
    assert '<div class="lead rich-text"><p>All about permits.</p></div>' in html
    # The home page's list of topics shows the English title and introduction.
    home = client.get("/").content.decode()
    assert f'href="{topic.url}">Permits</a>' in home
    assert '<p class="card__text">All about permits.</p>' in home
    # Dutch visitors read Dutch.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = client.get(topic.url).content.decode()
    assert "<h1>Vergunningen</h1>" in dutch
    assert "Permits" not in dutch


@pytest.fixture
def content_page(home_page):
    from cms.models import ContentPage

    return home_page.add_child(
        instance=ContentPage(
            title="Privacyverklaring",
            slug="privacy",
            intro="Hoe wij met uw gegevens omgaan.",
            body="<p>Wij bewaren niets te lang.</p>",
        )
    )


@pytest.mark.django_db
def test_a_dutch_content_page_read_in_english_says_so_and_marks_its_texts_dutch(
    client, content_page
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(content_page.url).content.decode()

    assert '<p class="language-notice">This page is only available in Dutch.</p>' in html
    assert '<h1 lang="nl">Privacyverklaring</h1>' in html
    assert '<p class="lead" lang="nl">Hoe wij met uw gegevens omgaan.</p>' in html
    assert '<div class="rich-text" lang="nl"><p>Wij bewaren niets te lang.</p></div>' in html


@pytest.mark.django_db
def test_a_partly_translated_content_page_marks_what_is_left_dutch(client, content_page):
    content_page.title_en = "Privacy statement"
    content_page.body_en = "<p>We keep nothing too long.</p>"
    content_page.save_revision().publish()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(content_page.url).content.decode()

    assert '<p class="language-notice">Parts of this page are only available in Dutch.</p>' in html
    assert "<h1>Privacy statement</h1>" in html
    assert '<p class="lead" lang="nl">Hoe wij met uw gegevens omgaan.</p>' in html
    assert '<div class="rich-text"><p>We keep nothing too long.</p></div>' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = client.get(content_page.url).content.decode()
    assert "<h1>Privacyverklaring</h1>" in dutch
    assert "language-notice" not in dutch


@pytest.mark.django_db
def test_the_contact_page_reads_in_english_where_translated(client, home_page):
    from cms.models import ContactPage

    contact = home_page.add_child(
        instance=ContactPage(
            title="Contact",
            slug="contact",
            intro="<p>Kom langs of bel ons.</p>",
            appointment_text="<p>Maak een afspraak aan het loket.</p>",
            body="<p>Parkeren kan op de Markt.</p>",
        )
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(contact.url).content.decode()
    assert '<p class="language-notice">This page is only available in Dutch.</p>' in html
    assert '<div class="lead rich-text" lang="nl"><p>Kom langs of bel ons.</p></div>' in html
    assert '<div class="rich-text" lang="nl"><p>Parkeren kan op de Markt.</p></div>' in html

    contact.title_en = "Contact"
    contact.intro_en = "<p>Visit or call us.</p>"
    contact.appointment_text_en = "<p>Make an appointment at the desk.</p>"
    contact.save_revision().publish()
    html = client.get(contact.url).content.decode()
    assert '<p class="language-notice">Parts of this page are only available in Dutch.</p>' in html
    assert '<div class="lead rich-text"><p>Visit or call us.</p></div>' in html
    assert '<div class="rich-text"><p>Make an appointment at the desk.</p></div>' in html
    assert '<div class="rich-text" lang="nl"><p>Parkeren kan op de Markt.</p></div>' in html


@pytest.mark.django_db
def test_the_home_page_reads_in_english_where_translated(client, home_page):
    home_page.announcements = [
        ("announcement", {"title": "Loket gesloten", "text": "Op 11 juli is het loket dicht."})
    ]
    home_page.save_revision().publish()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get("/").content.decode()

    assert '<p class="language-notice">This page is only available in Dutch.</p>' in html
    assert _tag(html, "<h1") == '<h1 lang="nl">'
    assert '<li class="news-list__item" lang="nl">' in html

    home_page.title_en = "Desk for entrepreneurs"
    home_page.intro_en = "<p>Everything for your business.</p>"
    home_page.announcements_en = [
        ("announcement", {"title": "Desk closed", "text": "The desk is closed on 11 July."})
    ]
    home_page.save_revision().publish()

    html = client.get("/").content.decode()

    assert "language-notice" not in html
    assert "<h1>Desk for entrepreneurs</h1>" in html
    assert '<div class="lead"><p>Everything for your business.</p></div>' in html
    assert "Desk closed" in html
    assert "Loket gesloten" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = client.get("/").content.decode()
    assert "Loket gesloten" in dutch
    assert "Desk for entrepreneurs" not in dutch
