"""Benchmarks for ``make bench``: a small runner and one ``bench_*.py`` module per benchmark.

Run them with ``make bench`` or ``python -m tests.bench [NAME ...]`` (NAME is a module
name without ``bench_``, e.g. ``wizard``). The runner builds a dedicated database
(PostgreSQL database ``loket_bench`` when ``DATABASE_URL`` is set, else a fresh SQLite
file under ``var/bench/``), runs each benchmark in-process with ``django.test.Client``,
prints the figures and merges them into ``var/bench/results.json`` (name → number).

A benchmark module defines ``NAME`` (a short title) and ``run(context) -> Outcome``; see
:mod:`tests.bench.runner`. These modules are not tests: pytest never collects them (their
names do not start with ``test_`` and ``conftest.py`` here ignores the whole folder).
"""
