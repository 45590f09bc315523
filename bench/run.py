"""coursegen benchmark: whole CLI runs, generated courses, Arabic PDF speed, references.

Run from the repository root, in the project's venv:  python bench/run.py [--quick]
(--quick: the 25-module course only, a shorter scan). Not part of CI. Everything happens
in a temporary folder holding a snapshot of the code, templates and content; the repo is
not touched. The PDF speed figures and references are in bench/pdf_speed.py.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    pass

ROOT = Path(__file__).resolve().parent.parent
CLI = shutil.which("coursegen", path=str(Path(sys.executable).parent)) or "coursegen"
ENV = dict(os.environ)  # PYTHONPATH: the code snapshot, set in main()
EDIT_IN = "why-proximity"  # the module edited (monolingual), and its copies
RUNS = 3  # timed figures are medians of this many runs
rows: list[tuple[str, str, str, str]] = []  # figure, value, target, status
runs: list[tuple[str, Run]] = []


@dataclass
class Run:
    """One whole CLI run: wall seconds, the largest process's peak, the sum over the tree."""

    wall: float
    cpu: float  # user + system seconds of the whole process tree
    others: float  # CPU seconds the rest of the machine used meanwhile (/proc/stat)
    peak_mb: float
    sum_mb: float
    procs: int
    summary: str

    def __str__(self) -> str:
        return (f"{self.wall:.2f} s wall, {self.cpu:.1f} s CPU (others: {self.others:.1f}), "
                f"{self.summary.removeprefix('built ')}; peak "
                f"{self.peak_mb:.0f} MB, sum {self.sum_mb:.0f} MB over {self.procs} processes")


def _busy() -> float:
    """CPU seconds the whole machine has been busy, minus this process's own."""
    with open("/proc/stat") as fh:
        ticks = [int(x) for x in fh.readline().split()[1:9]]
    own = os.times()
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK") - own.user - own.system


def _tree(pid: int) -> dict[int, tuple[int, float]]:
    """VmHWM (kB) and CPU seconds so far of pid and its descendants (their children, from
    /proc/<pid>/task/<tid>/children): a fork server's workers are not the build's own
    children, so os.wait4 does not count their CPU."""
    found, todo = {}, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                hwm = next(int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM:"))
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            found[p] = (hwm, (int(fields[11]) + int(fields[12])) / tick)  # utime, stime
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, StopIteration, IndexError, ValueError):
            continue
    return found


def build(label: str, project: Path) -> Run:
    """`coursegen build`: wall, CPU and ru_maxrss (os.wait4), VmHWM of the polled tree."""
    args = ["build", "--project", str(project), "--out", str(project / "out")]
    with tempfile.TemporaryFile("w+") as out:
        start, busy = time.perf_counter(), _busy()
        proc = subprocess.Popen([CLI, *args], stdout=out, stderr=subprocess.STDOUT, env=ENV,
                                cwd=ENV["PYTHONPATH"])
        peaks: dict[int, int] = {}
        cpus: dict[int, float] = {}  # each process's CPU seconds, as last seen
        done = threading.Event()

        def poll() -> None:
            while not done.is_set():
                for p, (kb, cpu) in _tree(proc.pid).items():
                    peaks[p] = max(peaks.get(p, 0), kb)
                    cpus[p] = max(cpus.get(p, 0.0), cpu)
                done.wait(0.05)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        poller.join()
        busy = _busy() - busy
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if proc.returncode != 0:
        sys.exit(f"coursegen {' '.join(args)} failed ({proc.returncode}):\n{text}")
    summary = next((ln for ln in text.splitlines() if ln.startswith("built ")), "")
    peak = max(usage.ru_maxrss, max(peaks.values(), default=0))  # kB on Linux
    # Waited-for processes exactly; the others as last polled (up to 50 ms short each).
    cpu = max(usage.ru_utime + usage.ru_stime, sum(cpus.values()))
    r = Run(wall, cpu, max(0.0, busy - cpu), peak / 1024, sum(peaks.values()) / 1024,
            len(peaks), summary)
    runs.append((label, r))
    return r


def edit_one(project: Path, module: str) -> None:
    """Append one character to the first line of the first section body of a module."""
    path = project / "content" / "modules" / f"{module}.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    sections = lines.index("sections:")
    body = next(i for i, ln in enumerate(lines) if i > sections
                and ln.strip() in ("body: |", "ar: |"))
    line = next(i for i in range(body + 1, len(lines)) if lines[i].strip())
    lines[line] += "."
    path.write_text("\n".join(lines), encoding="utf-8")


