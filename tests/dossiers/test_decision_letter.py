"""The decision letter: templates of decision texts per form, the PDF with the
municipality's letterhead, stored privately, attached to the decision e-mail and
downloadable by the officer and by the applicant (behind the status-page link)."""

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.storage import storages
from django.urls import reverse
from wagtail.models import Site

from cms.models.branding import SiteBranding
from dossiers import services, workflow
from dossiers.constants import Outcome, Status
from dossiers.models import Attachment, AttachmentKind, DecisionTemplate
from dossiers.outbox import letters
from tests.conftest import make_form_page
from tests.factories import DossierFactory, terrace_answers


def letter_previews(html: str) -> list[str]:
    """The srcdoc of every letter preview frame on the page, unescaped."""
    from html.parser import HTMLParser

    found = []

    class Frames(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if tag == "iframe" and "loket-letter-preview" in (attributes.get("class") or ""):
                found.append(attributes.get("srcdoc") or "")

    Frames().feed(html)
    return found


pytestmark = pytest.mark.django_db


@pytest.fixture
def terrace_dossier(form_page, economy):
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = economy
    dossier.status = Status.IN_REVIEW
    dossier.save()
    return dossier


@pytest.fixture
def branding(db):
    site = Site.objects.get(is_default_site=True)
    settings = SiteBranding.for_site(site)
    settings.municipality_name = "Gemeente Voorbeeld"
    settings.address = "Markt 1\n9999 Voorbeeld"
    settings.save()
    return settings


def inspect_url(dossier):
    return reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])


def transition_url(dossier):
    return reverse("dossiers_dossier_modeladmin_transition", args=[dossier.pk])


def approve(client, dossier, **post):
    return client.post(
        transition_url(dossier),
        {"transition": "approve", "expected_status": dossier.status, "confirmed": "1", **post},
    )


def decision_mails():
    return [m for m in mail.outbox if m.attachments]


class TestLetter:
    def test_html_has_letterhead_reference_and_decision(self, terrace_dossier, officer, branding):
        terrace_dossier.decision_outcome = Outcome.APPROVED
        terrace_dossier.decision_text = "U mag het terras plaatsen."
        terrace_dossier.decided_by = officer
        html = letters.render_decision_letter_html(terrace_dossier)
        assert terrace_dossier.reference in html
        assert "Gemeente Voorbeeld" in html
        assert "9999 Voorbeeld" in html
        assert "U mag het terras plaatsen." in html
        assert "Café De Markt" in html
        assert "Officer" in html

    def test_a_brand_colour_that_is_no_colour_never_reaches_the_style_sheet(
        self, terrace_dossier, officer, branding
    ):
        # Written past the form's validation, as an import or a database edit could.
        # Seven characters, as the column allows, enough to end the rule and start another.
        SiteBranding.objects.filter(pk=branding.pk).update(brand_colour="#fff}*{")
        terrace_dossier.decision_outcome = Outcome.APPROVED
        terrace_dossier.decided_by = officer

        html = letters.render_decision_letter_html(terrace_dossier)

        assert "}*{" not in html
        assert ".letterhead { background: #1d4e89;" in html

    def test_pdf_made_and_stored_privately_once(self, terrace_dossier, officer, branding):
        workflow.transition(
            terrace_dossier, "approve", actor=officer, data={"decision": "Goedgekeurd."}
        )
        letter = letters.ensure_decision_letter(terrace_dossier.pk)
        assert letter.kind == AttachmentKind.DECISION_LETTER
        private = storages["private"]
        assert letter.file.storage.location == private.location
        assert letter.file.storage.location != django_settings.MEDIA_ROOT
        assert private.exists(letter.file.name)
        with letter.file.open("rb") as handle:
            assert handle.read().startswith(b"%PDF")
        # Idempotent: a second run keeps the letter.
        assert letters.ensure_decision_letter(terrace_dossier.pk).pk == letter.pk
        assert terrace_dossier.attachments.filter(kind=AttachmentKind.DECISION_LETTER).count() == 1


