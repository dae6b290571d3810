"""The permission matrix: every back-office URL x every role gives exactly the expected
answer, and a refused request changes nothing.

Answers:

- ``login``: sent to the admin's login page (anonymous visitors);
- ``denied``: sent back to the admin's dashboard with an error (Wagtail's answer to a
  PermissionDenied), nothing changed and nothing logged on the dossier;
- ``ok``: the page (200) or the action done and back to the dossier with a success message;
- ``listed`` / ``not listed``: the inbox opens (200), with or without the team's dossier;
- ``exported`` / ``not exported``: the CSV file comes (200), with or without it;
- ``not found``: the URL does not exist (404).
"""

from dataclasses import dataclass

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse

from dossiers.constants import EventType, Status
from dossiers.models import Attachment, Dossier
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "editor", "officer", "other_officer", "lead", "admin")


@dataclass(frozen=True)
class Request:
    method: str
    url_name: str
    #: Whether the URL names the dossier ("dossier"), a file of it ("attachment") or nothing.
    target: str = "dossier"
    data: tuple = ()


URLS = {
    "index": Request("get", "dossiers_dossier_modeladmin_index", target=""),
    "inspect": Request("get", "dossiers_dossier_modeladmin_inspect"),
    "start review": Request(
        "post",
        "dossiers_dossier_modeladmin_transition",
        data=(("transition", "start_review"), ("expected_status", "submitted")),
    ),
    "ask for information": Request(
        "post",
        "dossiers_dossier_modeladmin_transition",
        data=(("transition", "request_information"), ("question", "Hoe breed is de stoep?")),
    ),
    "give to a colleague": Request(
        "post", "dossiers_dossier_modeladmin_assign", data=(("assignee", "<colleague>"),)
    ),
    "add a note": Request(
        "post", "dossiers_dossier_modeladmin_note", data=(("text", "Gebeld met de zaak."),)
    ),
    "download a file": Request("get", "dossiers_dossier_modeladmin_attachment", "attachment"),
    "export": Request("get", "dossiers_dossier_modeladmin_index", "", (("export", "csv"),)),
    # modeladmin's own views: dossiers are never created, edited or deleted by hand.
    "create": Request("get", "dossiers_dossier_modeladmin_create", target=""),
    "edit": Request("get", "dossiers_dossier_modeladmin_edit"),
    "delete": Request("post", "dossiers_dossier_modeladmin_delete"),
    # Teams are set up by administrators.
    "teams": Request("get", "dossiers_team_modeladmin_index", target=""),
}

OFFICER_OK = {
    "anonymous": "login",
    "editor": "denied",
    "officer": "ok",
    "other_officer": "denied",
    "lead": "ok",
    "admin": "ok",
}
NOBODY = {role: ("login" if role == "anonymous" else "denied") for role in ROLES}

EXPECTED = {
    "index": {
        "anonymous": "login",
        "editor": "denied",
        "officer": "listed",
        "other_officer": "not listed",
        "lead": "listed",
        "admin": "listed",
    },
    "inspect": OFFICER_OK,
    "start review": OFFICER_OK,
    "ask for information": OFFICER_OK,
    "give to a colleague": OFFICER_OK,
    "add a note": OFFICER_OK,
    "download a file": OFFICER_OK,
    "export": {
        "anonymous": "login",
        "editor": "denied",
        "officer": "exported",
        "other_officer": "not exported",
        "lead": "exported",
        "admin": "exported",
    },
    "create": NOBODY,
    "edit": NOBODY,
    "delete": NOBODY,
    "teams": {**NOBODY, "admin": "ok"},
}


def test_matrix_is_complete():
    assert set(EXPECTED) == set(URLS)
    assert all(set(answers) == set(ROLES) for answers in EXPECTED.values())


@pytest.fixture
def dossier(economy):
    return DossierFactory(team=economy, status=Status.SUBMITTED)


@pytest.fixture
def attachment(dossier):
    file = Attachment(dossier=dossier, original_name="plan.pdf", size=4)
    file.file.save("plan.pdf", ContentFile(b"%PDF"), save=True)
    return file


def url_for(request: Request, dossier: Dossier, attachment: Attachment) -> str:
    if request.target == "dossier":
        return reverse(request.url_name, args=[dossier.pk])
    if request.target == "attachment":
        return reverse(request.url_name, args=[dossier.pk, attachment.pk])
    return reverse(request.url_name)


def snapshot(dossier: Dossier) -> tuple:
    """What an action changes: status, officer and the story on the timeline."""
    dossier.refresh_from_db()
    story = dossier.events.exclude(type=EventType.VIEWED).values_list("type", flat=True)
    return dossier.status, dossier.assigned_to_id, list(story)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(URLS))
def test_permission_matrix(client, people, colleague, dossier, attachment, name, role):
    request = URLS[name]
    expected = EXPECTED[name][role]
    if role != "anonymous":
        client.force_login(people[role])
    url = url_for(request, dossier, attachment)
    data = {key: (colleague.pk if value == "<colleague>" else value) for key, value in request.data}
    before = snapshot(dossier)
    events_before = dossier.events.count()

    response = getattr(client, request.method)(url, data)

    flashed = [m.level for m in get_messages(response.wsgi_request)]
    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login") + "?next=")
        assert snapshot(dossier) == before
        assert dossier.events.count() == events_before
    elif expected == "denied":
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
        assert messages.ERROR in flashed
        assert snapshot(dossier) == before
        assert dossier.events.count() == events_before  # not even a "viewed"
    elif expected in ("listed", "not listed"):
        assert response.status_code == 200
        shown = {d.pk for d in response.context["object_list"]}
        assert (dossier.pk in shown) == (expected == "listed")
    elif expected in ("exported", "not exported"):
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        content = b"".join(response.streaming_content).decode()
        assert (dossier.reference in content) == (expected == "exported")
    elif expected == "ok":
        if request.method == "get":
            assert response.status_code == 200
        else:
            assert response.status_code == 302
            assert response.url == reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])
            assert flashed == [messages.SUCCESS]
            assert snapshot(dossier) != before
    else:  # pragma: no cover - a typo in EXPECTED
        raise AssertionError(expected)


def test_history_view_is_not_offered(admin_client, dossier):
    # modeladmin's history view would skip the team check; the timeline replaces it.
    url = f"/admin/dossiers/dossier/history/{dossier.pk}/"

    assert admin_client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["officer", "lead"])
def test_dossier_without_a_team_is_for_administrators_only(client, people, role):
    dossier = DossierFactory(team=None)
    url = reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])

    client.force_login(people[role])
    assert client.get(url).url == reverse("wagtailadmin_home")
    client.force_login(people["admin"])
    assert client.get(url).status_code == 200


def test_inactive_officer_sees_nothing(client, officer, dossier):
    officer.is_active = False
    officer.save()
    client.force_login(officer)

    response = client.get(reverse("dossiers_dossier_modeladmin_index"))

    assert response.status_code == 302
