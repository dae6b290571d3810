"""Decision letters from templates per form (issue #14, item 10): the legal basis, the
standard conditions and how to appeal around the officer's text, with placeholders;
the decision e-mail says in words what was decided; the confirmation page shows the
whole letter."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dossiers import services, workflow
from dossiers.constants import Status
from dossiers.models import DecisionLetterTemplate
from dossiers.outbox import letters
from tests.conftest import make_form_page
from tests.factories import terrace_answers

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
def terrace_letter(form_page):
    return DecisionLetterTemplate.objects.create(
        form_page=form_page,
        language="nl",
        opening="Het college besliste op {datum} over uw aanvraag {referentienummer}.",
        legal_basis="Het reglement op terrassen van {gemeente}.",
        conditions="Laat 1,5 meter vrij voor voetgangers.",
        appeal="Schrijf binnen 30 dagen naar het college. Of naar de Raad van State.",
    )


def decide(dossier, officer, name="approve", text="U mag het terras plaatsen."):
    return workflow.transition(dossier, name, actor=officer, data={"decision": text})


def transition_url(dossier):
    return reverse("dossiers_dossier_modeladmin_transition", args=[dossier.pk])


class TestLetterFromTemplate:
    def test_the_forms_template_surrounds_the_officers_text(
        self, terrace_dossier, officer, terrace_letter
    ):
        decided = decide(terrace_dossier, officer)
        html = letters.render_decision_letter_html(decided)
        assert "Het college besliste op" in html
        assert f"over uw aanvraag {decided.reference}." in html
        assert "Regelgeving" in html and "Het reglement op terrassen van" in html
        assert "Voorwaarden" in html and "Laat 1,5 meter vrij voor voetgangers." in html
        assert "Schrijf binnen 30 dagen naar het college." in html
        # The officer's text is one part, between the legal basis and the conditions.
        assert (
            html.index("Het reglement op terrassen")
            < html.index("U mag het terras plaatsen.")
            < html.index("Laat 1,5 meter vrij")
            < html.index("Schrijf binnen 30 dagen")
        )
        assert "goedgekeurd" in html

    def test_a_refusal_carries_no_conditions(self, terrace_dossier, officer, terrace_letter):
        decided = decide(terrace_dossier, officer, "reject", "Te weinig plaats op de stoep.")
        html = letters.render_decision_letter_html(decided)
        assert "Laat 1,5 meter vrij" not in html
        assert "Schrijf binnen 30 dagen naar het college." in html
        assert "geweigerd" in html

    def test_the_form_template_wins_over_the_one_for_every_form(
        self, terrace_dossier, officer, terrace_letter
    ):
        DecisionLetterTemplate.objects.create(
            language="nl", legal_basis="Algemeen reglement.", appeal="Algemeen beroep."
        )
        html = letters.render_decision_letter_html(decide(terrace_dossier, officer))
        assert "Het reglement op terrassen" in html and "Algemeen reglement." not in html

    def test_the_template_for_every_form_serves_another_form(
        self, home_page, team, officer, economy, terrace_letter
    ):
        DecisionLetterTemplate.objects.create(
            language="nl", legal_basis="Algemeen reglement.", appeal="Algemeen beroep."
        )
        other = make_form_page(
            home_page, slug="ander-formulier", title="Ander formulier", reference_prefix="AND"
        )
        schema = other.get_schema()
        dossier = services.submit_application(
            form_page=other, schema=schema, answers=terrace_answers(schema)
        )
        dossier.team = economy
        dossier.status = Status.IN_REVIEW
        dossier.save()
        html = letters.render_decision_letter_html(decide(dossier, officer))
        assert "Algemeen reglement." in html and "Algemeen beroep." in html
        assert "Het reglement op terrassen" not in html

    def test_without_a_template_the_letter_still_says_how_to_appeal(self, terrace_dossier, officer):
        html = letters.render_decision_letter_html(decide(terrace_dossier, officer))
        assert "Raad van State" in html and "60 dagen" in html
        assert "Regelgeving" not in html

    def test_an_english_letter_takes_the_english_template(
        self, terrace_dossier, officer, terrace_letter, form_page
    ):
        DecisionLetterTemplate.objects.create(
            form_page=form_page,
            language="en",
            legal_basis="The terrace regulation.",
            appeal="Write to the college within 30 days.",
        )
        terrace_dossier.language = "en"
        terrace_dossier.save(update_fields=["language"])
        html = letters.render_decision_letter_html(decide(terrace_dossier, officer))
        assert "Legal basis" in html and "The terrace regulation." in html
        assert "Het reglement op terrassen" not in html

    def test_a_value_that_looks_like_a_placeholder_stays_text(
        self, terrace_dossier, officer, form_page
    ):
        terrace_dossier.applicant_name = "{gemeente} <b>"
        terrace_dossier.save(update_fields=["applicant_name"])
        DecisionLetterTemplate.objects.create(
            form_page=form_page, language="nl", legal_basis="Voor {naam}.", appeal="Beroep."
        )
        html = letters.render_decision_letter_html(decide(terrace_dossier, officer))
        assert "Voor {gemeente} &lt;b&gt;." in html

    def test_the_permits_conditions_follow_the_standard_ones(
        self, terrace_dossier, officer, terrace_letter
    ):
        from dossiers.models import Permit

        decided = decide(terrace_dossier, officer)
        Permit.objects.create(
            dossier=decided,
            kind="Terrasvergunning",
            valid_from="2026-06-01",
            valid_until="2026-09-30",
            place="Markt 1",
            conditions="Geen muziek na 22 uur.",
        )
        html = letters.render_decision_letter_html(decided)
        assert html.index("Laat 1,5 meter vrij") < html.index("Geen muziek na 22 uur.")


class TestSavingATemplate:
    def test_an_unknown_placeholder_is_refused_in_the_field(self, form_page):
        template = DecisionLetterTemplate(
            form_page=form_page, language="nl", legal_basis="Ok.", appeal="Tot {beroepsdatum}."
        )
        with pytest.raises(ValidationError) as caught:
            template.full_clean()
        assert "appeal" in caught.value.message_dict
        assert "beroepsdatum" in caught.value.message_dict["appeal"][0]

    def test_the_legal_basis_and_the_appeal_are_required(self, form_page):
        template = DecisionLetterTemplate(form_page=form_page, language="nl")
        with pytest.raises(ValidationError) as caught:
            template.full_clean()
        assert {"legal_basis", "appeal"} <= set(caught.value.message_dict)

    def test_a_second_template_for_the_same_form_and_language_is_refused(
        self, form_page, terrace_letter
    ):
        second = DecisionLetterTemplate(
            form_page=form_page, language="nl", legal_basis="Ok.", appeal="Ok."
        )
        with pytest.raises(ValidationError) as caught:
            second.full_clean()
        assert "Er is al een beslissingsbrief" in str(caught.value)

    def test_editors_manage_them_in_the_admin(self, client, admin, form_page):
        client.force_login(admin)
        assert (
            client.get(reverse("wagtailsnippets_dossiers_decisionlettertemplate:list")).status_code
            == 200
        )
        add = reverse("wagtailsnippets_dossiers_decisionlettertemplate:add")
        page = client.get(add)
        assert page.status_code == 200 and "{referentienummer}" in page.content.decode()
        response = client.post(
            add,
            {
                "form_page": form_page.pk,
                "language": "nl",
                "opening": "",
                "legal_basis": "Reglement.",
                "conditions": "",
                "appeal": "Beroep binnen 30 dagen bij {gemeente}.",
            },
        )
        assert response.status_code == 302
        assert DecisionLetterTemplate.objects.get(form_page=form_page).appeal.startswith("Beroep")


class TestPreview:
    def test_the_editor_previews_the_whole_letter_without_real_data(
        self, rf, admin, terrace_letter, terrace_dossier
    ):
        request = rf.get("/")
        request.user = admin
        html = terrace_letter.serve_preview(request, "").render().content.decode()
        assert "Het reglement op terrassen van" in html
        assert "Laat 1,5 meter vrij voor voetgangers." in html
        assert "Schrijf binnen 30 dagen naar het college." in html
        assert "TER-2026-00042" in html and "Aanvraag terrasvergunning" in html
        # A made-up approval: nothing of the real applications.
        assert terrace_dossier.reference not in html

    def test_the_preview_of_an_unsaved_template_in_the_admin(self, client, admin, form_page):
        client.force_login(admin)
        url = reverse("wagtailsnippets_dossiers_decisionlettertemplate:preview_on_add")
        data = {
            "form_page": form_page.pk,
            "language": "nl",
            "opening": "",
            "legal_basis": "Reglement van {gemeente}.",
            "conditions": "",
            "appeal": "Beroep binnen 30 dagen.",
        }
        assert client.post(url, data).json()["is_valid"] is True
        html = client.get(url).content.decode()
        assert "Reglement van" in html and "Beroep binnen 30 dagen." in html


class TestConfirmationShowsTheFullLetter:
    def test_the_preview_has_the_legal_basis_and_the_appeal(
        self, client, officer, terrace_dossier, terrace_letter
    ):
        client.force_login(officer)
        preview = client.post(
            transition_url(terrace_dossier),
            {
                "transition": "approve",
                "expected_status": terrace_dossier.status,
                "decision": "U mag het terras plaatsen.",
            },
        )
        html = preview.content.decode()
        assert preview.status_code == 200
        assert "Het reglement op terrassen" in html
        assert "Schrijf binnen 30 dagen naar het college." in html
        assert "U mag het terras plaatsen." in html
        terrace_dossier.refresh_from_db()
        assert terrace_dossier.decision_outcome == ""


class TestDecisionMailInWords:
    def test_approval_and_refusal_are_said_in_words(
        self, officer, terrace_dossier, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            decide(terrace_dossier, officer)
        body = mailoutbox[-1].body
        assert "We hebben uw aanvraag goedgekeurd." in body
        assert "beroep" in body

    def test_refusal(
        self, officer, terrace_dossier, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            decide(terrace_dossier, officer, "reject", "Te weinig plaats.")
        assert "We hebben uw aanvraag geweigerd." in mailoutbox[-1].body

    def test_an_editable_text_can_say_it_with_a_placeholder(
        self, officer, terrace_dossier, mailoutbox, django_capture_on_commit_callbacks
    ):
        from dossiers.models import NotificationTemplate

        NotificationTemplate.objects.create(
            kind="status_changed",
            language="nl",
            subject="Nieuws over {referentienummer}",
            body="{beslissing} Groeten.",
        )
        with django_capture_on_commit_callbacks(execute=True):
            decide(terrace_dossier, officer)
        assert mailoutbox[-1].body.startswith("We hebben uw aanvraag goedgekeurd. Groeten.")
