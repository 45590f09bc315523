"""Document blocks to reportlab flowables, every text through the bidi paragraph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from course import document as d
from course.errors import WriterError
from generators.pdf.chart import chart_flowables
from generators.pdf.fonts import FontFamily
from generators.pdf.image import image_flowables
from generators.pdf.rtl import MARKER_GAP, ParaStyle, RtlParagraph, Run, runs_width
from generators.pdf.tables import FlowTable, fit_words, framed_boxes, grid

ABJAD = "أبجدهوزحطيكلمنسعفصقرشتثخذضظغ"
CALLOUT_COLORS = {"warning": "#B03A2E", "danger": "#B03A2E", "instructions": "#2E7D32",
                  "tip": "#2E7D32"}
BODY, SMALL, LEAD = 12.0, 10.0, 13.5
HEADING_SIZES = {1: 20.0, 2: 16.0, 3: 13.5}
LIST_INDENT = 28.0
CELL_PADDING = 6.0  # reportlab's default left and right padding of a table cell


@dataclass(frozen=True)
class Ctx:
    """What every block builder needs: faces, direction, colours and the usable width."""

    body: FontFamily
    heads: FontFamily
    rtl: bool
    primary: str
    secondary: str
    width: float
    indent: float = 0.0


def runs_of(inlines: d.Inlines, fam: FontFamily, size: float, color: str = "#000000",
            bold: bool = False, italic: bool = False, link: str | None = None) -> list[Run]:
    """Inline nodes to styled runs; text is never markup, so `<b>` prints as written."""
    out: list[Run] = []
    for node in inlines:
        if isinstance(node, d.Text):
            out.append(Run(node.text, fam.face(bold, italic), size, color, link))
        elif isinstance(node, d.LineBreak):
            out.append(Run("\n", fam.face(bold, italic), size, color, link))
        elif isinstance(node, d.Strong):
            out += runs_of(node.children, fam, size, color, True, italic, link)
        elif isinstance(node, d.Emph):
            out += runs_of(node.children, fam, size, color, bold, True, link)
        elif isinstance(node, d.Link):
            out += runs_of(node.children, fam, size, "#1A5FB4", bold, italic, node.target)
    return out


def para(ctx: Ctx, runs: list[Run], size: float = BODY, **style: object) -> RtlParagraph:
    """A paragraph in the document's direction at the current indent."""
    base = ParaStyle(leading=size * 1.75, rtl=ctx.rtl, indent_start=ctx.indent)
    return RtlParagraph(runs, replace(base, **style))


def text_para(ctx: Ctx, inlines: d.Inlines, size: float = BODY, color: str = "#000000",
              bold: bool = False, **style: object) -> RtlParagraph:
    """A paragraph of inlines in the body family."""
    return para(ctx, runs_of(inlines, ctx.body, size, color, bold), size, **style)


class RuledLine(Flowable):
    """An empty line to write an answer on."""

    def __init__(self, indent: float, height: float = 24.0) -> None:
        super().__init__()
        self.indent, self.height = indent, height

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        """Full width, one writing line high."""
        self.width = aw
        return aw, self.height

    def draw(self) -> None:
        """A thin grey rule near the bottom."""
        self.canv.setStrokeColor(colors.HexColor("#999999"))
        self.canv.setLineWidth(0.5)
        self.canv.line(0, 4, self.width - self.indent, 4)


class TickBox(Flowable):
    """An empty square to tick, with its letter beside it (letter first in reading order)."""

    def __init__(self, ctx: Ctx, label: str) -> None:
        super().__init__()
        self.label = RtlParagraph([Run(label, ctx.body.regular, 11)],
                                  ParaStyle(leading=16, rtl=ctx.rtl, align="start"))
        self.rtl, self.width, self.height = ctx.rtl, 34.0, 16.0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        """Fixed size."""
        return self.width, self.height

    def draw(self) -> None:
        """Letter on the reading side, then the square."""
        self.label.wrapOn(self.canv, 14, 16)
        box_x = 2 if self.rtl else 18
        self.label.drawOn(self.canv, 20 if self.rtl else 0, 0)
        self.canv.setLineWidth(0.8)
        self.canv.rect(box_x, 3, 11, 11)


