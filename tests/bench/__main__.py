"""``python -m tests.bench [NAME ...]``: run the benchmarks (see tests/bench/__init__.py)."""

import sys

from tests.bench.runner import main

if __name__ == "__main__":
    sys.exit(main())
