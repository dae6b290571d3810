"""The results file: one flat JSON object, benchmark figure name → number.

Every benchmark adds its own names; writing merges into what is already there, so one
benchmark run never wipes the figures of another.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path


def load(path: Path) -> dict[str, float]:
    """The figures in ``path``; an empty dict when the file is missing or unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def merge(path: Path, figures: dict[str, float]) -> dict[str, float]:
    """Write ``figures`` into ``path``, keeping every other name already there.

    Only finite numbers are accepted. The file is replaced atomically, so a run that is
    interrupted never leaves half a file behind. Returns the merged content.
    """
    for name, value in figures.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{name}: {value!r} is not a number")
        if not math.isfinite(value):
            raise ValueError(f"{name}: {value!r} is not a finite number")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    merged = {**load(path), **figures}
    merged = dict(sorted(merged.items()))
    handle, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".results-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as tmp:
        json.dump(merged, tmp, indent=2)
        tmp.write("\n")
    os.replace(tmp_name, path)
    return merged
