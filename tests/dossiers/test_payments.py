"""Asking for payment (issue #17): the structured communication, the EPC QR code's
payload byte for byte, the use cases with their events and e-mail, the officer's
actions in the back office, and what the applicant sees (status page, PDF)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import segno.helpers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from stdnum.be import ogm_vcs
from wagtail.models import Site

from dossiers import services as dossier_services
from dossiers.constants import EventType, PaymentStatus
from dossiers.exceptions import ActionRefused
from dossiers.models import Event, Notification, PaymentRequest, PaymentSettings
from dossiers.outbox import kinds as email_kinds
from dossiers.outbox import texts
from dossiers.payments import document, epc, references
from dossiers.payments import services as payments
from tests.dossiers.conftest import make_team, make_user
from tests.factories import terrace_answers

pytestmark = pytest.mark.django_db

IBAN = "BE71096123456769"
BIC = "GKCCBEBB"
FEE = Decimal("150.00")


@pytest.fixture
def account(db) -> PaymentSettings:
    """The municipality's account, as finance fills it in under Settings > Payments."""
    account = PaymentSettings.for_site(Site.objects.get(is_default_site=True))
    account.creditor_name = "Gemeente Voorbeeld"
    account.iban = IBAN
    account.bic = BIC
    account.save()
    return account


@pytest.fixture
def dossier(form_page, economy):
    schema = form_page.get_schema()
    dossier = dossier_services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = economy
    dossier.amount_due = FEE
    dossier.save()
    return dossier


@pytest.fixture
def asked(dossier, officer, account) -> PaymentRequest:
    return payments.request_payment(dossier, officer)


def status_url(dossier) -> str:
    return dossier.get_status_url()


def pdf_url(dossier) -> str:
    return reverse(
        "dossiers:payment_request",
        kwargs={"public_id": dossier.public_id, "key": dossier.access_key},
    )


def action_url(dossier) -> str:
    return reverse("dossiers_dossier_modeladmin_payment", args=[dossier.pk])


