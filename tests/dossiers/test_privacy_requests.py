"""Requests of data subjects: find what is held about an e-mail address or enterprise
number, export it as a ZIP, erase it on request; every export and erasure in the audit
log; only administrators (or those given the permission) may."""

import io
import json
import zipfile

import pytest
from django.contrib import messages
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import translation

from dossiers import privacy
from dossiers.applicant.status import public_timeline
from dossiers.constants import EventType, SearchKind, Status
from dossiers.models import Dossier, Event, PrivacyRequest
from forms_builder.models import Draft
from tests.dossiers.conftest import make_user
from tests.dossiers.test_privacy_retention import build_dossier, everything_about, store
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/privacy/"
AN = "an@cafedemarkt.be"
JAN = "jan@hethoekje.be"


@pytest.fixture
def admin(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True, first_name="Ada")


@pytest.fixture
def an_closed(form_page, admin):
    return build_dossier(form_page, officer=admin, closed_months_ago=3)


@pytest.fixture
def an_open(form_page, admin):
    """An's second dossier, still being handled."""
    return build_dossier(form_page, officer=admin, closed_months_ago=None)


@pytest.fixture
def jan(form_page, admin):
    """Another applicant, of another company, who mentions nobody."""
    return build_dossier(
        form_page,
        officer=admin,
        email=JAN,
        name="Jan Janssens",
        company="Het Hoekje",
        number="0202239951",
        closed_months_ago=3,
    )


@pytest.fixture
def an_draft(form_page, an_closed):
    """An unfinished application of An's, with a file."""
    return Draft.objects.create(
        page=form_page,
        snapshot=an_closed.snapshot,
        email=AN.upper(),
        data={
            "step_data": {"0": {"0-naam": ["An Peeters"]}},
            "step_files": {
                "0": {
                    "0-plan": [
                        {"tmp_name": store("drafts/y/schets.pdf", b"SCHETS"), "name": "schets.pdf"}
                    ]
                }
            },
        },
    )


def post(client, action, term, **extra):
    return client.post(URL, {"action": action, "term": term, **extra})


def exported(response) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("gegevens.json")), archive


# --- the search term -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        (" An@CafeDeMarkt.be ", SearchKind.EMAIL, AN),
        ("0403.170.701", SearchKind.ENTERPRISE_NUMBER, "0403170701"),
        ("BE 0403 170 701", SearchKind.ENTERPRISE_NUMBER, "0403170701"),
        ("403170701", SearchKind.ENTERPRISE_NUMBER, "0403170701"),
    ],
)
def test_a_search_term_is_an_email_address_or_ten_digits(text, kind, value):
    assert privacy.parse_search_term(text) == privacy.SearchTerm(kind, value)


@pytest.mark.parametrize("text", ["", "12345", "an@", "0403.170.701.12"])
def test_anything_else_is_refused(text):
    with pytest.raises(ValidationError):
        privacy.parse_search_term(text)


# --- finding -----------------------------------------------------------------------------


def test_finds_the_dossiers_and_drafts_of_an_email_address(
    form_page, admin, an_closed, an_open, jan, an_draft
):
    mentioned = build_dossier(
        form_page,
        officer=admin,
        email="piet@bakkerij.be",
        name="Piet",
        remarks=f"Contact: {AN.upper()}",
    )

    findings = privacy.find(privacy.parse_search_term(AN))

    found = {dossier.reference: dossier.found_as for dossier in findings.dossiers}
    assert found == {
        an_closed.reference: "applicant",
        an_open.reference: "applicant",
        mentioned.reference: "answers",
    }
    # The unfinished one, and those An's two dossiers were submitted from.
    ans = set(Draft.objects.filter(email__iexact=AN).values_list("pk", flat=True))
    assert {draft.pk for draft in findings.drafts} == ans
    assert len(ans) == 3 and an_draft.pk in ans
    assert [dossier.reference for dossier in findings.open_dossiers] == [an_open.reference]


def test_finds_the_dossiers_of_an_enterprise_number_however_it_was_written(form_page, admin, jan):
    dotted = build_dossier(form_page, officer=admin, number="0403.170.701")
    vat = build_dossier(
        form_page,
        officer=admin,
        email="boekhouder@cijfers.be",
        number="",
        remarks="BTW BE0403170701",
    )

    findings = privacy.find(privacy.parse_search_term("0403170701"))

    found = {dossier.reference: dossier.found_as for dossier in findings.dossiers}
    assert found == {dotted.reference: "company", vat.reference: "answers"}


# --- the export ---------------------------------------------------------------------------


