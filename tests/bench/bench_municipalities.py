"""One installation, 1 and 20 municipalities: the back office must not pay per
municipality (issue #20).

Adds one municipality (``cms.municipalities.add_municipality``: site, home page,
groups, team, collection, settings) with a form, dossiers and an e-mail text of its
own, and measures as its officer (the inbox) and as its editor (the dashboard, the page
explorer of its tree, its e-mail texts). Then adds 19 more municipalities alike and
measures the same screens again. Prints the query count and the latency (mean/p95) of
each screen with 1 and with 20 municipalities.

Figures: ``municipalities_<screen>_queries_1`` and ``_20``, ``municipalities_<screen>_p95_ms_1``
and ``_20``. A screen that makes more queries with 20 municipalities than with 1 is a
failure; the timings are reported only (a shared machine). Runs on SQLite and
PostgreSQL. Everything it creates is deleted at the end.
"""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .runner import Context, Outcome
from .timing import measure

NAME = "Several municipalities (1 and 20)"

MANY = 20
DOSSIERS_EACH = 10
MAX_ROUNDS = 40


class Installation:
    """The municipalities the benchmark adds, their forms and dossiers."""

    def __init__(self):
        self.made = []

    def add(self, number: int):
        from cms.demo import TERRACE_STEPS
        from cms.municipalities import add_municipality
        from dossiers.models import NotificationTemplate
        from forms_builder.models import ApplicationFormPage
        from forms_builder.schema import freeze_schema
        from tests.factories import DossierFactory

        made = add_municipality(
            name=f"Benchgemeente {number:02d}",
            hostname=f"bench{number:02d}.localhost",
            reference_code=f"B{number:02d}",
        )
        form = made.home.add_child(
            instance=ApplicationFormPage(
                title=f"Terras in benchgemeente {number:02d}",
                slug="terras",
                steps=TERRACE_STEPS,
                reference_prefix="TER",
                decision_term_days=30,
                team=made.team,
            )
        )
        snapshot = freeze_schema(form.get_schema(), page=form)
        for each in range(DOSSIERS_EACH):
            DossierFactory(
                site=made.site,
                team=made.team,
                form_page=form,
                snapshot=snapshot,
                reference=f"B{number:02d}-TER-2026-{each + 1:05d}",
            )
        NotificationTemplate.objects.create(
            kind="application_received",
            site=made.site,
            language="nl",
            subject=f"Ontvangen in benchgemeente {number:02d}",
            body="{referentienummer}",
        )
        self.made.append(made)
        return made

    def remove(self) -> None:
        from django.contrib.auth.models import Group

        from dossiers.models import Dossier, Team

        for made in self.made:
            Dossier.objects.filter(site=made.site).delete()
            made.site.delete()
            made.home.delete()
            groups = [made.editors.pk, made.team.group_id, made.team.lead_group_id]
            Team.objects.filter(pk=made.team.pk).delete()
            Group.objects.filter(pk__in=[pk for pk in groups if pk]).delete()
            made.collection.delete()


def screens(first) -> dict[str, tuple[str, str]]:
    """Screen name → (who, URL)."""
    return {
        "inbox": ("officer", reverse("dossiers_dossier_modeladmin_index")),
        "dashboard": ("editor", "/admin/"),
        "explorer": ("editor", f"/admin/pages/{first.home.pk}/"),
        "email_texts": ("editor", "/admin/snippets/dossiers/notificationtemplate/"),
    }


def count_and_time(context: Context, clients, urls) -> dict[str, tuple[int, object]]:
    found = {}
    for name, (who, url) in urls.items():
        client = clients[who]
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        found[name] = len(queries.captured_queries)
    timings = measure(
        {name: (lambda c=clients[who], u=url: c.get(u)) for name, (who, url) in urls.items()},
        iterations=min(context.iterations, MAX_ROUNDS),
        warmup=min(context.warmup, 3),
        budget_seconds=context.budget_seconds / 2,
        min_iterations=5,
    )
    return {name: (found[name], timings[name]) for name in urls}


def run(context: Context) -> Outcome:
    from tests.factories import UserFactory

    outcome = Outcome()
    installation = Installation()
    users = []
    try:
        first = installation.add(1)
        officer = UserFactory(username="bench-municipal-officer")
        officer.groups.add(first.team.group)
        editor = UserFactory(username="bench-municipal-editor")
        editor.groups.add(first.editors)
        users = [officer, editor]
        clients = {"officer": Client(), "editor": Client()}
        clients["officer"].force_login(officer)
        clients["editor"].force_login(editor)
        urls = screens(first)

        one = count_and_time(context, clients, urls)
        for number in range(2, MANY + 1):
            installation.add(number)
        many = count_and_time(context, clients, urls)

        context.say(f"{'screen':<14} {'queries 1':>10} {'queries 20':>11}   timing")
        for name in urls:
            (queries_one, timing_one), (queries_many, timing_many) = one[name], many[name]
            context.say(f"{name:<14} {queries_one:>10} {queries_many:>11}")
            context.say(f"  1:  {timing_one.line()}")
            context.say(f"  {MANY}: {timing_many.line()}")
            outcome.figures[f"municipalities_{name}_queries_1"] = queries_one
            outcome.figures[f"municipalities_{name}_queries_{MANY}"] = queries_many
            outcome.figures[f"municipalities_{name}_p95_ms_1"] = round(timing_one.p95, 2)
            outcome.figures[f"municipalities_{name}_p95_ms_{MANY}"] = round(timing_many.p95, 2)
            if queries_many > queries_one:
                outcome.failures.append(
                    f"{name}: {queries_many} queries with {MANY} municipalities, "
                    f"{queries_one} with 1"
                )
    finally:
        for user in users:
            user.delete()
        installation.remove()
    return outcome
