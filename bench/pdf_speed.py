"""Arabic PDF speed on one core against reportlab's own unshaped text; pandoc and LibreOffice
as references where present. Called by bench/run.py (its row() prints the figures), or alone:

    python bench/pdf_speed.py [--runs 3] [--no-references]

Each repetition runs in a fresh process (`--child`), one thread, and times, in order:
our first run (fonts not yet read, no shaped word or laid-out line in memory, an empty
cache folder), reportlab's first run, our warm run (the in-memory words and lines cleared,
the cache folder as the first run left it, fonts still loaded), reportlab's second run,
then our run with everything in memory ("hot"), and a second fresh process's first run on
the filled folder (what the next `coursegen build` sees). Our runs write a file of one
name, as rebuilds do: the folder keeps a document's lines by its kind, title and name.
Ratios are taken within one repetition; the figures are their medians. Every timed run
starts after a garbage collection, so no run pays for the garbage of the one before.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from course.document import Document


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
    # Each run starts with the garbage of the runs before it collected, not charged to it.
    gc.collect()
    start = time.perf_counter()
    fn(*args, **kw)
    return time.perf_counter() - start


def _pandoc() -> str | None:
    """pandoc from the pypandoc-binary wheel where installed, else one on the PATH."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def child(doc_file: Path, cache: Path, out: Path, warm_only: bool) -> dict[str, float]:
    """One repetition in this (fresh) process: seconds of each run, and pages.

    Each run writes a file of the same name (in a folder of its own), as a rebuild
    writes the same output again: a document's laid-out lines are kept by its name."""
    from generators.pdf import shape_cache, shaping
    from generators.pdf.writer import PdfWriter

    doc = pickle.loads(doc_file.read_bytes())
    shape_cache.use_cache_dir(cache)
    for run in ("first", "warm", "hot", "next"):
        (out / run).mkdir(exist_ok=True)
    if warm_only:  # a new process on a filled cache folder: its very first write
        return {"next_process": timed(PdfWriter().write, doc, out / "next" / OURS)}
    got = {"first": timed(PdfWriter().write, doc, out / "first" / OURS),
           "theirs_first": timed(reportlab_unshaped, doc, out / "theirs.pdf")}
    shaping.clear_memory()
    got["warm"] = timed(PdfWriter().write, doc, out / "warm" / OURS)
    got["theirs_warm"] = timed(reportlab_unshaped, doc, out / "theirs.pdf")
    got["hot"] = timed(PdfWriter().write, doc, out / "hot" / OURS)
    got["ours_pages"], got["theirs_pages"] = _pages(out / "hot" / OURS), _pages(out / "theirs.pdf")
    got["same_bytes"] = float(len({(out / run / OURS).read_bytes() for run in
                                   ("first", "warm", "hot")}) == 1)
    return got


OURS = "ours.pdf"


def _repetition(tmp: Path, doc_file: Path, n: int) -> dict[str, float]:
    """One fresh process for the runs, then another on the cache folder they filled."""
    import generators

    code = Path(generators.__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(code), "OMP_NUM_THREADS": "1"}
    cache, out = tmp / f"cache-{n}", tmp / f"out-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    out.mkdir(exist_ok=True)
    got: dict[str, float] = {}
    for extra in ((), ("--warm-only",)):
        done = subprocess.run([sys.executable, __file__, "--child", str(doc_file), str(cache),
                               str(out), *extra], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"pdf_speed child failed:\n{done.stderr}")
        got.update(json.loads(done.stdout.splitlines()[-1]))
    got["cache_bytes"] = sum(f.stat().st_size for f in cache.iterdir())
    got["same_bytes"] *= (out / "next" / OURS).read_bytes() == (out / "first" / OURS).read_bytes()
    return got


