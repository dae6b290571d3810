"""The dossiers panel on the admin home: my open dossiers, my teams' late ones, this week."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.constants import Status
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime.date(2026, 3, 18)


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    moment = at(WEDNESDAY, 12)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def panel(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    match = re.search(
        r'<section[^>]*id="loket-dossiers-section".*?</section>', response.content.decode(), re.S
    )
    return match.group(0) if match else None


def panel_context(client):
    response = client.get(reverse("wagtailadmin_home"))
    [component] = [p for p in response.context["panels"] if p.name == "loket_dossiers"]
    return component.get_context_data({"request": response.wsgi_request})


@pytest.fixture
def work(economy, events_team, officer, colleague):
    return {
        "mine": DossierFactory(
            team=economy,
            status=Status.IN_REVIEW,
            assigned_to=officer,
            decision_due=WEDNESDAY + days(4),
            submitted_at=at(WEDNESDAY - days(20)),
        ),
        "mine_decided": DossierFactory(
            team=economy,
            status=Status.APPROVED,
            assigned_to=officer,
            submitted_at=at(WEDNESDAY - days(30)),
        ),
        "late": DossierFactory(
            team=economy,
            status=Status.SUBMITTED,
            assigned_to=colleague,
            decision_due=WEDNESDAY - days(1),
            submitted_at=at(WEDNESDAY - days(31)),
        ),
        "new_monday": DossierFactory(team=economy, submitted_at=at(WEDNESDAY - days(2), 8)),
        "last_sunday": DossierFactory(team=economy, submitted_at=at(WEDNESDAY - days(3), 23)),
        "late_elsewhere": DossierFactory(
            team=events_team, decision_due=WEDNESDAY - days(5), submitted_at=at(WEDNESDAY)
        ),
    }


def test_officer_sees_their_work(client, officer, work):
    client.force_login(officer)

    context = panel_context(client)

    assert context["mine"] == [work["mine"]]
    assert context["mine_count"] == 1
    assert context["overdue"] == [work["late"]]
    assert context["overdue_count"] == 1
    assert context["new_count"] == 1  # since Monday, the officer's teams only
    html = panel(client)
    for dossier in (work["mine"], work["late"]):
        url = reverse("dossiers_dossier_modeladmin_inspect", args=[dossier.pk])
        assert f'href="{url}"' in html
    assert work["late_elsewhere"].reference not in html
    assert 'href="/admin/dossiers/dossier/?submitted_from=2026-03-16"' in html


def test_links_lead_to_the_same_dossiers_in_the_inbox(client, officer, work):
    client.force_login(officer)
    context = panel_context(client)

    def listed(url):
        return {d.pk for d in client.get(url).context["object_list"]}

    assert listed(context["mine_url"]) == {work["mine"].pk}
    assert listed(context["overdue_url"]) == {work["late"].pk}
    assert listed(context["new_url"]) == {work["new_monday"].pk}


def test_administrator_sees_every_team(client, admin, work):
    client.force_login(admin)

    context = panel_context(client)

    assert context["mine"] == []
    assert set(context["overdue"]) == {work["late"], work["late_elsewhere"]}
    assert context["new_count"] == 2


def test_editors_get_no_panel(client, editor, work):
    client.force_login(editor)

    assert panel(client) is None


def test_the_panel_searches_dossiers_by_reference(client, officer, work):
    """Issue #14, item 8: the dashboard's own search finds pages; the panel's finds
    dossiers, in the inbox."""
    client.force_login(officer)
    context = panel_context(client)
    html = panel(client)

    assert f'action="{context["search_url"]}"' in html and 'name="q"' in html
    found = client.get(context["search_url"], {"q": work["late"].reference})
    assert [d.pk for d in found.context["object_list"]] == [work["late"].pk]


def test_the_menu_and_the_panel_count_the_same_new_dossiers_and_the_inbox_lists_them(
    client, officer, work
):
    """Issue #14, item 8: the menu's "(N nieuw)" and the panel's count are one number,
    and the panel's link lists exactly those dossiers."""
    from tests.dossiers.test_inbox import menu_items

    client.force_login(officer)
    context = panel_context(client)
    label = menu_items(client.get(reverse("wagtailadmin_home")).content.decode())["dossiers"]
    new = {work["new_monday"].pk, work["last_sunday"].pk}

    assert context["untaken_count"] == len(new)
    assert f"({len(new)} " in label["label"]
    listed = client.get(context["untaken_url"]).context["object_list"]
    assert {d.pk for d in listed} == new
    assert f"{len(new)} nieuwe dossiers die nog niemand nam" in panel(client)
