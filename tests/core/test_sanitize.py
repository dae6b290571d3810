"""Rich text is sanitised on output (core/sanitize.py): the allowlist itself, and pages
whose rich text was put in the database directly, past the editor."""

import json

import pytest
from wagtail.rich_text import RichText
from wagtail.templatetags.wagtailcore_tags import richtext

from cms.models import ContentPage
from core.sanitize import sanitize_html
from tests.cms.builders import answer, make_finder, make_service, question

#: What an attacker with database access (or a bad import) might store.
HOSTILE = (
    "<p>Welkom <b>ondernemer</b></p>"
    "<script>alert('script')</script>"
    '<img src="x" onerror="alert(\'img\')">'
    "<a href=\"javascript:alert('link')\">klik</a>"
    '<p onclick="alert(\'click\')" style="position:fixed">tekst</p>'
    '<iframe src="https://evil.example/"></iframe>'
    '<object data="evil.swf"></object>'
    "<style>body{display:none}</style>"
)


def assert_harmless(html: str):
    lowered = html.lower()
    for dangerous in (
        "<script",
        "alert(",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "<object",
        "<style",
        "position:fixed",
    ):
        assert dangerous not in lowered, dangerous


class TestAllowlist:
    @pytest.mark.parametrize(
        "html",
        [
            "<p>Een <b>vette</b>, <i>schuine</i>, <strong>sterke</strong> en <em>nadruk</em>.</p>",
            "<h2>Kop</h2><h3>Tussenkop</h3><h4>Klein</h4>",
            "<ul><li>een</li><li>twee</li></ul><ol><li>drie</li></ol>",
            "<p>regel<br>regel</p><hr>",
            '<p><a href="https://www.voorbeeld.be/a?b=1&amp;c=2">extern</a></p>',
            '<p><a href="/vergunningen/terras/">intern</a> <a href="#kop">anker</a></p>',
            '<p><a href="mailto:loket@voorbeeld.be">mail</a> <a href="tel:+3291234567">bel</a></p>',
            '<img alt="Plan" class="richtext-image left" height="100" src="/media/plan.png" '
            'width="200">',
        ],
    )
    def test_what_the_editor_makes_stays_as_it_is(self, html):
        assert sanitize_html(html) == html

    def test_the_demo_content_stays_as_it_is(self):
        from cms.demo import content

        def html_texts(value):
            if isinstance(value, str) and value.lstrip().startswith("<"):
                yield value
            elif isinstance(value, dict):
                for item in value.values():
                    yield from html_texts(item)
            elif isinstance(value, list | tuple):
                for item in value:
                    yield from html_texts(item)

        texts = [
            text
            for name, value in vars(content).items()
            if name.isupper()
            for text in html_texts(value)
        ]
        assert len(texts) > 20
        for text in texts:
            assert sanitize_html(text) == text.replace("<br/>", "<br>").replace("<br />", "<br>")

    def test_scripts_handlers_styles_and_frames_go(self):
        cleaned = sanitize_html(HOSTILE)
        assert_harmless(cleaned)
        assert "<p>Welkom <b>ondernemer</b></p>" in cleaned
        assert "<a>klik</a>" in cleaned and "<p>tekst</p>" in cleaned

    @pytest.mark.parametrize(
        "href",
        [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java&#x09;script:alert(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "vbscript:msgbox(1)",
        ],
    )
    def test_dangerous_urls_go(self, href):
        assert sanitize_html(f'<a href="{href}">x</a>') == "<a>x</a>"

    def test_a_link_to_a_new_window_gets_noopener(self):
        cleaned = sanitize_html('<a href="https://a.be/?x=1>2" target="_blank">a</a>')
        assert cleaned == (
            '<a href="https://a.be/?x=1&gt;2" target="_blank" rel="noopener noreferrer">a</a>'
        )
        # Other targets and a rel of one's own are not kept.
        assert sanitize_html('<a href="/x" target="_top" rel="opener">b</a>') == (
            '<a href="/x">b</a>'
        )

    def test_attributes_outside_the_list_go(self):
        cleaned = sanitize_html(
            '<p class="x" id="y" lang="en" title="t" data-x="1">p</p>'
            '<img src="/a.png" class="richtext-image evil" alt="" srcset="x 2x">'
        )
        assert cleaned == '<p>p</p><img src="/a.png" class="richtext-image" alt="">'

    def test_other_tags_lose_the_tag_but_keep_their_text(self):
        assert sanitize_html("<h1>Titel</h1><div><span>tekst</span></div>") == "Titeltekst"

    def test_forms_and_comments_go(self):
        cleaned = sanitize_html('<!-- geheim --><form action="/x"><input name="a">ok</form>')
        assert cleaned == "ok"

    def test_empty_values(self):
        assert sanitize_html(None) == "" and sanitize_html("") == ""


def test_wagtails_richtext_filter_and_rich_text_blocks_are_sanitised():
    assert_harmless(richtext(HOSTILE))
    assert "<b>ondernemer</b>" in richtext(HOSTILE)
    assert_harmless(str(RichText(HOSTILE)))
    assert_harmless(RichText(HOSTILE).__html__())


@pytest.mark.django_db
def test_a_page_body_stored_past_the_editor_is_shown_without_its_scripts(client, home_page):
    page = home_page.add_child(instance=ContentPage(title="Privacy", slug="privacy"))
    ContentPage.objects.filter(pk=page.pk).update(body=HOSTILE)

    html = client.get(page.url).content.decode()

    assert "<b>ondernemer</b>" in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert_harmless(main)


@pytest.mark.django_db
def test_the_home_page_intro_is_sanitised(client, home_page):
    type(home_page).objects.filter(pk=home_page.pk).update(intro=HOSTILE)
    html = client.get("/").content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<b>ondernemer</b>" in main
    assert_harmless(main)


@pytest.mark.django_db
def test_rich_text_blocks_of_a_service_page_and_a_finder_are_sanitised(client, home_page):
    service = make_service(
        home_page,
        faq=[{"type": "item", "value": {"question": "Wat?", "answer": "<p>Dit.</p>"}}],
    )
    raw = json.dumps([{"type": "item", "value": {"question": "Wat?", "answer": HOSTILE}}])
    type(service).objects.filter(pk=service.pk).update(faq=raw, what_it_is=HOSTILE)
    finder = make_finder(
        home_page, question("vraag", "Terras?", answer("Ja", services=[service], advice=HOSTILE))
    )

    service_html = client.get(service.url).content.decode()
    result_html = client.get(finder.url + "resultaat/?pad=0").content.decode()

    for html in (service_html, result_html):
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        assert "<b>ondernemer</b>" in main
        assert_harmless(main)
