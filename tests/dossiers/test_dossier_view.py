"""The dossier view (inspect) and the actions on it: answers, files, notes, timeline,
assignment and status buttons, all as plain HTML forms."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse

from dossiers import services, workflow
from dossiers.constants import EventType, Outcome, Status
from dossiers.models import Attachment
from forms_builder.schema import display_answers
from tests.factories import DossierFactory, terrace_answers

pytestmark = pytest.mark.django_db


def inspect_url(dossier):
    return reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])


def action_url(action, dossier):
    return reverse(f"dossiers_dossier_modeladmin_{action}", args=[dossier.pk])


def download_url(attachment):
    return reverse(
        "dossiers_dossier_modeladmin_attachment", args=[attachment.dossier_id, attachment.pk]
    )


def flashed(response):
    return [(m.level, str(m)) for m in get_messages(response.wsgi_request)]


def levels(response):
    return [level for level, _text in flashed(response)]


@pytest.fixture
def terrace_dossier(form_page, economy):
    """A dossier of the demo terrace form, handled by the team "Economie"."""
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = economy
    dossier.save()
    return dossier


def add_file(dossier, name="plan.pdf", content=b"%PDF-1.4 plan", step_id="", field_name=""):
    attachment = Attachment(
        dossier=dossier,
        original_name=name,
        size=len(content),
        content_type="application/pdf",
        step_id=step_id,
        field_name=field_name,
    )
    attachment.file.save(name, ContentFile(content), save=True)
    return attachment


@pytest.fixture
def as_officer(client, officer):
    client.force_login(officer)
    return client


class TestAnswers:
    def test_every_answer_with_the_frozen_label_and_its_types_display(
        self, as_officer, form_page, terrace_dossier
    ):
        form_page.steps[1].value["fields"][2].value["label"] = "Startdatum (nieuw)"
        form_page.save()

        content = as_officer.get(inspect_url(terrace_dossier)).content.decode()

        sections = display_answers(terrace_dossier.schema, terrace_dossier.answers)
        assert [s["title"] for s in sections] == ["Uw onderneming", "Uw terras"]
        for section in sections:
            assert f"<h3>{section['title']}</h3>" in content
            for row in section["rows"]:
                if row["value"]:
                    assert f"<dt>{row['label']}</dt><dd>{row['value']}</dd>" in content
        assert "Vanaf wanneer wilt u het terras plaatsen?" in content
        assert "Startdatum (nieuw)" not in content
        assert "2026-04-01" not in content  # the date type shows dates the Dutch way

    def test_files_are_listed_with_their_answer(self, as_officer, economy):
        dossier = DossierFactory(team=economy)
        attachment = add_file(dossier, step_id="step-1", field_name="naam")

        content = as_officer.get(inspect_url(dossier)).content.decode()

        link = f'<a href="{download_url(attachment)}" download>plan.pdf</a>'
        assert re.search(r"<dt>Uw naam</dt><dd><ul><li>" + re.escape(link), content)
        files = re.search(r'<section aria-labelledby="files-title">.*?</section>', content, re.S)
        assert link in files.group(0)


class TestDownload:
    def test_officer_downloads_a_file_and_it_is_logged(self, as_officer, officer, economy):
        dossier = DossierFactory(team=economy)
        attachment = add_file(dossier, name="bouwplan 2026.pdf")

        response = as_officer.get(download_url(attachment))

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 plan"
        assert response["Content-Disposition"] == 'attachment; filename="bouwplan 2026.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        event = dossier.events.get(type=EventType.ATTACHMENT_DOWNLOADED)
        assert event.actor == officer
        assert not event.public
        assert event.data == {"attachment": attachment.pk, "name": "bouwplan 2026.pdf"}

    def test_file_of_another_dossier_is_not_found(self, as_officer, economy):
        dossier, other = DossierFactory(team=economy), DossierFactory(team=economy)
        attachment = add_file(other)
        url = reverse("dossiers_dossier_modeladmin_attachment", args=[dossier.pk, attachment.pk])

        assert as_officer.get(url).status_code == 404
        assert not dossier.events.exists() and not other.events.exists()

    def test_missing_file_is_not_found_and_not_logged(self, as_officer, economy):
        dossier = DossierFactory(team=economy)
        attachment = add_file(dossier)
        attachment.file.storage.delete(attachment.file.name)

        assert as_officer.get(download_url(attachment)).status_code == 404
        assert not dossier.events.exists()

    def test_post_is_not_allowed(self, as_officer, economy):
        attachment = add_file(DossierFactory(team=economy))

        assert as_officer.post(download_url(attachment)).status_code == 405


class TestNotes:
    def test_officer_adds_a_note(self, as_officer, officer, economy):
        dossier = DossierFactory(team=economy)

        response = as_officer.post(action_url("note", dossier), {"text": "Belde met de zaak."})

        assert response.status_code == 302
        assert response.url == inspect_url(dossier)
        assert levels(response) == [messages.SUCCESS]
        note = dossier.events.get(type=EventType.NOTE_ADDED)
        assert (note.actor, note.public, note.data) == (
            officer,
            False,
            {"text": "Belde met de zaak."},
        )
        content = as_officer.get(inspect_url(dossier)).content.decode()
        assert "Belde met de zaak." in content

    def test_empty_note_is_refused(self, as_officer, economy):
        dossier = DossierFactory(team=economy)

        response = as_officer.post(action_url("note", dossier), {"text": "  "})

        assert levels(response) == [messages.ERROR]
        assert not dossier.events.exists()

    def test_the_applicant_never_sees_notes(self, client, officer, terrace_dossier):
        services.add_note(terrace_dossier, "Intern: vriend van de burgemeester", author=officer)

        content = client.get(terrace_dossier.get_status_url()).content.decode()

        assert "vriend van de burgemeester" not in content


class TestTimeline:
    def test_tells_the_story_and_keeps_views_apart(self, as_officer, officer, colleague, economy):
        dossier = DossierFactory(team=economy)
        services.assign(dossier, colleague, actor=officer)
        workflow.transition(dossier, "start_review", actor=colleague)
        services.add_note(dossier, "Even nakijken", author=colleague)

        response = as_officer.get(inspect_url(dossier))

        assert [e.type for e in response.context["timeline"]] == [
            EventType.ASSIGNED,
            EventType.STATUS_CHANGED,
            EventType.NOTE_ADDED,
        ]
        assert [e.type for e in response.context["audit"]] == [EventType.VIEWED]
        content = response.content.decode()
        assert "Colleague" in content
        assert "<details>" in content


class TestButtons:
    """Exactly the actions this officer may take now, each a form of its own."""

    def offered(self, client, dossier):
        response = client.get(inspect_url(dossier))
        assert response.status_code == 200
        content = response.content.decode()
        return {
            "transitions": re.findall(r'name="transition" value="(\w+)"', content),
            "take": f'name="assignee" value="{response.wsgi_request.user.pk}"' in content,
            "give": 'name="assignee" required' in content,
            "unassign": '<input type="hidden" name="assignee" value="">' in content,
        }

    def test_officer_on_a_new_dossier(self, as_officer, colleague, economy):
        offered = self.offered(as_officer, DossierFactory(team=economy))

        assert offered == {
            "transitions": ["start_review", "request_information", "forward"],
            "take": True,
            "give": True,
            "unassign": False,
        }

    def test_officer_on_a_colleagues_closed_dossier(self, as_officer, colleague, economy):
        dossier = DossierFactory(team=economy, status=Status.CLOSED, assigned_to=colleague)

        offered = self.offered(as_officer, dossier)

        assert offered == {"transitions": [], "take": False, "give": False, "unassign": False}
        assert "actions-title" not in as_officer.get(inspect_url(dossier)).content.decode()

    def test_lead_reopens_and_reassigns(self, client, lead, officer, colleague, economy):
        client.force_login(lead)
        closed = DossierFactory(team=economy, status=Status.CLOSED, assigned_to=officer)
        open_one = DossierFactory(team=economy, status=Status.IN_REVIEW, assigned_to=officer)

        assert self.offered(client, closed)["transitions"] == ["reopen"]
        assert self.offered(client, open_one) == {
            "transitions": ["request_information", "approve", "reject", "forward"],
            "take": True,
            "give": True,
            "unassign": True,
        }


class TestAssignView:
    def test_officer_takes_the_dossier(self, as_officer, officer, economy):
        dossier = DossierFactory(team=economy)

        response = as_officer.post(
            action_url("assign", dossier), {"assignee": officer.pk, "expected_assignee": ""}
        )

        assert response.url == inspect_url(dossier)
        assert levels(response) == [messages.SUCCESS]
        dossier.refresh_from_db()
        assert dossier.assigned_to == officer

    def test_officer_gives_it_to_a_colleague(self, as_officer, colleague, economy):
        dossier = DossierFactory(team=economy)

        as_officer.post(action_url("assign", dossier), {"assignee": colleague.pk})

        dossier.refresh_from_db()
        assert dossier.assigned_to == colleague

    def test_lead_takes_it_away(self, client, lead, officer, economy):
        dossier = DossierFactory(team=economy, assigned_to=officer)
        client.force_login(lead)

        response = client.post(
            action_url("assign", dossier), {"assignee": "", "expected_assignee": officer.pk}
        )

        assert levels(response) == [messages.SUCCESS]
        dossier.refresh_from_db()
        assert dossier.assigned_to is None

    def test_colleague_was_quicker(self, as_officer, officer, colleague, economy):
        dossier = DossierFactory(team=economy, assigned_to=colleague)

        response = as_officer.post(
            action_url("assign", dossier), {"assignee": officer.pk, "expected_assignee": ""}
        )

        assert levels(response) == [messages.ERROR]
        dossier.refresh_from_db()
        assert dossier.assigned_to == colleague

    @pytest.mark.parametrize("assignee", ["other", "9999", "iemand"])
    def test_only_to_officers_of_the_team(self, as_officer, other_officer, economy, assignee):
        dossier = DossierFactory(team=economy)
        value = other_officer.pk if assignee == "other" else assignee

        response = as_officer.post(action_url("assign", dossier), {"assignee": value})

        assert response.url == inspect_url(dossier)
        assert levels(response) == [messages.ERROR]
        dossier.refresh_from_db()
        assert dossier.assigned_to is None
        assert not dossier.events.exists()

    def test_get_is_not_allowed(self, as_officer, officer, economy):
        dossier = DossierFactory(team=economy)

        assert (
            as_officer.get(action_url("assign", dossier), {"assignee": officer.pk}).status_code
            == 405
        )


class TestDecision:
    def test_decision_is_written_on_the_dossier_and_shown(self, as_officer, officer, economy):
        dossier = DossierFactory(team=economy, status=Status.IN_REVIEW)

        as_officer.post(
            action_url("transition", dossier),
            {
                "transition": "reject",
                "expected_status": "in_review",
                "decision": "Te groot.",
                "confirmed": "1",
            },
        )

        dossier.refresh_from_db()
        assert dossier.status == Status.REJECTED
        assert (dossier.decision_outcome, dossier.decision_text) == (Outcome.REJECTED, "Te groot.")
        assert dossier.decided_by == officer
        content = as_officer.get(inspect_url(dossier)).content.decode()
        decision = re.search(
            r'<section aria-labelledby="decision-title">.*?</section>', content, re.S
        )
        assert "Te groot." in decision.group(0)

    def test_officer_cannot_reopen(self, as_officer, economy):
        dossier = DossierFactory(team=economy, status=Status.CLOSED)

        response = as_officer.post(
            action_url("transition", dossier), {"transition": "reopen", "expected_status": "closed"}
        )

        assert levels(response) == [messages.ERROR]
        dossier.refresh_from_db()
        assert dossier.status == Status.CLOSED

    def test_lead_reopens(self, client, lead, economy):
        dossier = DossierFactory(team=economy, status=Status.CLOSED)
        client.force_login(lead)

        response = client.post(
            action_url("transition", dossier), {"transition": "reopen", "expected_status": "closed"}
        )

        assert levels(response) == [messages.SUCCESS]
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW


def test_e_mails_in_the_timeline_are_labelled_as_e_mails(as_officer, economy):
    """Issue #14, item 11: an e-mail sent is not "[intern]"."""
    from dossiers.constants import EventType
    from dossiers.models import Event

    dossier = DossierFactory(team=economy, status=Status.IN_REVIEW)
    Event.objects.create(dossier=dossier, type=EventType.NOTIFICATION_SENT, public=False)
    Event.objects.create(
        dossier=dossier, type=EventType.NOTE_ADDED, public=False, data={"text": "Nota"}
    )

    content = as_officer.get(inspect_url(dossier)).content.decode()

    assert "[e-mail]" in content and "[intern]" in content


