"""The officers' map of reports (meldingen) at 10,000 open reports (issue #18).

Seeds one report form (stage "report"), its team and an officer, ten categories and
reports spread over Gemeente Voorbeeld with ``bulk_create`` (dossiers and their
``Report`` rows; no events: the map does not read them), a tenth of them past their
target time. Then measures with ``django.test.Client``: as the officer, ``Reports on a
map`` (all categories, and one category) and the map's points (the GeoJSON the page
loads: all 10,000); as a visitor, the public map of open reports (switched on for the
default site; from its cache, and rendered afresh with the cache cleared). Query counts
at 1,000 and at 10,000 reports (they must be equal) and the latency (mean/p95) at
10,000, against the page-time target (p95 < 300 ms, as the inbox).

Figures: ``reports_map_queries_1k``, ``reports_map_queries_10k`` (the officer's page),
``reports_map_points_queries_10k``, ``reports_public_map_queries_10k`` (uncached),
``reports_map_p95_ms_10k``, ``reports_map_category_p95_ms_10k``,
``reports_map_points_p95_ms_10k``, ``reports_map_points_kb_10k``,
``reports_public_map_p95_ms_10k`` (cached), ``reports_public_map_uncached_p95_ms_10k``.
Runs on SQLite and on PostgreSQL (values only). Everything it creates is deleted at
the end (the public-map setting is put back).
"""

from __future__ import annotations

import datetime
import os
import random
import time

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .runner import Context, Outcome
from .timing import measure

NAME = "Reports on a map (10,000 open reports)"

SMALL = 1_000
#: ``BENCH_REPORTS`` sets another size (a quick try-out; the figures still say 10k).
LARGE = int(os.environ.get("BENCH_REPORTS", 10_000))
BATCH = 2_000
CATEGORIES = 10
MAX_ROUNDS = 40
TARGET_MS = 300.0
STATUSES = ["reported"] * 5 + ["in_review"] * 3 + ["scheduled", "forwarded_external"]


class Seed:
    def __init__(self):
        from cms.demo import ensure_home_page, ensure_team
        from cms.demo.forms import REPORT_STEPS
        from dossiers.models import ReportCategory
        from forms_builder.models import ApplicationFormPage
        from forms_builder.schema import freeze_schema
        from tests.factories import UserFactory

        home = ensure_home_page()
        self.team = ensure_team("Bench meldingen", "meldingen@voorbeeld.be")
        self.page = home.add_child(
            instance=ApplicationFormPage(
                title="Melding (benchmark)",
                slug="bench-reports",
                steps=REPORT_STEPS,
                reference_prefix="BMEL",
                decision_term_days=14,
                team=self.team,
                stages=["report"],
            )
        )
        self.snapshot = freeze_schema(self.page.get_schema(), page=self.page)
        self.categories = [
            ReportCategory.objects.create(name=f"Bench categorie {n}", target_days=5 + n)
            for n in range(CATEGORIES)
        ]
        self.officer = UserFactory(username="bench-report-officer", first_name="Bench")
        self.officer.groups.add(self.team.group)
        self.count = 0
        self.rng = random.Random(18)

    def add(self, total: int) -> float:
        from dossiers.models import Dossier, Report

        started = time.perf_counter()
        now = timezone.now()
        today = timezone.localdate()
        while self.count < total:
            size = min(BATCH, total - self.count)
            numbers = range(self.count, self.count + size)
            dossiers = Dossier.objects.bulk_create(
                [
                    Dossier(
                        reference=f"BMEL-2026-{number:06d}",
                        form_page=self.page,
                        form_title=self.page.title,
                        snapshot=self.snapshot,
                        answers={},
                        team=self.team,
                        status=self.rng.choice(STATUSES),
                        stages=["report"],
                        submitted_at=now - datetime.timedelta(minutes=number),
                    )
                    for number in numbers
                ],
                batch_size=BATCH,
            )
            if dossiers[0].pk is None:  # backends that do not return keys
                dossiers = list(
                    Dossier.objects.filter(
                        reference__in=[each.reference for each in dossiers]
                    ).order_by("pk")
                )
            Report.objects.bulk_create(
                [
                    Report(
                        dossier=dossier,
                        category=self.rng.choice(self.categories),
                        latitude=51.045 + self.rng.random() * 0.03,
                        longitude=3.715 + self.rng.random() * 0.02,
                        due_on=today + datetime.timedelta(days=self.rng.randrange(-3, 27)),
                    )
                    for dossier in dossiers
                ],
                batch_size=BATCH,
            )
            self.count += size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE dossiers_dossier")
                cursor.execute("ANALYZE dossiers_report")
        return time.perf_counter() - started

    def clean_up(self) -> None:
        from dossiers.models import Dossier, Report, ReportCategory
        from forms_builder.models import FormSnapshot

        reports = Report.objects.filter(dossier__form_page=self.page)
        reports._raw_delete(reports.db)
        dossiers = Dossier.objects.filter(form_page=self.page)
        dossiers._raw_delete(dossiers.db)
        ReportCategory.objects.filter(pk__in=[each.pk for each in self.categories]).delete()
        FormSnapshot.objects.filter(page=self.page).delete()
        self.page.delete()
        self.officer.delete()
        groups = [self.team.group, self.team.lead_group]
        self.team.delete()
        for group in groups:
            if group is not None:
                group.delete()


