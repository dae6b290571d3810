"""The officer's inbox: columns, filters, search, sorting, menu items and query counts."""

import datetime
import json
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from dossiers.admin.result_rows import result_rows, supports
from dossiers.constants import Status
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

INDEX_URL = "dossiers_dossier_modeladmin_index"
TODAY = datetime.date(2026, 3, 16)  # a Monday


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    moment = at(TODAY, 12)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return TODAY


@pytest.fixture
def inbox(economy, events_team, officer, colleague):
    """A few dossiers of the team "Economie" and one of another team, by name."""
    return {
        "new": DossierFactory(
            team=economy,
            reference="TER-2026-00001",
            company_name="Café De Markt",
            applicant_name="An Peeters",
            applicant_email="an@cafedemarkt.be",
            submitted_at=at(TODAY - days(2)),
            decision_due=TODAY + days(28),
        ),
        "mine": DossierFactory(
            team=economy,
            reference="EVT-2026-00002",
            form_title="Evenement aanvragen",
            status=Status.IN_REVIEW,
            assigned_to=officer,
            company_name="Bakkerij Janssens",
            enterprise_number="0123.456.789",
            applicant_name="Jan Janssens",
            applicant_email="jan@bakkerij.be",
            submitted_at=at(TODAY - days(40)),
            decision_due=TODAY - days(3),
        ),
        "waiting": DossierFactory(
            team=economy,
            reference="TER-2026-00003",
            status=Status.INFO_REQUESTED,
            assigned_to=colleague,
            company_name="Frituur Sofie",
            applicant_name="Sofie Claes",
            applicant_email="sofie@frituur.be",
            submitted_at=at(TODAY - days(20)),
            decision_due=TODAY + days(5),
            due_paused_on=TODAY - days(6),
        ),
        "decided": DossierFactory(
            team=economy,
            reference="TER-2026-00004",
            status=Status.APPROVED,
            assigned_to=officer,
            company_name="IJssalon Venezia",
            applicant_name="Marco Rossi",
            applicant_email="marco@venezia.be",
            submitted_at=at(TODAY - days(60)),
            decision_due=TODAY - days(30),
        ),
        "elsewhere": DossierFactory(
            team=events_team,
            reference="EVT-2026-00005",
            company_name="Café De Markt",
            applicant_name="An Peeters",
            submitted_at=at(TODAY - days(1)),
            decision_due=TODAY - days(9),
        ),
    }


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def listed(client, **params) -> list[str]:
    response = client.get(reverse(INDEX_URL), params)
    assert response.status_code == 200
    return [dossier.reference for dossier in response.context["object_list"]]


def row_of(content: str, reference: str) -> str:
    match = re.search(
        r"<tr[^>]*>(?:(?!</tr>).)*" + re.escape(reference) + r".*?</tr>", content, re.S
    )
    assert match, reference
    return match.group(0)


class TestColumns:
    def test_shows_what_an_officer_needs_per_dossier(self, officer_client, inbox):
        content = officer_client.get(reverse(INDEX_URL)).content.decode()

        row = row_of(content, "EVT-2026-00002")
        for text in ("Evenement aanvragen", "Bakkerij Janssens", "Jan Janssens", "Officer"):
            assert text in row
        assert 'class="loket-status loket-status--in_review"' in row
        assert re.search(r'<strong class="loket-due loket-due--overdue">[^<]*\b3\b', row)
        assert (
            f'href="{reverse("dossiers_dossier_modeladmin_inspect", args=[inbox["mine"].pk])}"'
            in row
        )

    def test_days_left_and_paused_terms(self, officer_client, inbox):
        content = officer_client.get(reverse(INDEX_URL)).content.decode()

        assert re.search(r'<span class="loket-due">[^<]*\b28\b', row_of(content, "TER-2026-00001"))
        # Paused six days ago with eleven days left: still eleven.
        waiting = row_of(content, "TER-2026-00003")
        assert re.search(r'<span class="loket-due loket-due--paused">[^<]*\b11\b', waiting)
        assert "loket-due" not in row_of(content, "TER-2026-00004")  # decided: no term

    def test_shows_the_dossiers_of_the_officers_teams_only(self, officer_client, inbox):
        assert listed(officer_client) == [
            "TER-2026-00001",
            "TER-2026-00003",
            "EVT-2026-00002",
            "TER-2026-00004",
        ]