class TestDecisionMail:
    def test_approval_mail_carries_the_letter(
        self, client, officer, terrace_dossier, branding, django_capture_on_commit_callbacks
    ):
        client.force_login(officer)
        with django_capture_on_commit_callbacks(execute=True):
            response = approve(client, terrace_dossier, decision="U mag het terras plaatsen.")
        assert response.status_code == 302
        terrace_dossier.refresh_from_db()
        assert terrace_dossier.status == Status.APPROVED
        letter = Attachment.objects.get(
            dossier=terrace_dossier, kind=AttachmentKind.DECISION_LETTER
        )
        sent = decision_mails()
        assert len(sent) == 1
        name, content, mimetype = sent[0].attachments[0]
        assert name == letter.original_name
        assert mimetype == "application/pdf"
        assert content.startswith(b"%PDF")
        assert sent[0].to == [terrace_dossier.applicant_email]

    def test_letter_made_by_the_mail_when_the_task_did_not_run(
        self, officer, terrace_dossier, branding, django_capture_on_commit_callbacks, monkeypatch
    ):
        from dossiers import tasks

        monkeypatch.setattr(tasks, "queue_decision_letter", lambda dossier_id: None)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.transition(
                terrace_dossier, "reject", actor=officer, data={"decision": "Te groot."}
            )
        assert decision_mails()[0].attachments[0][2] == "application/pdf"
        assert terrace_dossier.attachments.filter(kind=AttachmentKind.DECISION_LETTER).count() == 1

    def test_other_status_mails_carry_nothing(
        self, officer, terrace_dossier, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            workflow.transition(
                terrace_dossier, "request_information", actor=officer, data={"question": "?"}
            )
        assert mail.outbox and not decision_mails()


class TestTemplates:
    @pytest.fixture
    def templates(self, form_page, terrace_dossier):
        own = DecisionTemplate.objects.create(
            name="Terras ok", outcome=Outcome.APPROVED, body="Het terras mag er komen."
        )
        own.form_pages.add(form_page)
        every = DecisionTemplate.objects.create(
            name="Algemeen ok", outcome=Outcome.APPROVED, body="Goedgekeurd."
        )
        refusal = DecisionTemplate.objects.create(
            name="Algemeen nee", outcome=Outcome.REJECTED, body="Geweigerd."
        )
        other_form = DecisionTemplate.objects.create(
            name="Ander formulier", outcome=Outcome.APPROVED, body="Iets anders."
        )
        other_form.form_pages.add(
            make_form_page(form_page.get_parent(), title="Ander", slug="ander", team=form_page.team)
        )
        return {"own": own, "every": every, "refusal": refusal, "other": other_form}

    def test_offered_per_form_and_outcome(self, client, officer, terrace_dossier, templates):
        client.force_login(officer)
        html = client.get(inspect_url(terrace_dossier)).content.decode()
        assert 'name="decision_template"' in html
        assert "Terras ok" in html and "Algemeen ok" in html and "Algemeen nee" in html
        assert "Ander formulier" not in html
        approved = set(DecisionTemplate.for_dossier(terrace_dossier, Outcome.APPROVED))
        assert approved == {templates["own"], templates["every"]}
        assert list(DecisionTemplate.for_dossier(terrace_dossier, Outcome.REJECTED)) == [
            templates["refusal"]
        ]

    def test_empty_text_takes_the_template(self, client, officer, terrace_dossier, templates):
        client.force_login(officer)
        approve(client, terrace_dossier, decision="", decision_template=templates["own"].pk)
        terrace_dossier.refresh_from_db()
        assert terrace_dossier.status == Status.APPROVED
        assert terrace_dossier.decision_text == "Het terras mag er komen."

    def test_written_text_wins(self, client, officer, terrace_dossier, templates):
        client.force_login(officer)
        approve(
            client, terrace_dossier, decision="Eigen tekst.", decision_template=templates["own"].pk
        )
        terrace_dossier.refresh_from_db()
        assert terrace_dossier.decision_text == "Eigen tekst."

    def test_template_of_another_form_or_outcome_is_refused(
        self, client, officer, terrace_dossier, templates
    ):
        client.force_login(officer)
        for template in (templates["other"], templates["refusal"]):
            approve(client, terrace_dossier, decision="", decision_template=template.pk)
            terrace_dossier.refresh_from_db()
            assert terrace_dossier.status == Status.IN_REVIEW

    def test_snippet_is_registered(self, client, admin):
        client.force_login(admin)
        response = client.get(reverse("wagtailsnippets_dossiers_decisiontemplate:list"))
        assert response.status_code == 200


class TestDownloads:
    @pytest.fixture
    def letter(self, officer, terrace_dossier, branding):
        workflow.transition(terrace_dossier, "approve", actor=officer, data={"decision": "Ja."})
        return letters.ensure_decision_letter(terrace_dossier.pk)

    def officer_url(self, letter):
        return reverse(
            "dossiers_dossier_modeladmin_attachment", args=[letter.dossier_id, letter.pk]
        )

    def applicant_url(self, dossier, letter):
        return reverse(
            "dossiers:file",
            kwargs={
                "public_id": dossier.public_id,
                "key": dossier.access_key,
                "attachment_pk": letter.pk,
            },
        )

    def test_officer_of_the_team_downloads_from_the_dossier_view(self, client, officer, letter):
        client.force_login(officer)
        html = client.get(inspect_url(letter.dossier)).content.decode()
        assert self.officer_url(letter) in html
        response = client.get(self.officer_url(letter))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")

    @pytest.mark.parametrize("who", ["other_officer", "editor"])
    def test_others_may_not(self, client, people, letter, who):
        client.force_login(people[who])
        assert client.get(self.officer_url(letter)).status_code in (302, 403, 404)

    def test_anonymous_may_not(self, client, letter):
        response = client.get(self.officer_url(letter))
        assert response.status_code in (302, 403)

    def test_applicant_downloads_from_the_status_page(self, client, terrace_dossier, letter):
        page = client.get(terrace_dossier.get_status_url()).content.decode()
        url = self.applicant_url(terrace_dossier, letter)
        assert url in page
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")

    def test_applicant_link_checks_key_and_dossier(self, client, terrace_dossier, letter):
        wrong_key = reverse(
            "dossiers:file",
            kwargs={
                "public_id": terrace_dossier.public_id,
                "key": "wrong",
                "attachment_pk": letter.pk,
            },
        )
        assert client.get(wrong_key).status_code == 404
        other = DossierFactory(reference="TER-2099-00001")
        assert client.get(self.applicant_url(other, letter)).status_code == 404
        upload = Attachment.objects.create(
            dossier=terrace_dossier, original_name="plan.pdf", file="x/plan.pdf"
        )
        assert client.get(self.applicant_url(terrace_dossier, upload)).status_code == 404


class TestConfirmation:
    """Approving or refusing first shows the letter as it will be sent (issue #14,
    item 9); only the confirmation decides."""

    def test_the_letter_is_shown_and_nothing_happens_before_confirming(
        self, client, officer, terrace_dossier, mailoutbox, django_capture_on_commit_callbacks
    ):
        client.force_login(officer)
        status = terrace_dossier.status
        with django_capture_on_commit_callbacks(execute=True):
            preview = client.post(
                transition_url(terrace_dossier),
                {
                    "transition": "approve",
                    "expected_status": status,
                    "decision": "U mag het terras plaatsen.",
                },
            )

        html = preview.content.decode()
        assert preview.status_code == 200
        assert "loket-letter-preview" in html and "U mag het terras plaatsen." in html
        # The whole letter is inside the frame's srcdoc (escaped), not spilled after it.
        [letter] = letter_previews(html)
        assert "U mag het terras plaatsen." in letter and letter.rstrip().endswith("</html>")
        assert terrace_dossier.reference in html
        assert 'name="confirmed" value="1"' in html
        terrace_dossier.refresh_from_db()
        assert terrace_dossier.status == status and terrace_dossier.decided_at is None
        assert mailoutbox == []

        with django_capture_on_commit_callbacks(execute=True):
            approve(client, terrace_dossier, decision="U mag het terras plaatsen.")
        terrace_dossier.refresh_from_db()
        assert terrace_dossier.decision_outcome == Outcome.APPROVED

    def test_a_refused_decision_says_why_without_a_preview(self, client, officer, terrace_dossier):
        client.force_login(officer)

        response = client.post(
            transition_url(terrace_dossier),
            {"transition": "reject", "expected_status": terrace_dossier.status, "decision": " "},
            follow=True,
        )

        assert "loket-letter-preview" not in response.content.decode()
        terrace_dossier.refresh_from_db()
        assert terrace_dossier.decided_at is None
