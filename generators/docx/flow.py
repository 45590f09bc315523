"""Where blocks go (body or table cell), inline runs, links, and table geometry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_DIRECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml.etree import _Element

from course.document import (
    Block,
    BulletList,
    Callout,
    Document,
    Emph,
    Heading,
    Inlines,
    LineBreak,
    Link,
    OrderedList,
    QuestionBlock,
    Slide,
    Strong,
    Text,
    plain_text,
)
from generators.docx.oxml import (
    bookmark_name,
    break_run,
    external_link,
    internal_link,
    props,
    put,
    text_run,
)


class Flow:
    """A place that takes paragraphs and tables in order: the body or one table cell."""

    def __init__(self, parent: DocxDocument | _Cell, width: int) -> None:
        self.parent = parent
        self.width = width  # usable width in twips
        # The next paragraph starts a page (w:pageBreakBefore): a paragraph holding only a
        # page break would leave an empty line at the top of the new page.
        self.new_page = False
        # A new cell already holds the empty paragraph Word requires; fill it first.
        self._spare: DocxParagraph | None = (
            parent.paragraphs[0] if isinstance(parent, _Cell) else None
        )

    @property
    def element(self) -> _Element:
        """The XML element the blocks are appended to."""
        if isinstance(self.parent, _Cell):
            return self.parent._tc
        return self.parent.element.body

    def paragraph(self, style: str) -> DocxParagraph:
        """A new paragraph of a style, at the end."""
        if self._spare is not None:
            para, self._spare = self._spare, None
            para.style = style
        else:
            para = self.parent.add_paragraph(style=style)
        if self.new_page:
            put(props(para._p), "w:pageBreakBefore")
            self.new_page = False
        return para

    def elements_from(self, first: _Element) -> list[_Element]:
        """The flow's elements from `first` on, without the section and the unused spare."""
        children = list(self.element)
        skip = {qn("w:sectPr"), qn("w:tcPr")}
        spare = self._spare._p if self._spare is not None else None
        return [c for c in children[children.index(first):] if c.tag not in skip
                and c is not spare]

    def table(self, rows: int, cols: int, widths: list[int], rtl: bool, style: str = "") -> Table:
        """A new table with fixed column widths (twips), right to left when `rtl`."""
        if self.new_page:  # a table cannot start a page itself: an empty line does
            self.paragraph("Small")
        if isinstance(self.parent, _Cell):
            if self._spare is not None:  # no empty paragraph above a table in a cell
                self._spare._p.getparent().remove(self._spare._p)
            table = self.parent.add_table(rows, cols)
            # python-docx adds the paragraph Word requires after a table in a cell.
            self._spare = self.parent.paragraphs[-1]
        else:
            table = self.parent.add_table(rows, cols)
        if style:
            table.style = style
        if rtl:
            table.table_direction = WD_TABLE_DIRECTION.RTL
        size_table(table, widths)
        return table


def size_table(table: Table, widths: list[int]) -> None:
    """Fixed layout with explicit grid and cell widths, so every renderer agrees."""
    tbl = table._tbl
    tblpr = props(tbl)
    put(tblpr, "w:tblW", {"w:w": str(sum(widths)), "w:type": "dxa"})
    put(tblpr, "w:tblLayout", {"w:type": "fixed"})
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            put(props(cell._tc), "w:tcW", {"w:w": str(width), "w:type": "dxa"})


def split_widths(total: int, relative: tuple[float, ...], count: int) -> list[int]:
    """Column widths in twips from relative widths (equal when missing or unusable)."""
    weights = list(relative) if len(relative) == count and all(w > 0 for w in relative) \
        else [1.0] * count
    scale = total / sum(weights)
    widths = [int(w * scale) for w in weights]
    widths[-1] += total - sum(widths)  # rounding goes to the last column
    return widths


def tint(color: str, amount: float = 0.88) -> str:
    """A light background shade of `#RRGGBB`: `amount` of the way to white."""
    value = color.lstrip("#")
    channels = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * amount):02X}" for c in channels)