class TestFilters:
    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"status": "open"}, {"new", "mine", "waiting"}),
            ({"status": "in_review"}, {"mine"}),
            ({"status": "approved"}, {"decided"}),
            ({"assigned": "me"}, {"mine", "decided"}),
            ({"assigned": "nobody"}, {"new"}),
            ({"assigned": "me", "status": "open"}, {"mine"}),
            ({"overdue": "yes"}, {"mine"}),
            ({"submitted_from": (TODAY - days(20)).isoformat()}, {"new", "waiting"}),
            ({"submitted_to": (TODAY - days(20)).isoformat()}, {"waiting", "mine", "decided"}),
            (
                {
                    "submitted_from": (TODAY - days(40)).isoformat(),
                    "submitted_to": (TODAY - days(3)).isoformat(),
                },
                {"mine", "waiting"},
            ),
            ({"submitted_from": "not a date"}, {"new", "mine", "waiting", "decided"}),
            ({"status": "nonsense"}, {"new", "mine", "waiting", "decided"}),
        ],
    )
    def test_narrow_the_list(self, officer_client, inbox, params, expected):
        assert set(listed(officer_client, **params)) == {inbox[name].reference for name in expected}

    def test_by_form(self, officer_client, inbox, form_page, economy):
        # form_page belongs to the demo team; move it to the officer's team.
        form_page.team = economy
        form_page.save()
        inbox["mine"].form_page = form_page
        inbox["mine"].save()

        response = officer_client.get(reverse(INDEX_URL), {"form": form_page.pk})

        assert [d.reference for d in response.context["object_list"]] == ["EVT-2026-00002"]
        assert f'href="?form={form_page.pk}"' in response.content.decode()

    def test_by_team_offers_the_officers_teams_only(self, client, inbox, economy, events_team):
        lead_elsewhere = inbox["elsewhere"]
        from tests.dossiers.conftest import make_user

        both = make_user("both", economy.group, events_team.group)
        client.force_login(both)

        assert set(listed(client, team=events_team.pk)) == {lead_elsewhere.reference}
        assert len(listed(client)) == 5
        content = client.get(reverse(INDEX_URL)).content.decode()
        assert f'href="?team={economy.pk}"' in content
        assert f'href="?team={events_team.pk}"' in content

    def test_another_teams_id_shows_nothing(self, officer_client, inbox, events_team):
        assert listed(officer_client, team=events_team.pk) == []

    def test_only_the_offered_filters_apply(self, officer_client, inbox, officer):
        # Parameters the inbox does not offer are ignored: nobody can probe other fields.
        everything = listed(officer_client)
        probes = {
            "team__id__exact": "999",
            "assigned_to__password__startswith": "x",
            "access_key__startswith": "x",
        }

        assert listed(officer_client, **probes) == everything

    def test_date_filter_keeps_the_other_filters(self, officer_client, inbox):
        content = officer_client.get(reverse(INDEX_URL), {"status": "open", "q": "Café"})
        html = content.content.decode()

        form = re.search(r'<form method="get" class="loket-date-filter">.*?</form>', html, re.S)
        assert '<input type="hidden" name="status" value="open">' in form.group(0)
        assert '<input type="hidden" name="q" value="Café">' in form.group(0)
        assert 'for="id_submitted_from"' in form.group(0)


class TestSearch:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("TER-2026-00003", {"waiting"}),
            ("janssens", {"mine"}),  # company and applicant name, any case
            ("0123.456.789", {"mine"}),
            ("Sofie Claes", {"waiting"}),
            ("marco@venezia.be", {"decided"}),
            ("Café De Markt", {"new"}),  # not the other team's dossier of the same company
        ],
    )
    def test_finds_dossiers(self, officer_client, inbox, query, expected):
        assert set(listed(officer_client, q=query)) == {inbox[name].reference for name in expected}


