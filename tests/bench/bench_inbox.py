"""The officer's back office at scale: inbox, search, dossier view and export.

PostgreSQL only (the targets are about PostgreSQL's plans and indexes; on SQLite the
benchmark says so and measures nothing). Seeds dossiers over 20 forms (the demo terrace
form, each its own page and frozen schema) and 5 teams with ``bulk_create`` (no
signals, no events: the inbox does not need them), then measures as an officer of one
team with ``django.test.Client``: the inbox's first page, a filtered page (status and
overdue), a filtered page (one form), a search by company name and the dossier view.
Query counts at 1,000 and at 100,000 dossiers (they must be equal), latency (mean/p95)
at 100,000. Then the export of all 100,000 dossiers (with the answers' columns) to CSV
and to XLSX, each in a subprocess that reports its peak memory growth (maxrss).

Figures: ``inbox_queries_1k``, ``inbox_queries_100k``, ``inbox_p95_ms_100k``,
``search_p95_ms_100k``, ``dossier_view_p95_ms_100k``, ``export_peak_mb_100k`` (the
larger of CSV and XLSX), ``export_first_byte_s_100k`` (seconds before the slower
format's download starts), plus the details (``inbox_filtered_p95_ms_100k``,
``export_csv_peak_mb_100k``, ...). Everything it creates is deleted at the end.
"""

from __future__ import annotations

import datetime
import difflib
import json
import os
import random
import subprocess
import sys
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .runner import Context, Outcome
from .timing import measure

NAME = "Back office (inbox, search, dossier view, export)"

FORMS = 20
TEAMS = 5
SMALL = 1_000
#: The large size; ``BENCH_INBOX_DOSSIERS`` sets another (for a quick try-out; the
#: figures' names still say 100k).
LARGE = int(os.environ.get("BENCH_INBOX_DOSSIERS", 100_000))
BATCH = 5_000
#: ``BENCH_INBOX_1M=1`` also grows the table to this size (in SQL, see
#: :meth:`Seed.grow_in_sql`) and measures the same requests again (issue #21: p95 below
#: 300 ms, queries the same as at 1k). Off by default: it adds minutes.
MILLION = int(os.environ.get("BENCH_INBOX_1M_SIZE", 1_000_000))
WITH_MILLION = os.environ.get("BENCH_INBOX_1M", "") not in ("", "0")
#: ``BENCH_INBOX_EXPORTS=0`` skips the exports (minutes on a loaded machine).
WITH_EXPORTS = os.environ.get("BENCH_INBOX_EXPORTS", "1") != "0"
#: Timed rounds at most per case (each case is one request).
MAX_ROUNDS = 60
TARGET_MS = 300.0
TARGET_EXPORT_MB = 200.0
#: Seconds before an export's download starts (issue #21).
TARGET_FIRST_BYTE_S = 2.0

INDEX = "dossiers_dossier_modeladmin_index"
INSPECT = "dossiers_dossier_modeladmin_inspect"

COMPANY_WORDS = (
    "Bakkerij Brasserie Café Frituur Slagerij Kapsalon Bloemen Fietsen Boekhandel "
    "Apotheek Garage Drukkerij Schoenen Optiek Taverne Bistro Koffiebar Pizzeria"
).split()
COMPANY_NAMES = (
    "De Markt|Het Hoekje|De Zwaan|Sint-Pieter|Het Anker|De Linde|Ter Beke|De Molen|"
    "Het Pleintje|De Keizer|Peeters|Janssens|Maes|Jacobs|Mertens|Willems|Claes|Goossens|"
    "Wouters|De Smet|Dubois|Lambert|Vermeulen|Hermans|Aerts"
).split("|")
FIRST_NAMES = (
    "An Bart Chris Dirk Els Filip Griet Hilde Ilse Jan Katrien Luc Marie Nico Olga Pieter "
    "Rita Sofie Tom Veerle Wim Yasmine Zeynep Mohamed Fatima Lotte Sander"
).split()
STATUSES = (
    ["submitted"] * 4
    + ["in_review"] * 3
    + ["info_requested"]
    + ["approved"] * 3
    + ["rejected"]
    + ["closed"] * 2
)


