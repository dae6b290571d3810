"""Digital or paper (issue #22): the company's choice in Mijn loket, letters that go on
paper into print batches (one tagged PDF, marked sent), and the eBox through an adapter
(the local simulated one; the real eBox is never called)."""

import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pypdf import PdfReader

from cms.demo.companies import DEMO_POSTCODES, demo_extract
from dossiers import services, workflow
from dossiers.companies.importer import import_extract
from dossiers.constants import Status
from dossiers.correspondence import batches, preferences
from dossiers.correspondence.batch_pdf import batch_pdf
from dossiers.models import ContactPreference, PostedLetter, PrintBatch
from dossiers.outbox import letters
from tests.dossiers.conftest import make_user
from tests.factories import terrace_answers

from .test_company_profile import CAFE, sign_in

pytestmark = pytest.mark.django_db

LOCAL_EBOX = "dossiers.correspondence.ebox.LocalEbox"


@pytest.fixture
def register(settings):
    """The demo extract (with the café) imported for the demo postcode."""
    settings.LOKET_KBO_POSTCODES = sorted(DEMO_POSTCODES)
    import_extract(io.BytesIO(demo_extract()), postcodes=DEMO_POSTCODES)


@pytest.fixture
def decided(form_page, economy, officer):
    """A decided dossier of the café: returns a function that makes its letter."""
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = economy
    dossier.status = Status.IN_REVIEW
    dossier.enterprise_number = CAFE
    dossier.save()
    workflow.transition(dossier, "approve", actor=officer, data={"decision": "Ja."})
    return dossier


def choose(channel, address=""):
    return preferences.record_preference(
        channel=channel,
        enterprise_number=CAFE,
        postal_address=address,
        given_via="Mijn loket",
        given_by="an@cafedemarkt.be",
    )


class TestPreferences:
    def test_the_newest_choice_counts_and_the_earlier_ones_stay(self):
        choose("paper", "De Markt BV\nKerkstraat 3\n9000 Gent")
        choose("email")
        assert preferences.current_preference(enterprise_number=CAFE).channel == "email"
        assert ContactPreference.objects.filter(enterprise_number=CAFE).count() == 2

    def test_paper_needs_an_address(self):
        with pytest.raises(ValueError):
            choose("paper", "  ")

    def test_the_ebox_is_offered_only_with_an_adapter_and_only_to_enterprises(self, settings):
        settings.LOKET_EBOX_ADAPTER = ""
        assert "ebox" not in dict(preferences.available_channels(for_enterprise=True))
        with pytest.raises(ValueError):
            choose("ebox")
        settings.LOKET_EBOX_ADAPTER = LOCAL_EBOX
        assert "ebox" in dict(preferences.available_channels(for_enterprise=True))
        assert "ebox" not in dict(preferences.available_channels(for_enterprise=False))


class TestChoosingInMijnLoket:
    def test_choosing_paper_records_where_and_when(self, client, register):
        sign_in(client, enterprise_number=CAFE)
        page = client.get(reverse("portal:company")).content.decode()
        assert "U koos nog niet: we sturen onze brieven per e-mail." in page
        response = client.post(
            reverse("portal:company"),
            {"channel": "paper", "postal_address": "De Markt BV\nKerkstraat 3\n9000 Gent"},
            follow=True,
        )
        assert "Uw keuze is bewaard." in response.content.decode()
        choice = ContactPreference.objects.get()
        assert (choice.channel, choice.given_via, choice.given_by) == (
            "paper",
            "Mijn loket",
            "an@cafedemarkt.be",
        )
        assert 'data-preference="paper"' in response.content.decode()

    def test_paper_without_an_address_gets_a_dutch_message(self, client, register):
        sign_in(client, enterprise_number=CAFE)
        response = client.post(reverse("portal:company"), {"channel": "paper"})
        assert "Geef het postadres voor brieven op papier." in response.content.decode()
        assert not ContactPreference.objects.exists()

    def test_the_address_is_prefilled_from_the_register(self, client, register):
        sign_in(client, enterprise_number=CAFE)
        page = client.get(reverse("portal:company")).content.decode()
        assert "De Markt\nKerkstraat 3\n9000 Gent" in page


