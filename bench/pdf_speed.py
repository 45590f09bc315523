"""Arabic PDF speed on one core against reportlab's own unshaped text; pandoc and LibreOffice
as references where present. Called by bench/run.py (its row() prints the figures)."""

from __future__ import annotations

import shutil
import subprocess
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


def pdf_speed(tmp: Path, row: Callable[..., None], runs: int) -> None:
    """Arabic PDF speed against reportlab's unshaped text, and the DOCX references."""
    print("Arabic PDF speed and references", flush=True)
    from pypdf import PdfReader

    from generators.docx.writer import DocxWriter
    from generators.pdf.writer import PdfWriter

    def pages(path: Path) -> int:
        return len(PdfReader(str(path)).pages)

    pack, doc = flat_document(tmp / "src")
    ours, theirs = "coursegen PdfWriter, Arabic shaped", "reportlab platypus, same text unshaped"
    # One core: this process, one thread. A first run once; warm runs: the median of `runs`.
    for run, times, target in (("first run: fonts loaded, caches empty", 1, 0.45),
                               (f"warm, median of {runs}", runs, 0.6)):
        speed, took = {}, {}
        for name, write in ((ours, PdfWriter().write), (theirs, reportlab_unshaped)):
            took[name] = secs = sorted(timed(write, doc, tmp / "x.pdf")
                                       for _ in range(times))[times // 2]
            speed[name] = (n := pages(tmp / "x.pdf")) / secs
            row(f"{name} ({run})", f"{n} pages in {secs:.2f} s = {n / secs:.1f} pages/s")
        ratio = speed[ours] / speed[theirs]
        row(f"Arabic / unshaped pages per second ({run})", f"{ratio:.2f} (same text, "
            f"time ratio: {took[theirs] / took[ours]:.2f})", f">= {target}", ratio >= target)
    secs = timed(PdfWriter().write, pack, tmp / "pack.pdf")
    row("coursegen PdfWriter, full ar course pack (tables, callouts)",
        f"{(n := pages(tmp / 'pack.pdf'))} pages in {secs:.2f} s = {n / secs:.1f} pages/s")
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
            f"{(n := pages(tmp / 'lo/x.pdf'))} pages in {secs:.2f} s = {n / secs:.1f} "
            f"pages/s (first run, new profile: {first:.2f} s)")
    else:
        row("reference: soffice --convert-to pdf", "not installed")