def company_for(rng: random.Random) -> str:
    return f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_NAMES)}"


class Seed:
    """The forms, teams, officer and dossiers of the benchmark."""

    def __init__(self):
        from cms.demo import TERRACE_STEPS, ensure_home_page, ensure_team
        from dossiers.models import Team
        from forms_builder.models import ApplicationFormPage
        from forms_builder.schema import freeze_schema
        from tests.factories import UserFactory

        home = ensure_home_page()
        # Dossiers belong to a municipality (a Site); officers see their own sites' only.
        self.site = home.get_site()
        self.teams = [ensure_team(f"Bench team {n}", f"team{n}@voorbeeld.be") for n in range(TEAMS)]
        self.forms = []
        self.snapshots = []
        # The same step ids on every form: the forms are alike, so an export of all of
        # them has one column per question rather than one per question and form.
        steps = [{**step, "id": f"bench-step-{n}"} for n, step in enumerate(TERRACE_STEPS)]
        for number in range(FORMS):
            team = self.teams[number % TEAMS]
            page = home.add_child(
                instance=ApplicationFormPage(
                    title=f"Aanvraag {number + 1:02d} (benchmark)",
                    slug=f"bench-inbox-{number + 1:02d}",
                    steps=steps,
                    reference_prefix=f"B{number:02d}",
                    decision_term_days=30,
                    team=team,
                )
            )
            self.forms.append(page)
            self.snapshots.append(freeze_schema(page.get_schema(), page=page))
        self.officer = UserFactory(username="bench-officer", first_name="Bench")
        self.officer.groups.add(self.teams[0].group)
        self.colleagues = []
        for number in range(TEAMS):
            colleague = UserFactory(username=f"bench-colleague-{number}")
            colleague.groups.add(self.teams[number].group)
            self.colleagues.append(colleague)
        self.team_model = Team
        self.count = 0
        self.rng = random.Random(2026)

    def add(self, total: int) -> float:
        """Add dossiers until there are ``total``; returns the seconds it took."""
        from dossiers.models import Dossier

        started = time.perf_counter()
        now = timezone.now()
        while self.count < total:
            size = min(BATCH, total - self.count)
            batch = [self.dossier(Dossier, self.count + n, now) for n in range(size)]
            Dossier.objects.bulk_create(batch, batch_size=BATCH)
            self.count += size
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE dossiers_dossier")
        return time.perf_counter() - started

    def grow_in_sql(self, total: int) -> float:
        """Grow to ``total`` dossiers with ``INSERT ... SELECT`` over
        ``generate_series``: copies of the seeded rows, each copy older than every row
        before it (so the newest dossiers, and the measured requests, stay the same),
        with its own reference, public id and e-mail address. A million rows take a
        minute or two instead of the half hour of ``bulk_create``. Returns the seconds."""
        from dossiers.models import Dossier

        started = time.perf_counter()
        table = Dossier._meta.db_table
        seeded = self.count
        overrides = {
            "reference": "d.reference || '-' || copy",
            "public_id": "gen_random_uuid()",
            "applicant_email": "copy || '.' || d.applicant_email",
            "submitted_at": f"d.submitted_at - make_interval(mins => 7 * {seeded} * copy)",
            "decision_due": f"d.decision_due - 7 * {seeded} * copy / 1440",
        }
        columns = [field.column for field in Dossier._meta.concrete_fields if field.column != "id"]
        select = ", ".join(overrides.get(column, f"d.{column}") for column in columns)
        copies = -(-total // seeded) - 1
        with connection.cursor() as cursor:
            for copy in range(1, copies + 1):
                rows = min(seeded, total - self.count)
                if rows <= 0:
                    break
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"SELECT {select} FROM (SELECT * FROM {table} "
                    f"WHERE form_page_id = ANY(%s) AND reference NOT LIKE '%%-%%-%%-%%' "
                    f"ORDER BY id LIMIT %s) d, generate_series(%s, %s) AS copy",
                    [[page.pk for page in self.forms], rows, copy, copy],
                )
                self.count += rows
            # As the table is once autovacuum has passed: statistics, and the visibility
            # map that lets the inbox's counts read the index alone (VACUUM cannot run
            # inside a transaction: then statistics only).
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{vacuum} {table}")
        return time.perf_counter() - started

    def dossier(self, model, number: int, now):
        rng = self.rng
        form_number = number % FORMS
        page = self.forms[form_number]
        snapshot = self.snapshots[form_number]
        step1, step2 = (step["id"] for step in snapshot.schema["steps"])
        company = company_for(rng)
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(COMPANY_NAMES[10:])
        email = f"{first.lower()}.{number}@{company.split()[-1].lower()}.be"
        submitted = now - datetime.timedelta(minutes=7 * (LARGE - number) + rng.randrange(5))
        status = rng.choice(STATUSES)
        team_index = form_number % TEAMS
        return model(
            reference=f"B{form_number:02d}-2026-{number:06d}",
            form_page=page,
            form_title=page.title,
            snapshot=snapshot,
            answers={
                step1: {"bedrijfsnaam": company, "naam": f"{first} {last}", "email": email},
                step2: {
                    "adres": f"Markt {number % 200 + 1}, 9000 Gent",
                    "oppervlakte": 10 + number % 40,
                    "startdatum": "2026-04-01",
                    "soort": "Open terras",
                    "opmerkingen": "Tien tafels, van april tot oktober." if number % 3 else "",
                },
            },
            applicant_name=f"{first} {last}",
            applicant_email=email,
            applicant_phone="+32 470 12 34 56",
            company_name=company,
            enterprise_number=f"0{number % 1000:03d}.{number % 997:03d}.{number % 991:03d}",
            status=status,
            team=self.teams[team_index],
            site=self.site,
            assigned_to=self.colleagues[team_index] if status != "submitted" else None,
            submitted_at=submitted,
            decision_due=(submitted + datetime.timedelta(days=30)).date(),
            closed_at=now if status == "closed" else None,
        )

    def clean_up(self):
        """Delete everything the benchmark made. The dossiers and their rows are deleted
        in SQL (``_raw_delete``): per-object deletion signals (Wagtail's reference
        index) would take minutes for 100,000 dossiers."""
        from dossiers.models import Attachment, Dossier, Event, Notification
        from forms_builder.models import FormSnapshot

        dossiers = Dossier.objects.filter(form_page__in=self.forms)
        for model in (Notification, Event, Attachment):
            rows = model.objects.filter(dossier__in=dossiers.values("pk"))
            rows._raw_delete(rows.db)
        dossiers._raw_delete(dossiers.db)
        FormSnapshot.objects.filter(page__in=self.forms).delete()
        for page in self.forms:
            page.delete()
        for user in [self.officer, *self.colleagues]:
            user.delete()
        for team in self.teams:
            groups = [team.group, team.lead_group]
            team.delete()
            for group in groups:
                if group:
                    group.delete()


