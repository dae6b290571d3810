"""Timing helpers: interleaved rounds, so background load hits every case alike."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Timing:
    """Latencies of one case, in milliseconds."""

    name: str
    samples: list[float]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def per_second(self) -> float:
        return 1000.0 / self.mean

    def line(self) -> str:
        return (
            f"{self.name:<44} {self.per_second:8.1f} req/s   mean {self.mean:7.2f} ms"
            f"   p50 {self.median:7.2f} ms   p95 {self.p95:7.2f} ms   (n={len(self.samples)})"
        )


def measure(
    cases: dict[str, Callable[[], object]],
    *,
    iterations: int,
    warmup: int,
    budget_seconds: float,
    min_iterations: int = 20,
) -> dict[str, Timing]:
    """Call every case once per round, ``warmup`` rounds untimed, then up to
    ``iterations`` timed rounds; stops early once ``budget_seconds`` are spent (after at
    least ``min_iterations`` rounds). Returns a :class:`Timing` per case."""
    for _round in range(warmup):
        for case in cases.values():
            case()
    gc.collect()
    samples: dict[str, list[float]] = {name: [] for name in cases}
    started = time.perf_counter()
    for done in range(iterations):
        for name, case in cases.items():
            before = time.perf_counter()
            case()
            samples[name].append((time.perf_counter() - before) * 1000.0)
        if done + 1 >= min_iterations and time.perf_counter() - started > budget_seconds:
            break
    return {name: Timing(name, values) for name, values in samples.items()}
