"""Letters reach the applicant either way (issue #22): an e-mail that bounces or an eBox
delivery not confirmed in time puts the letter on paper; every message has a delivery
history (admin and status page); letters other than decisions go on paper too; a person
chooses their own channel in Mijn loket; print batches are per municipality."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import Site

from cms.demo.companies import DEMO_POSTCODES, demo_extract
from dossiers import services, workflow
from dossiers.companies.importer import import_extract
from dossiers.constants import Status
from dossiers.correspondence import batches, bounces, history, preferences, printing
from dossiers.correspondence.batch_pdf import batch_pdf
from dossiers.correspondence.ebox import LocalEbox
from dossiers.models import (
    ContactPreference,
    DeliveryRecord,
    Notification,
    PostedLetter,
    PrintBatch,
)
from dossiers.outbox import delivery, letters
from tests.dossiers.conftest import make_user
from tests.factories import terrace_answers

from .test_company_profile import CAFE, sign_in
from .test_correspondence import LOCAL_EBOX, choose

pytestmark = pytest.mark.django_db

ADDRESS = "De Markt BV\nKerkstraat 3\n9000 Gent"


@pytest.fixture
def register(settings):
    """The demo extract (with the café) imported for the demo postcode."""
    settings.LOKET_KBO_POSTCODES = sorted(DEMO_POSTCODES)
    import_extract(io.BytesIO(demo_extract()), postcodes=DEMO_POSTCODES)


@pytest.fixture
def in_review(form_page, economy):
    """The café's dossier, in review."""
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = economy
    dossier.status = Status.IN_REVIEW
    dossier.enterprise_number = CAFE
    dossier.save()
    return dossier


@pytest.fixture
def decided(in_review, officer):
    """The café's dossier, approved."""
    workflow.transition(in_review, "approve", actor=officer, data={"decision": "Ja."})
    return in_review


def dsn(message_id: str, status: str = "5.1.1") -> bytes:
    """A bounce as a mail server writes it (RFC 3464), quoting the original headers."""
    return (
        "From: MAILER-DAEMON@mail.example.org\r\n"
        "To: loket@example.org\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\nContent-Type: text/plain\r\n\r\nThe address does not exist.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mail.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; an@cafedemarkt.be\r\nAction: failed\r\nStatus: {status}\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {message_id}\r\nSubject: Uw aanvraag\r\n"
        "--B--\r\n"
    ).encode()


def send_all(dossier) -> list[Notification]:
    """Send the dossier's pending e-mails (as the task does) and return them."""
    pending = list(Notification.objects.filter(dossier=dossier, status="pending"))
    for notification in pending:
        delivery.deliver(notification.pk)
    return pending


def decision_email(dossier) -> Notification:
    return Notification.objects.get(
        dossier=dossier, kind="status_changed", event__to_status="approved"
    )


def mailroom_user(name="mailroom", *groups):
    user = make_user(name, *groups, is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="print_letters"),
        Permission.objects.get(codename="access_admin"),
    )
    return user


