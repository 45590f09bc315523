"""coursegen benchmark: whole CLI runs, generated courses, Arabic PDF speed, references.

Run from the repository root, in the project's venv:  python bench/run.py [--quick]
(--quick: the 25-module course only). Not part of CI. Everything happens in a temporary
folder holding a snapshot of the code, templates and content; the repo is not touched.
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import yaml

if TYPE_CHECKING:
    from course.document import Document

ROOT = Path(__file__).resolve().parent.parent
CLI = shutil.which("coursegen", path=str(Path(sys.executable).parent)) or "coursegen"
ENV = dict(os.environ)  # PYTHONPATH: the code snapshot, set in main()
EDIT_IN = "why-proximity"  # the module edited (monolingual), and its copies
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


def _tree_hwm(pid: int) -> dict[int, int]:
    """VmHWM (kB) of pid and its descendants, from /proc/<pid>/task/<tid>/children."""
    found, todo = {}, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                found[p] = next(int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, StopIteration):
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
        done = threading.Event()

        def poll() -> None:
            while not done.is_set():
                for p, kb in _tree_hwm(proc.pid).items():
                    peaks[p] = max(peaks.get(p, 0), kb)
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
    cpu = usage.ru_utime + usage.ru_stime
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


def shipped(tmp: Path) -> None:
    print("shipped course", flush=True)
    project = tmp / "shipped"
    shutil.copytree(tmp / "src/content", project / "content")
    cold = build("shipped cold", project)
    row("shipped: cold build", str(cold))
    noop = [build("shipped no change", project) for _ in range(5)]
    worst = max(r.wall for r in noop)
    row("shipped: rebuild, nothing changed (worst of 5)",
        f"{worst:.3f} s (all: {', '.join(f'{r.wall:.3f}' for r in noop)})", "< 0.5 s",
        worst < 0.5)
    edit_one(project, EDIT_IN)
    edit = build("shipped edit", project)
    row(f"shipped: rebuild after editing {EDIT_IN}", str(edit))
    ratio = edit.wall / cold.wall
    row("shipped: edit / cold, wall", f"{ratio:.1%} (CPU: {edit.cpu / cold.cpu:.1%})",
        "< 30 %", ratio < 0.30)


def generated(tmp: Path, n: int) -> Run:
    """A course of n copied modules: cold build, then a one-module edit; the cold seconds."""
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
            f"id: {new}\n" + text.split("\n", 1)[1], "utf-8")
    course["modules"] = ids
    (project / "content/course.yaml").write_text(yaml.safe_dump(course, allow_unicode=True),
                                                 "utf-8")
    cold = build(f"{n} modules cold", project)
    row(f"{n} modules: cold build", str(cold))
    # A copy of EDIT_IN near the middle of the course.
    target = ids[n // 2 // len(shipped_ids) * len(shipped_ids) + shipped_ids.index(EDIT_IN)]
    edit_one(project, target)
    edit = build(f"{n} modules edit", project)
    row(f"{n} modules: rebuild after editing {target}", str(edit))
    ratio = edit.wall / cold.wall
    row(f"{n} modules: edit / cold, wall", f"{ratio:.1%} (CPU: {edit.cpu / cold.cpu:.1%})",
        "< 5 %" if n == 100 else "",
        ratio < 0.05 if n == 100 else None)
    shutil.rmtree(project / "out")
    return cold


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
        f"50->100: {(w[100] - w[50]) / 50:.3f})", "<= 1.25", spread <= 1.25)


def flat_document(src: Path) -> tuple[Document, Document]:
    """The shipped Arabic course pack, and its text as headings and paragraphs only."""
    from course import document as d
    from course.build.check import check
    from course.build.plan import Job
    from course.render.assemble import Assembler

    project = check(src).project
    assert project is not None
    pack = Assembler(project).document(Job("course-pack", "ar", "pdf"))
    blocks: list[d.Block] = []

    def walk(items: tuple) -> None:
        for b in items:
            if isinstance(b, d.Heading):
                blocks.append(d.Heading(b.level, (d.Text(d.plain_text(b.content)),), b.anchor))
            elif isinstance(b, d.Paragraph) and b.content:
                blocks.append(d.Paragraph((d.Text(d.plain_text(b.content)),)))
            elif isinstance(b, d.Table):
                blocks.extend(d.Paragraph((d.Text(" ".join(map(d.plain_text, cells))),))
                              for cells in (b.header, *b.rows))
            elif isinstance(b, (d.BulletList, d.OrderedList, d.Callout)):
                walk(b.blocks if isinstance(b, d.Callout) else sum(b.items, ()))

    walk(pack.blocks)
    return pack, d.Document("handout", "ar", "rtl", pack.title, pack.meta, tuple(blocks),
                            pack.theme)


def reportlab_unshaped(doc: Document, path: Path) -> None:
    """The same text with reportlab's platypus: Amiri TTF, no shaping, no bidi."""
    import fontpkg
    from reportlab.lib import enums, pagesizes, units
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from course.document import Heading, plain_text

    amiri = next(f for f in fontpkg.family("Amiri").files
                 if (f.weight or 400) == 400 and f.style == "normal")
    pdfmetrics.registerFont(ttfonts.TTFont("BenchAmiri", str(amiri.path)))
    body = ParagraphStyle("b", fontName="BenchAmiri", fontSize=12, leading=21,
                          alignment=enums.TA_RIGHT, spaceAfter=6, shaping=0)
    story = []
    for b in doc.blocks:
        size = {1: 20.0, 2: 16.0}.get(b.level, 13.5) if isinstance(b, Heading) else 0
        style = ParagraphStyle("h", parent=body, fontSize=size, leading=size * 1.6) \
            if size else body
        story.append(Paragraph(escape(plain_text(b.content)), style))
    mm = units.mm
    SimpleDocTemplate(str(path), pagesize=pagesizes.A4, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=25 * mm, bottomMargin=22 * mm).build(story)


