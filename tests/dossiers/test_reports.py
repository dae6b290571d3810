"""Reports from residents (meldingen, issue #18): routing per category and area, the
outside party's link, the reporter's e-mails, reopening within the window, merging two
reports of the same problem, the overdue list, the routing check and the public map
that never shows who reported."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Site

from cms.demo.forms import REPORT_STEPS
from dossiers import services, workflow
from dossiers.constants import EventType, Status
from dossiers.exceptions import ActionRefused
from dossiers.models import (
    Dossier,
    ExternalParty,
    Notification,
    Report,
    ReportArea,
    ReportCategory,
    ReportRoute,
    ReportSettings,
)
from dossiers.reports import lists as report_lists
from dossiers.reports import services as reports
from forms_builder.fields import get_field_type
from tests.conftest import make_form_page
from tests.dossiers.conftest import make_team

pytestmark = pytest.mark.django_db

#: The Markt of Gemeente Voorbeeld (inside the centre) and a place outside it.
MARKT = (51.0500, 3.7200)
OUTSIDE = (51.0700, 3.7300)
CENTRE = {
    "type": "Polygon",
    "coordinates": [
        [
            [3.7180, 51.0485],
            [3.7245, 51.0485],
            [3.7245, 51.0545],
            [3.7180, 51.0545],
            [3.7180, 51.0485],
        ]
    ],
}


@pytest.fixture
def setup(home_page):
    """Categories, an area, two teams, two parties, routes and the report form."""
    public_domain = make_team("Openbaar domein")
    centre_team = make_team("Centrumploeg")
    grid = ExternalParty.objects.create(name="Fluvius", email="meldingen@fluvius.test")
    water = ExternalParty.objects.create(name="De Watergroep", email="meldingen@water.test")
    lights = ReportCategory.objects.create(
        name="Straatverlichting", handling_text="Fluvius herstelt de lamp.", target_days=10
    )
    lamp = ReportCategory.objects.create(name="Lamp brandt niet", parent=lights)
    pole = ReportCategory.objects.create(name="Paal beschadigd", parent=lights, target_days=20)
    litter = ReportCategory.objects.create(
        name="Zwerfvuil", handling_text="De ploeg ruimt het op.", target_days=5
    )
    sewer = ReportCategory.objects.create(name="Riolering", target_days=7)
    centre = ReportArea.objects.create(name="Centrum", polygon=CENTRE)
    north = ReportArea.objects.create(name="Noord", streets="Lindelaan\nKapelstraat")
    ReportRoute.objects.create(category=lights, party=grid)
    # A damaged pole is the municipality's own work.
    ReportRoute.objects.create(category=pole, team=public_domain)
    ReportRoute.objects.create(category=litter, team=public_domain)
    ReportRoute.objects.create(category=litter, area=centre, team=centre_team)
    ReportRoute.objects.create(category=litter, area=north, team=centre_team)
    ReportRoute.objects.create(category=sewer, party=water)
    page = make_form_page(
        home_page,
        title="Melding",
        slug="melding",
        steps=REPORT_STEPS,
        reference_prefix="MEL",
        team=public_domain,
        stages=["report"],
        decision_term_days=14,
    )
    return {
        "page": page,
        "public_domain": public_domain,
        "centre_team": centre_team,
        "grid": grid,
        "water": water,
        "lamp": lamp,
        "pole": pole,
        "litter": litter,
        "sewer": sewer,
        "centre": centre,
        "north": north,
    }


def point(lat, lon, address="", description=""):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"address": address, "description": description, "area_m2": None},
    }


def report(page, category, *, place=MARKT, email="an@voorbeeld.be", street=""):
    schema = page.get_schema()
    what, where, contact = (step["id"] for step in schema["steps"])
    location = point(*place, address=street) if place else point(*OUTSIDE, address=street)
    answers = {
        what: {
            "categorie": {"id": str(category.pk), "label": category.full_name},
            "omschrijving": "Het probleem.",
        },
        where: {"plaats": location},
        contact: {"email": email},
    }
    dossier = services.submit_application(form_page=page, schema=schema, answers=answers)
    if street:
        Report.objects.filter(dossier=dossier).update(street=street)
    return Dossier.objects.get(pk=dossier.pk)


def party_link(notification: Notification) -> str:
    return re.search(r"https?://\S+/melding/partij/\S+/", notification.body).group(0)


class TestRouting:
    @pytest.mark.parametrize(
        ("category", "place", "status", "team", "party"),
        [
            # A main category's route holds for its subcategory without one of its own.
            ("lamp", MARKT, Status.FORWARDED_EXTERNAL, "public_domain", "grid"),
            ("lamp", OUTSIDE, Status.FORWARDED_EXTERNAL, "public_domain", "grid"),
            # The subcategory's own route goes first.
            ("pole", MARKT, Status.REPORTED, "public_domain", None),
            ("pole", OUTSIDE, Status.REPORTED, "public_domain", None),
            # An area's route goes before the route for the whole municipality.
            ("litter", MARKT, Status.REPORTED, "centre_team", None),
            ("litter", OUTSIDE, Status.REPORTED, "public_domain", None),
            ("sewer", MARKT, Status.FORWARDED_EXTERNAL, "public_domain", "water"),
            ("sewer", OUTSIDE, Status.FORWARDED_EXTERNAL, "public_domain", "water"),
        ],
    )
    def test_every_category_and_area(self, setup, category, place, status, team, party):
        dossier = report(setup["page"], setup[category], place=place)

        assert dossier.status == status
        assert dossier.team == setup[team]
        kept = dossier.report
        assert kept.category == setup[category]
        assert kept.party == (setup[party] if party else None)
        assert (kept.latitude, kept.longitude) == pytest.approx(place)

    def test_a_street_in_the_area_list_routes_there(self, setup):
        dossier = report(setup["page"], setup["litter"], place=OUTSIDE, street="Lindelaan")
        # The street was known after routing here: route it again as submit would.
        routes = reports.routes_for(setup["litter"], None, "lindelaan")
        assert [route.team for route in routes] == [setup["centre_team"]]
        assert dossier.report.category == setup["litter"]

    def test_a_street_light_is_forwarded_to_the_grid_operator_with_a_link(
        self, setup, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            dossier = report(setup["page"], setup["lamp"])

        to_party = Notification.objects.get(dossier=dossier, kind="report_to_party")
        assert to_party.recipient == "meldingen@fluvius.test"
        link = party_link(to_party)
        # The reporter reads who fixes it on the status page.
        with translation.override("nl"):
            html = client.get(dossier.get_status_url()).content.decode()
        assert "Fluvius" in html
        assert "Doorgezet naar extern" in html or "Fluvius" in html

        path = link.split("://", 1)[1].split("/", 1)[1]
        page = client.get("/" + path)
        assert page.status_code == 200
        assert "Lamp brandt niet" in page.content.decode()
        assert "an@voorbeeld.be" not in page.content.decode()

        with django_capture_on_commit_callbacks(execute=True):
            done = client.post("/" + path, {"message": "Lamp vervangen."})
        assert done.status_code == 200
        dossier.refresh_from_db()
        assert dossier.status == Status.RESOLVED
        resolved = [m for m in mail.outbox if m.to == ["an@voorbeeld.be"]][-1]
        assert "Fluvius herstelt de lamp." in resolved.body  # the category's handling text
        assert "Lamp vervangen." in resolved.body
        # The link works once.
        assert client.get("/" + path).status_code == 404
        assert client.get(path.replace("/partij/", "/partij/x")).status_code == 404

    def test_a_wrong_key_is_refused(self, setup, client):
        dossier = report(setup["page"], setup["lamp"])
        url = reverse(
            "dossiers:report_party",
            kwargs={"link_id": dossier.report.party_link_id, "key": "niet-de-sleutel"},
        )
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
        dossier.refresh_from_db()
        assert dossier.status == Status.FORWARDED_EXTERNAL

    def test_the_check_lists_gaps_and_overlaps(self, setup):
        ReportCategory.objects.create(name="Graffiti")
        ReportRoute.objects.create(
            category=setup["sewer"], area=setup["centre"], team=setup["public_domain"]
        )
        ReportRoute.objects.create(
            category=setup["sewer"], area=setup["centre"], party=setup["grid"]
        )

        problems = {
            (each.category.name, each.area.name if each.area else None, each.kind)
            for each in reports.routing_problems()
        }

        assert problems == {
            ("Graffiti", "Centrum", "gap"),
            ("Graffiti", "Noord", "gap"),
            ("Graffiti", None, "gap"),
            ("Riolering", "Centrum", "overlap"),
        }

    def test_a_report_without_a_route_stays_with_the_forms_team(self, setup):
        graffiti = ReportCategory.objects.create(name="Graffiti", target_days=3)
        dossier = report(setup["page"], graffiti)
        assert dossier.status == Status.REPORTED
        assert dossier.team == setup["public_domain"]
        assert dossier.report.due_on == timezone.localdate() + datetime.timedelta(days=3)

    def test_the_routing_check_page_is_for_administrators(self, setup, client, admin, officer):
        ReportCategory.objects.create(name="Graffiti")
        url = reverse("dossiers_report_routing_check")
        client.force_login(officer)
        refused = client.get(url)
        assert refused.status_code != 200  # Wagtail sends a refused user to the dashboard
        assert "Graffiti" not in refused.content.decode()
        client.force_login(admin)
        html = client.get(url).content.decode()
        assert "Graffiti" in html and "data-gaps" in html


class TestTheCategoryQuestion:
    def test_offers_the_categories_grouped_and_refuses_a_main_with_subcategories(self, setup):
        field_type = get_field_type("report_category")
        form_field = field_type.get_form_field({"name": "categorie", "label": "Wat?"})
        flat = dict(form_field.choices)
        assert flat["Straatverlichting"] == [
            (str(setup["lamp"].pk), "Lamp brandt niet"),
            (str(setup["pole"].pk), "Paal beschadigd"),
        ]
        assert flat[str(setup["litter"].pk)] == "Zwerfvuil"
        assert form_field.clean(str(setup["lamp"].pk)) == {
            "id": str(setup["lamp"].pk),
            "label": "Straatverlichting › Lamp brandt niet",
        }
        main = setup["lamp"].parent
        with pytest.raises(Exception):  # noqa: B017 - Django's ValidationError
            form_field.clean(str(main.pk))

    def test_the_photo_opens_the_camera(self, setup):
        schema = setup["page"].get_schema()
        photo = schema["steps"][0]["fields"][2]
        widget = get_field_type(photo["type"]).get_form_field(photo).widget
        assert widget.attrs["accept"] == "image/*"
        assert widget.attrs["capture"] == "environment"


class TestTheReportersEmails:
    def test_told_at_in_behandeling_and_afgehandeld_only(
        self, setup, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            dossier = report(setup["page"], setup["litter"], place=OUTSIDE)
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            workflow.transition(dossier, "start_handling")
            workflow.transition(dossier, "schedule", data={"message": "Dinsdag."})
            workflow.transition(dossier, "resolve")

        kinds = list(
            Notification.objects.filter(dossier=dossier, event__type=EventType.STATUS_CHANGED)
            .order_by("pk")
            .values_list("kind", flat=True)
        )
        assert kinds == ["report_in_progress", "report_resolved"]
        assert [m.to for m in mail.outbox] == [["an@voorbeeld.be"], ["an@voorbeeld.be"]]
        assert "De ploeg ruimt het op." in mail.outbox[1].body

    def test_without_an_email_nothing_is_sent_and_the_confirmation_says_so(
        self, setup, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            dossier = report(setup["page"], setup["litter"], email="")
            workflow.transition(dossier, "start_handling")
            workflow.transition(dossier, "resolve")
        assert mail.outbox == []

        page = setup["page"]
        session = client.session
        from forms_builder.wizard import confirmation_session_key

        session[confirmation_session_key(page)] = dossier.pk
        session.save()
        with translation.override("nl"):
            html = client.get(page.url + "bevestiging/").content.decode()
        assert "data-report-no-updates" in html
        assert "Melding ontvangen" in html


class TestReopen:
    def resolved(self, setup, days_ago=0):
        dossier = report(setup["page"], setup["litter"], place=OUTSIDE)
        workflow.transition(dossier, "resolve")
        Report.objects.filter(dossier=dossier).update(
            resolved_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        return dossier

    def test_the_reporter_reopens_within_the_window(self, setup, client):
        dossier = self.resolved(setup, days_ago=13)
        with translation.override("nl"):
            html = client.get(dossier.get_status_url()).content.decode()
        assert "data-reopen" in html

        url = reverse(
            "dossiers:report_reopen",
            kwargs={"public_id": dossier.public_id, "key": dossier.access_key},
        )
        response = client.post(url, {"reason": "Er ligt weer vuil."})

        assert response.status_code == 302
        dossier.refresh_from_db()
        assert dossier.status == Status.REOPENED
        assert dossier.closed_at is None
        assert dossier.report.resolved_at is None

    def test_not_after_the_window(self, setup, client):
        dossier = self.resolved(setup, days_ago=15)
        with translation.override("nl"):
            html = client.get(dossier.get_status_url()).content.decode()
        assert "data-reopen" not in html
        with pytest.raises(ActionRefused):
            reports.reopen(dossier, "Nog altijd.")
        dossier.refresh_from_db()
        assert dossier.status == Status.RESOLVED

    def test_the_window_is_a_site_setting(self, setup):
        settings = ReportSettings.for_site(Site.objects.get(is_default_site=True))
        settings.reopen_days = 30
        settings.save()
        dossier = self.resolved(setup, days_ago=20)
        reports.reopen(dossier, "Nog altijd.")
        dossier.refresh_from_db()
        assert dossier.status == Status.REOPENED

    def test_an_officer_starts_again_after_a_reopen(self, setup):
        dossier = self.resolved(setup)
        reports.reopen(dossier, "Nog altijd.")
        workflow.transition(dossier, "start_handling")
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_REVIEW


class TestMerge:
    def test_both_reporters_keep_being_informed(
        self, setup, officer, django_capture_on_commit_callbacks
    ):
        first = report(setup["page"], setup["litter"], place=OUTSIDE, email="een@voorbeeld.be")
        second = report(setup["page"], setup["litter"], place=OUTSIDE, email="twee@voorbeeld.be")
        workflow.transition(first, "start_handling")
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            reports.merge(second.report, first.report, officer=None)
        second.refresh_from_db()
        assert second.status == Status.IN_REVIEW  # it took the status of the one it follows
        assert second.report.merged_into == first.report
        assert second.events.filter(type=EventType.REPORT_MERGED, public=True).exists()

        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            workflow.transition(first, "resolve", data={"message": "Opgeruimd."})
        second.refresh_from_db()
        assert second.status == Status.RESOLVED
        assert sorted(m.to[0] for m in mail.outbox) == ["een@voorbeeld.be", "twee@voorbeeld.be"]
        assert all("Opgeruimd." in m.body for m in mail.outbox)

        # The second reporter reopens: the report it follows reopens, and so does it.
        reports.reopen(second, "Weer vuil.")
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.status == second.status == Status.REOPENED

    def test_a_duplicate_names_the_party_of_the_report_it_follows(self, setup):
        lead = report(setup["page"], setup["lamp"])  # routed to the grid operator
        assert lead.report.party == setup["grid"]
        before = report(setup["page"], setup["litter"], place=OUTSIDE)
        reports.merge(before.report, lead.report, officer=None)
        before.report.refresh_from_db()
        assert before.report.party == setup["grid"]

        # Merged first, forwarded after: the follower takes the party too.
        other_lead = report(setup["page"], setup["litter"], place=OUTSIDE)
        follower = report(setup["page"], setup["litter"], place=OUTSIDE)
        reports.merge(follower.report, other_lead.report, officer=None)
        assert Report.objects.get(dossier=follower).party is None
        reports.forward_to_party(other_lead.report, setup["grid"], actor=None)
        follower.refresh_from_db()
        assert follower.status == Status.FORWARDED_EXTERNAL
        assert Report.objects.get(dossier=follower).party == setup["grid"]
        assert Report.objects.get(dossier=follower).party_key_hash in ("", None)

    def test_a_report_is_not_merged_into_itself_nor_when_handled(self, setup):
        one = report(setup["page"], setup["litter"])
        other = report(setup["page"], setup["litter"])
        with pytest.raises(ActionRefused):
            reports.merge(one.report, one.report, officer=None)
        workflow.transition(one, "resolve")
        one.refresh_from_db()
        with pytest.raises(ActionRefused):
            reports.merge(Report.objects.get(dossier=one), other.report, officer=None)


class TestOverdueAndMaps:
    def test_overdue_per_category(self, setup, admin, client):
        late = report(setup["page"], setup["litter"], place=OUTSIDE)
        Report.objects.filter(dossier=late).update(
            due_on=timezone.localdate() - datetime.timedelta(days=1)
        )
        on_time = report(setup["page"], setup["pole"])
        done = report(setup["page"], setup["pole"])
        Report.objects.filter(dossier=done).update(due_on=datetime.date(2020, 1, 1))
        workflow.transition(done, "resolve")

        groups = report_lists.overdue_per_category()
        assert [(name, [r.dossier for r in rows]) for name, rows in groups] == [
            ("Zwerfvuil", [late])
        ]
        client.force_login(admin)
        html = client.get(reverse("dossiers_reports")).content.decode()
        assert late.reference in html
        assert on_time.reference not in html.split('id="overdue-title"')[1]

    def test_the_public_map_is_off_unless_switched_on(self, setup, client):
        report(setup["page"], setup["litter"])
        assert client.get(reverse("dossiers:report_map")).status_code == 404

    def test_the_public_map_never_shows_the_reporter(self, setup, client):
        settings = ReportSettings.for_site(Site.objects.get(is_default_site=True))
        settings.public_map = True
        settings.save()
        dossier = report(setup["page"], setup["litter"], place=(51.052149, 3.721234))
        Dossier.objects.filter(pk=dossier.pk).update(applicant_name="An Peeters")

        html = client.get(reverse("dossiers:report_map")).content.decode()

        assert "Zwerfvuil" in html
        assert "51.052, 3.721" in html
        for secret in (
            "an@voorbeeld.be",
            "An Peeters",
            dossier.reference,
            "51.0521",
            "Het probleem",
        ):
            assert secret not in html
        rows = report_lists.public_open_reports()
        assert set(rows[0]) == {"category", "latitude", "longitude", "status", "reported_on"}


class TestLargeMaps:
    """The officers' map loads its points as one compact GeoJSON request; the lists
    under the maps show a readable part (issue #18: 10,000 reports)."""

    def test_the_officers_map_loads_its_points_as_json(self, setup, admin, client):
        one = report(setup["page"], setup["litter"], place=MARKT)
        report(setup["page"], setup["pole"], place=OUTSIDE)
        done = report(setup["page"], setup["litter"], place=OUTSIDE)
        workflow.transition(done, "resolve")
        client.force_login(admin)
        url = reverse("dossiers_report_points")

        points = client.get(url).json()
        litter = client.get(url, {"category": setup["litter"].pk}).json()

        assert points["type"] == "MultiPoint"
        assert sorted(points["coordinates"]) == [[3.72, 51.05], [3.73, 51.07]]
        assert litter["coordinates"] == [[3.72, 51.05]]
        html = client.get(reverse("dossiers_reports")).content.decode()
        assert f'data-geometry-url="{url}"' in html
        assert one.reference not in html  # the page carries no points, only their count
        assert "2 open meldingen met een plek." in html

    def test_only_officers_get_the_points(self, setup, client, django_user_model):
        report(setup["page"], setup["litter"])
        nobody = django_user_model.objects.create_user("nobody", is_staff=True)
        client.force_login(nobody)
        assert client.get(reverse("dossiers_report_points")).status_code in (302, 403)

    def test_the_overdue_list_shows_the_oldest_and_counts_the_rest(self, setup):
        late = [report(setup["page"], setup["litter"]) for _ in range(3)]
        for days, dossier in enumerate(late, start=1):
            Report.objects.filter(dossier=dossier).update(
                due_on=timezone.localdate() - datetime.timedelta(days=days)
            )

        groups = report_lists.overdue_table(shown=2)

        assert [(g["name"], g["total"], g["more"]) for g in groups] == [("Zwerfvuil", 3, 1)]
        assert [row["reference"] for row in groups[0]["rows"]] == [
            late[2].reference,
            late[1].reference,
        ]
        assert groups[0]["rows"][0]["status"] == str(Status.REPORTED.label)

    def test_the_public_list_is_limited_but_the_map_shows_all(self, setup, client):
        settings = ReportSettings.for_site(Site.objects.get(is_default_site=True))
        settings.public_map = True
        settings.save()
        for _ in range(3):
            report(setup["page"], setup["litter"])

        assert len(report_lists.public_open_reports(limit=2)) == 2
        points = report_lists.map_points(
            report_lists.public_reports(), decimals=report_lists.ROUGH_DECIMALS
        )
        assert points["coordinates"] == [[3.72, 51.05]] * 3
        html = client.get(reverse("dossiers:report_map")).content.decode()
        assert "[[3.72,51.05],[3.72,51.05],[3.72,51.05]]" in html