class TestBounceFallsBackToPaper:
    def test_a_bounced_decision_goes_on_paper_with_the_reason_and_the_register_address(
        self, decided, register, settings, tmp_path
    ):
        send_all(decided)
        message_id = decision_email(decided).pk
        assert any(
            m.extra_headers.get("Message-ID") == f"<loket-notification-{message_id}@example.org>"
            for m in mail.outbox
        )
        settings.LOKET_BOUNCE_DIR = str(tmp_path)
        (tmp_path / "bounce-1.eml").write_bytes(
            dsn(f"<loket-notification-{message_id}@example.org>")
        )
        (tmp_path / "spam.eml").write_bytes(b"Subject: hello\r\n\r\nnot a bounce")
        call_command("check_deliveries", stdout=io.StringIO())
        posted = PostedLetter.objects.get()
        assert (posted.channel, posted.reason) == ("paper", "bounced")
        assert posted.attachment.kind == "decision_letter" and posted.notification is None
        # No choice with an address: the company's name and seat in the register.
        assert posted.recipient == "De Markt\nKerkstraat 3\n9000 Gent"
        assert (tmp_path / "done" / "bounce-1.eml").exists()
        assert (tmp_path / "unknown" / "spam.eml").exists()
        # Read again (a copy of the same bounce): still one letter on paper.
        (tmp_path / "bounce-2.eml").write_bytes(
            dsn(f"<loket-notification-{message_id}@example.org>")
        )
        call_command("check_deliveries", stdout=io.StringIO())
        assert PostedLetter.objects.count() == 1
        steps = [s.result for s in DeliveryRecord.objects.filter(notification_id=message_id)]
        assert steps[:3] == ["sent", "bounced", "bounced"]

    def test_a_temporary_bounce_is_only_written_in_the_history(self, decided):
        send_all(decided)
        notification = decision_email(decided)
        bounce = bounces.parse_bounce(dsn(bounces.message_id_for(notification), "4.2.2"))
        assert bounce.permanent is False
        assert bounces.record_bounce(bounce)
        assert not PostedLetter.objects.exists()
        assert DeliveryRecord.objects.filter(result="failed_temporarily").exists()

    def test_a_bounced_receipt_is_no_letter(self, decided):
        send_all(decided)
        receipt = Notification.objects.get(dossier=decided, kind="application_received")
        bounces.record_bounce(bounces.parse_bounce(dsn(bounces.message_id_for(receipt))))
        assert not PostedLetter.objects.exists()

    def test_the_officer_sees_why_and_gives_a_missing_address(self, client, decided):
        send_all(decided)
        # Nothing known about the company: no address.
        notification = decision_email(decided)
        bounces.record_bounce(bounces.parse_bounce(dsn(bounces.message_id_for(notification))))
        letter = PostedLetter.objects.get()
        assert letter.recipient == ""
        mailroom = mailroom_user()
        client.force_login(mailroom)
        page = client.get(reverse("dossiers_print_batches")).content.decode()
        assert "De e-mail kwam niet aan" in page and "Geen postadres bekend" in page
        client.post(reverse("dossiers_print_batches"))
        assert not PrintBatch.objects.exists()  # a letter without address waits
        response = client.post(
            reverse("dossiers_print_batches"), {"letter": letter.pk, "address": " "}, follow=True
        )
        assert "Geef de naam en het adres" in response.content.decode()
        client.post(reverse("dossiers_print_batches"), {"letter": letter.pk, "address": ADDRESS})
        client.post(reverse("dossiers_print_batches"))
        letter.refresh_from_db()
        assert letter.batch is not None and letter.recipient == ADDRESS


