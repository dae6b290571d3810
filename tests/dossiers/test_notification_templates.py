"""Editable e-mail texts: placeholders, the check when saving, which text is sent (the
most specific, in the recipient's language), values inserted as plain text, and the
snippet's edit view with its preview."""

import datetime
import json
from html import escape

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from dossiers import services, workflow
from dossiers.constants import EventType, Status
from dossiers.models import Event, NotificationTemplate
from dossiers.outbox import kinds as email_kinds
from dossiers.outbox.kinds import NotificationKind, Placeholder, TextError, fill_in, register
from tests.conftest import make_form_page
from tests.factories import DossierFactory, terrace_answers

pytestmark = pytest.mark.django_db

RECEIVED = "application_received"
TEAM = "new_dossier_for_team"
MONTHS_NL = "januari februari maart april mei juni juli augustus september oktober november"
MONTHS_NL = (MONTHS_NL + " december").split()


def text(kind=RECEIVED, form_page=None, language="nl", subject="Onderwerp", body="Tekst"):
    return NotificationTemplate.objects.create(
        kind=kind, form_page=form_page, language=language, subject=subject, body=body
    )


def submit(form_page, language="nl", **overrides):
    schema = form_page.get_schema()
    return services.submit_application(
        form_page=form_page,
        schema=schema,
        answers=terrace_answers(schema, **overrides),
        language=language,
        # Sent signed in with that address: no second e-mail to prove it.
        proven_email=overrides.get("email", "an@cafedemarkt.be"),
    )


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    """Run the after-commit hooks (the tasks run eagerly in tests)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def question_kind():
    """A kind with a placeholder of its own, registered the way other modules do."""

    @register
    class QuestionAsked(NotificationKind):
        kind_id = "test_question_asked"
        label = "Vraag gesteld"
        template = "status_changed"
        extra_placeholders = (Placeholder("vraag", "de vraag", "Welke kleur?"),)

        def matches(self, event):
            return event.type == EventType.STATUS_CHANGED and "question" in event.data

        def placeholders(self, event):
            return {**super().placeholders(event), "vraag": event.data["question"]}

    yield email_kinds.get_kind("test_question_asked")
    email_kinds.kinds.unregister("test_question_asked")


# --- placeholders ---------------------------------------------------------------------------


class TestPlaceholders:
    def test_common_placeholders_of_an_applicant_email(self, form_page, send_now):
        text(
            body=(
                "{naam} van {onderneming}: {formulier} {referentienummer} is {status}. "
                "{uitleg} Beslist uiterlijk {beslisdatum}. {statuslink}"
            )
        )
        dossier = send_now(submit, form_page)
        [email] = sent_to("an@cafedemarkt.be")
        with translation.override("nl"):
            due = date_format(dossier.decision_due, "j F Y")
        assert email.body == (
            f"An Peeters van Café De Markt: Aanvraag terrasvergunning {dossier.reference} is "
            "Ingediend. We hebben uw aanvraag ontvangen. Een medewerker bekijkt ze binnenkort. "
            f"Beslist uiterlijk {due}. {dossier.get_absolute_status_url()}"
        )
        assert due.split()[1] in MONTHS_NL

    def test_status_is_the_new_status(self, form_page, send_now):
        dossier = submit(form_page)
        text("status_changed", subject="{referentienummer}: {status}", body="Nu: {status}")
        send_now(workflow.transition, dossier, "start_review")
        [email] = [m for m in sent_to("an@cafedemarkt.be") if m.body.startswith("Nu:")]
        assert email.subject == f"{dossier.reference}: {Status.IN_REVIEW.label}"

    def test_a_kind_adds_its_own(self, question_kind, form_page, send_now):
        text(question_kind.kind_id, body="Onze vraag: {vraag}\n{statuslink}")
        dossier = submit(form_page)
        dossier.status = Status.IN_REVIEW
        dossier.save()
        send_now(
            workflow.transition,
            dossier,
            "request_information",
            data={"question": "Hoe groot is het terras?"},
        )
        bodies = [m.body for m in sent_to("an@cafedemarkt.be")]
        assert f"Onze vraag: Hoe groot is het terras?\n{dossier.get_absolute_status_url()}" in (
            bodies
        )

    def test_officer_emails_have_the_back_office_link_not_the_applicants(self, form_page):
        kind = email_kinds.get_kind(TEAM)
        names = [each.name for each in kind.available_placeholders()]
        assert "dossierlink" in names and "statuslink" not in names
        dossier = submit(form_page)
        event = Event(dossier=dossier, type=EventType.SUBMITTED)
        values = kind.placeholders(event)
        assert values["dossierlink"].endswith(f"/dossiers/dossier/inspect/{dossier.pk}/")
        assert dossier.access_key not in "".join(values.values())

    def test_braces_twice_are_a_brace(self):
        assert fill_in("{{naam}} is {naam}", {"naam": "An"}) == "{naam} is An"

    def test_spaces_inside_the_braces_are_allowed(self):
        assert fill_in("Dag { naam },", {"naam": "An"}) == "Dag An,"


# --- checked when saved -----------------------------------------------------------------------


class TestValidation:
    def check(self, **fields):
        template = NotificationTemplate(**{"kind": RECEIVED, "language": "nl", **fields})
        template.subject = fields.get("subject", "Onderwerp")
        template.body = fields.get("body", "Tekst")
        template.full_clean()

    def test_known_placeholders_pass(self):
        self.check(subject="{referentienummer}", body="{naam} {statuslink} {beslisdatum}")

    @pytest.mark.parametrize(
        ("body", "named"),
        [
            ("Dag {voornaam},", "{voornaam}"),
            ("{naam.__class__}", "{naam.__class__}"),
            ("{dossier.access_key}", "{dossier.access_key}"),
            ("{naam[0]}", "{naam[0]}"),
            ("{}", "{}"),
            ("{dossierlink}", "{dossierlink}"),  # an officers' placeholder
        ],
    )
    def test_unknown_placeholder_is_refused_by_name(self, body, named):
        with pytest.raises(ValidationError) as excinfo:
            self.check(body=body)
        [message] = excinfo.value.message_dict["body"]
        assert named in message
        assert "{referentienummer}" in message  # the ones that exist are listed

    @pytest.mark.parametrize("body", ["Dag {naam", "Dag naam}", "{naam}}", "{{naam}"])
    def test_unbalanced_braces_are_refused(self, body):
        with pytest.raises(ValidationError) as excinfo:
            self.check(body=body)
        assert "{{" in excinfo.value.message_dict["body"][0]

    @pytest.mark.parametrize("body", ["{naam!r}", "{naam:>20}"])
    def test_formats_are_refused(self, body):
        with pytest.raises(ValidationError) as excinfo:
            self.check(body=body)
        assert "{naam}" in excinfo.value.message_dict["body"][0]

    def test_the_subject_is_checked_too(self):
        with pytest.raises(ValidationError) as excinfo:
            self.check(subject="Uw {aanvraag}")
        assert "{aanvraag}" in excinfo.value.message_dict["subject"][0]

    def test_a_kinds_own_placeholder_only_for_that_kind(self, question_kind):
        self.check(kind=question_kind.kind_id, body="{vraag}")
        with pytest.raises(ValidationError):
            self.check(kind=RECEIVED, body="{vraag}")

    def test_unknown_kind_is_refused(self):
        with pytest.raises(ValidationError) as excinfo:
            self.check(kind="no_such_kind")
        assert "kind" in excinfo.value.message_dict

    def test_one_text_per_kind_form_and_language(self, form_page):
        text(form_page=None)
        text(form_page=form_page)
        for form in (None, form_page):
            with translation.override("en"):
                with pytest.raises(ValidationError) as excinfo:
                    self.check(form_page=form)
                assert "already a text" in str(excinfo.value)
        self.check(form_page=None, language="en")


# --- which text is sent ---------------------------------------------------------------------


class TestMostSpecificWins:
    @pytest.fixture
    def other_form(self, home_page, team):
        return make_form_page(home_page, title="Ander", slug="ander", team=team)

    def received_body(self):
        [email] = sent_to("an@cafedemarkt.be")
        return email.body

    def test_built_in_text_without_editable_texts(self, form_page, send_now):
        dossier = send_now(submit, form_page)
        assert dossier.reference in self.received_body()
        assert "ontvangen" in self.received_body()

    def test_every_form_text_beats_the_built_in_one(self, form_page, send_now):
        text(body="Algemeen {referentienummer}")
        dossier = send_now(submit, form_page)
        assert self.received_body() == f"Algemeen {dossier.reference}"

    def test_this_forms_text_beats_every_forms_text(self, form_page, other_form, send_now):
        text(body="Algemeen")
        text(form_page=form_page, body="Voor het terras")
        text(form_page=other_form, body="Voor het andere formulier")
        send_now(submit, form_page)
        assert self.received_body() == "Voor het terras"

    def test_another_forms_text_is_not_used(self, form_page, other_form, send_now):
        text(form_page=other_form, body="Voor het andere formulier")
        send_now(submit, form_page)
        assert "Voor het andere formulier" not in self.received_body()

    def test_texts_of_another_kind_are_not_used(self, form_page, send_now):
        text("status_changed", body="Status")
        send_now(submit, form_page)
        assert self.received_body() != "Status"

    def test_subject_on_one_line(self, form_page, send_now):
        text(subject="Aanvraag  {referentienummer}", body="x")
        dossier = send_now(submit, form_page)
        assert sent_to("an@cafedemarkt.be")[0].subject == f"Aanvraag {dossier.reference}"


class TestLanguage:
    def test_applicant_gets_the_text_in_the_dossiers_language(self, form_page, send_now):
        text(language="nl", body="Nederlands: {status}")
        text(language="en", body="English: {status}")
        send_now(submit, form_page, language="en")
        assert sent_to("an@cafedemarkt.be")[0].body == "English: Submitted"

    def test_a_regional_language_takes_its_language(self, form_page, send_now):
        text(language="en", body="English")
        send_now(submit, form_page, language="en-gb")
        assert sent_to("an@cafedemarkt.be")[0].body == "English"

    def test_without_a_text_in_that_language_the_built_in_text_in_that_language(
        self, form_page, send_now
    ):
        text(language="nl", body="Nederlands")
        send_now(submit, form_page, language="en")
        body = sent_to("an@cafedemarkt.be")[0].body
        assert body != "Nederlands"
        assert "We have received your application" in body

    def test_officers_get_the_sites_language(self, form_page, settings, send_now):
        settings.LANGUAGE_CODE = "nl"
        text(TEAM, language="nl", body="Nieuw: {status}")
        text(TEAM, language="en", body="New: {status}")
        send_now(submit, form_page, language="en")
        [email] = sent_to(form_page.team.email)
        assert email.body == "Nieuw: Ingediend"


class TestPlainText:
    def test_values_are_inserted_as_they_are(self, form_page, send_now):
        text(subject="{onderneming}", body="{naam} – {onderneming}")
        send_now(
            submit,
            form_page,
            naam="{statuslink} <b>An</b> & {{ x }}",
            bedrijfsnaam="{% debug %} Café",
        )
        [email] = sent_to("an@cafedemarkt.be")
        assert email.body == "{statuslink} <b>An</b> & {{ x }} – {% debug %} Café"
        assert email.subject == "{% debug %} Café"

    def test_the_text_is_never_a_django_template(self, form_page, send_now):
        text(body="{{{{ dossier.access_key }}}} {{% now 'Y' %}} {referentienummer}")
        dossier = send_now(submit, form_page)
        body = sent_to("an@cafedemarkt.be")[0].body
        assert body == f"{{{{ dossier.access_key }}}} {{% now 'Y' %}} {dossier.reference}"
        assert dossier.access_key not in body

    def test_a_template_tag_is_an_unknown_placeholder(self):
        with pytest.raises(ValidationError) as excinfo:
            NotificationTemplate(
                kind=RECEIVED, language="nl", subject="x", body="{% debug %}"
            ).full_clean()
        assert "{% debug %}" in excinfo.value.message_dict["body"][0]

    def test_a_text_that_no_longer_fits_falls_back_to_the_built_in_one(self, form_page, send_now):
        text(body="Dag {voornaam}")  # saved without the check
        dossier = send_now(submit, form_page)
        body = sent_to("an@cafedemarkt.be")[0].body
        assert dossier.reference in body and "voornaam" not in body

    def test_fill_in_refuses_what_format_would_do(self):
        with pytest.raises(TextError):
            fill_in("{naam.upper}", {"naam": "An"})
        with pytest.raises(TextError):
            fill_in("{0}", {"naam": "An"})


# --- the snippet in the admin ---------------------------------------------------------------


def snippet_url(name, *args):
    return reverse(f"wagtailsnippets_dossiers_notificationtemplate:{name}", args=args)


def may_edit_texts(user):
    """Give ``user`` the permissions to edit e-mail texts (as an administrator would)."""
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="dossiers",
            codename__in=["add_notificationtemplate", "change_notificationtemplate"],
        )
    )
    return user


@pytest.fixture
def text_editor(editor):
    """An editor allowed to edit e-mail texts."""
    return may_edit_texts(editor)


def form_data(**fields):
    return {
        "kind": RECEIVED,
        "form_page": "",
        "language": "nl",
        "subject": "",
        "body": "",
        **fields,
    }


class TestSnippet:
    def test_edit_view_offers_the_kinds_and_lists_placeholders(self, client, text_editor):
        client.force_login(text_editor)
        response = client.get(snippet_url("add"))
        assert response.status_code == 200
        html = response.content.decode()
        for kind in email_kinds.all_kinds():
            assert f'<option value="{kind.kind_id}">{escape(kind.label)}</option>' in html
        assert "{referentienummer}" in html and "{dossierlink}" in html
        assert escape(email_kinds.STATUS_LINK.description) in html

    def test_saving_an_unknown_placeholder_names_it(self, client, text_editor):
        client.force_login(text_editor)
        response = client.post(
            snippet_url("add"), form_data(subject="Ontvangen", body="Dag {voornaam}")
        )
        assert response.status_code == 200
        assert "{voornaam}" in response.content.decode()
        assert not NotificationTemplate.objects.exists()

    def test_saving_a_good_text(self, client, text_editor, form_page):
        client.force_login(text_editor)
        response = client.post(
            snippet_url("add"),
            form_data(form_page=form_page.pk, subject="{referentienummer}", body="Dag {naam}"),
        )
        assert response.status_code == 302
        saved = NotificationTemplate.objects.get()
        assert saved.form_page.specific == form_page
        listing = client.get(snippet_url("list")).content.decode()
        assert str(email_kinds.get_kind(RECEIVED).label) in listing
        assert form_page.title in listing

    def test_a_second_text_for_the_same_form_and_language_is_refused(self, client, text_editor):
        text()
        client.force_login(text_editor)
        response = client.post(snippet_url("add"), form_data(subject="Nog een", body="x"))
        assert response.status_code == 200
        assert NotificationTemplate.objects.count() == 1


class TestPreview:
    def preview(self, client, template, **changes):
        url = snippet_url("preview_on_edit", template.pk)
        data = form_data(
            kind=template.kind,
            form_page=template.form_page_id or "",
            language=template.language,
            subject=template.subject,
            body=template.body,
        )
        data.update(changes)
        posted = client.post(url, data)
        assert posted.status_code == 200
        return json.loads(posted.content), client.get(url)

    def test_editor_sees_the_email_with_examples(self, client, text_editor, form_page):
        DossierFactory(form_page=form_page, team=form_page.team, reference="TER-2026-00777")
        template = text(
            form_page=form_page,
            subject="Aanvraag {referentienummer}",
            body="Dag {naam},\n{status}: {statuslink}",
        )
        client.force_login(text_editor)
        state, response = self.preview(client, template)
        assert state["is_valid"]
        assert response.status_code == 200
        html = response.content.decode()
        assert "Aanvraag TER-2026-00042" in html
        assert "Dag An Peeters,\nIn behandeling: https://loket.example.org/dossier/" in html
        # An editor who is no officer never sees a real dossier.
        assert "TER-2026-00777" not in html

    def test_preview_shows_unsaved_changes_in_the_chosen_language(
        self, client, text_editor, form_page
    ):
        template = text(body="Oud")
        client.force_login(text_editor)
        _state, response = self.preview(
            client, template, language="en", body="Status: {status}", subject="S"
        )
        html = response.content.decode()
        assert "Status: In review" in html
        assert 'lang="en"' in html

    def test_officer_sees_a_recent_dossier_of_the_form_without_its_link(
        self, client, officer, economy, form_page
    ):
        older = DossierFactory(form_page=form_page, team=economy, reference="TER-2026-00001")
        older.submitted_at -= datetime.timedelta(days=3)
        older.save()
        recent = DossierFactory(
            form_page=form_page, team=economy, reference="TER-2026-00002", company_name="Bar Nu"
        )
        DossierFactory(team=economy, reference="TER-2026-00003")  # another form
        template = text(form_page=form_page, body="{referentienummer} {onderneming} {statuslink}")
        client.force_login(may_edit_texts(officer))
        _state, response = self.preview(client, template)
        html = response.content.decode()
        assert "TER-2026-00002 Bar Nu https://loket.example.org/dossier/0000" in html
        assert recent.access_key not in html and str(recent.public_id) not in html

    def test_an_invalid_text_is_not_previewed(self, client, text_editor):
        template = text()
        client.force_login(text_editor)
        state, response = self.preview(client, template, body="{voornaam}")
        assert not state["is_valid"]
        assert response.status_code == 200