def flashed(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


# --- the structured communication -------------------------------------------------------


class TestStructuredCommunication:
    def test_check_digits_are_the_remainder_modulo_97(self):
        assert references.check_digits("0108068171") == "83"
        assert ogm_vcs.validate("0108068171" + "83") == "010806817183"

    def test_a_remainder_of_zero_gives_97(self):
        assert int("0000000097") % 97 == 0
        assert references.check_digits("0000000097") == "97"
        assert ogm_vcs.validate("000000009797") == "000000009797"

    def test_a_drawn_zero_remainder_gives_a_valid_reference(self):
        # randbelow gives 96, so the ten digits are 0000000097: a multiple of 97.
        assert references.new_reference(lambda _upper: 96) == "000000009797"

    def test_every_new_reference_is_valid(self):
        for _ in range(500):
            reference = references.new_reference()
            assert len(reference) == 12
            assert ogm_vcs.validate(reference) == reference

    def test_written_forms_are_understood_and_wrong_ones_refused(self):
        assert references.compact("+++010/8068/17183+++") == "010806817183"
        assert references.compact(" 010/8068/17183 ") == "010806817183"
        assert references.compact("+++010/8068/17180+++") is None
        assert references.compact("abc") is None
        assert references.display("010806817183") == "+++010/8068/17183+++"

    def test_check_digits_need_ten_digits(self):
        with pytest.raises(ValueError):
            references.check_digits("123")


class TestUniqueness:
    def test_the_database_refuses_a_reference_twice(self, asked, officer):
        with pytest.raises(IntegrityError), transaction.atomic():
            PaymentRequest.objects.create(
                dossier=asked.dossier,
                amount=Decimal("1.00"),
                due_date=timezone.localdate(),
                structured_reference=asked.structured_reference,
            )

    def test_a_reference_that_is_taken_is_drawn_again(self, asked, officer, monkeypatch):
        drawn = iter([asked.structured_reference, "000000009797"])
        monkeypatch.setattr(references, "new_reference", lambda: next(drawn))
        payments.cancel(asked, officer)

        second = payments.request_payment(asked.dossier, officer)

        assert second.structured_reference == "000000009797"

    def test_no_free_reference_is_a_clear_refusal(self, asked, officer, monkeypatch):
        monkeypatch.setattr(references, "new_reference", lambda: asked.structured_reference)
        payments.cancel(asked, officer)

        with pytest.raises(ActionRefused, match="Probeer het opnieuw"):
            payments.request_payment(asked.dossier, officer)


# --- the EPC QR code ----------------------------------------------------------------------


TRANSFER = epc.Transfer(
    creditor_name="Gemeente Voorbeeld",
    iban="BE71 0961 2345 6769",
    bic="gkccbebb",
    amount=Decimal("12.34"),
    reference="+++010/8068/17183+++",
)


class TestEpcPayload:
    def test_the_payload_byte_for_byte(self):
        assert epc.payload(TRANSFER).encode("utf-8") == (
            b"BCD\n002\n1\nSCT\nGKCCBEBB\nGemeente Voorbeeld\nBE71096123456769\n"
            b"EUR12.34\n\n010806817183"
        )

    def test_the_same_payload_as_segnos_epc_helper(self):
        expected = segno.helpers._make_epc_qr_data(
            "Gemeente Voorbeeld", IBAN, Decimal("12.34"), None, "010806817183", BIC, None, 1
        )
        assert epc.payload(TRANSFER).encode("utf-8") == expected

    def test_accents_are_utf8(self):
        transfer = epc.Transfer("Stad Lède", IBAN, BIC, Decimal("0.01"), "010806817183")
        assert epc.payload(transfer).encode("utf-8").split(b"\n")[5:8] == [
            "Stad Lède".encode(),
            IBAN.encode(),
            b"EUR0.01",
        ]

    def test_the_largest_amount(self):
        transfer = epc.Transfer("X", IBAN, BIC, Decimal("999999999.99"), "010806817183")
        assert "\nEUR999999999.99\n" in epc.payload(transfer)

    @pytest.mark.parametrize(
        "change",
        [
            {"amount": Decimal("0")},
            {"amount": Decimal("-1")},
            {"amount": Decimal("1000000000.00")},
            {"amount": Decimal("1.234")},
            {"amount": Decimal("NaN")},
            {"amount": "twelve"},
            {"iban": "BE71096123456760"},
            {"bic": "GKCC"},
            {"creditor_name": "x" * 71},
            {"creditor_name": "  "},
            {"creditor_name": "Gemeente\x00Voorbeeld"},
            {"reference": "010806817180"},
        ],
    )
    def test_wrong_details_are_refused_before_drawing(self, change):
        fields = {**TRANSFER.__dict__, **change}
        with pytest.raises(epc.EpcError):
            epc.payload(epc.Transfer(**fields))
        with pytest.raises(epc.EpcError):
            epc.qr_code(epc.Transfer(**fields))

    def test_the_code_has_error_correction_m_in_byte_mode(self):
        qr = epc.qr_code(TRANSFER)
        assert qr.error == "M"
        assert qr.mode == "byte"
        assert qr.version <= 13
        assert epc.svg_data_uri(TRANSFER).startswith("data:image/svg+xml")
        assert epc.png_data_uri(TRANSFER).startswith("data:image/png;base64,")


# --- the settings ------------------------------------------------------------------------


class TestSettings:
    def test_iban_and_bic_are_cleaned(self, account):
        account.iban = "be71 0961 2345 6769"
        account.bic = "gkccbebb"
        account.full_clean()
        assert (account.iban, account.bic) == (IBAN, BIC)

    @pytest.mark.parametrize(
        "field, value",
        [
            ("iban", "BE71096123456760"),  # wrong check digits
            ("iban", "BE68539007547034"),  # valid IBAN, unknown Belgian bank
            ("bic", "GKCC"),
        ],
    )
    def test_wrong_numbers_get_a_dutch_message(self, account, field, value):
        setattr(account, field, value)
        with pytest.raises(ValidationError) as caught:
            account.full_clean()
        assert field in caught.value.message_dict

    def test_an_iban_needs_a_name(self, account):
        account.creditor_name = ""
        with pytest.raises(ValidationError) as caught:
            account.full_clean()
        assert "creditor_name" in caught.value.message_dict


# --- the use cases ------------------------------------------------------------------------


class TestRequestPayment:
    def test_the_fee_by_the_sites_term_with_an_event_and_an_email(self, asked, dossier, officer):
        assert asked.amount == FEE
        assert asked.status == PaymentStatus.OPEN
        assert asked.due_date == timezone.localdate() + datetime.timedelta(days=30)
        assert asked.created_by == officer
        event = Event.objects.get(type=EventType.PAYMENT_REQUESTED)
        assert event.public and event.actor == officer
        assert event.data["payment_request"] == asked.pk
        assert event.data["amount"] == "150.00"
        notification = Notification.objects.get(kind="payment_requested")
        assert notification.recipient == dossier.applicant_email

    def test_the_email_says_what_to_pay(self, asked, dossier):
        event = Event.objects.get(type=EventType.PAYMENT_REQUESTED)
        subject, body = texts.render(email_kinds.get_kind("payment_requested"), event)
        assert dossier.reference in subject
        assert "€ 150,00" in body
        assert asked.display_reference in body
        assert "BE71 0961 2345 6769" in body
        assert "Gemeente Voorbeeld" in body
        assert dossier.get_absolute_status_url() in body

    def test_the_emails_placeholders_for_editable_texts(self, asked):
        event = Event.objects.get(type=EventType.PAYMENT_REQUESTED)
        values = email_kinds.get_kind("payment_requested").placeholders(event)
        assert values["mededeling"] == asked.display_reference
        assert values["rekeningnummer"] == "BE71 0961 2345 6769"

    def test_another_amount_needs_a_reason(self, dossier, officer, account):
        with pytest.raises(ActionRefused, match="anders is dan de kosten"):
            payments.request_payment(dossier, officer, amount=Decimal("99.00"))

        asked = payments.request_payment(
            dossier, officer, amount=Decimal("99.00"), reason="Kleiner terras"
        )
        assert asked.amount == Decimal("99.00")
        assert Event.objects.get(type=EventType.PAYMENT_REQUESTED).data["reason"] == (
            "Kleiner terras"
        )

    def test_without_a_fee_the_officer_sets_the_amount(self, dossier, officer, account):
        dossier.amount_due = None
        dossier.save()
        with pytest.raises(ActionRefused, match="geen kosten"):
            payments.request_payment(dossier, officer)

    @pytest.mark.parametrize(
        "amount", [Decimal("0"), Decimal("0.001"), Decimal("1000000000"), Decimal("NaN"), "abc"]
    )
    def test_amounts_out_of_range_are_refused(self, dossier, officer, account, amount):
        with pytest.raises(ActionRefused):
            payments.request_payment(dossier, officer, amount=amount, reason="test")
        assert not PaymentRequest.objects.exists()

    def test_one_open_request_at_a_time(self, asked, dossier, officer):
        with pytest.raises(ActionRefused, match="al een open betaalverzoek"):
            payments.request_payment(dossier, officer)

    def test_no_account_no_request(self, dossier, officer):
        with pytest.raises(payments.PaymentsNotConfigured):
            payments.request_payment(dossier, officer)

    def test_a_date_in_the_past_is_refused(self, dossier, officer, account):
        with pytest.raises(ActionRefused, match="verleden"):
            payments.request_payment(
                dossier, officer, due_date=timezone.localdate() - datetime.timedelta(days=1)
            )

    def test_an_officer_of_another_team_cannot(self, dossier, account, other_officer):
        with pytest.raises(ActionRefused):
            payments.request_payment(dossier, other_officer)
        assert not PaymentRequest.objects.exists()


class TestChangeCancelPaid:
    def test_changing_the_amount_keeps_the_reference_and_mails_again(self, asked, officer):
        changed = payments.change_amount(asked, officer, Decimal("120.50"), "Korting")

        assert changed.amount == Decimal("120.50")
        assert changed.structured_reference == asked.structured_reference
        event = Event.objects.filter(type=EventType.PAYMENT_REQUESTED).latest("pk")
        assert event.data["before"] == "150.00" and event.data["amount"] == "120.50"
        assert Notification.objects.filter(kind="payment_requested").count() == 2
        _subject, body = texts.render(email_kinds.get_kind("payment_requested"), event)
        assert "€ 120,50" in body

    def test_a_change_needs_a_reason(self, asked, officer):
        with pytest.raises(ActionRefused, match="waarom"):
            payments.change_amount(asked, officer, Decimal("1.00"), "  ")

    def test_marking_paid_needs_a_note_and_records_it(self, asked, officer):
        with pytest.raises(ActionRefused, match="notitie"):
            payments.mark_paid(asked, officer, "")

        paid = payments.mark_paid(asked, officer, "Gezien op rekeninguittreksel 12")

        assert paid.status == PaymentStatus.PAID and paid.closed_at is not None
        event = Event.objects.get(type=EventType.PAYMENT_RECEIVED)
        assert event.actor == officer
        assert event.data["note"] == "Gezien op rekeninguittreksel 12"
        assert event.data["source"] == payments.MANUAL

    def test_cancelling_records_an_event(self, asked, officer):
        payments.cancel(asked, officer, "Vergissing")
        asked.refresh_from_db()
        assert asked.status == PaymentStatus.CANCELLED
        assert Event.objects.get(type=EventType.PAYMENT_CANCELLED).data["note"] == "Vergissing"

    def test_a_closed_request_cannot_change(self, asked, officer):
        payments.mark_paid(asked, officer, "Bankuittreksel")
        for act in (
            lambda: payments.cancel(asked, officer),
            lambda: payments.mark_paid(asked, officer, "twee keer"),
            lambda: payments.change_amount(asked, officer, Decimal("1.00"), "x"),
        ):
            with pytest.raises(ActionRefused, match="niet meer open"):
                act()
        assert Event.objects.filter(type=EventType.PAYMENT_RECEIVED).count() == 1

    def test_a_statement_line_finds_the_open_request(self, asked, officer):
        assert payments.find_open_request(asked.display_reference) == asked
        assert payments.find_open_request("+++010/8068/17180+++") is None
        payments.mark_paid(asked, officer, "Bankuittreksel")
        assert payments.find_open_request(asked.display_reference) is None


# --- the back office ---------------------------------------------------------------------


@pytest.fixture
def as_officer(client, officer):
    client.force_login(officer)
    return client


class TestBackOffice:
    def test_the_dossier_view_shows_the_fee_and_the_request_form(
        self, as_officer, dossier, account
    ):
        page = as_officer.get(
            reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])
        ).content.decode()
        assert 'id="payments-title"' in page
        assert "150,00" in page
        assert 'name="payment-action" value="request"' in page
        assert 'aria-describedby="id_amount_help"' in page and 'id="id_amount_help"' in page

    def test_the_browser_cannot_set_the_amount_nor_the_reference(
        self, as_officer, dossier, account
    ):
        response = as_officer.post(
            action_url(dossier),
            {
                "payment-action": "request",
                "amount_due": "0.01",
                "structured_reference": "010806817183",
                "status": "paid",
                "created_by": "1",
            },
        )
        assert response.status_code == 302
        asked = PaymentRequest.objects.get()
        assert asked.amount == FEE
        assert asked.structured_reference != "010806817183"
        assert asked.status == PaymentStatus.OPEN

    def test_an_amount_in_dutch_notation_with_a_reason(self, as_officer, dossier, account):
        as_officer.post(
            action_url(dossier),
            {"payment-action": "request", "amount": "1234,50", "reason": "Groter terras"},
        )
        assert PaymentRequest.objects.get().amount == Decimal("1234.50")

    @pytest.mark.parametrize("amount", ["abc", "0", "12,345", "-5", "1e9999"])
    def test_a_wrong_amount_is_a_dutch_message_not_an_error(
        self, as_officer, dossier, account, amount
    ):
        response = as_officer.post(
            action_url(dossier), {"payment-action": "request", "amount": amount, "reason": "x"}
        )
        assert response.status_code == 302
        assert not PaymentRequest.objects.exists()
        assert flashed(response)

    def test_mark_paid_and_cancel_from_the_dossier_view(self, as_officer, asked, dossier, officer):
        as_officer.post(
            action_url(dossier),
            {"payment-action": "paid", "payment_request": asked.pk, "note": "Uittreksel 3"},
        )
        asked.refresh_from_db()
        assert asked.status == PaymentStatus.PAID
        assert asked.closing_note == "Uittreksel 3"

    def test_change_the_amount_from_the_dossier_view(self, as_officer, asked, dossier):
        as_officer.post(
            action_url(dossier),
            {
                "payment-action": "change",
                "payment_request": asked.pk,
                "amount": "75,25",
                "reason": "Half seizoen",
            },
        )
        asked.refresh_from_db()
        assert asked.amount == Decimal("75.25")

    @pytest.mark.parametrize("chosen", ["", "abc", "999999"])
    def test_an_unknown_request_is_a_message(self, as_officer, asked, dossier, chosen):
        response = as_officer.post(
            action_url(dossier), {"payment-action": "cancel", "payment_request": chosen}
        )
        assert response.status_code == 302
        asked.refresh_from_db()
        assert asked.status == PaymentStatus.OPEN

    def test_another_dossiers_request_cannot_be_touched(
        self, as_officer, asked, form_page, economy, officer
    ):
        schema = form_page.get_schema()
        other = dossier_services.submit_application(
            form_page=form_page, schema=schema, answers=terrace_answers(schema)
        )
        other.team = economy
        other.save()
        as_officer.post(
            action_url(other), {"payment-action": "cancel", "payment_request": asked.pk}
        )
        asked.refresh_from_db()
        assert asked.status == PaymentStatus.OPEN

    def test_an_officer_of_another_team_gets_no_access(self, client, asked, dossier):
        team = make_team("Sport")
        client.force_login(make_user("stranger", team.group))
        response = client.post(
            action_url(dossier), {"payment-action": "cancel", "payment_request": asked.pk}
        )
        assert response.status_code in (302, 403)
        asked.refresh_from_db()
        assert asked.status == PaymentStatus.OPEN


