"""A day with many dossiers: the default view, saved views, bulk actions and
previous/next from the dossier view (dossiers.admin.inbox)."""

import pytest
from django.urls import reverse

from dossiers.constants import EventType, Status
from dossiers.models import SavedInboxView
from tests.dossiers.conftest import make_user
from tests.dossiers.test_inbox import menu_items
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

INDEX_URL = "dossiers_dossier_modeladmin_index"


def url(action, *args):
    return reverse(f"dossiers_dossier_modeladmin_{action}", args=args)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def dossiers(economy, events_team):
    import datetime

    today = datetime.date.today()
    return {
        "later": DossierFactory(
            team=economy,
            reference="TER-2026-00011",
            decision_due=today + datetime.timedelta(days=20),
        ),
        "soon": DossierFactory(
            team=economy,
            reference="TER-2026-00012",
            decision_due=today + datetime.timedelta(days=2),
        ),
        "decided": DossierFactory(team=economy, reference="TER-2026-00013", status=Status.APPROVED),
        "elsewhere": DossierFactory(team=events_team, reference="EVT-2026-00014"),
    }


def listed(response) -> list[str]:
    return [dossier.reference for dossier in response.context["object_list"]]


def test_the_menu_opens_the_open_dossiers_of_my_teams_earliest_deadline_first(
    officer_client, dossiers
):
    items = menu_items(officer_client.get(reverse("wagtailadmin_home")).content.decode())
    default_view = items["dossiers"]["url"]

    response = officer_client.get(default_view)

    assert listed(response) == ["TER-2026-00012", "TER-2026-00011"]
    assert response.context["is_default_view"]


def test_an_officer_saves_a_view_and_opens_it_again(officer_client, officer, dossiers):
    response = officer_client.post(
        url("save_inbox_view"),
        {"name": "  Mijn   beslist ", "query": "status=approved&password=secret&o=3"},
    )

    saved = SavedInboxView.objects.get(user=officer)
    assert saved.name == "Mijn beslist"
    assert saved.query == "o=3&status=approved"  # only the inbox's own parameters
    assert response.status_code == 302
    page = officer_client.get(reverse(INDEX_URL) + "?" + saved.query)
    assert listed(page) == ["TER-2026-00013"]
    assert [each["current"] for each in page.context["saved_views"]] == [True]


def test_a_view_without_a_name_is_refused_with_a_message(officer_client, officer):
    response = officer_client.post(
        url("save_inbox_view"), {"name": " ", "query": "status=open"}, follow=True
    )

    assert not SavedInboxView.objects.exists()
    assert "Geef de weergave een naam." in response.content.decode()


def test_an_officer_cannot_delete_someone_elses_view(client, officer, colleague):
    theirs = SavedInboxView.objects.create(user=colleague, name="Van collega", query="status=open")
    client.force_login(officer)

    assert client.post(url("delete_inbox_view", theirs.pk)).status_code == 404
    assert SavedInboxView.objects.filter(pk=theirs.pk).exists()

    client.force_login(colleague)
    client.post(url("delete_inbox_view", theirs.pk))
    assert not SavedInboxView.objects.filter(pk=theirs.pk).exists()


def test_an_officer_takes_several_dossiers_at_once(officer_client, officer, dossiers):
    response = officer_client.post(
        url("bulk"),
        {
            "action": "take",
            "dossier": [dossiers["later"].pk, dossiers["soon"].pk, dossiers["elsewhere"].pk],
        },
        follow=True,
    )

    for name in ("later", "soon"):
        dossiers[name].refresh_from_db()
        assert dossiers[name].assigned_to == officer
        assert dossiers[name].events.filter(type=EventType.ASSIGNED).count() == 1
    dossiers["elsewhere"].refresh_from_db()
    assert dossiers["elsewhere"].assigned_to is None  # not one of the officer's teams
    assert "2 dossiers" in response.content.decode()


