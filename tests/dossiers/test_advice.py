"""Advice from other services: asking, the party's link and page, answering, going on
without waiting, reminders, and what the applicant and the officer see."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dossiers import workflow
from dossiers.advice import services as advice
from dossiers.constants import EventType, Status
from dossiers.exceptions import ActionRefused
from dossiers.models import (
    AdviceParty,
    AdviceRequest,
    Attachment,
    AttachmentKind,
    Notification,
    Verdict,
)
from forms_builder.schema import schema_hash
from tests.factories import MINIMAL_SCHEMA, DossierFactory, FormSnapshotFactory
from tests.files import PDF

pytestmark = pytest.mark.django_db

IN_A_WEEK = timezone.localdate() + datetime.timedelta(days=7)


@pytest.fixture
def brigade(db):
    return AdviceParty.objects.create(name="de brandweer", email="advies@brandweer.be")


@pytest.fixture
def police(db):
    return AdviceParty.objects.create(name="de politiezone", email="advies@politie.be")


@pytest.fixture
def dossier(economy):
    return DossierFactory(status=Status.IN_REVIEW, team=economy, stages=["advice"])


def attachment(dossier, name="plan.pdf"):
    file = Attachment(dossier=dossier, original_name=name, content_type="application/pdf")
    file.file.save(name, ContentFile(PDF), save=True)
    return file


def ask(dossier, officer, *parties, **kwargs):
    """Ask advice and return {party address: link path} read from the e-mails written
    to the outbox (the key is in the e-mail and nowhere else)."""
    kwargs.setdefault("deadline", IN_A_WEEK)
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    advice.ask(dossier, officer, parties, **kwargs)
    return {
        each.recipient: link_in(each.body)
        for each in Notification.objects.filter(pk__gt=before, kind="advice_requested")
    }


def link_in(body: str) -> str:
    [link] = re.findall(r"/dossier/advies/\S+/", body)
    return link


class TestAsking:
    def test_each_party_gets_its_own_link_and_only_its_hash_is_stored(
        self, dossier, officer, brigade, police, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            links = ask(dossier, officer, brigade, police, question="Is de doorgang breed genoeg?")

        assert set(links) == {"advies@brandweer.be", "advies@politie.be"}
        requests = list(AdviceRequest.objects.filter(dossier=dossier))
        assert len(requests) == 2
        for each in requests:
            key = links[each.party.email].rstrip("/").rsplit("/", 1)[1]
            assert each.key_hash and key not in each.key_hash and each.key_matches(key)
        assert dossier.events.filter(type=EventType.ADVICE_REQUESTED).count() == 2
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW

    def test_refused_without_the_stage(self, officer, brigade, economy):
        dossier = DossierFactory(status=Status.IN_REVIEW, team=economy, stages=[])
        with pytest.raises(ActionRefused, match="hoort niet bij de procedure"):
            advice.ask(dossier, officer, [brigade], deadline=IN_A_WEEK)
        assert not AdviceRequest.objects.exists()

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"deadline": timezone.localdate()}, "na vandaag"),
            ({"fields": ["step-9:geheim"]}, "van dit dossier"),
        ],
    )
    def test_bad_input_is_refused_in_dutch(self, dossier, officer, brigade, kwargs, message):
        kwargs.setdefault("deadline", IN_A_WEEK)
        with pytest.raises(ActionRefused, match=message):
            advice.ask(dossier, officer, [brigade], **kwargs)

    def test_another_dossiers_files_cannot_be_shared(self, dossier, officer, brigade):
        other = attachment(DossierFactory())
        with pytest.raises(ActionRefused, match="van dit dossier"):
            advice.ask(dossier, officer, [brigade], deadline=IN_A_WEEK, files=[other])

    def test_an_officer_of_another_team_may_not(self, dossier, other_officer, brigade):
        with pytest.raises(ActionRefused):
            advice.ask(dossier, other_officer, [brigade], deadline=IN_A_WEEK)

    def test_applicant_sees_it_only_when_the_form_says_so(
        self, client, dossier, officer, brigade, form_page
    ):
        dossier.form_page = form_page
        dossier.save()
        advice.ask(dossier, officer, [brigade], deadline=IN_A_WEEK)
        assert "advies gevraagd" not in client.get(dossier.get_status_url()).content.decode()

        form_page.advice_public = True
        form_page.save()
        advice.ask(dossier, officer, [brigade], deadline=IN_A_WEEK)
        page = client.get(dossier.get_status_url()).content.decode()
        assert "We hebben de brandweer om advies gevraagd." in page


class TestPartyPage:
    def test_shows_only_the_shared_parts_and_takes_the_answer(
        self, client, dossier, officer, brigade, django_capture_on_commit_callbacks
    ):
        shared = attachment(dossier, "inplantingsplan.pdf")
        attachment(dossier, "identiteitskaart.pdf")
        with django_capture_on_commit_callbacks(execute=True):
            link = ask(dossier, officer, brigade, fields=["step-1:naam"], files=[shared])[
                "advies@brandweer.be"
            ]

        page = client.get(link)
        content = page.content.decode()
        assert page.status_code == 200
        assert "inplantingsplan.pdf" in content and "identiteitskaart.pdf" not in content
        assert "An Peeters" in content
        assert 'type="radio"' in content and "<fieldset" in content

        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                link,
                {
                    "advice-verdict": Verdict.CONDITIONAL,
                    "advice-conditions": "Doorgang van 4 meter vrijhouden.",
                    "advice-files": SimpleUploadedFile(
                        "voorwaarden.pdf", PDF, content_type="application/pdf"
                    ),
                },
            )
        assert response.status_code == 200
        assert "Bedankt voor uw advies" in response.content.decode()
        [given] = AdviceRequest.objects.all()
        assert given.verdict == Verdict.CONDITIONAL and given.answered_at is not None
        [file] = given.files.all()
        assert file.kind == AttachmentKind.ADVICE and file.dossier == dossier
        assert dossier.events.filter(type=EventType.ADVICE_GIVEN, public=False).exists()
        assert [n.kind for n in Notification.objects.filter(event__type=EventType.ADVICE_GIVEN)]
        # Answered: the link no longer works.
        again = client.get(link)
        assert again.status_code == 410
        assert "al gegeven" in again.content.decode()

    def test_conditions_are_needed_with_a_conditional_advice(
        self, client, dossier, officer, brigade, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            link = ask(dossier, officer, brigade)["advies@brandweer.be"]

        response = client.post(link, {"advice-verdict": Verdict.CONDITIONAL})

        content = response.content.decode()
        assert response.status_code == 200
        assert "Er is een probleem" in content
        assert "Schrijf de voorwaarden" in content
        assert not AdviceRequest.objects.filter(answered_at__isnull=False).exists()

    def test_wrong_key_is_refused_in_dutch(
        self, client, dossier, officer, brigade, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            link = ask(dossier, officer, brigade)["advies@brandweer.be"]
        wrong = link.rstrip("/").rsplit("/", 1)[0] + "/verkeerde-sleutel/"

        response = client.get(wrong)

        assert response.status_code == 404
        assert "Deze link is niet geldig" in response.content.decode()

    def test_expired_link_is_refused_in_dutch(
        self, client, dossier, officer, brigade, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            link = ask(dossier, officer, brigade)["advies@brandweer.be"]
        AdviceRequest.objects.update(link_expires_at=timezone.now() - datetime.timedelta(minutes=1))

        response = client.get(link)

        assert response.status_code == 410
        assert "verlopen" in response.content.decode()

    def test_closed_dossier_is_refused_in_dutch(
        self, client, dossier, officer, brigade, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            link = ask(dossier, officer, brigade)["advies@brandweer.be"]
        workflow.transition(dossier, "withdraw", actor_kind="applicant")

        response = client.post(link, {"advice-verdict": Verdict.FAVOURABLE})

        assert response.status_code == 410
        assert "niet meer behandeld" in response.content.decode()
        assert not AdviceRequest.objects.filter(answered_at__isnull=False).exists()

    def test_another_dossiers_file_is_refused_in_dutch(
        self, client, dossier, officer, brigade, django_capture_on_commit_callbacks
    ):
        shared = attachment(dossier)
        not_shared = attachment(dossier, "identiteitskaart.pdf")
        elsewhere = attachment(DossierFactory(), "ander.pdf")
        with django_capture_on_commit_callbacks(execute=True):
            link = ask(dossier, officer, brigade, files=[shared])["advies@brandweer.be"]

        assert client.get(f"{link}bestand/{shared.pk}/").status_code == 200
        for other in (not_shared, elsewhere):
            response = client.get(f"{link}bestand/{other.pk}/")
            assert response.status_code == 404
            assert "hoort niet bij de vraag om advies" in response.content.decode()

    def test_a_shared_upload_answer_names_only_the_shared_files(
        self, client, officer, brigade, economy, django_capture_on_commit_callbacks
    ):
        upload = {
            "id": "field-2",
            "type": "file_upload",
            "name": "bijlagen",
            "label": "Uw bijlagen",
            "help_text": "",
            "required": False,
            "options": {"multiple": True},
        }
        schema = {**MINIMAL_SCHEMA, "steps": [{**MINIMAL_SCHEMA["steps"][0]}]}
        schema["steps"][0]["fields"] = [*schema["steps"][0]["fields"], upload]
        files = [
            {"name": name, "size": len(PDF), "content_type": "application/pdf"}
            for name in ("inplantingsplan.pdf", "identiteitskaart.pdf")
        ]
        dossier = DossierFactory(
            status=Status.IN_REVIEW,
            team=economy,
            stages=["advice"],
            snapshot=FormSnapshotFactory(schema=schema, hash=schema_hash(schema)),
            answers={"step-1": {"naam": "An Peeters", "bijlagen": files}},
        )
        plan, identity = (attachment(dossier, each["name"]) for each in files)
        for each in (plan, identity):
            each.step_id, each.field_name = "step-1", "bijlagen"
            each.save()
        with django_capture_on_commit_callbacks(execute=True):
            links = ask(dossier, officer, brigade, fields=["step-1:bijlagen"], files=[plan])
            only_the_answer = ask(dossier, officer, brigade, fields=["step-1:bijlagen"])

        content = client.get(links["advies@brandweer.be"]).content.decode()
        assert "Uw bijlagen" in content and "inplantingsplan.pdf" in content
        assert "identiteitskaart" not in content
        content = client.get(only_the_answer["advies@brandweer.be"]).content.decode()
        assert "Uw bijlagen" in content and "Geen bestanden gedeeld" in content
        assert "identiteitskaart" not in content and "inplantingsplan" not in content

    def test_another_requests_key_does_not_open_this_one(
        self, client, dossier, officer, brigade, police, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            links = ask(dossier, officer, brigade, police)
        brigade_link, police_link = links["advies@brandweer.be"], links["advies@politie.be"]
        mixed = (
            brigade_link.rstrip("/").rsplit("/", 1)[0]
            + "/"
            + police_link.rstrip("/").rsplit("/", 1)[1]
            + "/"
        )

        assert client.get(mixed).status_code == 404


class TestTheDecisionWaitsForAdvice:
    @pytest.mark.parametrize("name", ["approve", "reject"])
    def test_no_decision_while_advice_is_awaited(self, dossier, officer, brigade, name):
        advice.ask(dossier, officer, [brigade], deadline=IN_A_WEEK)

        assert name not in [t.name for t in workflow.available_transitions(dossier, actor=officer)]
        with pytest.raises(workflow.InvalidTransition, match="nog advies verwacht"):
            workflow.transition(dossier, name, actor=officer, data={"decision": "Ja."})
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW and not dossier.decision_outcome

    def test_decision_once_every_advice_is_in(self, dossier, officer, brigade, police):
        made = advice.ask(dossier, officer, [brigade, police], deadline=IN_A_WEEK)
        advice.answer(made[0], verdict=Verdict.FAVOURABLE)
        with pytest.raises(workflow.InvalidTransition):
            workflow.transition(dossier, "approve", actor=officer, data={"decision": "Ja."})

        advice.answer(made[1], verdict=Verdict.FAVOURABLE)
        workflow.transition(dossier, "approve", actor=officer, data={"decision": "Ja."})

        dossier.refresh_from_db()
        assert dossier.status == Status.APPROVED

    def test_decision_after_going_on_without_waiting(self, dossier, officer, brigade):
        advice.ask(dossier, officer, [brigade], deadline=IN_A_WEEK)
        advice.stop_waiting(dossier, officer)

        workflow.transition(dossier, "reject", actor=officer, data={"decision": "Nee."})

        dossier.refresh_from_db()
        assert dossier.status == Status.REJECTED
        kinds = list(dossier.events.values_list("type", flat=True))
        assert kinds.index(EventType.ADVICE_NOT_AWAITED) < kinds.index(EventType.STATUS_CHANGED)


class TestGoingOnWithoutAdvice:
    def test_open_requests_close_and_it_is_recorded(
        self, client, dossier, officer, brigade, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            link = ask(dossier, officer, brigade)["advies@brandweer.be"]

        assert advice.stop_waiting(dossier, officer) == 1

        [event] = dossier.events.filter(type=EventType.ADVICE_NOT_AWAITED)
        assert event.actor == officer and event.data["parties"] == ["de brandweer"]
        response = client.get(link)
        assert response.status_code == 410
        assert "heeft dit advies niet meer nodig" in response.content.decode()
        with pytest.raises(ActionRefused):
            advice.stop_waiting(dossier, officer)


class TestReminders:
    def test_one_reminder_before_and_one_after_with_a_new_link(
        self, client, dossier, officer, brigade, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            first = ask(dossier, officer, brigade, deadline=IN_A_WEEK)["advies@brandweer.be"]
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            assert advice.send_due_reminders(IN_A_WEEK - datetime.timedelta(days=5)) == 0
            assert advice.send_due_reminders(IN_A_WEEK - datetime.timedelta(days=1)) == 1
            assert advice.send_due_reminders(IN_A_WEEK - datetime.timedelta(days=1)) == 0
            assert advice.send_due_reminders(IN_A_WEEK + datetime.timedelta(days=2)) == 1
            assert advice.send_due_reminders(IN_A_WEEK + datetime.timedelta(days=3)) == 0

        assert len(mail.outbox) == 2
        assert all(email.to == ["advies@brandweer.be"] for email in mail.outbox)
        assert client.get(first).status_code == 404
        assert client.get(link_in(mail.outbox[-1].body)).status_code == 200

    def test_no_reminder_once_answered(self, dossier, officer, brigade):
        [made] = advice.ask(dossier, officer, [brigade], deadline=IN_A_WEEK)
        advice.answer(made, verdict=Verdict.FAVOURABLE)

        assert advice.send_due_reminders(IN_A_WEEK + datetime.timedelta(days=2)) == 0


class TestBackOffice:
    def test_the_dossier_view_shows_every_request_and_answer(
        self, client, dossier, officer, brigade, police
    ):
        made = advice.ask(dossier, officer, [brigade, police], deadline=IN_A_WEEK)
        advice.answer(made[0], verdict=Verdict.UNFAVOURABLE, conditions="Te smal.")
        client.force_login(officer)

        page = client.get(f"/admin/dossiers/dossier/inspect/{dossier.pk}/").content.decode()

        assert "de brandweer" in page and "de politiezone" in page
        assert "Ongunstig" in page and "Te smal." in page
        assert "Zonder wachten op advies verder" in page

    def test_an_officer_asks_through_the_form(self, client, dossier, officer, brigade):
        client.force_login(officer)

        response = client.post(
            f"/admin/dossiers/dossier/advice/{dossier.pk}/",
            {
                "advice-action": "ask",
                "advice-parties": [brigade.pk],
                "advice-deadline": IN_A_WEEK.isoformat(),
                "advice-answers": ["step-1:naam"],
            },
        )

        assert response.status_code == 302
        [made] = AdviceRequest.objects.all()
        assert made.shared_fields == ["step-1:naam"]

    def test_a_past_deadline_is_refused_in_dutch(self, client, dossier, officer, brigade):
        client.force_login(officer)

        response = client.post(
            f"/admin/dossiers/dossier/advice/{dossier.pk}/",
            {
                "advice-action": "ask",
                "advice-parties": [brigade.pk],
                "advice-deadline": "2020-01-01",
            },
            follow=True,
        )

        assert "Kies een datum na vandaag" in response.content.decode()
        assert not AdviceRequest.objects.exists()


def test_the_deadline_field_shows_its_first_date_to_the_browser(client, dossier, officer):
    """A date input only takes ISO dates: in the local format the field stayed empty
    and asking advice failed with "give the date"."""
    client.force_login(officer)
    page = client.get(f"/admin/dossiers/dossier/inspect/{dossier.pk}/").content.decode()

    initial = timezone.localdate() + datetime.timedelta(days=14)
    assert f'name="advice-deadline" value="{initial.isoformat()}"' in page