# --- the applicant ----------------------------------------------------------------------


class TestApplicant:
    def test_the_status_page_shows_what_to_pay_and_the_qr_code(self, client, asked, dossier):
        page = client.get(status_url(dossier)).content.decode()
        assert "€ 150,00" in page
        assert asked.display_reference in page
        assert "BE71 0961 2345 6769" in page
        assert "Gemeente Voorbeeld" in page
        assert asked.due_date.strftime("%Y") in page
        assert 'src="data:image/svg+xml' in page
        assert "QR-code" in page or "QR code" in page
        assert pdf_url(dossier) in page

    def test_the_status_page_says_when_it_is_paid(self, client, asked, dossier, officer):
        payments.mark_paid(asked, officer, "Uittreksel")
        page = client.get(status_url(dossier)).content.decode()
        assert "data:image/svg+xml" not in page
        assert "150,00" in page

    def test_a_tampered_post_on_the_status_page_changes_nothing(self, client, asked, dossier):
        response = client.post(
            status_url(dossier),
            {"sending": "payment", "amount": "0.01", "status": "paid", "payment_request": asked.pk},
        )
        assert response.status_code == 302
        asked.refresh_from_db()
        assert (asked.amount, asked.status) == (FEE, PaymentStatus.OPEN)

    def test_no_request_no_section(self, client, dossier, account):
        assert 'id="payment-title"' not in client.get(status_url(dossier)).content.decode()
        assert client.get(pdf_url(dossier)).status_code == 404

    def test_the_pdf_behind_the_link(self, client, asked, dossier):
        response = client.get(pdf_url(dossier))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")

    def test_a_wrong_key_is_a_404(self, client, asked, dossier):
        url = reverse(
            "dossiers:payment_request",
            kwargs={"public_id": dossier.public_id, "key": "wrong"},
        )
        assert client.get(url).status_code == 404

    def test_the_pdf_has_the_qr_code_with_its_alt_text(self, asked, dossier):
        html = document.render_payment_request_html(
            dossier, payments.shown_request(dossier, qr="png")
        )
        assert 'src="data:image/png;base64,' in html
        assert f"gestructureerde mededeling {asked.display_reference}" in html