def row(figure: str, value: str, target: str = "", met: bool | None = None) -> None:
    rows.append((figure, value, target, "" if met is None else ("MET" if met else "NOT MET")))
    print(f"  {figure}: {value}", flush=True)


def median(runs_: list[Run]) -> Run:
    """The run of median wall time."""
    return sorted(runs_, key=lambda r: r.wall)[len(runs_) // 2]


def edits(label: str, project: Path, module: str) -> Run:
    """Three one-module edits, each built: the median run."""
    done = []
    for i in range(RUNS):
        edit_one(project, module)
        done.append(build(f"{label} {i + 1}", project))
    return median(done)


def shipped(tmp: Path) -> Run:
    """The shipped course: cold, five no-op rebuilds, three edits; the median edit."""
    print("shipped course", flush=True)
    project = tmp / "shipped"
    shutil.copytree(tmp / "src/content", project / "content")
    cold = build("shipped cold", project)
    row("shipped: cold build", str(cold))
    noop = [build("shipped no change", project) for _ in range(5)]
    worst = max(r.wall for r in noop)
    row("shipped: rebuild, nothing changed, whole command (worst of 5)",
        f"{worst:.3f} s (all: {', '.join(f'{r.wall:.3f}' for r in noop)})", "< 0.3 s",
        worst < 0.3)
    edit = edits("shipped edit", project, EDIT_IN)
    row(f"shipped: rebuild after editing {EDIT_IN} (median of {RUNS})", str(edit))
    ratio = edit.wall / cold.wall
    row("shipped: edit / cold, wall", f"{ratio:.1%} (CPU: {edit.cpu / cold.cpu:.1%})")
    return edit


def generated(tmp: Path, n: int) -> tuple[Run, Run]:
    """A course of n copied modules: cold build, then one-module edits; cold and median edit."""
    print(f"generated course, {n} modules", flush=True)
    project = tmp / f"gen{n}"
    (project / "content/modules").mkdir(parents=True)
    course = yaml.safe_load((tmp / "src/content/course.yaml").read_text("utf-8"))
    shipped_ids, ids = course["modules"], [f"m{i:03d}" for i in range(1, n + 1)]
    for i, new in enumerate(ids):
        src = shipped_ids[i % len(shipped_ids)]
        text = (tmp / "src/content/modules" / f"{src}.yaml").read_text(encoding="utf-8")
        assert text.startswith(f"id: {src}\n"), src
        (project / f"content/modules/{new}.yaml").write_text(
            f"id: {new}\n" + _numbered_title(text.split("\n", 1)[1], i + 1), "utf-8")
    course["modules"] = ids
    (project / "content/course.yaml").write_text(yaml.safe_dump(course, allow_unicode=True),
                                                 "utf-8")
    cold = build(f"{n} modules cold", project)
    row(f"{n} modules: cold build (one run)", str(cold))
    # A copy of EDIT_IN near the middle of the course.
    target = ids[n // 2 // len(shipped_ids) * len(shipped_ids) + shipped_ids.index(EDIT_IN)]
    edit = edits(f"{n} modules edit", project, target)
    row(f"{n} modules: rebuild after editing {target} (median of {RUNS})", str(edit))
    row(f"{n} modules: edit / cold, wall", f"{edit.wall / cold.wall:.1%} "
        f"(CPU: {edit.cpu / cold.cpu:.1%})")
    shutil.rmtree(project / "out")
    return cold, edit


def _numbered_title(text: str, n: int) -> str:
    """A module's YAML with its title numbered in each language: copies are then distinct
    documents, as a real course's modules are (same title, kind and file name would let
    them share their laid-out lines, which a real course cannot)."""
    lines = text.split("\n")
    at = lines.index("title:")
    k = at + 1
    while k < len(lines) and lines[k].startswith("  "):
        lines[k] += f" {n}"
        k += 1
    assert k > at + 1, "a title mapping"
    return "\n".join(lines)


def edit_cost(ship: Run, edits_: dict[int, Run]) -> None:
    """The target: an edit at 100 modules costs at most 1.5 times the shipped course's."""
    n = max(edits_)
    ratio = edits_[n].wall / ship.wall
    target, met = ("<= 1.5", ratio <= 1.5) if n == 100 else ("<= 1.5 at 100 (not run)", None)
    row(f"one-module edit, {n} modules / shipped course (wall, medians)",
        f"{edits_[n].wall:.2f} s / {ship.wall:.2f} s = x{ratio:.2f} (CPU {edits_[n].cpu:.1f} s"
        f" / {ship.cpu:.1f} s)", target, met)


def linearity(colds: dict[int, Run]) -> None:
    per = {n: r.wall / n for n, r in colds.items()}
    for n, r in colds.items():
        row(f"cold s/module, {n} modules", f"{per[n]:.3f} s wall (x{per[n] / per[25]:.2f} of "
            f"25), {r.cpu / n:.3f} s CPU (x{r.cpu / n / (colds[25].cpu / 25):.2f} of 25)")
    if len(colds) < 3:
        row("cold build linear in modules", "not measured (--quick)")
        return
    spread = max(per.values()) / min(per.values())
    w = {n: r.wall for n, r in colds.items()}
    row("cold build linear: largest / smallest wall s/module",
        f"{spread:.2f} (marginal s/module 25->50: {(w[50] - w[25]) / 25:.3f}, "
        f"50->100: {(w[100] - w[50]) / 50:.3f})", "<= 1.2", spread <= 1.2)


def scanning(quick: bool) -> None:
    """bench/scan_bench.py's own measurement, run as it is; its figure and status."""
    print("scanning", flush=True)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "scan_bench.py"), "--pages",
                           "20" if quick else "60"], capture_output=True, text=True, env=ENV)
    line = next((ln for ln in done.stdout.splitlines()
                 if ln.startswith("pages per second per core: ")), None)
    if done.returncode != 0 or line is None:
        row("scanning at 200 dpi, pages per second per core", "failed: " +
            (done.stderr.strip().splitlines() or ["no figure"])[-1], ">= 4", False)
        return
    figure = float(line.split(": ", 1)[1].split()[0])
    pages = next((ln.split(" pages")[0] for ln in done.stdout.splitlines()
                  if " pages at 200 dpi" in ln), "?")
    row(f"scanning at 200 dpi, pages per second per core ({pages} pages)", f"{figure:.2f}",
        ">= 4", figure >= 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="the 25-module course only, a shorter scan")
    quick = parser.parse_args().quick
    print(f"coursegen bench: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.2f} at start\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="coursegen-bench-") as name:
        tmp = Path(name)
        # Repo edits during the run would change the code fingerprint: work on a snapshot.
        for part in ("course", "generators", "templates", "content"):
            shutil.copytree(ROOT / part, tmp / "src" / part,
                            ignore=shutil.ignore_patterns("__pycache__"))
        compileall.compile_dir(tmp / "src", quiet=1)  # as a first run would, env aside
        ENV["PYTHONPATH"] = str(tmp / "src")
        sys.path.insert(0, str(tmp / "src"))
        ship = shipped(tmp)
        sizes = (25,) if quick else (25, 50, 100)
        built = {n: generated(tmp, n) for n in sizes}
        edit_cost(ship, {n: e for n, (_, e) in built.items()})
        linearity({n: c for n, (c, _) in built.items()})
        big = f"{max(sizes)} modules"
        label, top = max(((lb, r) for lb, r in runs if lb.startswith(big)),
                         key=lambda lr: lr[1].peak_mb)
        row(f"largest process peak, {big} ({label})", f"{top.peak_mb:.0f} MB",
            "< 250 MB at 100 modules", top.peak_mb < 250 if max(sizes) == 100 else None)
        label, top = max(runs, key=lambda lr: lr[1].peak_mb)
        row(f"largest process peak over {len(runs)} CLI runs ({label})", f"{top.peak_mb:.0f} MB")
        label, most = max(runs, key=lambda lr: lr[1].sum_mb)
        row(f"largest sum over processes ({label}, VmHWM, shared pages counted per process)",
            f"{most.sum_mb:.0f} MB over {most.procs} processes")
        from pdf_speed import pdf_speed  # beside this file; imports the snapshot's code

        pdf_speed(tmp, row, RUNS)
        scanning(quick)
    width = max(len(r[0]) for r in rows)
    print(f"\nload average {os.getloadavg()[0]:.2f} at end\n")
    print(f"{'figure'.ljust(width)} | value | target | status")
    for figure, value, target, status in rows:
        print(f"{figure.ljust(width)} | {value} | {target} | {status}")
    print(f"\ntargets met: {sum(r[3] == 'MET' for r in rows)}, "
          f"not met: {sum(r[3] == 'NOT MET' for r in rows)}")


if __name__ == "__main__":
    main()
