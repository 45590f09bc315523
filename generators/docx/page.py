"""The page: paper and margins, running header and footer with page fields, direction."""

from __future__ import annotations

import re

from docx.document import Document as DocxDocument
from docx.section import Section, _BaseHeaderFooter
from docx.text.paragraph import Paragraph
from lxml import etree
from lxml.etree import _Element

from course.document import Cover, Document
from course.errors import WriterError
from generators.docx.oxml import field_runs, props, put, set_bidi, set_rtl, text_run

# Paper name -> (width, height) in twips.
PAPERS = {"a4": (11906, 16838), "letter": (12240, 15840)}
MARGIN_SIDE = 1247  # 2.2 cm
MARGIN_TOP = 1418  # 2.5 cm: room for the running header
MARGIN_BOTTOM = 1418
HEADER_DISTANCE = 680  # 1.2 cm from the paper's edge
_PLACEHOLDER = re.compile(r"(\{page\}|\{pages\})")
_FIELDS = {"{page}": "PAGE", "{pages}": "NUMPAGES"}
_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
# A paragraph without a plain w:bidi, or justified to its end (bidi would put it left).
_UNDIRECTED_P = etree.XPath(".//w:p[not(w:pPr/w:bidi[not(@w:val)]) or "
                            "w:pPr/w:jc[@w:val='right' or @w:val='end']]", namespaces=_NS)
_UNDIRECTED_R = etree.XPath(".//w:r[not(w:rPr/w:rtl[not(@w:val)])]", namespaces=_NS)
_UNDIRECTED_TBL = etree.XPath(".//w:tbl[not(w:tblPr/w:bidiVisual[not(@w:val)])]",
                              namespaces=_NS)
_TEXT_PARTS = re.compile(r"^/word/(document|header\d*|footer\d*)\.xml$")


def setup_page(docx: DocxDocument, document: Document) -> int:
    """Paper, margins and section direction; returns the text width in twips."""
    try:
        width, height = PAPERS[document.theme.paper.lower()]
    except KeyError:
        raise WriterError(
            f"unknown paper size '{document.theme.paper}'; use one of: A4, Letter"
        ) from None
    sect_pr = docx.sections[0]._sectPr
    put(sect_pr, "w:pgSz", {"w:w": str(width), "w:h": str(height)})
    put(sect_pr, "w:pgMar", {
        "w:top": str(MARGIN_TOP), "w:right": str(MARGIN_SIDE),
        "w:bottom": str(MARGIN_BOTTOM), "w:left": str(MARGIN_SIDE),
        "w:header": str(HEADER_DISTANCE), "w:footer": str(HEADER_DISTANCE), "w:gutter": "0",
    })
    if document.direction == "rtl":
        # The section itself runs right to left: columns, gutter and page-number side.
        put(sect_pr, "w:bidi")
        put(sect_pr, "w:rtlGutter")
    return width - 2 * MARGIN_SIDE


def header_footer(docx: DocxDocument, document: Document) -> None:
    """Running header and footer; no header or footer on a cover page."""
    section: Section = docx.sections[0]
    meta = document.meta
    if document.blocks and isinstance(document.blocks[0], Cover):
        # An empty first-page header and footer leave the cover clean.
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        section.first_page_footer.is_linked_to_previous = False
    _running(section.header, "Header", meta.header)
    footer = section.footer
    para = _running(footer, "Footer", meta.footer)
    if meta.footer:
        para = footer.add_paragraph(style="Footer")
    para._p.extend(page_label_runs(meta.page_label))


def _running(part: _BaseHeaderFooter, style: str, text: str) -> Paragraph:
    """The first paragraph of a header or footer, in its style, holding `text`."""
    part.is_linked_to_previous = False
    para = part.paragraphs[0]
    para.style = style
    if text:
        para._p.append(text_run(text))
    return para


def page_label_runs(label: str) -> list[_Element]:
    """Runs of a page label: `{page}` becomes a PAGE field, `{pages}` a NUMPAGES field."""
    runs: list[_Element] = []
    for piece in _PLACEHOLDER.split(label):
        if piece in _FIELDS:
            runs.extend(field_runs(_FIELDS[piece], "1"))
        elif piece:
            runs.append(text_run(piece))
    return runs


def text_parts(docx: DocxDocument) -> list[_Element]:
    """Root elements of the body, headers and footers, in part-name order."""
    parts = [p for p in docx.part.package.iter_parts() if _TEXT_PARTS.match(str(p.partname))]
    return [p.element for p in sorted(parts, key=lambda p: str(p.partname))]


def apply_direction(docx: DocxDocument, document: Document) -> None:
    """RTL: w:bidi on every paragraph and w:rtl on every run, body, headers and footers."""
    if document.direction != "rtl":
        return
    # Paragraphs, runs and tables already directed (a pack's contents entries) are left
    # as they are; XPath finds the others without visiting each in Python.
    for root in text_parts(docx):
        for para in _UNDIRECTED_P(root):
            set_bidi(para)
        for run in _UNDIRECTED_R(root):
            set_rtl(run)
        for table in _UNDIRECTED_TBL(root):
            put(props(table), "w:bidiVisual")