class TestSorting:
    # Columns: 0 tick, 1 reference, 2 status, 3 decide within, 4 officer ... 8 submitted.
    @pytest.mark.parametrize(
        ("order", "expected"),
        [
            (None, ["new", "waiting", "mine", "decided"]),
            ("8", ["decided", "mine", "waiting", "new"]),
            ("-8", ["new", "waiting", "mine", "decided"]),
            ("3", ["decided", "mine", "waiting", "new"]),
            ("-3", ["new", "waiting", "mine", "decided"]),
        ],
    )
    def test_on_the_date_columns(self, officer_client, inbox, order, expected):
        params = {"o": order} if order else {}

        assert listed(officer_client, **params) == [inbox[name].reference for name in expected]

    def test_date_columns_can_be_sorted(self, officer_client, inbox):
        content = officer_client.get(reverse(INDEX_URL)).content.decode()

        assert 'class="sortable column-submitted_at sorted descending"' in content
        assert 'class="sortable column-due_column"' in content


class TestQueryCount:
    """The number of queries does not grow with the number of dossiers on the page."""

    #: Session and user (2); Django's and Wagtail's permissions, the user's profile and
    #: the locales for the admin's menu (7); the officer's teams (1); the choices of the
    #: form and team filters (2); one count (1); the menu's count of new dossiers (1);
    #: the page of dossiers with their officers (1); the officer's saved views and the
    #: officers the bulk action can give dossiers to (2); the trees the officer may
    #: edit, which the admin menu's library item asks (1: cms.tenancy.page_roots, kept
    #: on the user; the library's sites come from the cache, cms.library.services).
    QUERIES = 18

    @pytest.mark.parametrize("count", [5, 50])
    def test_first_page(
        self, officer_client, economy, officer, colleague, count, django_assert_num_queries
    ):
        for n in range(count):
            DossierFactory(team=economy, assigned_to=(officer, colleague, None)[n % 3])
        url = reverse(INDEX_URL)
        officer_client.get(url)  # fills the process-wide caches (content types)

        with django_assert_num_queries(self.QUERIES):
            response = officer_client.get(url)

        assert len(response.context["object_list"]) == count

    @pytest.mark.parametrize("count", [5, 50])
    def test_filtered_and_searched(
        self, officer_client, economy, officer, count, django_assert_num_queries
    ):
        for _n in range(count):
            DossierFactory(team=economy, assigned_to=officer, status=Status.IN_REVIEW)
        url = reverse(INDEX_URL)
        params = {"status": "open", "assigned": "me", "q": "Café"}
        # Fills the process-wide caches (content types) and the session's list for
        # previous/next (written again only when the list changes).
        officer_client.get(url, params)

        # One more count: everything the officer may see ("12 out of 40").
        with django_assert_num_queries(self.QUERIES + 1):
            response = officer_client.get(url, params)

        assert len(response.context["object_list"]) == count


def menu_items(content: str) -> dict[str, dict]:
    """The sidebar's menu items by name, as Wagtail hands them to its sidebar script."""
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', content, re.S)
    items = {}

    def plain(value):
        # Telepath packs strings it has seen before as {"_val": ..., "_id": ...}.
        return value.get("_val", value) if isinstance(value, dict) else value

    def walk(node):
        if isinstance(node, dict):
            if node.get("_type", "").startswith("wagtail.sidebar.") and node.get("_args"):
                args = node["_args"][0]
                if isinstance(args, dict) and "name" in args:
                    items[plain(args["name"])] = {key: plain(v) for key, v in args.items()}
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props.group(1)))
    return items


class TestMenu:
    def test_dossiers_item_counts_the_new_dossiers_of_my_teams(self, officer_client, inbox):
        DossierFactory(team=inbox["new"].team)  # another new one

        items = menu_items(officer_client.get(reverse("wagtailadmin_home")).content.decode())

        assert "(2 " in items["dossiers"]["label"]  # not the other team's new dossier
        # The default view: open dossiers, the earliest decision date first.
        assert items["dossiers"]["url"] == reverse(INDEX_URL) + "?o=3&status=open"

    def test_no_count_without_new_dossiers(self, officer_client, officer, economy):
        DossierFactory(team=economy, assigned_to=officer)

        items = menu_items(officer_client.get(reverse("wagtailadmin_home")).content.decode())

        assert "(" not in items["dossiers"]["label"]

    def test_my_dossiers_lists_my_open_dossiers(self, officer_client, inbox):
        items = menu_items(officer_client.get(reverse("wagtailadmin_home")).content.decode())

        url = items["my-dossiers"]["url"]
        response = officer_client.get(url)
        assert [d.reference for d in response.context["object_list"]] == ["EVT-2026-00002"]

    def test_editors_have_no_dossier_items(self, client, editor, inbox):
        client.force_login(editor)

        items = menu_items(client.get(reverse("wagtailadmin_home")).content.decode())

        assert "dossiers" not in items
        assert "my-dossiers" not in items


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", " ".join(html.split())).strip()


