"""The assistant: Dutch normalisation, answers quoted from published pages, honest
refusals with the ways to a person, the masked log of unanswered questions, the page
/assistent/ without JavaScript, and the editors' admin."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from cms.assistant.desk import conversation_text
from cms.assistant.indexes import forget_indexes
from cms.assistant.services import answer_question, record_unanswered
from cms.assistant.text import fold, mask_personal_data, stem, terms
from cms.models import AssistantSynonym, ContactPage, HomePage, SiteBranding, UnansweredQuestion
from cms.tasks import delete_old_unanswered_questions
from dossiers.models import Dossier
from tests.conftest import make_form_page

from .builders import make_service, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_indexes():
    forget_indexes()
    yield
    forget_indexes()


@pytest.fixture
def services(home_page, team):
    topic = make_topic(home_page, "Vergunningen", intro="<p>Alles over vergunningen.</p>")
    terrace = make_service(
        topic,
        "Terrasvergunning aanvragen",
        slug="terras",
        keywords="stoep, horeca",
        call_to_action="Terras aanvragen",
        cost="<p>U betaalt € 20 per m² per jaar.</p>",
        conditions="<p>Windschermen zijn maximaal 1,8 meter hoog.</p>",
        faq=[
            {
                "type": "item",
                "value": {
                    "question": "Mag mijn terras in de winter blijven staan?",
                    "answer": "<p>Ja, tot 31 december.</p>",
                },
            }
        ],
    )
    terrace.form_page = make_form_page(terrace, team=team)
    terrace.save()
    signs = make_service(
        topic,
        "Uithangbord plaatsen",
        slug="reclame",
        what_it_is="<p>Toestemming voor publiciteit aan uw gevel.</p>",
        cost="<p>De vergunning kost € 50.</p>",
    )
    return {"terrace": terrace, "signs": signs}


def ask(client, question, **extra):
    response = client.get(reverse("assistant"), {"vraag": question}, **extra)
    assert response.status_code == 200
    return response


# --- Dutch as people type it ---------------------------------------------------------------


def test_dutch_words_are_folded_and_stemmed():
    assert fold("Privéfeest") == "privefeest"
    assert stem("terrassen") == stem("terras") == "terras"
    assert stem("premies") == stem("premie")
    # Stop words and the words every question has do not count.
    assert terms("Mag ik een terras aanvragen?") == ["terras"]


def test_numbers_and_email_addresses_are_masked():
    masked = mask_personal_data(
        "Ik ben jan.peeters@example.be, tel 0470 12 34 56, BE 0123.456.789, Markt 12"
    )
    assert "@" not in masked
    assert not any(char.isdigit() for char in masked)
    assert masked.startswith("Ik ben [e-mail], tel [getal]")


# --- answers --------------------------------------------------------------------------------


def test_the_best_section_is_quoted_with_the_service_and_its_form(services, home_page):
    answer = answer_question(question="Wat kost een terras?", root=home_page)
    assert answer.known
    best = answer.pages[0]
    assert best.page.pk == services["terrace"].pk
    passage = best.passages[0][1]
    assert passage.anchor == "cost"
    assert "€ 20 per m²" in passage.text
    assert best.service.apply_url == services["terrace"].form_page.url


def test_typos_and_compounds_still_find_the_service(services, home_page):
    for question in ["terasvergunning", "windschermen", "hoe hoog mag een windscherm"]:
        answer = answer_question(question=question, root=home_page)
        assert answer.known, question
        assert answer.pages[0].page.pk == services["terrace"].pk, question


def test_an_editors_synonym_leads_to_the_official_word(services, home_page):
    assert not answer_question(question="reclamebord", root=home_page).known
    AssistantSynonym.objects.create(term="Reclamebord", meaning="publiciteit")
    answer = answer_question(question="mag ik een reclamebord aan mijn gevel", root=home_page)
    assert answer.known
    assert answer.pages[0].page.pk == services["signs"].pk


def test_a_question_the_site_cannot_answer_is_refused_and_logged(services, home_page):
    answer = answer_question(
        question="Hoe vraag ik een nieuwe identiteitskaart aan?", root=home_page
    )
    assert not answer.known
    assert UnansweredQuestion.objects.get().question == (
        "Hoe vraag ik een nieuwe identiteitskaart aan?"
    )


def test_unpublished_services_are_not_quoted(services, home_page):
    services["signs"].unpublish()
    answer = answer_question(question="uithangbord publiciteit", root=home_page)
    assert services["signs"].pk not in [page.page.pk for page in answer.pages]


def test_unanswered_questions_are_grouped_without_personal_data(db):
    record_unanswered("Paspoort voor 2 personen, mail me op a@b.be")
    record_unanswered("paspoort voor 3 personen,   mail me op c@d.be")
    row = UnansweredQuestion.objects.get()
    assert row.times_asked == 2
    assert row.question == "Paspoort voor [getal] personen, mail me op [e-mail]"
    assert not any(char.isdigit() for char in row.question + row.key)
    assert "@" not in row.question + row.key


def test_old_unanswered_questions_are_deleted(db, settings):
    settings.LOKET_ASSISTANT_RETENTION_DAYS = 30
    record_unanswered("waar is het zwembad")
    record_unanswered("wanneer is de markt")
    UnansweredQuestion.objects.filter(question="waar is het zwembad").update(
        last_asked=timezone.now() - timedelta(days=31)
    )
    assert delete_old_unanswered_questions() == 1
    assert list(UnansweredQuestion.objects.values_list("question", flat=True)) == [
        "wanneer is de markt"
    ]


# --- the page /assistent/ ---------------------------------------------------------------------


def test_the_page_works_as_a_plain_form(client, services):
    response = client.get(reverse("assistant"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="label" for="assistant-question">' in html
    assert 'aria-live="polite"' in html
    assert "cms/js/assistant.js" in html
    assert "<script>" not in html and "style=" not in html


def test_an_answer_quotes_the_page_and_links_to_the_form(client, services):
    html = ask(client, "wat kost een terras").content.decode()
    assert "U betaalt € 20 per m² per jaar." in html
    assert f'href="{services["terrace"].url}#cost"' in html
    assert f'href="{services["terrace"].form_page.url}"' in html
    assert "Terras aanvragen" in html


def test_a_refusal_says_so_and_shows_the_ways_to_a_person(client, services, home_page):
    branding = SiteBranding.for_site(home_page.get_site())
    branding.phone = "09 123 45 67"
    branding.email = "ondernemen@voorbeeld.be"
    branding.save()
    html = ask(client, "wanneer wordt het restafval opgehaald").content.decode()
    assert "Dat weet ik niet" in html
    assert 'href="tel:091234567"' in html
    assert "mailto:ondernemen@voorbeeld.be" in html


def test_a_too_long_question_gets_a_dutch_message(client, services):
    html = ask(client, "terras " * 40).content.decode()
    assert "Uw vraag is te lang" in html
    assert 'aria-invalid="true"' in html


def test_the_home_page_has_the_assistant_form(client, services):
    html = client.get("/").content.decode()
    assert 'action="/assistent/"' in html
    assert 'for="home-assistant"' in html


def test_questions_are_rate_limited_per_client(client, services, settings):
    settings.LOKET_RATE_LIMITS = {**settings.LOKET_RATE_LIMITS, "assistant_per_client": (2, 60)}
    ask(client, "terras")
    ask(client, "terras")
    assert client.get(reverse("assistant"), {"vraag": "terras"}).status_code == 429


def test_posting_is_not_allowed(client, services):
    assert client.post(reverse("assistant"), {"vraag": "terras"}).status_code == 405


# --- the editors' admin ---------------------------------------------------------------------


def test_editors_see_the_report_and_cannot_add_rows(admin_client, home_page):
    record_unanswered("waar is het zwembad")
    response = admin_client.get(reverse("unanswered_questions:index"))
    assert response.status_code == 200
    assert "waar is het zwembad" in response.content.decode()
    assert admin_client.get(reverse("unanswered_questions:add")).status_code in (302, 403)


def test_editors_manage_synonyms(admin_client, home_page):
    response = admin_client.get(reverse("wagtailsnippets_cms_assistantsynonym:add"))
    assert response.status_code == 200


# --- names are masked too -----------------------------------------------------------------


def test_names_are_masked_but_words_of_the_site_are_kept():
    assert mask_personal_data("Mijn naam is jan peeters en ik wil een terras") == (
        "Mijn naam is [naam] en ik wil een terras"
    )
    assert mask_personal_data("Jan Peeters hier. Mag ik een terras bij Café De Zwaan?") == (
        "[naam] hier. Mag ik een terras bij [naam]?"
    )
    assert mask_personal_data("Hallo, ik heet Els. Wat kost een KBO nummer?") == (
        "Hallo, ik heet [naam]. Wat kost een KBO nummer?"
    )
    # A capital the site itself uses is no name; one at the start of a sentence neither.
    assert mask_personal_data("Terras op de Markt", {"markt"}) == "Terras op de Markt"
    assert mask_personal_data("Terras op de Markt") == "Terras op de [naam]"


def test_an_unanswered_question_is_stored_without_the_name_in_it(services, home_page):
    answer = answer_question(
        question="Mijn naam is Piet Janssens, hoe krijg ik een nieuw paspoort voor Horeca?",
        root=home_page,
    )
    assert not answer.known
    stored = UnansweredQuestion.objects.get()
    assert "Piet" not in stored.question + stored.key
    assert "janssens" not in stored.key
    # "Horeca" is a word of the site (a search word of the terrace service): kept.
    assert stored.question == "Mijn naam is [naam], hoe krijg ik een nieuw paspoort voor Horeca?"


# --- synonyms per website -------------------------------------------------------------------


def test_a_synonym_of_one_website_only_works_there(services, home_page):
    other_root = Page.get_first_root_node().add_child(
        instance=HomePage(title="Andere gemeente", slug="andere")
    )
    other_site = Site.objects.create(hostname="andere.example", root_page=other_root)
    AssistantSynonym.objects.create(term="reclamebord", meaning="publiciteit", site=other_site)
    assert not answer_question(question="reclamebord aan de gevel", root=home_page).known
    this_site = home_page.get_site()
    AssistantSynonym.objects.create(term="reclamebord", meaning="publiciteit", site=this_site)
    answer = answer_question(question="reclamebord aan de gevel", root=home_page)
    assert answer.known
    assert answer.pages[0].page.pk == services["signs"].pk


def test_a_websites_own_synonym_wins_over_one_of_every_website(services, home_page):
    AssistantSynonym.objects.create(term="bord", meaning="windscherm")
    AssistantSynonym.objects.create(term="bord", meaning="publiciteit", site=home_page.get_site())
    answer = answer_question(question="bord", root=home_page)
    assert answer.pages[0].page.pk == services["signs"].pk


def test_the_same_word_twice_for_one_website_is_refused_in_the_admin(admin_client, home_page):
    AssistantSynonym.objects.create(term="terras", meaning="inname openbaar domein")
    response = admin_client.post(
        reverse("wagtailsnippets_cms_assistantsynonym:add"),
        {"term": "Terras", "meaning": "iets anders", "site": ""},
    )
    assert response.status_code == 200
    assert "Er is al een synoniem voor dit woord op elke website." in response.content.decode()
    assert AssistantSynonym.objects.count() == 1


# --- a question to the desk becomes a dossier with the conversation --------------------------


DESK_STEPS = [
    {
        "type": "step",
        "value": {
            "title": "Uw vraag",
            "intro": "",
            "fields": [
                {
                    "type": "long_text",
                    "value": {
                        "label": "Uw vraag",
                        "name": "vraag",
                        "required": True,
                        "prefill": True,
                    },
                },
                {
                    "type": "email",
                    "value": {
                        "label": "E-mail",
                        "name": "email",
                        "required": True,
                        "maps_to": "applicant_email",
                    },
                },
            ],
        },
    }
]


@pytest.fixture
def desk(home_page, team, services):
    service = make_service(home_page, "Een vraag stellen aan het loket", slug="vraag")
    service.form_page = make_form_page(
        service,
        title="Vraag aan het loket",
        slug="vraag-stellen",
        steps=DESK_STEPS,
        reference_prefix="VRG",
        team=team,
    )
    service.save()
    contact = home_page.add_child(
        instance=ContactPage(title="Contact", slug="contact", appointment_page=service)
    )
    branding = SiteBranding.for_site(home_page.get_site())
    branding.contact_page = contact
    branding.save()
    return service


def desk_link(html):
    found = re.search(r'<a href="([^"]+)" data-assistant-desk>', html)
    assert found, html
    return unescape(found.group(1))


def test_a_refusal_links_to_the_desks_form_with_the_conversation(client, desk):
    response = client.get(
        reverse("assistant"),
        {"vraag": "wanneer wordt het restafval opgehaald", "eerder": ["wat kost een terras"]},
    )
    html = response.content.decode()
    assert "Stel uw vraag aan een medewerker van het loket" in html
    url = desk_link(html)
    assert url.startswith(desk.form_page.url + "stap/1/?vraag=")
    text = parse_qs(urlsplit(url).query)["vraag"][0]
    assert text == (
        "Mijn vragen aan de assistent:\n- wat kost een terras\n"
        "- wanneer wordt het restafval opgehaald\nDe assistent wist het antwoord niet.\n"
    )
    # The next question carries both questions along.
    assert html.count('<input type="hidden" name="eerder"') == 2


def test_an_answer_also_offers_the_desk_with_the_pages_it_pointed_to(client, desk, services):
    html = ask(client, "wat kost een terras").content.decode()
    text = parse_qs(urlsplit(desk_link(html)).query)["vraag"][0]
    assert "- wat kost een terras\nDe assistent verwees naar: Terrasvergunning aanvragen" in text


def test_the_conversation_in_the_form_becomes_a_dossier(
    client, desk, django_capture_on_commit_callbacks
):
    html = ask(client, "wanneer wordt het restafval opgehaald").content.decode()
    form_html = client.get(desk_link(html)).content.decode()
    assert "- wanneer wordt het restafval opgehaald" in unescape(form_html)
    form = desk.form_page
    text = parse_qs(urlsplit(desk_link(html)).query)["vraag"][0]
    client.post(
        form.url + "stap/1/",
        {
            f"loket-form-{form.pk}-current_step": "1",
            "1-vraag": text + "Mijn adres is de Markt.",
            "1-email": "an@example.be",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form.url + "controleren/", {})
    dossier = Dossier.objects.get()
    assert dossier.form_page_id == form.pk
    answers = next(iter(dossier.answers.values()))
    assert answers["vraag"].startswith("Mijn vragen aan de assistent:\n- wanneer wordt")


def test_without_a_form_to_fill_in_the_desk_link_opens_the_desks_page(client, desk):
    desk.form_page.unpublish()
    html = ask(client, "wanneer wordt het restafval opgehaald").content.decode()
    assert desk_link(html) == desk.url


def test_a_long_conversation_drops_the_earliest_questions():
    questions = [f"vraag nummer {n} " + "x" * 150 for n in range(6)]
    text = conversation_text(questions, [], limit=500)
    assert len(text) <= 500
    assert "vraag nummer 5" in text and "vraag nummer 0" not in text


# --- the chat on service pages ----------------------------------------------------------------


def test_service_pages_have_the_assistant_without_inline_script(client, services):
    html = client.get(services["terrace"].url).content.decode()
    assert 'for="service-assistant"' in html
    assert 'data-assistant-answer aria-live="polite"' in html
    assert "cms/js/assistant.js" in html
    assert "<script>" not in html


def test_the_finder_answers_with_its_advice(services, home_page):
    from .builders import answer, make_finder, question

    finder = make_finder(
        home_page,
        question(
            "plaats",
            "Waar vindt het evenement plaats?",
            answer(
                "In een zaal",
                services=[services["terrace"]],
                advice="<p>Kijk na of de zaal een brandveiligheidsattest heeft.</p>",
            ),
        ),
    )
    reply = answer_question(question="brandveiligheidsattest voor een zaal", root=None)
    assert reply.known
    match = reply.pages[0]
    assert match.page.pk == finder.pk
    passage = match.passages[0][1]
    assert passage.heading == "Waar vindt het evenement plaats?"
    assert "brandveiligheidsattest" in passage.text and "Terrasvergunning" in passage.text
    assert passage.url == finder.url

    finder.unpublish()
    forget_indexes()
    assert not answer_question(question="brandveiligheidsattest voor een zaal", root=None).known