def cases(seed: Seed) -> dict[str, tuple[str, dict]]:
    """Name → (URL, query parameters) of the measured requests: the same requests at
    every size (the newest dossier of the officer's team when this is called, and its
    company's name as the search)."""
    from dossiers.models import Dossier

    index = reverse(INDEX)
    dossier = Dossier.objects.filter(team=seed.teams[0]).order_by("-submitted_at").first()
    return {
        "inbox": (index, {}),
        "inbox filtered (open, overdue)": (index, {"status": "open", "overdue": "yes"}),
        "inbox filtered (one form)": (index, {"form": str(seed.forms[0].pk)}),
        "search (company name)": (index, {"q": dossier.company_name}),
        "dossier view": (reverse(INSPECT, args=[dossier.pk]), {}),
    }


def request(client: Client, url: str, params: dict):
    response = client.get(url, params)
    if response.status_code != 200:
        where = f" to {response['Location']}" if response.has_header("Location") else ""
        raise AssertionError(f"GET {url} {params}: {response.status_code}{where}")
    return response


def count(client: Client, url: str, params: dict) -> list[str]:
    """The SQL of the request (after one to warm the caches)."""
    request(client, url, params)
    with CaptureQueriesContext(connection) as captured:
        request(client, url, params)
    return [query["sql"] for query in captured.captured_queries]