def count(client: Client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return len(queries)


def public_map_switched(on: bool) -> bool:
    """Switch the default site's public map on or off; returns how it was."""
    from wagtail.models import Site

    from dossiers.models import ReportSettings

    settings = ReportSettings.for_site(Site.objects.get(is_default_site=True))
    before = settings.public_map
    settings.public_map = on
    settings.save()
    return before


def uncached(client: Client, url: str):
    cache.clear()
    return client.get(url)


def run(context: Context) -> Outcome:
    outcome = Outcome()
    seed = Seed()
    public_before = public_map_switched(True)
    try:
        client = Client()
        client.force_login(seed.officer)
        visitor = Client()
        url = reverse("dossiers_reports")
        points = reverse("dossiers_report_points")
        public = reverse("dossiers:report_map")
        cases = {
            "reports map": (url, {}),
            "reports map (one category)": (url, {"category": str(seed.categories[0].pk)}),
            "map points (GeoJSON)": (points, {}),
        }
        seconds = seed.add(SMALL)
        context.say(f"{seed.count:,} reports in {seconds:.1f} s ({connection.vendor})")
        for args in cases.values():
            client.get(*args)  # the first request fills the per-process caches (settings)
        uncached(visitor, public)
        small = {name: count(client, *args) for name, args in cases.items()}
        cache.clear()
        small["public map"] = count(visitor, public, {})
        seconds = seed.add(LARGE)
        context.say(f"{seed.count:,} reports in {seconds:.1f} s")
        large = {name: count(client, *args) for name, args in cases.items()}
        cache.clear()
        large["public map"] = count(visitor, public, {})
        public_count = large["public map"]
        assert count(visitor, public, {}) == 0, "the public map is not served from the cache"
        kilobytes = len(client.get(points).content) / 1024
        context.say(f"map points: {kilobytes:.0f} kB of GeoJSON for {seed.count:,} reports")
        for name in small:
            context.say(f"{name:<32} queries {small[name]:>3} at 1k, {large[name]:>3} at 10k")
            if small[name] != large[name]:
                outcome.failures.append(
                    f"{name}: {small[name]} queries at 1k, {large[name]} at 10k"
                )
        calls = {name: (lambda u=u, p=p: client.get(u, p)) for name, (u, p) in cases.items()}
        calls["public map (cached)"] = lambda: visitor.get(public)
        calls["public map (uncached)"] = lambda: uncached(visitor, public)
        timings = measure(
            calls,
            iterations=min(context.iterations, MAX_ROUNDS),
            warmup=min(context.warmup, 3),
            budget_seconds=context.budget_seconds,
            min_iterations=10,
        )
        for timing in timings.values():
            context.say(timing.line())
    finally:
        seed.clean_up()
        public_map_switched(public_before)
        cache.clear()
    for name, timing in timings.items():
        verdict = "PASS" if timing.p95 < TARGET_MS else "FAIL"
        context.say(f"{verdict} {name} p95 {timing.p95:.1f} ms (target < {TARGET_MS:.0f} ms)")
    outcome.figures.update(
        {
            "reports_map_queries_1k": small["reports map"],
            "reports_map_queries_10k": large["reports map"],
            "reports_map_points_queries_10k": large["map points (GeoJSON)"],
            "reports_public_map_queries_10k": public_count,
            "reports_map_p95_ms_10k": round(timings["reports map"].p95, 1),
            "reports_map_category_p95_ms_10k": round(timings["reports map (one category)"].p95, 1),
            "reports_map_points_p95_ms_10k": round(timings["map points (GeoJSON)"].p95, 1),
            "reports_map_points_kb_10k": round(kilobytes, 1),
            "reports_public_map_p95_ms_10k": round(timings["public map (cached)"].p95, 1),
            "reports_public_map_uncached_p95_ms_10k": round(
                timings["public map (uncached)"].p95, 1
            ),
        }
    )
    return outcome