def test_the_browser_tab_names_the_dossier(as_officer, economy):
    """Issue #14, item 11: officers keep several dossiers open in tabs."""
    import re

    dossier = DossierFactory(team=economy, status=Status.IN_REVIEW)

    content = as_officer.get(inspect_url(dossier)).content.decode()

    title = re.search(r"<title>(.*?)</title>", content, re.S).group(1)
    assert title.strip().startswith(dossier.reference)


def test_the_answers_are_in_the_main_column_and_the_actions_beside_them(as_officer, economy):
    """Issue #14, item 11: the officer reads the answers and files in the main column
    and acts from the column beside it, without scrolling past everything first."""
    dossier = DossierFactory(team=economy, status=Status.SUBMITTED)
    add_file(dossier, step_id="step-1", field_name="naam")

    content = as_officer.get(inspect_url(dossier)).content.decode()

    main_at = content.index('<div class="loket-dossier__main">')
    side_at = content.index('<div class="loket-dossier__side" data-dossier-side>')
    main, side = content[main_at:side_at], content[side_at:]
    for section in ("answers-title", "files-title", "timeline-title"):
        assert f'aria-labelledby="{section}"' in main, section
    for section in ("actions-title", "notes-title"):
        assert f'aria-labelledby="{section}"' in side, section
    assert 'name="transition" value="start_review"' in side
    assert 'name="transition"' not in main