class TestEboxConfirmation:
    @pytest.fixture
    def ebox(self, settings, tmp_path):
        settings.LOKET_EBOX_ADAPTER = LOCAL_EBOX
        settings.LOKET_EBOX_LOCAL_DIR = str(tmp_path)
        settings.LOKET_EBOX_CONFIRMATION_DAYS = 5
        choose("ebox")

    def test_not_confirmed_in_time_goes_on_paper(
        self, decided, ebox, django_capture_on_commit_callbacks
    ):
        choose("paper", ADDRESS)  # an earlier address is kept for the fallback ...
        choose("ebox")  # ... but the eBox is the choice now
        with django_capture_on_commit_callbacks(execute=True):
            letters.ensure_decision_letter(decided.pk)
        in_ebox = PostedLetter.objects.get(channel="ebox")
        assert printing.check_ebox_deliveries() == (0, 0)  # not yet late
        later = timezone.now() + datetime.timedelta(days=6)
        assert printing.check_ebox_deliveries(now=later) == (0, 1)
        assert printing.check_ebox_deliveries(now=later) == (0, 0)  # once
        paper = PostedLetter.objects.get(channel="paper")
        assert (paper.reason, paper.recipient, paper.attachment_id) == (
            "unconfirmed",
            ADDRESS,
            in_ebox.attachment_id,
        )
        results = [step.result for step in history.history_of(decided)[0].steps]
        assert results == ["sent", "unconfirmed", "waiting_for_print"]

    def test_a_confirmed_delivery_stays_digital(
        self, decided, ebox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            letters.ensure_decision_letter(decided.pk)
        in_ebox = PostedLetter.objects.get()
        LocalEbox.confirm(enterprise_number=CAFE, message_id=in_ebox.ebox_reference)
        later = timezone.now() + datetime.timedelta(days=30)
        assert printing.check_ebox_deliveries(now=later) == (1, 0)
        assert not PostedLetter.objects.filter(channel="paper").exists()
        in_ebox.refresh_from_db()
        assert in_ebox.confirmed_at is not None

    def test_a_refused_delivery_goes_on_paper_at_once(
        self, decided, ebox, settings, django_capture_on_commit_callbacks
    ):
        settings.LOKET_EBOX_ADAPTER = "tests.dossiers.test_delivery.RefusingEbox"
        with django_capture_on_commit_callbacks(execute=True):
            letters.ensure_decision_letter(decided.pk)
        assert PostedLetter.objects.get(channel="paper").reason == "ebox_refused"


class RefusingEbox(LocalEbox):
    """A mailbox that does not take the message (the enterprise has no eBox)."""

    def deliver(self, **kwargs):
        from dossiers.correspondence.ebox import EboxRefused

        raise EboxRefused("no eBox for this enterprise")


class TestOtherLettersOnPaper:
    def test_a_question_to_a_company_that_chose_paper_is_printed_as_a_letter(
        self, in_review, admin
    ):
        choose("paper", ADDRESS)
        workflow.transition(
            in_review, "request_information", actor=admin, data={"question": "Welk plan?"}
        )
        letter = PostedLetter.objects.get(notification__kind="information_requested")
        assert (letter.reason, letter.recipient, letter.attachment_id) == (
            "preference",
            ADDRESS,
            None,
        )
        [batch] = batches.make_batches(admin)
        pdf = PdfReader(io.BytesIO(batch_pdf(batch)))
        assert "Kerkstraat 3" in pdf.pages[0].extract_text()
        assert "Welk plan?" in "".join(page.extract_text() for page in pdf.pages[1:])
        # The e-mail goes too: paper is added, never instead.
        assert Notification.objects.filter(kind="information_requested").exists()

    def test_a_receipt_never_goes_on_paper(self, in_review):
        choose("paper", ADDRESS)
        workflow.transition(in_review, "request_information", data={"question": "Welk plan?"})
        kinds = set(PostedLetter.objects.values_list("notification__kind", flat=True))
        assert kinds == {"information_requested"}


class TestHistoryIsShown:
    def test_the_dossier_view_and_the_status_page_show_how_the_letter_went(
        self, client, decided, admin
    ):
        choose("paper", ADDRESS)
        letters.ensure_decision_letter(decided.pk)
        send_all(decided)
        [batch] = batches.make_batches(admin)
        batches.mark_sent(batch, admin)
        client.force_login(admin)
        page = client.get(f"/admin/dossiers/dossier/inspect/{decided.pk}/").content.decode()
        assert "Verzendgeschiedenis" in page
        assert 'data-delivery-step="in_batch"' in page and f"Afdrukbatch {batch.pk}" in page
        assert 'data-delivery-step="posted"' in page
        client.logout()
        status = client.get(decided.get_status_url()).content.decode()
        assert "Hoe we u onze brieven stuurden" in status
        assert "gedrukt en op de post gedaan" in status
        assert f"Afdrukbatch {batch.pk}" not in status  # no officers' detail

    def test_an_email_that_arrived_is_not_listed_on_the_status_page(self, client, decided):
        send_all(decided)
        assert history.history_of(decided)  # the admin has it
        assert (
            "Hoe we u onze brieven stuurden"
            not in client.get(decided.get_status_url()).content.decode()
        )


class TestPersonalPreference:
    def test_choosing_paper_confirms_in_dutch_and_records_who_where_when(self, client):
        sign_in(client, email="bert@voorbeeld.be")
        url = reverse("portal:letter_preference")
        page = client.get(url).content.decode()
        assert "U koos nog niet: we sturen onze brieven per e-mail." in page
        assert 'value="ebox"' not in page  # the eBox is for enterprises
        response = client.post(
            url,
            {"channel": "paper", "postal_address": "Bert Peeters\nDorp 1\n9000 Gent"},
            follow=True,
        )
        text = response.content.decode()
        assert (
            "Uw keuze is bewaard. Voortaan sturen we onze brieven op papier naar: "
            "Bert Peeters, Dorp 1, 9000 Gent." in text
        )
        choice = ContactPreference.objects.get()
        assert (choice.email, choice.channel, choice.given_via, choice.given_by) == (
            "bert@voorbeeld.be",
            "paper",
            "Mijn loket",
            "bert@voorbeeld.be",
        )

    def test_paper_without_an_address_is_refused_in_dutch(self, client):
        sign_in(client, email="bert@voorbeeld.be")
        response = client.post(reverse("portal:letter_preference"), {"channel": "paper"})
        assert "Geef het postadres voor brieven op papier." in response.content.decode()
        assert not ContactPreference.objects.exists()

    def test_an_unknown_channel_is_refused(self, client):
        sign_in(client, email="bert@voorbeeld.be")
        response = client.post(reverse("portal:letter_preference"), {"channel": "ebox"})
        assert response.status_code == 200 and not ContactPreference.objects.exists()

    def test_signed_out_goes_to_sign_in(self, client):
        response = client.get(reverse("portal:letter_preference"))
        assert response.status_code == 302 and reverse("portal:sign_in") in response["Location"]

    def test_the_post_is_rate_limited(self, client, settings):
        settings.LOKET_RATE_LIMITS = {
            **settings.LOKET_RATE_LIMITS,
            "public_post_per_client": (2, 600),
        }
        sign_in(client, email="bert@voorbeeld.be")
        url = reverse("portal:letter_preference")
        codes = [client.post(url, {"channel": "email"}).status_code for _ in range(3)]
        assert codes == [302, 302, 429]
        assert ContactPreference.objects.count() == 2

    def test_the_choice_is_used_for_the_applicants_letters(self, decided):
        ContactPreference.objects.all().delete()
        preferences.record_preference(
            channel="paper",
            email=decided.applicant_email,
            postal_address=ADDRESS,
            given_via="Mijn loket",
        )
        decided.enterprise_number = ""
        decided.save(update_fields=["enterprise_number"])
        letters.ensure_decision_letter(decided.pk)
        assert PostedLetter.objects.get().recipient == ADDRESS


class TestBatchesPerMunicipality:
    @pytest.fixture
    def two_sites(self, decided, economy):
        default = Site.objects.get(is_default_site=True)
        other = Site.objects.create(
            hostname="bzonder.localhost", root_page=default.root_page, site_name="Bzonder"
        )
        economy.sites.set([default])
        choose("paper", ADDRESS)
        letters.ensure_decision_letter(decided.pk)
        decided.site = default
        decided.save(update_fields=["site"])
        from tests.factories import DossierFactory

        theirs = DossierFactory(site=other, reference="BZO-TER-2026-00077")
        attachment = letters.store_pdf(theirs, "decision_letter", "bzonder.pdf", b"%PDF-1.4")
        PostedLetter.objects.create(
            dossier=theirs,
            attachment=attachment,
            channel="paper",
            recipient="Bzonderling\nBstraat 1",
            reason="preference",
        )
        return default, other

    def test_an_officer_sees_and_batches_only_their_municipality(
        self, client, decided, economy, two_sites
    ):
        default, other = two_sites
        mailroom = mailroom_user("mailroom", economy.group)
        client.force_login(mailroom)
        page = client.get(reverse("dossiers_print_batches")).content.decode()
        assert decided.reference in page and "BZO-TER-2026-00077" not in page
        client.post(reverse("dossiers_print_batches"))
        batch = PrintBatch.objects.get()
        assert batch.site == default and batch.letters.get().dossier == decided
        # B's letters wait for B's mail room; an administrator makes one batch per site.
        admin = make_user("root", is_superuser=True, is_staff=True)
        [theirs] = batches.make_batches(admin)
        assert theirs.site == other
        for name in ("dossiers_print_batch_pdf", "dossiers_print_batch_csv"):
            assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
        assert (
            client.post(reverse("dossiers_print_batch_sent", args=[theirs.pk])).status_code == 404
        )
        theirs.refresh_from_db()
        assert theirs.sent_at is None
