"""The applicant's status page: what it shows (and never shows), who reaches what through
its link, how it prints, what it costs in queries, and how floods of requests end."""

import datetime
import re
import uuid

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from core import ratelimit
from dossiers import services, workflow
from dossiers.applicant.status import EVENT_TEXTS, MESSAGE_TEXTS
from dossiers.constants import STATUS_EXPLANATIONS, EventType, Status
from dossiers.messages import services as messaging
from dossiers.models import Attachment, AttachmentKind, Event, Message, new_access_key
from dossiers.outbox import letters
from dossiers.workflow import TRANSITIONS
from tests.dossiers.conftest import make_user
from tests.factories import terrace_answers

pytestmark = pytest.mark.django_db

NOT_FOUND = "Pagina niet gevonden"


@pytest.fixture
def dossier(form_page, economy):
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = economy
    dossier.save()
    return dossier


def another_dossier(form_page, economy):
    schema = form_page.get_schema()
    other = services.submit_application(
        form_page=form_page,
        schema=schema,
        answers=terrace_answers(schema, bedrijfsnaam="Bistro Elders", email="jo@elders.be"),
    )
    other.team = economy
    other.save()
    return other


def file_url(dossier, attachment):
    return reverse(
        "dossiers:file",
        kwargs={
            "public_id": dossier.public_id,
            "key": dossier.access_key,
            "attachment_pk": attachment.pk,
        },
    )


def add_file(dossier, kind, name="stuk.pdf", **extra):
    attachment = Attachment(
        dossier=dossier,
        kind=kind,
        original_name=name,
        size=12,
        content_type="application/pdf",
        **extra,
    )
    attachment.file.save(name, ContentFile(b"%PDF-1.4 stuk"), save=False)
    attachment.save()
    return attachment


def timeline_texts(response) -> list[str]:
    return [event.text for event in response.context["events"]]


def dutch(text) -> str:
    """A text as the page shows it: in Dutch, the site's language."""
    with translation.override("nl"):
        return str(text)