class TestPaper:
    def test_a_letter_for_a_company_that_chose_paper_waits_for_printing(self, decided):
        choose("paper", "De Markt BV\nKerkstraat 3\n9000 Gent")
        letter = letters.ensure_decision_letter(decided.pk)
        posted = PostedLetter.objects.get()
        assert (posted.attachment, posted.channel, posted.sent_at) == (letter, "paper", None)
        # Made twice, queued once.
        letters.ensure_decision_letter(decided.pk)
        assert PostedLetter.objects.count() == 1

    def test_email_needs_no_posted_letter(self, decided):
        choose("email")
        letters.ensure_decision_letter(decided.pk)
        assert not PostedLetter.objects.exists()

    def test_a_batch_is_one_tagged_pdf_with_the_address_in_the_window_then_marked_sent(
        self, decided, admin
    ):
        choose("paper", "De Markt BV\nKerkstraat 3\n9000 Gent")
        letters.ensure_decision_letter(decided.pk)
        [batch] = batches.make_batches(admin)
        assert batches.make_batches(admin) == []  # nothing waits any more
        pdf = PdfReader(io.BytesIO(batch_pdf(batch)))
        assert "/StructTreeRoot" in pdf.trailer["/Root"]  # tagged
        first = pdf.pages[0].extract_text()
        assert "Kerkstraat 3" in first and decided.reference in first
        assert decided.reference in pdf.pages[1].extract_text()  # then the letter
        assert batches.mark_sent(batch, admin)
        assert not batches.mark_sent(batch, admin)
        assert PostedLetter.objects.get().sent_at is not None


class TestPrintScreen:
    def test_refused_without_the_permission(self, client, officer, decided):
        choose("paper", "De Markt BV\nKerkstraat 3\n9000 Gent")
        letters.ensure_decision_letter(decided.pk)
        client.force_login(officer)
        # Wagtail sends those without permission back to the dashboard.
        response = client.get(reverse("dossiers_print_batches"))
        assert response.status_code in (302, 403)
        assert decided.reference not in response.content.decode()
        assert client.post(reverse("dossiers_print_batches")).status_code in (302, 403)
        assert not PrintBatch.objects.exists()

    def test_make_download_and_mark_sent(self, client, decided):
        choose("paper", "De Markt BV\nKerkstraat 3\n9000 Gent")
        letters.ensure_decision_letter(decided.pk)
        mailroom = make_user("mailroom", is_staff=True)
        mailroom.user_permissions.add(
            Permission.objects.get(codename="print_letters"),
            Permission.objects.get(codename="access_admin"),
        )
        client.force_login(mailroom)
        page = client.get(reverse("dossiers_print_batches")).content.decode()
        assert decided.reference in page and "Kerkstraat 3" in page
        client.post(reverse("dossiers_print_batches"))
        batch = PrintBatch.objects.get()
        response = client.get(reverse("dossiers_print_batch_pdf", args=[batch.pk]))
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        manifest = client.get(reverse("dossiers_print_batch_csv", args=[batch.pk]))
        assert decided.reference in manifest.content.decode("utf-8-sig")
        assert "De Markt BV / Kerkstraat 3 / 9000 Gent" in manifest.content.decode("utf-8-sig")
        client.post(reverse("dossiers_print_batch_sent", args=[batch.pk]))
        batch.refresh_from_db()
        assert batch.sent_at is not None and batch.sent_by == mailroom


class TestEbox:
    def test_a_letter_goes_to_the_simulated_ebox(
        self, decided, settings, tmp_path, django_capture_on_commit_callbacks
    ):
        settings.LOKET_EBOX_ADAPTER = LOCAL_EBOX
        settings.LOKET_EBOX_LOCAL_DIR = str(tmp_path)
        choose("ebox")
        with django_capture_on_commit_callbacks(execute=True):
            letters.ensure_decision_letter(decided.pk)
        posted = PostedLetter.objects.get()
        assert posted.sent_at is not None and posted.ebox_reference.startswith("local-")
        delivered = tmp_path / CAFE / f"{posted.ebox_reference}.json"
        assert json.loads(delivered.read_text())["subject"] == decided.form_title
        assert (tmp_path / CAFE / f"{posted.ebox_reference}.pdf").read_bytes()[:5] == b"%PDF-"