@dataclass
class Anchors:
    """Bookmark names of the headings, in rendering order, shared by TOC and headings."""

    entries: list[tuple[int, str, str]] = field(default_factory=list)  # level, text, name
    by_anchor: dict[str, str] = field(default_factory=dict)
    used: int = 0

    def next_name(self) -> str:
        """The bookmark of the next heading rendered."""
        name = self.entries[self.used][2]
        self.used += 1
        return name


def collect_anchors(blocks: tuple[Block, ...]) -> Anchors:
    """Walk the blocks as the renderer will and name every heading's bookmark."""
    anchors = Anchors()
    taken: set[str] = set()

    def add(level: int, text: str, anchor: str) -> None:
        index = len(anchors.entries) + 1
        name = bookmark_name(anchor, f"h{index}") if anchor else f"h{index}"
        if name in taken:
            name = f"{name[:34]}_{index}"
        taken.add(name)
        anchors.entries.append((level, text, name))
        if anchor:
            anchors.by_anchor.setdefault(anchor, name)

    def walk(items: tuple[Block, ...]) -> None:
        for block in items:
            if isinstance(block, Heading):
                add(min(max(block.level, 1), 3), plain_text(block.content), block.anchor)
            elif isinstance(block, Slide):
                add(2, f"{block.number}. {plain_text(block.title)}", "")
            elif isinstance(block, (BulletList, OrderedList)):
                for item in block.items:
                    walk(item)
            elif isinstance(block, Callout):
                walk(block.blocks)
            elif isinstance(block, QuestionBlock):
                walk(block.after)

    walk(blocks)
    return anchors


class Inliner:
    """Turns model inlines into runs and hyperlinks of one document."""

    def __init__(self, docx: DocxDocument, anchors: Anchors) -> None:
        self._part = docx.part
        self._anchors = anchors

    def runs(self, inlines: Inlines, bold: bool = False, italic: bool = False,
             style: str = "") -> list[_Element]:
        """Runs (and hyperlinks) for some inlines, literal text, nested emphasis kept."""
        out: list[_Element] = []
        for node in inlines:
            if isinstance(node, Text):
                if node.text:
                    out.append(text_run(node.text, bold=bold, italic=italic, style=style))
            elif isinstance(node, LineBreak):
                out.append(break_run())
            elif isinstance(node, Strong):
                out.extend(self.runs(node.children, True, italic, style))
            elif isinstance(node, Emph):
                out.extend(self.runs(node.children, bold, True, style))
            elif isinstance(node, Link) and node.target.strip("#"):
                out.append(self.link(node, bold, italic))
            elif isinstance(node, Link):  # nowhere to go: keep the words
                out.extend(self.runs(node.children, bold, italic, style))
        return out

    def link(self, node: Link, bold: bool, italic: bool) -> _Element:
        """A hyperlink: to a heading's bookmark for `#anchor`, else to a URL."""
        runs = self.runs(node.children, bold, italic, "Hyperlink")
        if node.target.startswith("#"):
            anchor = node.target[1:]
            name = self._anchors.by_anchor.get(anchor) or bookmark_name(anchor, "a")
            return internal_link(name, runs)
        rel_id = self._part.relate_to(node.target, RT.HYPERLINK, is_external=True)
        return external_link(rel_id, runs)

    def fill(self, para: DocxParagraph, inlines: Inlines, prefix: str = "",
             bold: bool = False) -> DocxParagraph:
        """Append a literal prefix and some inlines to a paragraph."""
        if prefix:
            para._p.append(text_run(prefix, bold=bold))
        for run in self.runs(inlines, bold=bold):
            para._p.append(run)
        return para


class BlockRenderer(Protocol):
    """What front matter and quiz blocks need of the renderer that dispatches them.

    A protocol, so that `front.py` and `quiz.py` need not import `blocks.py`, which
    imports them (no circle).
    """

    docx: DocxDocument
    document: Document
    rtl: bool
    anchors: Anchors
    inline: Inliner
    body: Flow

    def block(self, flow: Flow, block: Block, body_style: str = "Normal") -> None:
        """Render one block into `flow`."""
