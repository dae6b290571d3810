"""The benchmark runner: one database, every ``bench_*`` module, one results file.

A benchmark module in this package is named ``bench_<name>.py`` and defines:

* ``NAME``: a short title for the output;
* ``run(context: Context) -> Outcome``: builds its data, measures, prints its figures
  with ``context.say`` and returns them. It leaves the database as it found it (or
  says in its docstring what it leaves), so benchmarks can run in any order.

``Outcome.figures`` (name → number) are merged into ``var/bench/results.json``;
``Outcome.failures`` (one line each) make the run exit non-zero. Targets that are only
reported (timings on a shared machine) are printed as PASS/FAIL but are not failures.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "tests.bench"
PREFIX = "bench_"


@dataclass
class Context:
    """What a benchmark gets from the runner."""

    iterations: int
    warmup: int
    budget_seconds: float
    profile: bool = False
    verbose: bool = False

    def say(self, line: str = "") -> None:
        print(line, flush=True)


@dataclass
class Outcome:
    figures: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def available() -> list[str]:
    """The benchmark names (module names without ``bench_``), sorted."""
    folder = Path(__file__).resolve().parent
    return sorted(
        info.name.removeprefix(PREFIX)
        for info in pkgutil.iter_modules([str(folder)])
        if info.name.startswith(PREFIX)
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench",
        description="Run the benchmarks; see tests/bench/__init__.py and docs/PERFORMANCE.md.",
    )
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all: {available()})")
    parser.add_argument(
        "--iterations",
        type=int,
        default=int(os.environ.get("BENCH_ITERATIONS", 300)),
        help="timed rounds at most (default 300, or $BENCH_ITERATIONS)",
    )
    parser.add_argument("--warmup", type=int, default=20, help="untimed rounds first")
    parser.add_argument(
        "--budget",
        type=float,
        default=float(os.environ.get("BENCH_BUDGET", 30)),
        help="seconds at most for the timed rounds of one benchmark (default 30)",
    )
    parser.add_argument("--results", default=None, help="default: var/bench/results.json")
    parser.add_argument("--keepdb", action="store_true", help="reuse and keep the bench database")
    parser.add_argument("--profile", action="store_true", help="also profile the hot path")
    parser.add_argument("--verbose", action="store_true", help="also print the SQL of a request")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = args.names or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(available())}")
        return 2

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"{PACKAGE}.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from . import results

    bench_dir = Path(getattr(settings, "BENCH_DIR", Path(settings.BASE_DIR) / "var" / "bench"))
    bench_dir.mkdir(parents=True, exist_ok=True)
    results_path = Path(args.results) if args.results else bench_dir / "results.json"

    started = time.perf_counter()
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    print(f"Database: {connection.vendor} {test_name} (creating, migrating)...", flush=True)
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.keepdb
    )
    print(
        f"Ready in {time.perf_counter() - started:.1f} s. Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, DEBUG={settings.DEBUG}.",
        flush=True,
    )
    context = Context(
        iterations=args.iterations,
        warmup=args.warmup,
        budget_seconds=args.budget,
        profile=args.profile,
        verbose=args.verbose,
    )
    figures: dict[str, float] = {}
    failures: list[str] = []
    try:
        for name in names:
            module = importlib.import_module(f"{PACKAGE}.{PREFIX}{name}")
            print(f"\n=== {module.NAME} ({name}) ===", flush=True)
            bench_started = time.perf_counter()
            outcome = module.run(context)
            print(f"({name}: {time.perf_counter() - bench_started:.1f} s)", flush=True)
            figures.update(outcome.figures)
            failures.extend(f"{name}: {line}" for line in outcome.failures)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keepdb)

    merged = results.merge(results_path, figures)
    print(f"\nWrote {len(figures)} figure(s) to {results_path} ({len(merged)} in the file):")
    for key in sorted(figures):
        print(f"  {key} = {figures[key]}")
    if failures:
        print()
        for line in failures:
            print(f"FAIL {line}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
