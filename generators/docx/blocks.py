"""Block rendering: headings, paragraphs, lists, tables, callouts, slides; dispatch of the rest."""

from __future__ import annotations

import io

from docx.document import Document as DocxDocument
from docx.image.exceptions import UnrecognizedImageError
from docx.shared import Emu

from course.document import (
    AnswerGrid,
    Block,
    BulletList,
    Callout,
    Chart,
    Cover,
    Document,
    Heading,
    Image,
    Inlines,
    OrderedList,
    PageBreak,
    Paragraph,
    QuestionBlock,
    Slide,
    Table,
    TableOfContents,
    Text,
    plain_text,
)
from course.errors import WriterError
from generators.docx import front, quiz
from generators.docx.flow import Anchors, Flow, Inliner, split_widths, tint
from generators.docx.numbering import Numbering, continue_indent, number_paragraph
from generators.docx.oxml import (
    bookmark,
    cell_borders,
    cell_shading,
    el,
    props,
    put,
)

PARAGRAPH_STYLES = {"body": "Normal", "small": "Small", "lead": "Lead"}
CALLOUT_COLORS = {"case": "secondary", "warning": "C00000", "danger": "C00000"}


class Renderer:
    """Renders the blocks of one model document into one python-docx document."""

    def __init__(self, docx: DocxDocument, document: Document, width: int) -> None:
        self.docx = docx
        self.document = document
        self.rtl = document.direction == "rtl"
        self.anchors: Anchors = front.anchors_for(document)
        self.inline = Inliner(docx, self.anchors)
        self.numbering = Numbering(docx, self.rtl, document.theme.font)
        self.body = Flow(docx, width)
        self._bookmark_id = 0

    def render(self) -> None:
        """The title block (unless a cover opens the document), then every block."""
        blocks = self.document.blocks
        if self.document.meta.title_block and not (blocks and isinstance(blocks[0], Cover)):
            front.title_block(self)
        for block in blocks:
            self.block(self.body, block)

    def block(self, flow: Flow, block: Block, body_style: str = "Normal") -> None:
        """Render one block at the end of `flow`."""
        if isinstance(block, Heading):
            self.heading(flow, min(max(block.level, 1), 3), block.content)
        elif isinstance(block, Paragraph):
            style = PARAGRAPH_STYLES.get(block.style, "Normal")
            self.inline.fill(flow.paragraph(body_style if style == "Normal" else style),
                             block.content)
        elif isinstance(block, BulletList):
            self.list(flow, block.items, "bullet", 1, 0)
        elif isinstance(block, OrderedList):
            self.list(flow, block.items, block.numbering, block.start, 0)
        elif isinstance(block, Table):
            self.table(flow, block)
        elif isinstance(block, Callout):
            self.callout(flow, block)
        elif isinstance(block, PageBreak):
            flow.new_page = True
        elif isinstance(block, Slide):
            self.slide(flow, block)
        elif isinstance(block, QuestionBlock):
            quiz.question(self, flow, block)
        elif isinstance(block, AnswerGrid):
            quiz.answer_grid(self, flow, block)
        elif isinstance(block, TableOfContents):
            front.table_of_contents(self, flow, block)
        elif isinstance(block, Cover):
            front.cover(self, flow, block)
        elif isinstance(block, Image):
            self.image(flow, block)
        elif isinstance(block, Chart):
            self.table(flow, chart_table(block))

    def heading(self, flow: Flow, level: int, content: Inlines, prefix: str = "") -> None:
        """A Heading N paragraph with the bookmark the TOC and links point at."""
        para = self.inline.fill(flow.paragraph(f"Heading {level}"), content, prefix)
        self._bookmark_id += 1
        bookmark(para._p, self._bookmark_id, self.anchors.next_name())

    def list(self, flow: Flow, items: tuple[tuple[Block, ...], ...], numbering: str,
             start: int, level: int) -> None:
        """A list: first paragraph of each item numbered, the rest indented under it."""
        num_id = self.numbering.new_list(numbering, start)
        numbered = numbering != "bullet"
        style = "List Number" if numbered else "List Bullet"
        for item in items:
            first = True
            for block in item:
                if isinstance(block, (BulletList, OrderedList)):
                    kind = "bullet" if isinstance(block, BulletList) else block.numbering
                    begin = 1 if isinstance(block, BulletList) else block.start
                    self.list(flow, block.items, kind, begin, level + 1)
                elif isinstance(block, Paragraph) or first:
                    para = flow.paragraph(style if first else "List Continue")
                    if first:
                        number_paragraph(para._p, num_id, level)
                    else:
                        indent = str(continue_indent(level, numbered))
                        put(props(para._p), "w:ind", {"w:left": indent})
                    if isinstance(block, Paragraph):
                        self.inline.fill(para, block.content)
                    else:  # an item opening with a table or box: number an empty line
                        self.block(flow, block)
                else:
                    self.block(flow, block)
                first = False

    def table(self, flow: Flow, block: Table) -> None:
        """Table Grid with a repeated, shaded header row; first column first in reading order."""
        cols = max([len(block.header), *(len(row) for row in block.rows)])
        if not cols:  # Word rejects a table without rows or cells
            return
        widths = split_widths(flow.width, block.widths, cols)
        header = 1 if block.header else 0
        table = flow.table(header + len(block.rows), cols, widths, self.rtl, "Table Grid")
        shade = tint(self.document.theme.primary_color, 0.82)
        for r, row in enumerate(table.rows):
            cells = block.header if r < header else block.rows[r - header]
            trpr = props(row._tr)
            # Kept whole (and a header repeated) only when short: a row taller than a
            # page that may not split is clipped at the page's foot.
            if quiz.short_row([plain_text(c) for c in cells], widths):
                put(trpr, "w:cantSplit")
                if r < header:
                    put(trpr, "w:tblHeader")
            for c, cell in enumerate(row.cells):
                style = "Table Heading" if r < header else "Table Text"
                para = cell.paragraphs[0]
                para.style = style
                if c < len(cells):
                    self.inline.fill(para, cells[c])
                if r < header:
                    cell_shading(cell._tc, shade)

    def callout(self, flow: Flow, block: Callout) -> None:
        """A one-cell framed and shaded table: bold title, then the callout's blocks."""
        theme = self.document.theme
        color = CALLOUT_COLORS.get(block.kind, "primary")
        color = {"primary": theme.primary_color, "secondary": theme.secondary_color}.get(
            color, color)
        table = flow.table(1, 1, [flow.width], self.rtl)
        cell = table.rows[0].cells[0]
        cell_shading(cell._tc, tint(color, 0.9))
        cell_borders(cell._tc, color.lstrip("#").upper(), 12)
        put(props(cell._tc), "w:tcMar").extend(
            el(f"w:{side}", {"w:w": "160", "w:type": "dxa"})
            for side in ("top", "left", "bottom", "right"))
        inner = Flow(cell, flow.width - 320)
        if block.title:
            self.inline.fill(inner.paragraph("Callout Title"), block.title)
        for child in block.blocks:
            self.block(inner, child, body_style="Callout")
        spacer = flow.paragraph("Small")  # keeps the next table or box from touching it
        put(props(spacer._p), "w:spacing", {"w:after": "0"})

    def image(self, flow: Flow, block: Image) -> None:
        """A centred picture at its share of the text width, its alt text for screen readers."""
        para = flow.paragraph("Normal")
        put(props(para._p), "w:jc", {"w:val": "center"})
        if block.caption:
            put(props(para._p), "w:keepNext")  # the caption stays with its picture
        width = Emu(round(flow.width * 635 * min(max(block.width, 0.05), 1.0)))  # twips to EMU
        try:
            shape = para.add_run().add_picture(io.BytesIO(block.png), width=width)
        except (UnrecognizedImageError, ValueError, OSError) as exc:
            raise WriterError(f"cannot read a picture of the document: {exc}") from None
        shape._inline.docPr.set("descr", block.alt)
        if block.caption:
            caption = self.inline.fill(flow.paragraph("Small"), block.caption)
            put(props(caption._p), "w:jc", {"w:val": "center"})

    def slide(self, flow: Flow, block: Slide) -> None:
        """Slide outline: "N. title" heading, its bullets, then the notes under their label."""
        self.heading(flow, 2, block.title, f"{block.number}. ")
        if block.bullets:
            self.list(flow, tuple((Paragraph(b),) for b in block.bullets), "bullet", 1, 0)
        if block.notes:
            if block.notes_label:
                self.inline.fill(flow.paragraph("Notes Label"), block.notes_label)
            for note in block.notes:
                self.inline.fill(flow.paragraph("Notes"), note)



def chart_table(chart: Chart) -> Table:
    """A chart's data as a table, where no picture of it was made (see course.build.charts)."""
    if chart.kind == "histogram":
        return Table(((Text(chart.x_label),), (Text(chart.y_label),)),
                     tuple(((Text(label),), (Text(str(count)),)) for label, count in chart.bars))
    return Table(((Text(""),), (Text(chart.x_label),), (Text(chart.y_label),)),
                 tuple(((Text(label),), (Text(f"{x:g}"),), (Text(f"{y:g}"),))
                       for x, y, label in chart.points))
