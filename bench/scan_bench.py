"""Scanning speed: pages per second per core at 200 dpi, against the target of 4.

Run from the repository root, in the project's venv:  python bench/scan_bench.py [--pages N]
Not part of CI. It builds the test fixture project's answer sheets in a temporary folder,
marks them and saves them as 200 dpi grey PNG scans (any side up, up to 5° of skew, ±5 %
scale), then times `coursegen scan` in this one process: CPU seconds of the process (all
its threads, so pages per CPU second is pages per second per core) and wall seconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
TARGET = 4.0  # pages per second per core


def main() -> None:
    """Build, mark, scan and print the figures with MET / NOT MET."""
    from scan_pile import Pile, build, copy_project, printed

    from course.scan.run import scan

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=60, help="pages to scan (default 60)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scan-bench-") as tmp:
        root = Path(tmp)
        project = copy_project(ROOT / "tests" / "fixtures" / "good", root / "project")
        build(project, root / "output", "--variants", "3")
        sheets = printed(root / "output")
        pile = Pile(root / "scans", seed=1)
        for i in range(args.pages):
            pile.add(sheets[i % len(sheets)], f"{700000 + i}", {"dpi": 200})
        print(f"load average at start: {os.getloadavg()[0]:.2f}")
        wall, cpu = time.perf_counter(), time.process_time()
        result = scan([root / "scans"], root / "output", root / "out", str)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(result.summary)
        print(f"load average at end: {os.getloadavg()[0]:.2f}")
    per_core = pile.truth.pages / cpu
    print(f"{pile.truth.pages} pages at 200 dpi: {wall:.2f} s wall, {cpu:.2f} s CPU "
          "(review.pdf and responses.csv included)")
    status = "MET" if per_core >= TARGET else "NOT MET"
    print(f"pages per second per core: {per_core:.2f} (target {TARGET:g}) {status}")
    print(f"pages per second, wall: {pile.truth.pages / wall:.2f}")


if __name__ == "__main__":
    main()
