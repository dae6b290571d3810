"""The permit: issued with an approval (with the advice's conditions when the officer
chooses so), the PDF the applicant downloads, the public verification page behind its
QR code (valid, expired, withdrawn; nothing personal) and withdrawing it."""

import datetime

import pytest
from django.utils import timezone

from dossiers import workflow
from dossiers.constants import EventType, Status
from dossiers.exceptions import ActionRefused
from dossiers.models import AdviceParty, AdviceRequest, Permit, PermitState, Verdict
from dossiers.permits import document
from dossiers.permits import services as permits
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DETAILS = {
    "decision": "U mag het terras plaatsen.",
    "valid_from": (TODAY - datetime.timedelta(days=1)).isoformat(),
    "valid_until": (TODAY + datetime.timedelta(days=90)).isoformat(),
    "place": "Markt 1, voor het café",
    "conditions": "Hou 1,5 meter vrij.",
}


def approve(dossier, actor, **changes):
    return workflow.transition(dossier, "approve", actor=actor, data={**DETAILS, **changes})


@pytest.fixture
def dossier(economy):
    return DossierFactory(team=economy, status=Status.IN_REVIEW, stages=["permit"])


class TestIssuing:
    def test_an_approval_issues_the_permit(self, dossier, officer):
        approve(dossier, officer)

        permit = Permit.objects.get(dossier=dossier)
        assert permit.kind == "Terrasvergunning"
        assert permit.place == "Markt 1, voor het café"
        assert permit.conditions == "Hou 1,5 meter vrij."
        assert permit.valid_until == TODAY + datetime.timedelta(days=90)
        assert permit.state() == PermitState.VALID
        assert len(permit.token) >= 32

    def test_no_permit_without_the_stage(self, economy, officer):
        dossier = DossierFactory(team=economy, status=Status.IN_REVIEW, stages=[])
        approve(dossier, officer)
        assert not Permit.objects.exists()

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"valid_from": ""}, "eerste dag"),
            ({"valid_until": "31/12"}, "laatste dag"),
            ({"valid_until": (TODAY - datetime.timedelta(days=5)).isoformat()}, "voor de eerste"),
            ({"place": ""}, "plaats"),
        ],
    )
    def test_the_approval_needs_the_permits_details(self, dossier, officer, changes, message):
        with pytest.raises(ActionRefused, match=message):
            approve(dossier, officer, **changes)
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW and not Permit.objects.exists()

    def test_conditions_of_the_advice_are_taken_over_when_chosen(self, economy, officer):
        dossier = DossierFactory(team=economy, status=Status.IN_REVIEW, stages=["permit"])
        brigade = AdviceParty.objects.create(name="de brandweer", email="a@brandweer.be")
        AdviceRequest.objects.create(
            dossier=dossier,
            party=brigade,
            deadline=TODAY,
            link_expires_at=timezone.now(),
            verdict=Verdict.CONDITIONAL,
            conditions="Doorgang van 4 meter vrijhouden.",
            answered_at=timezone.now(),
            closed_at=timezone.now(),
        )
        approve(dossier, officer, advice_conditions="1")

        assert Permit.objects.get().conditions == (
            "Hou 1,5 meter vrij.\n\nde brandweer: Doorgang van 4 meter vrijhouden."
        )

    def test_without_choosing_the_advice_is_not_taken_over(self, dossier, officer):
        brigade = AdviceParty.objects.create(name="de brandweer", email="a@brandweer.be")
        AdviceRequest.objects.create(
            dossier=dossier,
            party=brigade,
            deadline=TODAY,
            link_expires_at=timezone.now(),
            verdict=Verdict.CONDITIONAL,
            conditions="Doorgang vrijhouden.",
            answered_at=timezone.now(),
        )
        approve(dossier, officer)
        assert "brandweer" not in Permit.objects.get().conditions

    def test_a_refusal_after_reopening_withdraws_the_permit(self, dossier, officer, lead):
        approve(dossier, officer)
        token = dossier.permit.token
        workflow.transition(dossier, "close", actor=officer)
        workflow.transition(dossier, "reopen", actor=lead)
        workflow.transition(dossier, "reject", actor=officer, data={"decision": "Toch niet."})

        permit = Permit.objects.get()
        assert permit.token == token and permit.state() == PermitState.WITHDRAWN


class TestVerificationPage:
    def test_a_valid_permit_and_nothing_personal(self, client, dossier, officer):
        approve(dossier, officer)
        permit = Permit.objects.get()

        response = client.get(f"/vergunning/{permit.token}/")

        content = response.content.decode()
        assert response.status_code == 200
        assert "geldig" in content and "Terrasvergunning" in content
        assert "Markt 1, voor het café" in content
        for personal in ("An Peeters", "Café De Markt", dossier.reference, "an@cafedemarkt.be"):
            assert personal not in content
        assert "noindex" in response["X-Robots-Tag"]
        assert '<meta name="robots" content="noindex' in content
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]

    def test_expired(self, client, dossier, officer):
        approve(
            dossier,
            officer,
            valid_from=(TODAY - datetime.timedelta(days=30)).isoformat(),
            valid_until=(TODAY - datetime.timedelta(days=1)).isoformat(),
        )
        content = client.get(Permit.objects.get().get_verification_url()).content.decode()
        assert "Deze vergunning is verlopen." in content

    def test_withdrawn(self, client, dossier, officer):
        approve(dossier, officer)
        permits.withdraw(dossier, officer, reason="Het terras blokkeerde de nooduitgang.")

        content = client.get(Permit.objects.get().get_verification_url()).content.decode()
        assert "Deze vergunning is ingetrokken." in content
        assert "nooduitgang" not in content

    @pytest.mark.parametrize("token", ["onbekend", "x" * 32])
    def test_an_unknown_token_is_not_found(self, client, token):
        assert client.get(f"/vergunning/{token}/").status_code == 404


