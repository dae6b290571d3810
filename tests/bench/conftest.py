"""Benchmarks are not tests: keep pytest out of this folder (``make bench`` runs them)."""

collect_ignore_glob = ["*.py"]