class Builder:
    """Turns blocks into flowables; `on_heading` records headings for the TOC."""

    def __init__(self, ctx: Ctx, toc_factory: Callable[[d.TableOfContents, Ctx], list]) -> None:
        self.ctx, self.toc_factory, self.count = ctx, toc_factory, 0

    def blocks(self, blocks: tuple[d.Block, ...], ctx: Ctx | None = None) -> list[Flowable]:
        """Flowables of a sequence of blocks."""
        ctx = ctx or self.ctx
        out: list[Flowable] = []
        for block in blocks:
            out += self.block(block, ctx)
        return keep_with_next(out)

    def block(self, b: d.Block, ctx: Ctx) -> list[Flowable]:
        """Flowables of one block."""
        if isinstance(b, d.Heading):
            return [self.heading(b, ctx)]
        if isinstance(b, d.Paragraph):
            if not d.plain_text(b.content).strip():
                return [RuledLine(ctx.indent)]
            size = {"small": SMALL, "lead": LEAD}.get(b.style, BODY)
            color = "#444444" if b.style == "small" else "#000000"
            return [text_para(ctx, b.content, size, color, align="justify",
                              space_after=size * 0.5)]
        if isinstance(b, d.BulletList):
            return self.items(b.items, ["•"] * len(b.items), ctx)
        if isinstance(b, d.OrderedList):
            return self.items(b.items, numbering(b.numbering, b.start, len(b.items)), ctx)
        if isinstance(b, d.Table):
            return [self.table(b, ctx)]
        if isinstance(b, d.Callout):
            return self.callout(b, ctx)
        if isinstance(b, d.PageBreak):
            return [PageBreak()]
        if isinstance(b, d.Slide):
            return self.slide(b, ctx)
        if isinstance(b, d.QuestionBlock):
            return [self.question(b, ctx)]
        if isinstance(b, d.AnswerGrid):
            return [self.answer_grid(b, ctx)]
        if isinstance(b, d.Image):
            return image_flowables(b, ctx.rtl, runs_of(b.caption, ctx.body, SMALL))
        if isinstance(b, d.SheetPage):
            raise WriterError("an answer-sheet page cannot share a document with other blocks")
        if isinstance(b, d.TableOfContents):
            return self.toc_factory(b, ctx)
        if isinstance(b, d.Chart):
            return self.chart(b, ctx)
        raise TypeError(f"the PDF writer cannot place a {type(b).__name__} here")

    def chart(self, b: d.Chart, ctx: Ctx) -> list[Flowable]:
        """A chart drawn from its data, its labels in the document's direction."""
        return chart_flowables(b, ctx.body, ctx.rtl, ctx.primary, ctx.secondary)

    def heading(self, b: d.Heading, ctx: Ctx) -> RtlParagraph:
        """A heading kept with what follows, bookmarked under its anchor."""
        self.count += 1
        size = HEADING_SIZES.get(b.level, HEADING_SIZES[3])
        key = b.anchor or f"heading-{self.count}"
        flow = para(ctx, runs_of(b.content, ctx.heads, size, ctx.primary, bold=True), size,
                    leading=size * 1.6, space_before=size * 0.8, space_after=size * 0.3,
                    keep_with_next=True)
        flow.outline = (b.level - 1, d.plain_text(b.content), key)
        return flow

    def items(self, items: tuple[tuple[d.Block, ...], ...], markers: list[str],
              ctx: Ctx) -> list[Flowable]:
        """List items indented on the reading side, each marker beside its first line."""
        labels = [(Run(marker, ctx.body.regular, BODY, ctx.primary),) for marker in markers]
        column, inner = label_column(labels, ctx)
        out: list[Flowable] = []
        for item, label in zip(items, labels, strict=True):
            flows = self.blocks(item, inner)
            first = next((f for f in flows if isinstance(f, RtlParagraph)), None)
            if first is None or flows.index(first) != 0:
                first = para(inner, [])
                flows.insert(0, first)
            first.marker, first.marker_column = label, column
            out += flows
        if out and isinstance(out[-1], RtlParagraph):
            out[-1].style = replace(out[-1].style, space_after=BODY * 0.6)
        return out

    def cell(self, inlines: d.Inlines, ctx: Ctx, bold: bool = False) -> RtlParagraph:
        """One table cell: a start-aligned paragraph."""
        return text_para(replace(ctx, indent=0), inlines, 11, bold=bold)

    def table(self, b: d.Table, ctx: Ctx) -> Table:
        """Grid with a shaded header; in RTL the first column is on the right."""
        ncols = max([len(b.header)] + [len(r) for r in b.rows])
        rel = list(b.widths) if len(b.widths) == ncols else [1.0] * ncols
        avail = ctx.width - ctx.indent
        widths = [avail * w / sum(rel) for w in rel]
        rows = [[self.cell(c, ctx, bold=True) for c in b.header]] if b.header else []
        rows += [[self.cell(c, ctx) for c in r] for r in b.rows]
        rows = [r + [""] * (ncols - len(r)) for r in rows]
        widths = fit_words(widths, [max((c.longest_word() for c in col if c), default=0.0)
                                    + 2 * CELL_PADDING for col in zip(*rows, strict=True)])
        return grid(rows, widths, bool(b.header), ctx.rtl, ctx.primary)

    def callout(self, b: d.Callout, ctx: Ctx) -> list[Flowable]:
        """A framed box whose colour depends on its kind."""
        color = CALLOUT_COLORS.get(b.kind, ctx.secondary if b.kind == "case" else ctx.primary)
        inner = replace(ctx, indent=0, width=ctx.width - ctx.indent - 20)
        title = text_para(inner, b.title, 13, color, bold=True)
        return framed_boxes([title] + self.blocks(b.blocks, inner), color,
                            ctx.width - ctx.indent, ctx.rtl, 1)

    def slide(self, b: d.Slide, ctx: Ctx) -> list[Flowable]:
        """A slide: "number. title", bullets, then the trainer's notes."""
        inner = replace(ctx, indent=0, width=ctx.width - ctx.indent - 20)
        title = text_para(inner, (d.Text(f"{b.number}. "), *b.title), 15, ctx.primary, True)
        flows: list[Flowable] = [title]
        flows += self.items(tuple((d.Paragraph(x),) for x in b.bullets), ["•"] * len(b.bullets),
                            inner)
        if b.notes:
            flows.append(text_para(inner, b.notes_label or (d.Text("Notes"),), SMALL, bold=True,
                                   space_before=4))
            flows += [text_para(inner, n, SMALL, "#333333", align="justify") for n in b.notes]
        return framed_boxes(flows, ctx.primary, ctx.width - ctx.indent, ctx.rtl, 1)

    def question(self, b: d.QuestionBlock, ctx: Ctx) -> KeepTogether:
        """Stem, meta line, options, extra blocks and answer lines, never split apart."""
        stem = runs_of((d.Strong((d.Text(f"{b.number}."),)), d.Text(" "), *b.stem), ctx.body,
                       BODY)
        flows: list[Flowable] = [para(ctx, stem, space_before=8)]
        if b.meta:
            flows.append(text_para(ctx, b.meta, SMALL, "#555555"))
        labels = [(Run(f"{opt.label})", ctx.body.bold, BODY, ctx.primary),) for opt in b.options]
        column, inner = label_column(labels, ctx)
        for opt, label in zip(b.options, labels, strict=True):
            p = text_para(inner, opt.content)
            p.marker, p.marker_column = label, column
            flows.append(p)
        flows += self.blocks(b.after, ctx)
        flows += [RuledLine(ctx.indent) for _ in range(b.answer_lines)]
        flows.append(Spacer(1, 6))
        return KeepTogether(flows)

    def answer_grid(self, b: d.AnswerGrid, ctx: Ctx) -> Table:
        """One row per question: number, a box per letter, then the note."""
        nbox = max((len(r.labels) for r in b.rows), default=0)
        rows: list[list] = []
        for r in b.rows:
            boxes: list = [TickBox(ctx, label) for label in r.labels]
            rows.append([self.cell((d.Text(f"{r.number}."),), ctx, bold=True),
                         *boxes, *[""] * (nbox - len(boxes)), self.cell(r.note, ctx)])
        # The number column fits its heading ("السؤال") on one line, padding included.
        label = runs_width(runs_of(b.number_label, ctx.body, 11, bold=True), ctx.rtl)
        widths = [max(34.0, label + 2 * CELL_PADDING + 1)] + [40.0] * nbox
        widths.append(max(60.0, ctx.width - ctx.indent - sum(widths)))
        if b.number_label:
            rows.insert(0, [self.cell(b.number_label, ctx, bold=True)] + [""] * (nbox + 1))
        if ctx.rtl:
            rows, widths = [r[::-1] for r in rows], widths[::-1]
        style = TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
                            ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
        return FlowTable(rows, colWidths=widths, style=style, spaceBefore=6, spaceAfter=10,
                     hAlign="RIGHT" if ctx.rtl else "LEFT")


