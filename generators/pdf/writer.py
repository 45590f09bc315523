"""The PDF writer: shaped, bidi-ordered, searchable Arabic (and French) with reportlab."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.doctemplate import LayoutError

from course.document import Cover, Document
from course.errors import WriterError
from generators.pdf import linecache
from generators.pdf.blocks import Builder, Ctx, keep_with_next
from generators.pdf.canvas import BareCanvas
from generators.pdf.fonts import family
from generators.pdf.page import CourseDocTemplate, cover, title_block, toc
from generators.pdf.sheet import is_sheet, render_sheets

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
_TMP_NAME = re.compile(r"^\.(.+)\.\d+\.tmp$")


class PdfWriter:
    """Writes a Document as a PDF with embedded font subsets and a text layer in logical order."""

    name = "pdf"
    suffix = ".pdf"

    def write(self, document: Document, path: Path) -> None:
        """Write `document` to exactly `path`."""
        # The file's own name, as the build's temporary name for it (.NAME.PID.tmp) holds
        # it: with the document's kind, language and title, it names its laid-out lines.
        data = render(document, _TMP_NAME.sub(r"\1", Path(path).name))
        try:
            Path(path).write_bytes(data)
        except OSError as exc:
            raise WriterError(f"cannot write {path}: {exc.strerror or exc}") from None

    def page_count(self, path: Path) -> int:
        """The number of pages of a PDF this writer wrote."""
        from generators.pdf.merge import page_count

        return page_count(path)

    def merge(self, front: Path, parts: list[tuple[str, Path]], target: Path,
              title: str) -> None:
        """The front, then each part under a bookmark of its title, written to `target`."""
        from generators.pdf.merge import merge

        merge(front, parts, target, title)


class DeferredCanvas(BareCanvas):
    """Keeps every page until save, then adds its page label: one layout pass knows "{pages}"."""

    def __init__(self, page_label: Callable[[Canvas, int, int], None], *args: Any,
                 **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._page_label = page_label
        self._kept: list[dict[str, Any]] = []
        self._first_page = self._doc.pageCounter

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        """Keep the page's state instead of emitting it."""
        self._kept.append(dict(self.__dict__))
        # Count the page now, so that bookmarks and links made on later pages name the
        # page objects that save() will create ("Page1", "Page2", ...).
        self._doc.pageCounter += 1
        self._startPage()

    def save(self) -> None:
        """Emit every kept page with its label, then the file."""
        total = len(self._kept)
        self._doc.pageCounter = self._first_page
        for number, state in enumerate(self._kept, start=1):
            self.__dict__.update(state)
            self._page_label(self, number, total)
            super().showPage()
        super().save()


def render(document: Document, name: str = "") -> bytes:
    """The PDF bytes of a document (same document, same bytes); `name`, its file's, tells
    documents of one kind and title apart (quiz versions, a pack's parts)."""
    # The paragraphs this document drew last time; kept for the next run if it ends well.
    linecache.begin(f"{document.kind}\0{document.lang}\0{document.title}\0{name}")
    done = False
    try:
        data = _render(document)
        done = True
    finally:
        linecache.finish(save=done)
    return data


def _render(document: Document) -> bytes:
    rl_config.invariant = 1  # fixed document ID; dates come from meta.timestamp below
    theme = document.theme
    for label, value in (("primary_color", theme.primary_color),
                         ("secondary_color", theme.secondary_color)):
        if not _HEX.fullmatch(value):
            raise WriterError(f"theme {label} '{value}' is not a #RRGGBB colour")
    body, heads = family(theme.font), family(theme.heading_font)
    if is_sheet(document):
        ctx = Ctx(body, heads, document.direction == "rtl", theme.primary_color,
                  theme.secondary_color, width=0.0)
        return render_sheets(document, ctx,
                             document.meta.timestamp.strftime("D:%Y%m%d%H%M%S+00'00'"))
    buf = io.BytesIO()
    has_cover = bool(document.blocks) and isinstance(document.blocks[0], Cover)
    probe = Ctx(body, heads, document.direction == "rtl", theme.primary_color,
                theme.secondary_color, width=0.0)
    template = CourseDocTemplate(buf, document, probe, has_cover)
    ctx = Ctx(body, heads, probe.rtl, probe.primary, probe.secondary, width=template.width)
    template.ctx = ctx
    builder = Builder(ctx, toc)
    story = [] if has_cover or not document.meta.title_block else title_block(document, ctx)
    for block in document.blocks:
        story += cover(block, ctx) if isinstance(block, Cover) else builder.block(block, ctx)
    stamp = document.meta.timestamp.strftime("D:%Y%m%d%H%M%S+00'00'")

    def canvasmaker(*args: object, **kw: object) -> DeferredCanvas:
        canv = DeferredCanvas(template.page_label, *args, **kw)
        canv.set_metadata(document, stamp)
        return canv

    try:
        template.multiBuild(keep_with_next(story), canvasmaker=canvasmaker)
    except LayoutError as exc:  # what no page can hold: a message, not a traceback
        page = re.search(r"on page (\d+)", str(exc))
        where = f" (page {page.group(1)})" if page else ""
        raise WriterError(f"cannot lay out '{document.title}' on {theme.paper} pages: a block "
                          f"is taller than a page and cannot be split{where}") from None
    return buf.getvalue()