def export_peak(fmt: str, context: Context) -> dict:
    """Export every dossier (with the answers' columns) in a fresh process; its report."""
    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.bench.settings"),
        "BENCH_DB_NAME": connection.settings_dict["NAME"],
    }
    completed = subprocess.run(
        [sys.executable, "-m", "tests.bench.export_memory", fmt],
        cwd=str(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if completed.returncode != 0:
        raise AssertionError(f"export {fmt} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def explain(context: Context, sql_per_case: dict[str, list[str]]) -> None:
    """The plans of the queries on the dossiers table (``--verbose``)."""
    for name, queries in sql_per_case.items():
        for sql in queries:
            if not sql.startswith("SELECT") or '"dossiers_dossier"' not in sql.split("WHERE")[0]:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
            context.say(f"--- {name}: {sql[:160]}")
            for line in plan:
                context.say(f"    {line}")


def run(context: Context) -> Outcome:
    outcome = Outcome()
    if connection.vendor != "postgresql":
        context.say(
            "SKIPPED: the back-office benchmark needs PostgreSQL (its indexes and plans are "
            "what it measures). Run it with DATABASE_URL=postgres://... make bench "
            "BENCH_ARGS=inbox."
        )
        return outcome

    context.say(f"Seeding {FORMS} forms, {TEAMS} teams...")
    seed = Seed()
    try:
        client = Client()
        client.force_login(seed.officer)
        seconds = seed.add(SMALL)
        context.say(f"{seed.count:,} dossiers in {seconds:.1f} s")
        urls = cases(seed)
        small_sql = {name: count(client, *urls[name]) for name in urls}
        small = {name: len(sql) for name, sql in small_sql.items()}

        seconds = seed.add(LARGE)
        context.say(
            f"{seed.count:,} dossiers in {seconds:.1f} s (bulk_create, batches of {BATCH:,})"
        )
        large_sql = {name: count(client, *urls[name]) for name in urls}
        large = {name: len(sql) for name, sql in large_sql.items()}

        context.say()
        context.say(f"{'queries per request':<44} {'1k':>6} {'100k':>6}")
        for name in urls:
            same = "" if small[name] == large[name] else "   GROWS"
            context.say(f"{name:<44} {small[name]:>6} {large[name]:>6}{same}")
            if small[name] != large[name]:
                outcome.failures.append(
                    f"{name}: {small[name]} queries at 1k, {large[name]} at 100k"
                )
                for line in difflib.unified_diff(
                    [sql[:200] for sql in small_sql[name]],
                    [sql[:200] for sql in large_sql[name]],
                    "1k",
                    "100k",
                    lineterm="",
                    n=0,
                ):
                    context.say(f"    {line}")

        if context.verbose:
            explain(context, large_sql)

        timings = time_cases(context, client, urls, seed.count)

        exports = {}
        if WITH_EXPORTS:
            exports = {fmt: export_peak(fmt, context) for fmt in ("csv", "xlsx")}
        context.say()
        for fmt, report in exports.items():
            context.say(
                f"export {fmt.upper()}: {report['rows']:,} rows, {report['columns']} columns, "
                f"{report['mb']:.1f} MB file in {report['seconds']:.1f} s (first byte after "
                f"{report['first_byte_seconds']:.2f} s), peak memory growth "
                f"{report['peak_mb']:.1f} MB"
            )

        if WITH_MILLION:
            seconds = seed.grow_in_sql(MILLION)
            context.say()
            context.say(f"{seed.count:,} dossiers in {seconds:.1f} s (INSERT ... SELECT in SQL)")
            million_sql = {name: count(client, *urls[name]) for name in urls}
            for name in urls:
                grown = len(million_sql[name])
                context.say(f"{name:<44} {small[name]:>6} queries at 1k, {grown:>6} at 1m")
                if grown != small[name]:
                    outcome.failures.append(f"{name}: {small[name]} queries at 1k, {grown} at 1m")
            if context.verbose:
                explain(context, million_sql)
            million = time_cases(context, client, urls, seed.count)
            outcome.figures.update(
                {
                    "inbox_queries_1m": len(million_sql["inbox"]),
                    "inbox_p95_ms_1m": round(million["inbox"].p95, 1),
                    "inbox_filtered_p95_ms_1m": round(
                        million["inbox filtered (open, overdue)"].p95, 1
                    ),
                    "inbox_form_p95_ms_1m": round(million["inbox filtered (one form)"].p95, 1),
                    "search_p95_ms_1m": round(million["search (company name)"].p95, 1),
                    "dossier_view_p95_ms_1m": round(million["dossier view"].p95, 1),
                }
            )
            for name in ("inbox", "inbox filtered (open, overdue)", "search (company name)"):
                verdict = "PASS" if million[name].p95 < TARGET_MS else "FAIL"
                context.say(
                    f"{verdict} {name} p95 at 1m {million[name].p95:.1f} ms "
                    f"(target < {TARGET_MS:.0f} ms)"
                )
    finally:
        seed.clean_up()

    inbox_p95 = timings["inbox"].p95
    search_p95 = timings["search (company name)"].p95
    checks = [
        ("inbox p95", inbox_p95, TARGET_MS, "ms"),
        ("search p95", search_p95, TARGET_MS, "ms"),
    ]
    outcome.figures.update(
        {
            "inbox_queries_1k": small["inbox"],
            "inbox_queries_100k": large["inbox"],
            "inbox_p95_ms_100k": round(inbox_p95, 1),
            "inbox_filtered_p95_ms_100k": round(timings["inbox filtered (open, overdue)"].p95, 1),
            "inbox_form_p95_ms_100k": round(timings["inbox filtered (one form)"].p95, 1),
            "search_p95_ms_100k": round(search_p95, 1),
            "dossier_view_p95_ms_100k": round(timings["dossier view"].p95, 1),
        }
    )
    if exports:
        export_mb = max(report["peak_mb"] for report in exports.values())
        checks += [
            ("export peak", export_mb, TARGET_EXPORT_MB, "MB"),
            ("XLSX first byte", exports["xlsx"]["first_byte_seconds"], TARGET_FIRST_BYTE_S, "s"),
        ]
        outcome.figures.update(export_figures(exports, export_mb))
    context.say()
    for label, value, target, unit in checks:
        verdict = "PASS" if value < target else "FAIL"
        context.say(f"{verdict} {label} {value:.1f} {unit} (target < {target:.0f} {unit})")
    return outcome


def export_figures(exports: dict, export_mb: float) -> dict[str, float]:
    return {
        "export_peak_mb_100k": round(export_mb, 1),
        "export_csv_peak_mb_100k": round(exports["csv"]["peak_mb"], 1),
        "export_xlsx_peak_mb_100k": round(exports["xlsx"]["peak_mb"], 1),
        "export_csv_seconds_100k": round(exports["csv"]["seconds"], 1),
        "export_xlsx_seconds_100k": round(exports["xlsx"]["seconds"], 1),
        # The slower format's wait before its download starts (issue #21: < 2 s).
        "export_first_byte_s_100k": round(
            max(report["first_byte_seconds"] for report in exports.values()), 2
        ),
    }


def time_cases(context: Context, client: Client, urls: dict, size: int) -> dict:
    """Latency of every case at the current size, in interleaved rounds."""
    timings = measure(
        {
            name: (lambda u=url, p=params: request(client, u, p))
            for name, (url, params) in urls.items()
        },
        iterations=min(context.iterations, MAX_ROUNDS),
        warmup=min(context.warmup, 3),
        budget_seconds=context.budget_seconds,
        min_iterations=10,
    )
    context.say()
    context.say(f"At {size:,} dossiers (officer of one team: {size // TEAMS:,} visible):")
    for timing in timings.values():
        context.say(timing.line())
    return timings
