"""Machine-read answer-sheet pages, drawn exactly where their geometry puts them.

A document made only of SheetPage blocks is drawn straight onto the canvas, one page per
block, without running header or footer: nothing may sit where the scanner looks.
"""

from __future__ import annotations

import io
import itertools

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.pdfgen.canvas import Canvas

from course import document as d
from generators.pdf.blocks import Ctx, runs_of
from generators.pdf.canvas import BareCanvas
from generators.pdf.rtl import ParaStyle, RtlParagraph, runs_width

BOX_LINE = 0.7


def is_sheet(document: d.Document) -> bool:
    """Whether a document is a machine-read answer sheet (only SheetPage blocks)."""
    return bool(document.blocks) and all(isinstance(b, d.SheetPage) for b in document.blocks)


def _text(canv: Canvas, item: d.SheetText, ctx: Ctx) -> None:
    runs = runs_of(item.content, ctx.body, item.size)
    width = runs_width(runs, ctx.rtl) + 1.0
    left = {"left": item.x, "right": item.x - width, "center": item.x - width / 2}[item.align]
    leading = item.size * 1.3
    paragraph = RtlParagraph(runs, ParaStyle(leading=leading, rtl=ctx.rtl))
    paragraph.wrap(width, leading)
    # RtlParagraph puts a one-line baseline at (leading + 0.6 size) / 2 below its top.
    bottom = item.y - (leading - item.size * 0.6) / 2
    paragraph.drawOn(canv, left, bottom)


def _qr(canv: Canvas, rect: d.Rect, text: str) -> None:
    """The QR symbol filling `rect`, drawn as filled runs of dark modules.

    Drawn on the canvas itself rather than through reportlab's graphics renderer, which
    would select (and so declare) Helvetica on the page.
    """
    x0, y0, x1, y1 = rect
    widget = QrCodeWidget(text, barLevel="M", barBorder=0)
    widget.qr.make()
    count = widget.qr.getModuleCount()
    size = min(x1 - x0, y1 - y0) / count
    canv.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(widget.qr.modules):
        c = 0
        for dark, run in itertools.groupby(bool(m) for m in row):
            width = len(list(run))
            if dark:
                canv.rect(x0 + c * size, y1 - (r + 1) * size, width * size, size, stroke=0,
                          fill=1)
            c += width


def draw_page(canv: Canvas, page: d.SheetPage, ctx: Ctx) -> None:
    """One sheet page: fiducials, QR code, boxes, rules and texts at their places."""
    canv.setFillColorRGB(0, 0, 0)
    half = page.fiducial_size / 2
    for x, y in page.fiducials:
        canv.rect(x - half, y - half, page.fiducial_size, page.fiducial_size, stroke=0, fill=1)
    _qr(canv, page.qr, page.qr_text)
    canv.setLineWidth(BOX_LINE)
    canv.setStrokeColorRGB(0, 0, 0)
    for x0, y0, x1, y1 in page.boxes:
        canv.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
    canv.setLineWidth(0.5)
    for x0, y0, x1, y1 in page.rules:
        canv.line(x0, y0, x1, y1)
    for item in page.texts:
        _text(canv, item, ctx)


def render_sheets(document: d.Document, ctx: Ctx, stamp: str) -> bytes:
    """The PDF bytes of an answer sheet: one canvas page per SheetPage."""
    buf = io.BytesIO()
    first = document.blocks[0]
    assert isinstance(first, d.SheetPage)
    canv = BareCanvas(buf, pagesize=first.size, invariant=1, pageCompression=1)
    canv.set_metadata(document, stamp)
    for block in document.blocks:
        assert isinstance(block, d.SheetPage)
        canv.setPageSize(block.size)
        draw_page(canv, block, ctx)
        canv.showPage()
    canv.save()
    return buf.getvalue()
