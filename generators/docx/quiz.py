"""Quiz blocks: a question kept together with its options, and the answer grid."""

from __future__ import annotations

from collections.abc import Sequence

from docx.oxml.ns import qn
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from course.document import AnswerGrid, QuestionBlock, plain_text
from generators.docx.flow import BlockRenderer, Flow
from generators.docx.oxml import cell_borders, props, put, set_keep_next, tab_run, text_run

NUMBER_WIDTH = 900  # twips
BOX_WIDTH = 720
NOTE_MIN = 2400
# A row kept whole (w:cantSplit) that is taller than a page is clipped by Word and
# LibreOffice; rows are kept whole only when they surely fill at most half a page. The
# estimate is pessimistic: a wide average glyph and a tall line of 11-point Amiri.
CHAR_TWIPS = 140
LINE_TWIPS = 440
CELL_MARGINS = 216  # Word's default left and right cell margins (0.08 inch each)
ROW_BUDGET = 6500  # half the text height of a Letter page (13,004 twips), the shorter paper


def question(renderer: BlockRenderer, flow: Flow, block: QuestionBlock) -> None:
    """Number and stem, meta line, one paragraph per option, after-blocks, answer lines."""
    inline = renderer.inline
    stem = inline.fill(flow.paragraph("Question"), block.stem, f"{block.number}. ")
    if block.meta:
        inline.fill(flow.paragraph("Question Meta"), block.meta)
    for option in block.options:
        # The label hangs and a tab separates it from the text, clear of the choice's words.
        para = flow.paragraph("Option")
        para._p.append(text_run(f"{option.label})"))
        para._p.append(tab_run())
        inline.fill(para, option.content)
    for child in block.after:
        renderer.block(flow, child)
    for _ in range(block.answer_lines):
        flow.paragraph("Answer Line")
    # Every paragraph but the last keeps with the next: the question never leaves its choices.
    paragraphs = [p for node in flow.elements_from(stem._p) for p in node.iter(qn("w:p"))]
    for para in paragraphs[:-1]:
        set_keep_next(para)


def answer_grid(renderer: BlockRenderer, flow: Flow, block: AnswerGrid) -> None:
    """A table: question number, one box per label (label shown faintly), then the note."""
    if not block.rows:
        return
    boxes = max(len(row.labels) for row in block.rows)
    has_note = any(row.note for row in block.rows)
    widths = [NUMBER_WIDTH] + [BOX_WIDTH] * boxes
    if has_note:
        widths.append(max(NOTE_MIN, flow.width - sum(widths)))
    header = 1 if block.number_label else 0
    table = flow.table(header + len(block.rows), len(widths), widths, renderer.rtl)
    rows = table.rows
    if header:
        put(props(rows[0]._tr), "w:tblHeader")
        renderer.inline.fill(_para(rows[0].cells[0], "Answer Number"), block.number_label)
    for data, row in zip(block.rows, rows[header:], strict=True):
        trpr = props(row._tr)
        if short_row([plain_text(data.note)], widths[-1:] if has_note else []):
            put(trpr, "w:cantSplit")
        put(trpr, "w:trHeight", {"w:val": "520", "w:hRule": "atLeast"})
        cells = row.cells
        _para(cells[0], "Answer Number").add_run(str(data.number))
        put(props(cells[0]._tc), "w:vAlign", {"w:val": "center"})
        for label, cell in zip(data.labels, cells[1:], strict=False):
            _para(cell, "Answer Box").add_run(label)
            cell_borders(cell._tc, "404040", 8)
            put(props(cell._tc), "w:vAlign", {"w:val": "center"})
        for cell in cells[1 + len(data.labels):1 + boxes]:
            _para(cell, "Answer Box")
        if has_note:
            renderer.inline.fill(_para(cells[-1], "Small"), data.note)
            put(props(cells[-1]._tc), "w:vAlign", {"w:val": "center"})


def _para(cell: _Cell, style: str) -> DocxParagraph:
    """The cell's paragraph, given a style."""
    para = cell.paragraphs[0]
    para.style = style
    return para


def short_row(texts: Sequence[str], widths: Sequence[int]) -> bool:
    """Whether a row of these cell texts and widths (twips) surely fits half a page."""
    for text, width in zip(texts, widths, strict=False):
        per_line = max(1, (width - CELL_MARGINS) // CHAR_TWIPS)
        lines = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
        if lines * LINE_TWIPS > ROW_BUDGET:
            return False
    return True