def test_the_export_holds_exactly_that_persons_data(
    client, admin, an_closed, jan, an_draft, settings
):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False  # the view sets it itself
    client.force_login(admin)

    response = post(client, "export", AN)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    data, archive = exported(response)
    assert [dossier["reference"] for dossier in data["dossiers"]] == [an_closed.reference]
    dossier = data["dossiers"][0]
    assert dossier["applicant"]["email"] == AN
    assert dossier["company"] == {"name": "Café De Markt", "enterprise_number": "0403170701"}
    labels = {
        row["label"]: row["value"] for section in dossier["answers"] for row in section["rows"]
    }
    assert labels["Uw naam"] == "An Peeters"
    assert dossier["answers_raw"] == an_closed.answers
    assert dossier["decision"]["text"] == "Vergunning voor Café De Markt."
    assert [message["text"] for message in dossier["messages"]] == ["Dag, An Peeters"]
    assert dossier["information_requests"][0]["answer"] == "Hier is het, groeten An Peeters"
    assert dossier["rating"]["comment"] == "Vlot geholpen. An Peeters"
    assert dossier["notifications"] and {n["to"] for n in dossier["notifications"]} == {AN}
    # Public events only: the officer's note is not the applicant's to read.
    assert all(event["type"] != EventType.NOTE_ADDED for event in dossier["events"])
    assert "Gebeld met" not in json.dumps(data, ensure_ascii=False)
    # Every file is in the archive, with its content.
    names = [file["in_archive"] for file in dossier["files"]]
    assert len(names) == an_closed.attachments.count() == 5
    assert all(archive.read(name) == b"%PDF-1.4 test" for name in names)
    drafts = {draft["id"]: draft for draft in data["drafts"]}
    submitted_from = Draft.objects.get(submitted_dossier_id=an_closed.pk)
    assert drafts.keys() == {str(an_draft.pk), str(submitted_from.pk)}
    assert archive.read(drafts[str(an_draft.pk)]["files"][0]["in_archive"]) == b"SCHETS"
    assert drafts[str(an_draft.pk)]["answers"] == {"0": {"0-naam": ["An Peeters"]}}
    # Nothing of the other applicant.
    text = json.dumps(data, ensure_ascii=False) + " ".join(archive.namelist())
    assert "Jan Janssens" not in text and JAN not in text and jan.reference not in text


def test_an_export_is_logged_without_the_term(client, admin, an_closed, an_draft):
    client.force_login(admin)

    post(client, "export", "AN@cafedemarkt.be")

    record = PrivacyRequest.objects.get()
    assert (record.kind, record.search_kind) == ("export", "email")
    # The unfinished application and the one the dossier was submitted from.
    assert (record.dossier_count, record.draft_count) == (1, 2)
    assert (record.requested_by, record.requested_by_name) == (admin, "Ada")
    assert record.search_hash == privacy.hash_search_term(privacy.parse_search_term(AN))
    stored = json.dumps(list(PrivacyRequest.objects.values()), default=str)
    assert "cafedemarkt" not in stored.lower()


def test_the_search_lists_what_was_found_and_the_log(client, admin, an_closed, jan):
    client.force_login(admin)
    post(client, "export", AN)

    response = post(client, "search", AN)

    html = response.content.decode()
    assert response.status_code == 200
    assert an_closed.reference in html and jan.reference not in html
    assert "data-privacy-request" in html
    assert response.context["earlier"][0].kind == "export"


def test_a_wrong_term_is_said_on_the_form(client, admin):
    client.force_login(admin)

    response = post(client, "search", "geen nummer")

    assert response.status_code == 200
    assert response.context["form"].errors["term"]
    assert "searched" not in response.context


# --- erasure -----------------------------------------------------------------------------


def test_erasure_asks_for_confirmation_and_a_reason(client, admin, an_closed):
    client.force_login(admin)

    confirm = post(client, "confirm", AN)
    without = post(client, "erase", AN, confirm="on")

    assert confirm.status_code == 200
    assert an_closed.reference in confirm.content.decode()
    assert without.status_code == 200
    assert without.context["erase_form"].errors["reason"]
    assert Dossier.objects.get(pk=an_closed.pk).personal_data_erased_at is None
    assert not PrivacyRequest.objects.exists()