def timed(fn: Callable[..., object], *args: object, **kw: object) -> float:
    start = time.perf_counter()
    fn(*args, **kw)
    return time.perf_counter() - start


def pdf_speed(tmp: Path) -> None:
    print("Arabic PDF speed and references", flush=True)
    from pypdf import PdfReader

    from generators.docx.writer import DocxWriter
    from generators.pdf.writer import PdfWriter

    def pages(path: Path) -> int:
        return len(PdfReader(str(path)).pages)

    pack, doc = flat_document(tmp / "src")
    ours, theirs = "coursegen PdfWriter, Arabic shaped", "reportlab platypus, same text unshaped"
    for run in ("first run: fonts loaded, caches empty", "second run: warm"):
        speed, took = {}, {}
        for name, write in ((ours, PdfWriter().write), (theirs, reportlab_unshaped)):
            took[name] = secs = timed(write, doc, tmp / "x.pdf")
            speed[name] = (n := pages(tmp / "x.pdf")) / secs
            row(f"{name} ({run})", f"{n} pages in {secs:.2f} s = {n / secs:.1f} pages/s")
        ratio = speed[ours] / speed[theirs]
        row(f"Arabic / unshaped pages per second ({run})", f"{ratio:.2f} (same text, "
            f"time ratio: {took[theirs] / took[ours]:.2f})", ">= 0.20", ratio >= 0.2)
    secs = timed(PdfWriter().write, pack, tmp / "pack.pdf")
    row("coursegen PdfWriter, full ar course pack (tables, callouts)",
        f"{(n := pages(tmp / 'pack.pdf'))} pages in {secs:.2f} s = {n / secs:.1f} pages/s")
    secs = timed(DocxWriter().write, doc, tmp / "x.docx")
    row("coursegen DocxWriter, same text", f"{secs:.2f} s")
    if shutil.which("pandoc"):
        from course.document import Heading, plain_text

        md = "\n\n".join(("#" * b.level + " " if isinstance(b, Heading) else "")
                         + plain_text(b.content) for b in doc.blocks)
        (tmp / "same.md").write_text(md, encoding="utf-8")
        secs = timed(subprocess.run, ["pandoc", str(tmp / "same.md"), "-o",
                                      str(tmp / "pandoc.docx")], check=True)
        row("reference: pandoc same.md -o x.docx, same text", f"{secs:.2f} s")
    else:
        row("reference: pandoc -o x.docx", "not installed")
    if soffice := shutil.which("soffice"):
        cmd = [soffice, f"-env:UserInstallation=file://{tmp}/lo", "--headless",
               "--convert-to", "pdf", "--outdir", str(tmp / "lo"), str(tmp / "x.docx")]
        first = timed(subprocess.run, cmd, check=True, capture_output=True)
        secs = timed(subprocess.run, cmd, check=True, capture_output=True)
        row("reference: soffice --convert-to pdf, our DOCX of the same text",
            f"{(n := pages(tmp / 'lo/x.pdf'))} pages in {secs:.2f} s = {n / secs:.1f} "
            f"pages/s (first run, new profile: {first:.2f} s)")
    else:
        row("reference: soffice --convert-to pdf", "not installed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the 25-module course only")
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
        shipped(tmp)
        colds = {n: generated(tmp, n) for n in ((25,) if quick else (25, 50, 100))}
        linearity(colds)
        label, top = max(runs, key=lambda lr: lr[1].peak_mb)
        row(f"largest process peak over {len(runs)} CLI runs ({label})",
            f"{top.peak_mb:.0f} MB", "< 300 MB", top.peak_mb < 300)
        label, most = max(runs, key=lambda lr: lr[1].sum_mb)
        row(f"largest sum over processes ({label}, VmHWM, shared pages counted per process)",
            f"{most.sum_mb:.0f} MB over {most.procs} processes")
        pdf_speed(tmp)
    width = max(len(r[0]) for r in rows)
    print(f"\nload average {os.getloadavg()[0]:.2f} at end\n")
    print(f"{'figure'.ljust(width)} | value | target | status")
    for figure, value, target, status in rows:
        print(f"{figure.ljust(width)} | {value} | {target} | {status}")
    print(f"\ntargets met: {sum(r[3] == 'MET' for r in rows)}, "
          f"not met: {sum(r[3] == 'NOT MET' for r in rows)}")


if __name__ == "__main__":
    main()
