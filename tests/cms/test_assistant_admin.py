"""The assistant's report in the admin per municipality: an editor sees the unanswered
questions of their own website only, and adds a synonym straight from a question."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from cms.assistant.indexes import forget_indexes
from cms.assistant.services import answer_question, record_unanswered, suggested_term
from cms.models import AssistantBestBet, AssistantSynonym, ServicePage, UnansweredQuestion
from cms.municipalities import add_municipality
from tests.factories import UserFactory

from .builders import make_service

pytestmark = pytest.mark.django_db

REPORT_PERMISSIONS = [
    "view_unansweredquestion",
    "change_unansweredquestion",
    "delete_unansweredquestion",
    "add_assistantsynonym",
    "add_assistantbestbet",
]


@pytest.fixture(autouse=True)
def fresh_indexes():
    forget_indexes()
    yield
    forget_indexes()


@pytest.fixture
def municipalities():
    a = add_municipality(name="Gemeente Aanzee", hostname="aanzee.localhost")
    b = add_municipality(name="Gemeente Bzonder", hostname="bzonder.localhost")
    for municipality in (a, b):
        municipality.editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="cms", codename__in=REPORT_PERMISSIONS
            )
        )
    record_unanswered("waar is het zwembad van Aanzee", site=a.site)
    record_unanswered("mag mijn reclamebord in Bzonder hangen", site=b.site)
    return a, b


def editor_of(municipality, username) -> Client:
    user = UserFactory(username=username)
    user.groups.add(municipality.editors)
    client = Client()
    client.force_login(user)
    return client


def test_an_unanswered_question_is_kept_for_the_website_it_was_asked_on(municipalities):
    a, b = municipalities
    answer_question(question="waar is het zwembad van Aanzee", root=a.home)
    answer_question(question="waar is het zwembad van Aanzee", root=b.home)
    assert UnansweredQuestion.objects.get(site=a.site).times_asked == 2
    assert UnansweredQuestion.objects.filter(site=b.site).count() == 2


def test_municipality_as_editor_never_sees_bs_questions(municipalities):
    a, b = municipalities
    client = editor_of(a, "editor_a")
    html = client.get(reverse("unanswered_questions:index")).content.decode()
    assert "zwembad" in html
    assert "mag mijn reclamebord" not in html
    # Searching the report does not find it either.
    html = client.get(reverse("unanswered_questions:index"), {"q": "reclamebord"}).content.decode()
    assert "mag mijn reclamebord" not in html
    # B's question does not open in any of the report's screens.
    question_b = UnansweredQuestion.objects.get(site=b.site)
    for name in (
        "edit",
        "delete",
        "history",
        "usage",
        "add_synonym",
        "add_faq_item",
        "add_best_bet",
    ):
        url = reverse(f"unanswered_questions:{name}", args=[question_b.pk])
        assert client.get(url).status_code == 404, name
    assert (
        not client.post(
            reverse("unanswered_questions:edit", args=[question_b.pk]), {"handled": "on"}
        ).status_code
        == 200
    )
    question_b.refresh_from_db()
    assert not question_b.handled
    # B's editor sees B's question.
    html = editor_of(b, "editor_b").get(reverse("unanswered_questions:index")).content.decode()
    assert "reclamebord" in html and "zwembad" not in html


def test_a_superuser_sees_every_websites_questions(municipalities, admin_client):
    html = admin_client.get(reverse("unanswered_questions:index")).content.decode()
    assert "zwembad" in html and "reclamebord" in html


def test_the_form_is_filled_in_with_the_questions_words():
    assert suggested_term("Mag mijn reclamebord aan de gevel hangen?") == (
        "reclamebord gevel hangen"
    )
    # The placeholders of masked names and numbers are no words of a synonym.
    assert suggested_term("Ik ben [naam], food truck op [getal] mei?") == "food truck mei"


def test_an_editor_adds_a_synonym_from_the_report(municipalities):
    a, b = municipalities
    client = editor_of(b, "editor_b")
    question = UnansweredQuestion.objects.get(site=b.site)
    url = reverse("unanswered_questions:add_synonym", args=[question.pk])
    index = client.get(reverse("unanswered_questions:index")).content.decode()
    assert f'href="{url}"' in index
    form = client.get(url).content.decode()
    # "Bzonder" was masked as a name when the question was stored.
    assert 'value="reclamebord hangen"' in form
    # Only B's own website can be chosen; not "every website", not A's.
    assert "Gemeente Aanzee" not in form
    response = client.post(
        url, {"term": "Reclamebord", "meaning": "publiciteit", "site": str(b.site.pk)}
    )
    assert response.status_code == 302
    synonym = AssistantSynonym.objects.get()
    assert (synonym.term, synonym.meaning, synonym.site) == ("reclamebord", "publiciteit", b.site)
    question.refresh_from_db()
    assert question.handled


def test_the_synonym_helps_the_next_question(municipalities):
    a, b = municipalities
    make_service(
        b.home,
        "Uithangbord plaatsen",
        slug="reclame",
        what_it_is="<p>Toestemming voor publiciteit aan uw gevel.</p>",
    )
    assert not answer_question(question="reclamebord aan de gevel", root=b.home).known
    client = editor_of(b, "editor_b")
    question = UnansweredQuestion.objects.filter(site=b.site).order_by("pk").last()
    client.post(
        reverse("unanswered_questions:add_synonym", args=[question.pk]),
        {"term": "reclamebord", "meaning": "publiciteit", "site": str(b.site.pk)},
    )
    forget_indexes()
    answer = answer_question(question="reclamebord aan de gevel", root=b.home)
    assert answer.known and answer.pages[0].page.slug == "reclame"


def test_a_synonym_for_another_website_or_every_website_is_refused(municipalities):
    a, b = municipalities
    client = editor_of(b, "editor_b")
    question = UnansweredQuestion.objects.get(site=b.site)
    url = reverse("unanswered_questions:add_synonym", args=[question.pk])
    for site, message in ((str(a.site.pk), "Selecteer een geldige keuze"), ("", "verplicht")):
        response = client.post(url, {"term": "reclamebord", "meaning": "publiciteit", "site": site})
        assert response.status_code == 200
        assert message in response.content.decode(), site
    assert not AssistantSynonym.objects.exists()


def test_the_same_word_twice_gets_a_dutch_message(municipalities):
    a, b = municipalities
    AssistantSynonym.objects.create(term="reclamebord", meaning="publiciteit", site=b.site)
    client = editor_of(b, "editor_b")
    question = UnansweredQuestion.objects.get(site=b.site)
    response = client.post(
        reverse("unanswered_questions:add_synonym", args=[question.pk]),
        {"term": "Reclamebord", "meaning": "uithangbord", "site": str(b.site.pk)},
    )
    assert response.status_code == 200
    assert "Deze website heeft al een synoniem voor dit woord." in response.content.decode()
    assert AssistantSynonym.objects.count() == 1


def test_without_permission_to_add_synonyms_there_is_no_button_and_no_form(municipalities):
    a, b = municipalities
    b.editors.permissions.remove(Permission.objects.get(codename="add_assistantsynonym"))
    client = editor_of(b, "editor_b")
    question = UnansweredQuestion.objects.get(site=b.site)
    url = reverse("unanswered_questions:add_synonym", args=[question.pk])
    assert url not in client.get(reverse("unanswered_questions:index")).content.decode()
    # Wagtail answers "no permission" with a redirect to the dashboard and a message.
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, {"term": "x", "meaning": "y", "site": b.site.pk}).status_code in (
        302,
        403,
    )
    assert not AssistantSynonym.objects.exists()
    question.refresh_from_db()
    assert not question.handled


def test_editors_see_and_change_only_their_own_websites_synonyms(municipalities):
    a, b = municipalities
    a.editors.permissions.add(
        *Permission.objects.filter(
            codename__in=["change_assistantsynonym", "delete_assistantsynonym"]
        )
    )
    own = AssistantSynonym.objects.create(term="frituur", meaning="horeca", site=a.site)
    other = AssistantSynonym.objects.create(term="bzondersnack", meaning="horeca", site=b.site)
    everywhere = AssistantSynonym.objects.create(term="foodtruck", meaning="ambulante handel")
    client = editor_of(a, "editor_a")
    html = client.get(reverse("wagtailsnippets_cms_assistantsynonym:list")).content.decode()
    assert "frituur" in html and "foodtruck" in html
    assert "bzondersnack" not in html
    edit = "wagtailsnippets_cms_assistantsynonym:edit"
    assert client.get(reverse(edit, args=[own.pk])).status_code == 200
    # Another website's synonym and one of every website do not open for an editor.
    for synonym in (other, everywhere):
        assert client.get(reverse(edit, args=[synonym.pk])).status_code == 404
        delete = reverse("wagtailsnippets_cms_assistantsynonym:delete", args=[synonym.pk])
        assert client.post(delete).status_code == 404
    assert AssistantSynonym.objects.count() == 3
    # The add form offers A's website only.
    response = client.post(
        reverse("wagtailsnippets_cms_assistantsynonym:add"),
        {"term": "kraam", "meaning": "markt", "site": str(b.site.pk)},
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not AssistantSynonym.objects.filter(term="kraam").exists()


# --- "Add an FAQ item" ---------------------------------------------------------------------


def test_an_editor_adds_an_faq_item_as_a_draft_of_their_own_service(municipalities):
    a, b = municipalities
    own = make_service(b.home, "Uithangbord plaatsen", slug="reclame")
    other = make_service(a.home, "Terras in Aanzee", slug="terras-a")
    client = editor_of(b, "editor_b")
    question = UnansweredQuestion.objects.get(site=b.site)
    url = reverse("unanswered_questions:add_faq_item", args=[question.pk])
    assert f'href="{url}"' in client.get(reverse("unanswered_questions:index")).content.decode()
    form = client.get(url).content.decode()
    # The question is prefilled as stored (masked); only B's own services are offered.
    assert 'value="mag mijn reclamebord in [naam] hangen"' in form
    assert "Uithangbord plaatsen" in form and "Terras in Aanzee" not in form
    # A's service is refused even when posted by hand.
    response = client.post(
        url, {"service": str(other.pk), "question": "Mag een reclamebord?", "answer": "Ja."}
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    response = client.post(
        url,
        {
            "service": str(own.pk),
            "question": "Mag mijn reclamebord aan de gevel?",
            "answer": "Ja, met toestemming <voor> publiciteit.",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=[own.pk])
    assert "moet nog gepubliceerd" in response.content.decode()
    question.refresh_from_db()
    assert question.handled
    own.refresh_from_db()
    # Not published: the live page has no FAQ item; the draft has it, the text escaped.
    assert len(own.faq) == 0 and own.has_unpublished_changes
    draft = own.get_latest_revision_as_object()
    item = draft.faq[0].value
    assert item["question"] == "Mag mijn reclamebord aan de gevel?"
    assert "&lt;voor&gt;" in item["answer"].source
    # The assistant does not quote the draft.
    forget_indexes()
    assert not answer_question(question="reclamebord aan de gevel", root=b.home).known


def test_the_faq_item_builds_on_a_newer_draft(municipalities):
    a, b = municipalities
    service = make_service(b.home, "Uithangbord plaatsen", slug="reclame")
    service.save_revision().publish()
    service = ServicePage.objects.get(pk=service.pk)
    service.intro = "Een nieuwe samenvatting, nog niet gepubliceerd."
    service.save_revision()
    client = editor_of(b, "editor_b")
    question = UnansweredQuestion.objects.get(site=b.site)
    client.post(
        reverse("unanswered_questions:add_faq_item", args=[question.pk]),
        {"service": str(service.pk), "question": "Reclamebord?", "answer": "Ja."},
    )
    draft = ServicePage.objects.get(pk=service.pk).get_latest_revision_as_object()
    assert draft.intro == "Een nieuwe samenvatting, nog niet gepubliceerd."
    assert [block.value["question"] for block in draft.faq] == ["Reclamebord?"]
    assert ServicePage.objects.get(pk=service.pk).intro == "Samenvatting van Uithangbord plaatsen."


def test_without_page_edit_permission_the_service_cannot_be_chosen(municipalities):
    from wagtail.models import GroupPagePermission

    a, b = municipalities
    service = make_service(b.home, "Uithangbord plaatsen", slug="reclame")
    GroupPagePermission.objects.filter(group=b.editors).delete()
    client = editor_of(b, "editor_b")
    question = UnansweredQuestion.objects.get(site=b.site)
    url = reverse("unanswered_questions:add_faq_item", args=[question.pk])
    response = client.post(url, {"service": str(service.pk), "question": "x?", "answer": "y"})
    assert response.status_code in (200, 404)
    assert len(ServicePage.objects.get(pk=service.pk).get_latest_revision_as_object().faq) == 0
    question.refresh_from_db()
    assert not question.handled


def test_without_permission_to_change_questions_there_is_no_faq_form(municipalities):
    a, b = municipalities
    service = make_service(b.home, "Uithangbord plaatsen", slug="reclame")
    b.editors.permissions.remove(Permission.objects.get(codename="change_unansweredquestion"))
    client = editor_of(b, "editor_b")
    question = UnansweredQuestion.objects.get(site=b.site)
    url = reverse("unanswered_questions:add_faq_item", args=[question.pk])
    assert url not in client.get(reverse("unanswered_questions:index")).content.decode()
    response = client.post(url, {"service": str(service.pk), "question": "x?", "answer": "y"})
    assert response.status_code in (302, 403)
    assert len(ServicePage.objects.get(pk=service.pk).get_latest_revision_as_object().faq) == 0


# --- "Add a link" (best bets) ---------------------------------------------------------------


def test_an_editor_adds_a_link_that_puts_the_page_first(municipalities):
    a, b = municipalities
    wanted = make_service(
        b.home, "Uithangbord plaatsen", slug="reclame", what_it_is="<p>Publiciteit.</p>"
    )
    make_service(
        b.home,
        "Gevelrenovatie premie",
        slug="gevel",
        what_it_is="<p>Een premie voor uw gevel en een reclamebord aan de gevel.</p>",
    )
    other = make_service(a.home, "Reclame in Aanzee", slug="reclame-a")
    before = answer_question(question="mag mijn reclamebord aan de gevel", root=b.home)
    assert before.known and before.pages[0].page.slug == "gevel"
    client = editor_of(b, "editor_b")
    question = UnansweredQuestion.objects.get(site=b.site)
    url = reverse("unanswered_questions:add_best_bet", args=[question.pk])
    assert f'href="{url}"' in client.get(reverse("unanswered_questions:index")).content.decode()
    form = client.get(url).content.decode()
    assert 'value="reclamebord hangen"' in form
    assert "Uithangbord plaatsen" in form and "Reclame in Aanzee" not in form
    assert "Gemeente Aanzee" not in form
    # A's page and A's website are refused.
    for data in (
        {"words": "reclamebord", "page": str(other.pk), "site": str(b.site.pk)},
        {"words": "reclamebord", "page": str(wanted.pk), "site": str(a.site.pk)},
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Selecteer een geldige keuze" in response.content.decode()
    # Only stop words: a Dutch message.
    response = client.post(url, {"words": "de het", "page": str(wanted.pk), "site": b.site.pk})
    assert "Schrijf minstens" in response.content.decode()
    assert not AssistantBestBet.objects.exists()
    response = client.post(
        url, {"words": "Reclamebord gevel", "page": str(wanted.pk), "site": str(b.site.pk)}
    )
    assert response.status_code == 302
    bet = AssistantBestBet.objects.get()
    assert (bet.words, bet.page_id, bet.site, bet.created_by.username) == (
        "reclamebord gevel",
        wanted.pk,
        b.site,
        "editor_b",
    )
    question.refresh_from_db()
    assert question.handled
    forget_indexes()
    after = answer_question(question="mag mijn reclamebord aan de gevel", root=b.home)
    assert [page.page.slug for page in after.pages][:2] == ["reclame", "gevel"]
    # A question without all of its words is ranked as before.
    assert answer_question(question="premie voor de gevel", root=b.home).pages[0].page.slug == (
        "gevel"
    )
    # The link does not work on another website.
    assert all(
        page.page.pk != wanted.pk
        for page in answer_question(question="reclamebord gevel", root=a.home).pages
    )


def test_a_link_to_an_unpublished_page_is_not_followed(municipalities):
    a, b = municipalities
    page = make_service(b.home, "Uithangbord plaatsen", slug="reclame")
    AssistantBestBet.objects.create(words="zwembad", page=page, site=b.site)
    assert answer_question(question="waar is het zwembad", root=b.home).pages[0].page.pk == page.pk
    page.unpublish()
    forget_indexes()
    assert not answer_question(question="waar is het zwembad", root=b.home).known


def test_editors_see_and_change_only_their_own_websites_links(municipalities):
    a, b = municipalities
    a.editors.permissions.add(
        *Permission.objects.filter(
            codename__in=["change_assistantbestbet", "delete_assistantbestbet"]
        )
    )
    page_a = make_service(a.home, "Zwembad", slug="zwembad")
    page_b = make_service(b.home, "Reclame", slug="reclame")
    own = AssistantBestBet.objects.create(words="zwemmen", page=page_a, site=a.site)
    other = AssistantBestBet.objects.create(words="bzonderreclame", page=page_b, site=b.site)
    client = editor_of(a, "editor_a")
    html = client.get(reverse("wagtailsnippets_cms_assistantbestbet:list")).content.decode()
    assert "zwemmen" in html and "bzonderreclame" not in html
    edit = "wagtailsnippets_cms_assistantbestbet:edit"
    assert client.get(reverse(edit, args=[own.pk])).status_code == 200
    assert client.get(reverse(edit, args=[other.pk])).status_code == 404
    delete = reverse("wagtailsnippets_cms_assistantbestbet:delete", args=[other.pk])
    assert client.post(delete).status_code == 404
    # B's page cannot be linked from the snippet form either.
    response = client.post(
        reverse("wagtailsnippets_cms_assistantbestbet:add"),
        {"words": "reclame", "page": str(page_b.pk), "site": str(a.site.pk)},
    )
    assert response.status_code == 200
    assert not AssistantBestBet.objects.filter(words="reclame").exists()