def test_erases_everything_found_and_logs_it(
    client, admin, an_closed, jan, an_draft, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    other = everything_about(jan)

    # A draft's files are deleted once its deletion is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "erase", AN, confirm="on", reason="Verzoek 2026-014")

    assert response.status_code == 302
    dossier = Dossier.objects.get(pk=an_closed.pk)
    assert dossier.personal_data_erased_at is not None
    assert "An Peeters" not in everything_about(dossier)
    event = dossier.events.get(type=EventType.PERSONAL_DATA_ERASED)
    assert (event.actor, event.data) == (admin, {"cause": "request"})
    assert not Draft.objects.filter(pk=an_draft.pk).exists()
    assert not storages["private"].exists(an_draft.data["step_files"]["0"]["0-plan"][0]["tmp_name"])
    assert everything_about(jan) == other
    record = PrivacyRequest.objects.get()
    assert (record.kind, record.dossier_count, record.draft_count) == ("erasure", 1, 2)
    assert record.reason == "Verzoek 2026-014"
    assert record.withdrawn_count == 0


def test_open_dossiers_are_only_erased_when_they_may_be_withdrawn(
    client, admin, an_closed, an_open
):
    client.force_login(admin)

    refused = post(client, "erase", AN, confirm="on", reason="Verzoek")

    assert refused.status_code == 200
    assert refused.context["erase_form"].non_field_errors()
    assert not Dossier.objects.filter(personal_data_erased_at__isnull=False).exists()
    assert not PrivacyRequest.objects.exists()

    mail.outbox.clear()
    with_withdrawal = post(client, "erase", AN, confirm="on", reason="Verzoek", withdraw_open="on")

    assert with_withdrawal.status_code == 302
    an_open.refresh_from_db()
    assert an_open.status == Status.WITHDRAWN
    assert an_open.personal_data_erased_at is not None
    withdrawal = an_open.events.get(to_status=Status.WITHDRAWN)
    assert withdrawal.actor is None and withdrawal.data["transition"] == "withdraw"
    assert PrivacyRequest.objects.get().withdrawn_count == 1
    assert Dossier.objects.get(pk=an_closed.pk).personal_data_erased_at is not None
    # The e-mail about the withdrawal is never sent: its row was erased with the rest.
    assert mail.outbox == []
    assert not an_open.notifications.filter(status="pending").exists()


def test_the_erasure_on_request_withdraws_through_the_workflow_in_one_transaction(
    form_page, admin, an_open, django_capture_on_commit_callbacks
):
    findings = privacy.find(privacy.parse_search_term(AN))

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_on_request(findings, actor=admin, reason="Verzoek", withdraw_open=True)

    assert mail.outbox == []
    assert Event.objects.filter(dossier=an_open, to_status=Status.WITHDRAWN).count() == 1
    # The status page does not tell the applicant "you withdrew".
    with translation.override("en"):
        timeline = public_timeline(an_open)
    [withdrawal] = [e for e in timeline if e.to_status == Status.WITHDRAWN]
    assert withdrawal.text == (
        "Your application was withdrawn because you asked us to erase your personal data."
    )


# --- who may -----------------------------------------------------------------------------


def denied(response) -> bool:
    """Wagtail's answer to a PermissionDenied in the admin: back to the dashboard with
    an error (as every back-office screen; see tests/dossiers/test_permissions.py)."""
    flashed = [m.level for m in get_messages(response.wsgi_request)]
    return (
        response.status_code == 302
        and response.url == reverse("wagtailadmin_home")
        and messages.ERROR in flashed
    )


@pytest.mark.parametrize("role", ["officer", "lead", "editor"])
def test_officers_and_editors_may_not(client, people, role, an_closed):
    client.force_login(people[role])

    assert denied(client.get(URL))
    assert denied(post(client, "search", AN))
    assert denied(post(client, "export", AN))
    assert denied(post(client, "erase", AN, confirm="on", reason="x"))
    assert not PrivacyRequest.objects.exists()
    assert Dossier.objects.get(pk=an_closed.pk).personal_data_erased_at is None


def test_a_refusal_is_a_403_for_scripts(client, people):
    client.force_login(people["officer"])

    response = client.post(
        URL, {"action": "export", "term": AN}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )

    assert response.status_code == 403


def test_visitors_are_sent_to_the_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_permission_opens_the_screen_to_a_group(client):
    group = Group.objects.create(name="Functionaris gegevensbescherming")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="handle_privacy_requests"),
    )
    dpo = make_user("dpo", group)
    client.force_login(dpo)

    assert client.get(URL).status_code == 200
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_permission_is_offered_in_the_group_editor(client, admin):
    permission = Permission.objects.get(codename="handle_privacy_requests")
    client.force_login(admin)

    html = client.get(reverse("wagtailusers_groups:add")).content.decode()

    assert f'value="{permission.pk}"' in html


def test_administrators_see_the_menu_item_and_others_do_not(client, admin, people):
    client.force_login(admin)
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(people["officer"])
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()
