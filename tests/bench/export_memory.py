"""``python -m tests.bench.export_memory csv|xlsx``: export every dossier of the bench
database (with the answers' columns) and print, as one JSON line, the rows, the file's
size, the time (in all and until the first byte) and the process's peak memory growth:
the highest resident set size (sampled every 20 ms during the export) minus the
resident set size just before it.
Run by :mod:`tests.bench.bench_inbox` in a fresh process, so the figure is the
export's own."""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time

PAGE_MB = resource.getpagesize() / 1024 / 1024


def rss_mb() -> float:
    """The process's resident set size now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_MB


class PeakSampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.peak = rss_mb()
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.02):
            self.peak = max(self.peak, rss_mb())


def main(fmt: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.settings")
    import django

    django.setup()
    from django.db import connection

    connection.settings_dict["NAME"] = os.environ["BENCH_DB_NAME"]
    from dossiers import export
    from dossiers.models import Dossier

    queryset = Dossier.objects.order_by("-submitted_at")
    list(queryset[:10])  # the connection and the models' machinery, before measuring
    before = rss_mb()
    sampler = PeakSampler()
    sampler.start()
    started = time.perf_counter()
    response = export.export_response(queryset, export.get_format(fmt), with_answers=True)
    size = 0
    first = b""
    first_byte = None
    for chunk in response.streaming_content:
        chunk = chunk.encode() if isinstance(chunk, str) else chunk
        if chunk and first_byte is None:
            # What the officer waits before the download starts.
            first_byte = time.perf_counter() - started
        first = first or chunk[:4]
        size += len(chunk)
    response.close()
    seconds = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    peak = max(sampler.peak, rss_mb())
    columns = len(export.DOSSIER_COLUMNS) + len(export.answer_columns(queryset))
    print(
        json.dumps(
            {
                "rows": queryset.count(),
                "columns": columns,
                "mb": size / 1024 / 1024,
                "seconds": seconds,
                "first_byte_seconds": first_byte if first_byte is not None else seconds,
                "peak_mb": peak - before,
                "rss_before_mb": before,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