def keep_with_next(flows: list[Flowable]) -> list[Flowable]:
    """Headings joined to the KeepTogether that follows them (a callout, a question).

    reportlab keeps a keepWithNext flowable with the next one, unless that one is a
    KeepTogether: then the heading could stay alone at the foot of a page.
    """
    out: list[Flowable] = []
    for f in reversed(flows):
        if getattr(f, "keepWithNext", False) and out and isinstance(out[-1], KeepTogether):
            out[-1] = KeepTogether([f, *out[-1]._content])
        else:
            out.append(f)
    return out[::-1]


def label_column(labels: list[tuple[Run, ...]], ctx: Ctx) -> tuple[float, Ctx]:
    """Width of a list's label column, and the context of its items, indented to clear it."""
    column = max((runs_width(label, ctx.rtl) for label in labels), default=0.0)
    return column, replace(ctx, indent=ctx.indent + max(LIST_INDENT, MARKER_GAP + column))


def numbering(kind: str, start: int, count: int) -> list[str]:
    """Item labels: decimal "1.", abjad "أ." or alpha "a."."""
    out = []
    for n in range(start, start + count):
        if kind == "abjad":
            out.append(f"{ABJAD[(n - 1) % len(ABJAD)]}.")
        elif kind == "alpha":
            out.append(f"{'abcdefghijklmnopqrstuvwxyz'[(n - 1) % 26]}.")
        else:
            out.append(f"{n}.")
    return out