def test_the_drawn_code_is_segnos_epc_code_of_the_same_transfer():
    """Without a QR decoder here, compare the modules: ours, drawn from the checked
    payload, equal segno's own EPC helper for the same transfer."""
    reference = segno.helpers.make_epc_qr(
        name="Gemeente Voorbeeld",
        iban=IBAN,
        amount=Decimal("12.34"),
        reference="010806817183",
        bic=BIC,
        encoding=1,
    )
    assert epc.qr_code(TRANSFER).matrix == reference.matrix


class TestSettingsScreen:
    def url(self):
        site = Site.objects.get(is_default_site=True)
        return reverse("wagtailsettings:edit", args=["dossiers", "paymentsettings", site.pk])

    def test_the_screen_opens(self, admin_client):
        assert admin_client.get(self.url()).status_code == 200

    def test_a_wrong_iban_is_a_dutch_message(self, admin_client):
        response = admin_client.post(
            self.url(),
            {
                "creditor_name": "Gemeente Voorbeeld",
                "iban": "BE71096123456760",
                "bic": BIC,
                "payment_term_days": "30",
            },
        )
        assert response.status_code == 200
        assert "Dit is geen geldig IBAN" in response.content.decode()
        assert not PaymentSettings.objects.filter(iban__startswith="BE").exists()

    def test_a_good_account_is_stored_cleaned(self, admin_client):
        admin_client.post(
            self.url(),
            {
                "creditor_name": "Gemeente Voorbeeld",
                "iban": "be71 0961 2345 6769",
                "bic": "gkccbebb",
                "payment_term_days": "14",
            },
        )
        stored = PaymentSettings.objects.get()
        assert (stored.iban, stored.bic, stored.payment_term_days) == (IBAN, BIC, 14)