def pdf_speed(tmp: Path, row: Callable[..., None], runs: int, references: bool = True) -> None:
    """Arabic PDF speed against reportlab's unshaped text, and the DOCX references."""
    print("Arabic PDF speed and references", flush=True)
    from generators.docx.writer import DocxWriter
    from generators.pdf.writer import PdfWriter

    pack, doc = flat_document(tmp / "src")
    doc_file = tmp / "flat-doc.pickle"
    doc_file.write_bytes(pickle.dumps(doc))
    reps = [_repetition(tmp, doc_file, n) for n in range(runs)]
    ours, theirs = "coursegen PdfWriter, Arabic shaped", "reportlab platypus, same text unshaped"
    n, m = int(reps[0]["ours_pages"]), int(reps[0]["theirs_pages"])

    def med(key: str) -> float:
        return statistics.median(r[key] for r in reps)

    def ratio(r: dict[str, float], mine: str, other: str) -> float:
        return (n / r[mine]) / (m / r[other])

    for label, mine, other, target in (
            ("first run: fonts not read, no shaped word in memory, empty cache folder",
             "first", "theirs_first", 0.45),
            ("warm: in-memory words cleared, cache folder filled by the first run",
             "warm", "theirs_warm", 0.6),
            ("hot: every word already in memory", "hot", "theirs_warm", None),
            ("next process: its first run on the filled cache folder", "next_process",
             "theirs_first", None)):
        row(f"{ours} ({label})", f"{n} pages in {med(mine):.2f} s = {n / med(mine):.1f} pages/s "
            f"(median of {runs}: {', '.join(f'{r[mine]:.2f}' for r in reps)})")
        row(f"{theirs} (against {mine})", f"{m} pages in {med(other):.2f} s = "
            f"{m / med(other):.1f} pages/s")
        value = statistics.median(ratio(r, mine, other) for r in reps)
        row(f"Arabic / unshaped pages per second ({label})",
            f"{value:.2f} (median of {runs} paired runs: "
            f"{', '.join(f'{ratio(r, mine, other):.2f}' for r in reps)})",
            f">= {target}" if target else "", value >= target if target else None)
    row("shaped-word cache folder after one run", f"{int(med('cache_bytes')) // 1024} KB; warm, "
        f"hot and next-process PDFs identical to the first: {all(r['same_bytes'] for r in reps)}")
    if not references:
        return
    secs = timed(PdfWriter().write, pack, tmp / "pack.pdf")
    row("coursegen PdfWriter, full ar course pack (tables, callouts)",
        f"{(n := _pages(tmp / 'pack.pdf'))} pages in {secs:.2f} s = {n / secs:.1f} pages/s")
    secs = timed(DocxWriter().write, doc, tmp / "x.docx")
    row("coursegen DocxWriter, same text", f"{secs:.2f} s")
    if pandoc := _pandoc():
        from course.document import Heading, plain_text

        md = "\n\n".join(("#" * b.level + " " if isinstance(b, Heading) else "")
                         + plain_text(b.content) for b in doc.blocks)
        (tmp / "same.md").write_text(md, encoding="utf-8")
        secs = timed(subprocess.run, [pandoc, str(tmp / "same.md"), "-o",
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
            f"{(n := _pages(tmp / 'lo/x.pdf'))} pages in {secs:.2f} s = {n / secs:.1f} "
            f"pages/s (first run, new profile: {first:.2f} s)")
    else:
        row("reference: soffice --convert-to pdf", "not installed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument("--no-references", action="store_true",
                        help="skip the full pack, DOCX, pandoc and LibreOffice figures")
    parser.add_argument("--child", nargs=3, metavar=("DOC", "CACHE", "OUT"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--warm-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        doc_file, cache, out = map(Path, args.child)
        print(json.dumps(child(doc_file, cache, out, args.warm_only)))
        return
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    print(f"load average {os.getloadavg()[0]:.2f} at start", flush=True)
    with tempfile.TemporaryDirectory(prefix="coursegen-pdf-speed-") as name:
        tmp = Path(name)
        (tmp / "src").symlink_to(root)

        def row(figure: str, value: str, target: str = "", met: bool | None = None) -> None:
            status = "" if met is None else (" MET" if met else " NOT MET")
            print(f"  {figure}: {value}" + (f" [target {target}{status}]" if target else ""),
                  flush=True)

        pdf_speed(tmp, row, args.runs, references=not args.no_references)
    print(f"load average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
