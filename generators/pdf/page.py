"""Page template, running header and footer, title block, cover and table of contents."""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    Image,
    PageBreak,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from course import document as d
from course.errors import WriterError
from generators.pdf.blocks import Ctx, para, runs_of, text_para
from generators.pdf.rtl import ParaStyle, RtlParagraph, Run
from generators.pdf.tables import FlowTable

PAPERS = {"A4": A4, "LETTER": LETTER}
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20 * mm, 25 * mm, 22 * mm


def page_size(paper: str) -> tuple[float, float]:
    """Paper name to points; an unknown name is a writer error."""
    try:
        return PAPERS[paper.upper()]
    except KeyError:
        raise WriterError(f"unknown paper '{paper}': use A4 or Letter") from None


class CourseDocTemplate(BaseDocTemplate):
    """One frame a page; passes repeat until TOC pages and the page total are stable."""

    def __init__(self, filename: str, document: d.Document, ctx: Ctx, has_cover: bool,
                 **kw: object) -> None:
        self.document, self.ctx, self.has_cover = document, ctx, has_cover
        size = page_size(document.theme.paper)
        super().__init__(filename, pagesize=size, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                         topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, invariant=1,
                         title=document.title, author=document.meta.organisation,
                         subject=document.meta.course, creator="coursegen", **kw)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])

    def _allSatisfied(self) -> bool:  # noqa: N802 (reportlab's name)
        # The page total no longer needs a pass of its own: labels are drawn at save time.
        return super()._allSatisfied()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        """Send headings to the table of contents."""
        outline = getattr(flowable, "outline", None)
        if outline:
            level, text, key = outline
            self.notify("TOCEntry", (level, text, self.page, key))

    def _decorate(self, canv, doc) -> None:
        """Running header and footer as one-line paragraphs in the document's direction."""
        if self.has_cover and doc.page == 1:
            return
        meta, ctx = self.document.meta, self.ctx
        w, h = self.pagesize
        grey = "#555555"
        canv.saveState()
        canv.setStrokeColor(colors.HexColor(ctx.primary))
        canv.setLineWidth(0.6)
        canv.line(MARGIN_X, h - MARGIN_TOP + 8, w - MARGIN_X, h - MARGIN_TOP + 8)
        canv.line(MARGIN_X, MARGIN_BOTTOM - 10, w - MARGIN_X, MARGIN_BOTTOM - 10)
        self._line(canv, meta.header, "start", h - MARGIN_TOP + 12, grey)
        self._line(canv, meta.footer, "start", MARGIN_BOTTOM - 28, grey)
        canv.restoreState()

    def page_label(self, canv, page: int, total: int) -> None:
        """"صفحة 3 من 12": drawn once every page is laid out and the total is known."""
        if self.has_cover and page == 1:
            return
        meta = self.document.meta
        shown, of = page + meta.page_offset, total + meta.page_offset
        label = meta.page_label.replace("{page}", str(shown)).replace("{pages}", str(of))
        canv.saveState()
        self._line(canv, label, "end", MARGIN_BOTTOM - 28, "#555555")
        canv.restoreState()

    def _line(self, canv, text: str, align: str, y: float, color: str) -> None:
        if not text:
            return
        p = RtlParagraph([Run(text, self.ctx.body.regular, 9, color)],
                         ParaStyle(leading=14, align=align, rtl=self.ctx.rtl))
        p.wrapOn(canv, self.width, 14)
        p.drawOn(canv, MARGIN_X, y)


def title_block(document: d.Document, ctx: Ctx) -> list[Flowable]:
    """Logo and organisation, title, course and module, version and date on the first page."""
    meta = document.meta
    heads = ctx.heads
    out: list[Flowable] = []
    if document.theme.logo:
        out.append(_logo(document.theme.logo, 46, "RIGHT" if ctx.rtl else "LEFT"))
    if meta.organisation:
        out.append(para(ctx, [Run(meta.organisation, ctx.body.regular, 10, ctx.secondary)], 10))
    out.append(para(ctx, [Run(document.title, heads.bold, 22, ctx.primary)], 22, leading=34))
    for line in (meta.course, meta.module):
        if line and line != document.title:
            out.append(para(ctx, [Run(line, ctx.body.regular, 13, "#333333")], 13))
    lines = meta.title_lines or tuple(x for x in (meta.version, meta.date) if x)
    # One line each: a kind label and a date joined on one line would read as neither.
    for line in lines:
        out.append(para(ctx, [Run(line, ctx.body.regular, 10, "#555555")], 10))
    out += [HRFlowable(width="100%", thickness=1.2, color=colors.HexColor(ctx.secondary),
                       spaceBefore=4, spaceAfter=12)]
    return out


def _logo(path: str, size: float, align: str) -> Image:
    """The theme's logo, at most `size` points high and wide."""
    try:
        img = Image(path)
        img._restrictSize(size * 3, size)
    except Exception as exc:  # PIL or reportlab: missing, unreadable, not an image
        raise WriterError(f"cannot read logo {path}: {exc}") from None
    img.hAlign = align
    return img


def cover(b: d.Cover, ctx: Ctx) -> list[Flowable]:
    """Logo, big title and lines, then a page break."""
    out: list[Flowable] = [Spacer(1, 60)]
    if b.logo:
        try:
            img = Image(b.logo)
            img._restrictSize(160, 160)
            img.hAlign = "CENTER"
        except Exception as exc:  # PIL or reportlab: missing, unreadable, not an image
            raise WriterError(f"cannot read cover logo {b.logo}: {exc}") from None
        out += [img, Spacer(1, 30)]
    out.append(para(ctx, runs_of(b.title, ctx.heads, 30, ctx.primary, bold=True), 30,
                    align="center", leading=48, space_before=80, space_after=20))
    out += [text_para(ctx, line, 16, "#333333", align="center") for line in b.lines]
    out.append(PageBreak())
    return out


class RtlTableOfContents(TableOfContents):
    """reportlab's multi-pass TOC, its entries drawn as bidi paragraphs with page numbers."""

    def __init__(self, ctx: Ctx, depth: int) -> None:
        super().__init__()
        self.ctx, self.depth = ctx, depth

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        """Build the entry table from the previous pass's headings."""
        ctx = replace(self.ctx, indent=0)
        rows = []
        for level, text, page, key in self._lastEntries or [(0, "…", 0, None)]:
            if level >= self.depth:
                continue
            size = 12 if level == 0 else 11
            face = ctx.body.bold if level == 0 else ctx.body.regular
            link = f"#{key}" if key else None
            entry = para(replace(ctx, indent=16 * level), [Run(text, face, size, link=link)],
                         size)
            number = para(ctx, [Run(str(page), ctx.body.regular, size, link=link)], size,
                          align="end")
            rows.append([entry, number] if not ctx.rtl else [number, entry])
        widths = [aw - 40, 40] if not ctx.rtl else [40, aw - 40]
        style = TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#DDDDDD")),
                            ("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
        self._table = FlowTable(rows, colWidths=widths, style=style)
        self.width, self.height = self._table.wrapOn(self.canv, aw, ah)
        return self.width, self.height


def toc(b: d.TableOfContents, ctx: Ctx) -> list[Flowable]:
    """Title and the table of contents."""
    title = text_para(ctx, b.title, 16, ctx.primary, bold=True, space_after=6)
    return [title, RtlTableOfContents(ctx, b.depth), Spacer(1, 12)]
