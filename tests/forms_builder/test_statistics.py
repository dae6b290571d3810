"""Statistics per form for its editors (issue #14, item 1): the numbers on a known
set of drafts, dossiers and ratings, where applicants stop, the chosen period, who
may see them, and a query count that does not grow with the data."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from dossiers.constants import Status
from dossiers.models import Rating
from forms_builder.drafts import delete_expired_drafts
from forms_builder.models import Draft, StepCount
from forms_builder.schema import schema_hash
from forms_builder.statistics import counts
from forms_builder.statistics.figures import Period, form_statistics, weighted_median
from tests.conftest import make_form_page
from tests.factories import DossierFactory, FormSnapshotFactory, UserFactory
from tests.forms_builder.test_wizard_flow import EVENT_STEPS, fill_first_step, post

ZONE = timezone.get_current_timezone()
#: Four whole weeks, Monday 2 to Sunday 29 November 2026.
NOVEMBER = Period(datetime.date(2026, 11, 2), datetime.date(2026, 11, 29))
STEP_TITLES = ["Uw zaak", "Het terras", "Bijlagen"]


def at(day: int, hour: int = 10, minute: int = 0, month: int = 11) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=ZONE)


def three_step_snapshot(page):
    schema = {
        "version": 1,
        "title": page.title,
        "reference_prefix": "TER",
        "steps": [
            {"id": f"step-{n}", "title": title, "intro": "", "fields": []}
            for n, title in enumerate(STEP_TITLES, 1)
        ],
    }
    return FormSnapshotFactory(schema=schema, hash=schema_hash(schema), page=page)


def make_draft(page, snapshot, *, started, furthest, minutes=None, sent_as=None):
    """A draft started at ``started``; sent ``minutes`` later as dossier ``sent_as``."""
    draft = Draft.objects.create(
        page=page, snapshot=snapshot, furthest_step=furthest, submitted_dossier_id=sent_as
    )
    updated = started + datetime.timedelta(minutes=minutes or 0)
    Draft.objects.filter(pk=draft.pk).update(created_at=started, updated_at=updated)
    draft.refresh_from_db()
    # As the draft storage and the wizard count it when it is saved and sent.
    counts.count_existing(draft)
    return draft


def make_dossier(page, *, submitted, decided=None, due=None, status=Status.SUBMITTED):
    return DossierFactory(
        form_page=page,
        status=status,
        submitted_at=submitted,
        decided_at=decided,
        decision_due=due,
    )


@pytest.fixture
def terrace(form_page):
    """The terrace form with a known month: 7 applications started in November, 3
    sent; 4 dossiers; 2 ratings; and one of each outside the period."""
    snapshot = three_step_snapshot(form_page)
    # Sent after 10, 20 and 60 minutes (median 20).
    make_draft(form_page, snapshot, started=at(3), furthest=3, minutes=10, sent_as=1)
    make_draft(form_page, snapshot, started=at(4), furthest=3, minutes=20, sent_as=2)
    make_draft(form_page, snapshot, started=at(17), furthest=3, minutes=60, sent_as=3)
    # Not sent: saved before completing step 1, twice after step 1, once on the check page.
    make_draft(form_page, snapshot, started=at(5), furthest=0)
    make_draft(form_page, snapshot, started=at(10), furthest=1)
    make_draft(form_page, snapshot, started=at(11), furthest=1)
    make_draft(form_page, snapshot, started=at(26), furthest=3)
    # October: outside the period.
    make_draft(form_page, snapshot, started=at(20, month=10), furthest=2)

    approved = make_dossier(
        form_page,
        submitted=at(3, 10, 10),
        decided=at(8, 10, 10),
        due=datetime.date(2026, 12, 3),
        status=Status.APPROVED,
    )
    rejected = make_dossier(
        form_page,
        submitted=at(4, 10, 20),
        decided=at(14, 10, 20),
        due=datetime.date(2026, 11, 13),
        status=Status.REJECTED,
    )
    make_dossier(form_page, submitted=at(17, 11), status=Status.SUBMITTED)
    make_dossier(form_page, submitted=at(18), status=Status.IN_REVIEW)
    old = make_dossier(form_page, submitted=at(20, month=10), decided=at(1), status=Status.APPROVED)
    Rating.objects.create(dossier=approved, score=5, comment="Vlot en duidelijk.")
    Rating.objects.create(dossier=rejected, score=2, comment="")
    Rating.objects.create(dossier=old, score=1, comment="Te traag (oktober).")
    return form_page


def editor_of(*pages, username="redacteur"):
    """A user who may edit ``pages`` in the admin, and nothing else."""
    group = Group.objects.create(name=f"Redactie {username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for page in pages:
        GroupPagePermission.objects.create(
            group=group, page=page, permission=Permission.objects.get(codename="change_page")
        )
    user = UserFactory(username=username)
    user.groups.add(group)
    return user


def stats_url(page, **query):
    url = reverse("forms_builder_statistics", args=[page.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- the numbers -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_numbers_of_a_known_month(terrace):
    figures = form_statistics(terrace, NOVEMBER)

    assert (figures.started, figures.submitted, figures.completion_rate) == (7, 3, 43)
    assert figures.median_minutes_to_complete == 20
    assert [(row[0].day, *row[1:]) for row in figures.weeks] == [
        (2, 3, 2, 2),  # week of 2 November: 3 started, 2 sent, 2 dossiers
        (9, 2, 0, 0),
        (16, 1, 1, 2),
        (23, 1, 0, 0),
    ]

    dossiers = figures.dossiers
    assert dict(dossiers.per_status)[Status.APPROVED.label] == 1
    assert dict(dossiers.per_status)[Status.REJECTED.label] == 1
    assert dict(dossiers.per_status)[Status.IN_REVIEW.label] == 1
    assert dict(dossiers.per_status)[Status.SUBMITTED.label] == 1
    assert sum(count for _label, count in dossiers.per_status) == 4
    assert dossiers.decided == 2
    assert dossiers.median_days_to_decision == 7.5  # 5 and 10 days
    assert dossiers.late_decisions == 1  # decided on 14 November, due on the 13th
    assert (dossiers.ratings, dossiers.average_score) == (2, 3.5)
    assert dossiers.scores == [(5, 1), (4, 0), (3, 0), (2, 1), (1, 0)]
    assert [comment for _day, _score, comment in dossiers.comments] == ["Vlot en duidelijk."]


@pytest.mark.django_db
def test_drop_off_says_at_which_step_unsent_applications_stopped(terrace):
    figures = form_statistics(terrace, NOVEMBER)

    assert [(step.completed, step.title, step.left) for step in figures.drop_off] == [
        (0, "", 1),  # saved before completing step 1
        (1, "Uw zaak", 2),
        (2, "Het terras", 0),
        (3, "Bijlagen", 1),  # completed every step, did not send from the check page
    ]
    assert figures.drop_off[-1].last


@pytest.mark.django_db
def test_a_form_without_applications_shows_zeros_and_no_rate(form_page):
    figures = form_statistics(form_page, NOVEMBER)

    assert (figures.started, figures.submitted, figures.completion_rate) == (0, 0, None)
    assert figures.median_minutes_to_complete is None
    assert figures.dossiers.median_days_to_decision is None
    assert figures.dossiers.average_score is None


@pytest.mark.django_db
def test_the_wizard_records_the_furthest_step_and_going_back_keeps_it(client, home_page, team):
    page = make_form_page(
        home_page, slug="evenement", reference_prefix="EVE", steps=EVENT_STEPS, team=team
    )
    fill_first_step(client, page)
    draft = Draft.objects.get(page=page)
    assert draft.furthest_step == 1

    # No music: the sound step is skipped, the place step is number 3.
    post(client, page, "3", {"3-plaats": "Markt"})
    draft.refresh_from_db()
    assert draft.furthest_step == 3

    fill_first_step(client, page, **{"1-naam": "Winterfeest"})
    draft.refresh_from_db()
    assert draft.furthest_step == 3


# --- the page: period, permissions, queries -----------------------------------------------


@pytest.mark.django_db
def test_the_chosen_period_filters_every_number(client, terrace, admin_user):
    client.force_login(admin_user)

    november = client.get(stats_url(terrace, start="2026-11-02", end="2026-11-29"))
    october = client.get(stats_url(terrace, start="2026-10-01", end="2026-10-31"))
    first_week = client.get(stats_url(terrace, start="2026-11-02", end="2026-11-08"))

    assert november.status_code == 200
    assert (november.context["figures"].started, november.context["figures"].submitted) == (7, 3)
    assert (october.context["figures"].started, october.context["figures"].submitted) == (1, 0)
    assert october.context["figures"].dossiers.ratings == 1
    assert first_week.context["figures"].started == 3
    assert first_week.context["figures"].dossiers.decided == 2
    assert 'data-figure="started">7<' in november.content.decode()
    assert 'role="img"' in november.content.decode()
    assert november.context["drop_off"][1] == ("Na stap 1: Uw zaak", 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-11-29", "end": "2026-11-02"},
        {"start": "29-11-2026", "end": "kerstmis"},
        {"start": "2020-01-01", "end": "2026-01-01"},
    ],
)
def test_a_wrong_period_says_why_and_shows_the_last_twelve_weeks(
    client, terrace, admin_user, query
):
    client.force_login(admin_user)

    response = client.get(stats_url(terrace, **query))

    assert response.status_code == 200
    assert response.context["period_form"].errors
    assert response.context["figures"].period == Period.default()
    assert 'role="alert"' in response.content.decode()


@pytest.mark.django_db
def test_editors_see_the_statistics_of_their_form_and_no_other(client, home_page, terrace):
    other = make_form_page(home_page, title="Evenement", slug="evenement", reference_prefix="EVE")
    client.force_login(editor_of(terrace))

    assert client.get(stats_url(terrace)).status_code == 200
    assert client.get(stats_url(other)).status_code == 404
    assert client.get(reverse("forms_builder_statistics", args=[999999])).status_code == 404

    report = client.get(reverse("forms_builder_statistics_report"))
    assert report.status_code == 200
    assert [row[0].pk for row in report.context["rows"]] == [terrace.pk]
    assert stats_url(terrace) in report.content.decode()

    editor = client.get(reverse("wagtailadmin_pages:edit", args=[terrace.pk]))
    assert stats_url(terrace) in editor.content.decode()


@pytest.mark.django_db
def test_an_editor_of_another_form_gets_404(client, home_page, terrace):
    other = make_form_page(home_page, title="Evenement", slug="evenement", reference_prefix="EVE")
    client.force_login(editor_of(other, username="evenementen"))

    assert client.get(stats_url(terrace)).status_code == 404
    report = client.get(reverse("forms_builder_statistics_report"))
    assert [row[0].pk for row in report.context["rows"]] == [other.pk]


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_applications(client, terrace):
    client.force_login(editor_of(terrace))
    url = stats_url(terrace, start="2026-11-02", end="2026-11-29")
    client.get(url)  # warm the session and permission caches

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    snapshot = Draft.objects.filter(page=terrace).first().snapshot
    for day in range(2, 28):
        make_draft(terrace, snapshot, started=at(day), furthest=day % 4, minutes=5, sent_as=day)
        dossier = make_dossier(terrace, submitted=at(day), decided=at(day, 15), due=at(day).date())
        Rating.objects.create(dossier=dossier, score=day % 5 + 1, comment=f"Opmerking {day}")
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)

    assert response.context["figures"].started == 7 + 26
    assert len(after.captured_queries) == len(before.captured_queries)


@pytest.mark.django_db
def test_the_page_speaks_dutch_to_a_dutch_editor(client, terrace):
    client.force_login(editor_of(terrace))

    page = client.get(stats_url(terrace, start="2026-11-29", end="2026-11-02")).content.decode()

    assert "De begindatum moet op of voor de einddatum liggen." in page
    assert "We tonen daarom de laatste twaalf weken." in page
    assert "Waar aanvragers stoppen" in page
    assert "Mediane doorlooptijd tot de beslissing" in page
    november = client.get(stats_url(terrace, start="2026-11-02", end="2026-11-29")).content
    assert 'data-figure="time">20 min<' in november.decode()
    assert 'data-figure="lead-time">7,5 dagen<' in november.decode()


@pytest.mark.django_db
def test_applications_through_the_wizard_are_counted(
    home_page, team, django_capture_on_commit_callbacks
):
    from django.test import Client

    page = make_form_page(
        home_page, slug="evenement", reference_prefix="EVE", steps=EVENT_STEPS, team=team
    )
    sender, leaver = Client(), Client()
    fill_first_step(sender, page)
    post(sender, page, "3", {"3-plaats": "Park"})
    with django_capture_on_commit_callbacks(execute=True):
        sender.post(page.url + "controleren/", {})
    fill_first_step(leaver, page)

    figures = form_statistics(page, Period.default())

    assert (figures.started, figures.submitted, figures.completion_rate) == (2, 1, 50)
    # The leaver completed step 1; the sound step was skipped, the place step not sent.
    assert [(step.completed, step.left) for step in figures.drop_off] == [
        (0, 0),
        (1, 1),
        (2, 0),
        (3, 0),
    ]
    assert figures.dossiers.per_week == {figures.weeks[-1][0]: 1}
    assert dict(figures.dossiers.per_status)[Status.SUBMITTED.label] == 1


@pytest.mark.django_db
def test_the_reports_menu_lists_form_statistics_only_for_editors(client, terrace):
    officer = UserFactory(username="loketmedewerker")
    officer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    report_url = reverse("forms_builder_statistics_report")

    client.force_login(officer)
    assert report_url not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(report_url).context["rows"] == []
    assert client.get(stats_url(terrace)).status_code == 404

    client.force_login(editor_of(terrace))
    assert report_url in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_chart_names_itself_escapes_its_labels_and_scales_its_bars():
    from forms_builder.statistics import charts

    svg = str(
        charts.bar_chart(
            "Waar aanvragers stoppen",
            "Per stap.",
            ["Stap <1>", "Stap 2"],
            [charts.Series("Gestopt", (4, 2))],
        )
    )

    assert svg.startswith('<svg class="loket-chart" role="img" aria-labelledby="chart-')
    title_id, desc_id = svg.split('aria-labelledby="')[1].split('"')[0].split()
    assert f'<title id="{title_id}">Waar aanvragers stoppen</title>' in svg
    assert f'<desc id="{desc_id}">Per stap.</desc>' in svg
    assert "Stap &lt;1&gt;" in svg and "<1>" not in svg
    assert f'width="{charts.BAR_AREA:.1f}"' in svg  # the largest value fills the area
    assert f'width="{charts.BAR_AREA / 2:.1f}"' in svg


@pytest.mark.django_db
def test_the_counts_outlive_the_drafts_that_retention_deletes(terrace):
    before = form_statistics(terrace, NOVEMBER)

    Draft.objects.filter(page=terrace).update(expires_at=at(1, month=11))
    assert delete_expired_drafts() == 8
    after = form_statistics(terrace, NOVEMBER)

    assert (after.started, after.submitted, after.median_minutes_to_complete) == (7, 3, 20)
    assert [step.left for step in after.drop_off] == [step.left for step in before.drop_off]
    assert after.weeks == before.weeks


@pytest.mark.django_db
def test_a_draft_moves_between_steps_in_the_counts(form_page):
    snapshot = three_step_snapshot(form_page)
    draft = Draft.objects.create(page=form_page, snapshot=snapshot, furthest_step=0)
    counts.draft_started(draft)
    for step in (1, 2):
        before, draft.furthest_step = draft.furthest_step, step
        counts.draft_moved(draft, before)
    counts.draft_sent(draft, sent_at=draft.created_at + datetime.timedelta(minutes=7))

    rows = StepCount.objects.filter(page=form_page).values_list("step", "left", "sent")
    assert sorted(rows) == [(0, 0, 0), (1, 0, 0), (2, 0, 1)]
    figures = form_statistics(form_page, Period.default())
    assert (figures.started, figures.submitted, figures.median_minutes_to_complete) == (1, 1, 7)


def test_the_median_of_counted_minutes():
    assert weighted_median([]) is None
    assert weighted_median([(10, 1), (60, 1), (20, 1)]) == 20
    assert weighted_median([(10, 2), (30, 2)]) == 20
    assert weighted_median([(5, 3), (100, 1)]) == 5