def tbody(content: str) -> str:
    match = re.search(r"<tbody>(.*?)</tbody>", content, re.S)
    assert match
    return normalised(match.group(1))


def modeladmins_rows(response) -> str:
    """The rows as wagtail-modeladmin's own template tags draw them for this view."""
    context = response.context
    template = Template(
        "{% load modeladmin_tags %}{% for result in results %}"
        "{% result_row_display forloop.counter0 %}{% endfor %}"
    )
    from wagtail_modeladmin.templatetags.modeladmin_tags import results

    view = context["view"]
    rendered = template.render(
        Context(
            {
                "view": view,
                "object_list": context["object_list"],
                "request": response.wsgi_request,
                "results": list(results(view, context["object_list"], response.wsgi_request)),
            }
        )
    )
    return normalised(rendered)


class TestRowsInOnePass:
    """The inbox draws its rows in one pass (dossiers.admin.result_rows): the same table
    wagtail-modeladmin draws cell by cell, for every kind of column and empty value."""

    def test_the_same_table_as_modeladmin_draws(self, officer_client, inbox, economy):
        # Empty values: no company, no officer, no decision date; a name to escape.
        DossierFactory(
            team=economy,
            reference="TER-2026-00009",
            company_name="",
            applicant_name="Ann <b>Vos</b> & zonen",
            status=Status.SUBMITTED,
            decision_due=None,
        )
        response = officer_client.get(reverse(INDEX_URL))
        assert response.status_code == 200
        ours = tbody(response.content.decode())
        assert ours.count("<tr ") == len(response.context["object_list"]) >= 5
        assert ours == modeladmins_rows(response)
        assert "Ann &lt;b&gt;Vos&lt;/b&gt; &amp; zonen" in ours

    def test_sorted_and_searched_lists_too(self, officer_client, inbox):
        for params in ({"o": "-8"}, {"q": "Café"}, {"o": "1.3"}):
            response = officer_client.get(reverse(INDEX_URL), params)
            assert tbody(response.content.decode()) == modeladmins_rows(response), params

    def test_a_list_with_buttons_on_its_rows_is_left_to_modeladmin(
        self, officer_client, inbox, monkeypatch
    ):
        from dossiers.admin.options import DossierButtonHelper

        response = officer_client.get(reverse(INDEX_URL))
        view = response.context["view"]
        assert supports(view)
        monkeypatch.setattr(
            DossierButtonHelper,
            "get_buttons_for_obj",
            lambda self, obj, **kwargs: [
                {"url": "/x/", "label": "X", "classname": "", "title": "X"}
            ],
        )
        assert result_rows(view, response.context["object_list"]) is None
        content = officer_client.get(reverse(INDEX_URL)).content.decode()
        assert 'href="/x/"' in content

    def test_an_admin_with_extra_cell_classes_is_left_to_modeladmin(
        self, officer_client, inbox, monkeypatch
    ):
        from dossiers.admin.options import DossierAdmin

        response = officer_client.get(reverse(INDEX_URL))
        view = response.context["view"]
        monkeypatch.setattr(
            DossierAdmin, "get_extra_class_names_for_field_col", lambda self, obj, name: ["x"]
        )
        assert not supports(view)


class TestStatusLabel:
    def test_the_label_of_each_status_in_the_active_language(self, inbox):
        from django.utils import translation

        dossier = inbox["mine"]
        with translation.override("nl"):
            assert dossier.get_status_display() == "In behandeling"
        with translation.override("en"):
            assert dossier.get_status_display() == "In review"
        for status, label in Status.choices:
            dossier.status = status
            with translation.override("en"):
                assert dossier.get_status_display() == str(label)

    def test_an_unknown_status_shows_as_stored(self, inbox):
        dossier = inbox["mine"]
        dossier.status = "archived_long_ago"
        assert dossier.get_status_display() == "archived_long_ago"