def test_a_dossier_of_a_colleague_is_refused_by_reference_and_a_lead_may(
    client, officer, lead, colleague, dossiers
):
    dossiers["later"].assigned_to = colleague
    dossiers["later"].save()
    client.force_login(officer)
    response = client.post(
        url("bulk"),
        {"action": "take", "dossier": [dossiers["later"].pk, dossiers["soon"].pk]},
        follow=True,
    )
    dossiers["later"].refresh_from_db()
    assert dossiers["later"].assigned_to == colleague  # an officer takes no colleague's dossier
    assert "TER-2026-00011:" in response.content.decode()
    dossiers["soon"].refresh_from_db()
    assert dossiers["soon"].assigned_to == officer  # the other one went through

    client.force_login(lead)
    client.post(
        url("bulk"), {"action": "assign", "assignee": officer.pk, "dossier": [dossiers["later"].pk]}
    )
    dossiers["later"].refresh_from_db()
    assert dossiers["later"].assigned_to == officer


def test_the_ticked_dossiers_are_exported_and_nothing_else(officer_client, dossiers):
    response = officer_client.post(
        url("bulk"),
        {"action": "export:csv", "dossier": [dossiers["soon"].pk, dossiers["elsewhere"].pk]},
    )

    content = b"".join(
        response.streaming_content if response.streaming else [response.content]
    ).decode()
    assert "TER-2026-00012" in content
    assert "TER-2026-00011" not in content
    assert "EVT-2026-00014" not in content


@pytest.mark.parametrize(
    "data",
    [
        {"action": "take"},
        {"action": "delete", "dossier": ["1"]},
        {"action": "export:exe", "dossier": ["x"]},
    ],
)
def test_a_bulk_action_without_a_choice_says_so(officer_client, dossiers, data):
    if data.get("dossier") == ["1"]:
        data = {**data, "dossier": [dossiers["soon"].pk]}
    response = officer_client.post(url("bulk"), data, follow=True)

    assert response.status_code == 200
    dossiers["soon"].refresh_from_db()
    assert dossiers["soon"].assigned_to is None


def test_the_dossier_view_leads_to_the_previous_and_next_of_the_list(officer_client, dossiers):
    officer_client.get(reverse(INDEX_URL), {"status": "open", "o": "3"})

    first = officer_client.get(url("inspect", dossiers["soon"].pk))
    second = officer_client.get(url("inspect", dossiers["later"].pk))

    assert first.context["inbox_neighbours"]["next_url"] == url("inspect", dossiers["later"].pk)
    assert first.context["inbox_neighbours"]["previous_url"] == ""
    assert second.context["inbox_neighbours"]["previous_url"] == url("inspect", dossiers["soon"].pk)
    assert "o=3" in second.context["inbox_neighbours"]["list_url"]
    assert 'rel="prev"' in second.content.decode()


def test_a_dossier_opened_from_elsewhere_has_no_previous_or_next(officer_client, dossiers):
    officer_client.get(reverse(INDEX_URL), {"status": "approved"})

    response = officer_client.get(url("inspect", dossiers["soon"].pk))

    assert response.context["inbox_neighbours"] is None


def test_the_inbox_shows_the_decision_date_and_officer_before_the_other_columns(
    officer_client, dossiers
):
    content = officer_client.get(reverse(INDEX_URL)).content.decode()

    due, officer, company = (
        content.index(f"column-{name}") for name in ("due_column", "officer_column", "company_name")
    )
    assert due < officer < company
    assert 'form="loket-bulk"' in content
    reference_cell = content.split('class="field-reference')[1][:300]
    assert '<a href="/admin/dossiers/dossier/inspect/' in reference_cell
    assert "<details" in content


def test_an_editor_cannot_use_the_bulk_actions(client, dossiers, economy):
    editor = make_user("redacteur-x", is_staff=True)
    client.force_login(editor)
    client.post(url("bulk"), {"action": "take", "dossier": [dossiers["soon"].pk]})

    dossiers["soon"].refresh_from_db()
    assert dossiers["soon"].assigned_to is None