def dutch_date(value) -> str:
    """The date as the page shows it: in the site's time zone (just after midnight in
    Brussels it is still the day before in UTC)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    with translation.override("nl"):
        return date_format(value, "j F Y")


class TestWhatItShows:
    def test_reference_form_dates_and_status_in_plain_dutch(self, client, dossier):
        response = client.get(dossier.get_status_url())

        assert response.status_code == 200
        content = response.content.decode()
        assert dossier.reference in content
        assert "Aanvraag terrasvergunning" in content
        assert dutch_date(dossier.submitted_at) in content
        assert dutch_date(dossier.decision_due) in content
        assert 'class="status-tag status-tag--submitted"' in content
        assert dutch(STATUS_EXPLANATIONS[Status.SUBMITTED]) in content

    def test_the_paused_term_is_explained(self, client, dossier, officer):
        workflow.transition(dossier, "request_information", data={"question": "Welk plan?"})

        response = client.get(dossier.get_status_url())

        assert response.context["term_paused"] is True
        assert 'class="todo todo--action"' in response.content.decode()

    def test_nothing_to_do_is_said_so(self, client, dossier):
        response = client.get(dossier.get_status_url())

        content = response.content.decode()
        assert 'class="todo"' in content
        assert response.context["waiting_for_applicant"] is False
        assert not response.context["unread_messages"]

    def test_the_information_request_include_is_in_the_todo_area(self, client, dossier):
        content = client.get(dossier.get_status_url()).content.decode()

        todo = content[content.index('id="todo-title"') : content.index('id="status-title"')]
        assert "todo__item" in todo

    def test_exactly_the_public_events_with_a_text_each(self, client, dossier, economy):
        officer = make_user("wvandamme", economy.group, last_name="Vandamme")
        Event.objects.create(dossier=dossier, type=EventType.VIEWED, actor=officer)
        Event.objects.create(
            dossier=dossier, type=EventType.NOTE_ADDED, actor=officer, data={"text": "Geheim"}
        )
        services.assign(dossier, officer, actor=officer)
        workflow.transition(dossier, "start_review", actor=officer)
        workflow.transition(
            dossier, "request_information", actor=officer, data={"question": "Hoe breed?"}
        )
        workflow.transition(dossier, "receive_information", actor_kind="applicant")
        messaging.send_from_officer(dossier, officer, "Wij bekijken het.")
        messaging.send_from_applicant(dossier, "Dank u.")
        Event.objects.create(dossier=dossier, type=EventType.RATED, data={"score": 5})

        response = client.get(dossier.get_status_url())

        expected_public = list(dossier.events.filter(public=True).order_by("created_at", "pk"))
        assert [e.pk for e in response.context["events"]] == [e.pk for e in expected_public]
        assert timeline_texts(response) == [
            dutch(EVENT_TEXTS[EventType.SUBMITTED]),
            dutch(TRANSITIONS["start_review"].applicant_text),
            dutch(TRANSITIONS["request_information"].applicant_text),
            dutch(TRANSITIONS["receive_information"].applicant_text),
            dutch(MESSAGE_TEXTS["municipality"]),
            dutch(MESSAGE_TEXTS["applicant"]),
        ]
        content = response.content.decode()
        assert content.count('class="timeline__item"') == 6
        assert "Hoe breed?" in content  # the question was for the applicant
        assert "Geheim" not in content
        for officer_only in ("wvandamme", "Wvandamme", "Vandamme", "Economie"):
            assert officer_only not in content

    def test_every_public_event_has_its_own_sentence(self, client, dossier, officer):
        workflow.transition(dossier, "start_review", actor=officer)
        workflow.transition(dossier, "approve", actor=officer, data={"decision": "Ja."})
        workflow.transition(dossier, "close", actor=officer)

        texts = timeline_texts(client.get(dossier.get_status_url()))

        assert len(set(texts)) == len(texts) == 4
        assert texts[1:] == [
            dutch(TRANSITIONS[name].applicant_text) for name in ("start_review", "approve", "close")
        ]

    def test_documents_messages_and_decision(self, client, dossier, officer):
        workflow.transition(dossier, "start_review", actor=officer)
        workflow.transition(dossier, "approve", actor=officer, data={"decision": "Ja."})
        letter = letters.ensure_decision_letter(dossier.pk)
        messaging.send_from_officer(dossier, officer, "Proficiat met uw terras.")

        content = client.get(dossier.get_status_url()).content.decode()

        assert (
            reverse(
                "dossiers:receipt",
                kwargs={"public_id": dossier.public_id, "key": dossier.access_key},
            )
            in content
        )
        assert file_url(dossier, letter) in content
        assert "Proficiat met uw terras." in content

    def test_private_headers(self, client, dossier):
        response = client.get(dossier.get_status_url())

        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"
        assert "noindex" in response["X-Robots-Tag"]


class TestPrint:
    def test_the_page_loads_a_print_stylesheet(self, client, dossier):
        content = client.get(dossier.get_status_url()).content.decode()

        assert "theme/css/status.css" in content
        css = open(finders.find("theme/css/status.css"), encoding="utf-8").read()
        assert "@media print" in css
        print_rules = css[css.index("@media print") :]
        assert "form" in print_rules and ".site-header" in print_rules
        assert 'a[href^="http"]::after' in print_rules

    def test_forms_and_actions_are_marked_to_hide_on_paper(self, client, dossier):
        content = client.get(dossier.get_status_url()).content.decode()

        assert re.search(r"<form [^>]*data-print-hide", content)
        assert re.search(r'class="status-page__withdraw" data-print-hide', content)


class TestLinks:
    @pytest.mark.parametrize(
        "key",
        ["raden", "sleutél", "x" * 300, "%00", "..%2F..%2Fetc"],
        ids=["wrong", "non-ascii", "long", "nul", "traversal"],
    )
    def test_a_wrong_or_garbled_key_gets_the_dutch_404(self, client, dossier, key):
        url = f"/dossier/{dossier.public_id}/{key}/"

        response = client.get(url)

        assert response.status_code == 404
        assert NOT_FOUND in response.content.decode()
        assert dossier.reference not in response.content.decode()

    def test_an_old_key_no_longer_works(self, client, dossier):
        old_url = dossier.get_status_url()
        dossier.access_key = new_access_key()
        dossier.save()

        response = client.get(old_url)

        assert response.status_code == 404
        assert NOT_FOUND in response.content.decode()
        assert client.get(dossier.get_status_url()).status_code == 200

    def test_the_key_of_another_dossier_does_not_open_this_one(
        self, client, dossier, form_page, economy
    ):
        other = another_dossier(form_page, economy)
        url = reverse(
            "dossiers:status", kwargs={"public_id": dossier.public_id, "key": other.access_key}
        )

        assert client.get(url).status_code == 404

    def test_unknown_dossier_gets_the_dutch_404(self, client, dossier):
        url = reverse(
            "dossiers:status", kwargs={"public_id": uuid.uuid4(), "key": dossier.access_key}
        )

        response = client.get(url)

        assert response.status_code == 404
        assert NOT_FOUND in response.content.decode()

    @pytest.mark.parametrize("view", ["withdraw", "receipt"])
    def test_every_page_behind_the_link_checks_the_key(self, client, dossier, view):
        url = reverse(f"dossiers:{view}", kwargs={"public_id": dossier.public_id, "key": "nee"})

        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404


class TestOtherDossiers:
    @pytest.fixture
    def other(self, form_page, economy, officer):
        other = another_dossier(form_page, economy)
        message = messaging.send_from_officer(other, officer, "Alleen voor Bistro Elders.")
        add_file(other, AttachmentKind.MESSAGE, "elders-bericht.pdf", message=message)
        add_file(other, AttachmentKind.INFORMATION, "elders-plan.pdf")
        add_file(other, AttachmentKind.DECISION_LETTER, "elders-beslissing.pdf")
        add_file(other, AttachmentKind.RECEIPT, "elders-ontvangst.pdf")
        return other

    def test_files_of_another_dossier_are_not_found_with_this_link(self, client, dossier, other):
        for attachment in other.attachments.all():
            response = client.get(file_url(dossier, attachment))
            assert response.status_code == 404, attachment.kind
            assert NOT_FOUND in response.content.decode()

    def test_the_same_files_are_found_with_their_own_link(self, client, other):
        for attachment in other.attachments.all():
            response = client.get(file_url(other, attachment))
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "no-store" in response["Cache-Control"]

    def test_messages_of_another_dossier_are_not_shown(self, client, dossier, other):
        content = client.get(dossier.get_status_url()).content.decode()

        assert "Alleen voor Bistro Elders." not in content
        assert "elders-" not in content
        assert not Message.objects.get(dossier=other).read_at

    def test_the_forms_own_uploads_are_not_served(self, client, dossier):
        upload = add_file(dossier, AttachmentKind.UPLOAD, "plan.pdf")

        assert client.get(file_url(dossier, upload)).status_code == 404


class TestQueries:
    def make_busy(self, dossier, officer, count):
        for number in range(count):
            message = messaging.send_from_officer(dossier, officer, f"Bericht {number}")
            add_file(dossier, AttachmentKind.MESSAGE, f"bijlage-{number}.pdf", message=message)
            messaging.send_from_applicant(dossier, f"Antwoord {number}")
            add_file(dossier, AttachmentKind.INFORMATION, f"document-{number}.pdf")
        workflow.transition(dossier, "start_review", actor=officer)
        workflow.transition(dossier, "request_information", actor=officer, data={"question": "?"})

    def queries(self, client, dossier) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(dossier.get_status_url())
        assert response.status_code == 200
        return len(captured)

    def test_the_same_number_of_queries_for_a_small_and_a_busy_dossier(
        self, client, dossier, form_page, economy, officer, django_assert_max_num_queries
    ):
        self.make_busy(dossier, officer, 1)
        busy = another_dossier(form_page, economy)
        self.make_busy(busy, officer, 15)
        assert busy.events.filter(public=True).count() > 30
        client.get(reverse("dossiers:status", kwargs={"public_id": uuid.uuid4(), "key": "x"}))

        small_count = self.queries(client, dossier)
        with django_assert_max_num_queries(small_count):
            client.get(busy.get_status_url())
        # Seen again (messages read now): no more queries either.
        assert self.queries(client, busy) <= small_count
        assert small_count <= 20


class TestRateLimit:
    def flood(self, client, limit=120):
        """Count ``limit`` requests of this client in the current minute."""
        for _number in range(limit):
            ratelimit.hit("dossier_link_per_client", "127.0.0.1", limit=limit, window=60)

    def test_a_flood_of_guessed_links_is_refused(self, client, dossier):
        for _number in range(5):
            assert client.get(f"/dossier/{uuid.uuid4()}/{uuid.uuid4().hex}/").status_code == 404
        self.flood(client)

        response = client.get(f"/dossier/{uuid.uuid4()}/{uuid.uuid4().hex}/")

        assert response.status_code == 429
        assert "Te veel pogingen" in response.content.decode()
        assert response["Retry-After"] == "60"

    def test_the_real_link_is_refused_too_during_a_flood(self, client, dossier):
        self.flood(client)

        assert client.get(dossier.get_status_url()).status_code == 429
        assert client.post(dossier.get_status_url(), {"sending": "message"}).status_code == 429
        receipt = reverse(
            "dossiers:receipt", kwargs={"public_id": dossier.public_id, "key": dossier.access_key}
        )
        assert client.get(receipt).status_code == 429
        assert not dossier.messages.exists()

    def test_people_stay_below_the_limit(self, client, dossier):
        for _number in range(30):
            assert client.get(dossier.get_status_url()).status_code == 200

    def test_other_clients_are_not_hindered(self, client, dossier):
        self.flood(client)

        response = client.get(dossier.get_status_url(), REMOTE_ADDR="10.1.2.3")

        assert response.status_code == 200

    def test_posts_have_a_tighter_limit(self, client, dossier):
        for _number in range(20):
            ratelimit.hit("dossier_post_per_client", "127.0.0.1", limit=20, window=600)

        response = client.post(
            dossier.get_status_url(), {"sending": "message", "message-body": "Hallo"}
        )

        assert response.status_code == 429
        assert not dossier.messages.exists()
        assert client.get(dossier.get_status_url()).status_code == 200

    def test_posts_on_one_dossier_are_limited_from_every_address(self, client, dossier, settings):
        settings.LOKET_RATE_LIMITS = {
            **settings.LOKET_RATE_LIMITS,
            "dossier_post_per_dossier": (2, 3600),
        }
        for number in range(2):
            response = client.post(
                dossier.get_status_url(),
                {"sending": "message", "message-body": f"Bericht {number}"},
                REMOTE_ADDR=f"10.0.0.{number}",
            )
            assert response.status_code == 302

        response = client.post(
            dossier.get_status_url(),
            {"sending": "message", "message-body": "Nog een"},
            REMOTE_ADDR="10.0.0.9",
        )

        assert response.status_code == 429
        content = response.content.decode()
        assert "Te veel pogingen" in content
        assert f'href="{dossier.get_status_url()}"' in content
        assert dossier.messages.count() == 2


def test_the_decision_date_replaces_the_term_once_decided(client, dossier, officer):
    due = dutch_date(dossier.decision_due)
    workflow.transition(dossier, "start_review", actor=officer)
    workflow.transition(dossier, "reject", actor=officer, data={"decision": "Nee."})
    dossier.refresh_from_db()

    response = client.get(dossier.get_status_url())

    content = response.content.decode()
    assert dutch_date(dossier.decided_at) in content
    summary = content[content.index('id="status-title"') : content.index("</dl>")]
    assert due not in summary or due == dutch_date(dossier.decided_at)
    assert 'class="status-tag status-tag--rejected"' in content