class TestWithdrawing:
    def test_the_applicant_reads_it_with_the_reason(self, client, dossier, officer):
        approve(dossier, officer)
        permits.withdraw(dossier, officer, reason="Het terras blokkeerde de nooduitgang.")

        event = dossier.events.get(type=EventType.PERMIT_WITHDRAWN)
        assert event.public and event.actor == officer
        page = client.get(dossier.get_status_url()).content.decode()
        assert "We hebben uw vergunning ingetrokken." in page
        assert "nooduitgang" in page

    def test_refused_in_dutch(self, dossier, officer, other_officer):
        with pytest.raises(ActionRefused, match="geen vergunning"):
            permits.withdraw(dossier, officer, reason="Waarom")
        approve(dossier, officer)
        with pytest.raises(ActionRefused, match="waarom"):
            permits.withdraw(dossier, officer, reason="  ")
        with pytest.raises(ActionRefused):
            permits.withdraw(dossier, other_officer, reason="Waarom")
        permits.withdraw(dossier, officer, reason="Waarom")
        with pytest.raises(ActionRefused, match="al ingetrokken"):
            permits.withdraw(dossier, officer, reason="Nog eens")

    def test_in_the_back_office(self, client, dossier, officer):
        approve(dossier, officer)
        client.force_login(officer)
        page = client.get(f"/admin/dossiers/dossier/inspect/{dossier.pk}/").content.decode()
        assert Permit.objects.get().get_verification_url() in page

        client.post(f"/admin/dossiers/dossier/permit/{dossier.pk}/", {"reason": "Misbruik"})

        assert Permit.objects.get().withdrawal_reason == "Misbruik"


class TestDownload:
    def test_the_applicant_downloads_the_permit_from_the_status_page(
        self, client, dossier, officer
    ):
        approve(dossier, officer)
        page = client.get(dossier.get_status_url()).content.decode()
        url = f"{dossier.get_status_url()}vergunning/"
        assert url in page

        response = client.get(url)

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert document.permit_filename(dossier) in response["Content-Disposition"]

    def test_no_permit_no_download(self, client, dossier):
        assert client.get(f"{dossier.get_status_url()}vergunning/").status_code == 404

    def test_a_wrong_key_is_not_found(self, client, dossier, officer):
        approve(dossier, officer)
        assert client.get(f"/dossier/{dossier.public_id}/verkeerd/vergunning/").status_code == 404

    def test_the_officer_approves_with_the_permits_fields(self, client, dossier, officer):
        client.force_login(officer)
        page = client.get(f"/admin/dossiers/dossier/inspect/{dossier.pk}/").content.decode()
        assert 'name="valid_from"' in page and 'name="place"' in page

        client.post(
            f"/admin/dossiers/dossier/transition/{dossier.pk}/",
            {"transition": "approve", "confirmed": "1", **DETAILS},
        )

        dossier.refresh_from_db()
        assert dossier.status == Status.APPROVED
        assert Permit.objects.get().place == "Markt 1, voor het café"


class TestPaymentBeforeThePermit:
    """Stages "payment" and "permit" together: the approval records the permit's
    details, and the permit is issued from them once the applicant has paid."""

    def test_the_permit_waits_for_the_payment(
        self, economy, officer, django_capture_on_commit_callbacks
    ):
        from decimal import Decimal

        from dossiers.models import PaymentRequest
        from dossiers.payments import references
        from dossiers.payments import services as payments

        dossier = DossierFactory(
            team=economy, status=Status.IN_REVIEW, stages=["payment", "permit"]
        )
        approve(dossier, officer)
        assert not Permit.objects.filter(dossier=dossier).exists()

        request = PaymentRequest.objects.create(
            dossier=dossier,
            amount=Decimal("50.40"),
            due_date=TODAY,
            structured_reference=references.new_reference(),
        )
        with django_capture_on_commit_callbacks(execute=True):
            payments.mark_paid(request, officer, "Gezien op de rekening.")

        permit = Permit.objects.get(dossier=dossier)
        assert permit.place == "Markt 1, voor het café"
        assert permit.valid_until == TODAY + datetime.timedelta(days=90)
        assert permit.state() == PermitState.VALID

    def test_an_approval_without_details_is_refused_also_when_payment_comes_first(
        self, economy, officer
    ):
        dossier = DossierFactory(
            team=economy, status=Status.IN_REVIEW, stages=["payment", "permit"]
        )

        with pytest.raises(ActionRefused):
            approve(dossier, officer, place="")


class TestWithdrawalEmail:
    def test_the_applicant_gets_an_e_mail_with_the_reason(
        self, dossier, officer, django_capture_on_commit_callbacks
    ):
        from dossiers.models import Notification

        dossier.applicant_email = "an@example.be"
        dossier.save(update_fields=["applicant_email"])
        approve(dossier, officer)
        with django_capture_on_commit_callbacks(execute=True):
            permits.withdraw(dossier, officer, reason="Het terras blokkeerde de nooduitgang.")

        notification = Notification.objects.get(kind="permit_withdrawn")
        assert notification.recipient == "an@example.be"
        assert dossier.reference in notification.subject
        assert "nooduitgang" in notification.body and "ingetrokken" in notification.body
