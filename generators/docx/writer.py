"""DOCX writer: real Word styles, right-to-left Arabic that Word and LibreOffice lay out right."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from course.document import Document
from course.errors import WriterError
from generators.docx.blocks import Renderer
from generators.docx.compose import Splicer, load, plan
from generators.docx.fonts import embed_fonts, text_characters, uses_italic
from generators.docx.front import anchors_for
from generators.docx.page import apply_direction, header_footer, setup_page, text_parts
from generators.docx.part import extract, styles_digest
from generators.docx.saving import package
from generators.docx.styles import Styler


class DocxWriter:
    """Writes a model Document as a .docx file, byte for byte the same for the same input."""

    name = "docx"
    suffix = ".docx"

    def write(self, document: Document, path: Path) -> None:
        """Write `document` to exactly `path`."""
        data = self.render(document)
        try:
            Path(path).write_bytes(data)
        except OSError as exc:
            raise WriterError(f"cannot write '{path}': {exc.strerror or exc}") from None

    def __init__(self) -> None:
        # Styles made for one theme, direction, language and width: every part of a pack
        # and its front share them, and making them is a good part of a small document's cost.
        self._styles: dict[str, bytes] = {}

    def render(self, document: Document) -> bytes:
        """The bytes of the .docx file."""
        base, width = self._prepare(document)
        header_footer(base, document)
        Renderer(base, document, width).render()
        apply_direction(base, document)
        embed_fonts(base, document, [*text_parts(base), base.part.numbering_part.element])
        return package(base, document)

    def render_part(self, document: Document) -> str:
        """One section of a pack laid out as a part (JSON text) for `compose`."""
        base, width = self._prepare(document)
        numbering = base.part.numbering_part.element
        known_abstract = {a.get(qn("w:abstractNumId"))
                          for a in numbering.findall(qn("w:abstractNum"))}
        known_num = {n.get(qn("w:numId")) for n in numbering.findall(qn("w:num"))}
        renderer = Renderer(base, document, width)
        renderer.render()
        apply_direction(base, document)
        part = extract(base, renderer.anchors, known_abstract, known_num, styles_digest(base),
                       document.direction == "rtl")
        return json.dumps(part, ensure_ascii=False, sort_keys=True)

    def compose(self, front: Document, parts: Iterable[str]) -> bytes:
        """The .docx of `front` (cover, contents listing every part's headings), then each
        part on a new page. Raise WriterError for a part it cannot take. (`parts` may be
        a generator: each text is let go once read.)"""
        loaded = [load(text) for text in parts]
        names = plan(anchors_for(front).entries, loaded)
        base, width = self._prepare(front)
        digest = styles_digest(base)
        if any(part["styles"] != digest for part in loaded):
            raise WriterError("a pack part was laid out with other styles than its front")
        header_footer(base, front)
        renderer = Renderer(base, front, width)
        renderer.anchors.entries[:] = names.entries
        for part, renames in zip(loaded, names.renames, strict=True):
            for anchor, name in part["anchors"].items():
                renderer.anchors.by_anchor.setdefault(anchor, renames.get(name, name))
        renderer.render()
        apply_direction(base, front)
        # The parts' characters are known: only the front's own text is read.
        roots = [*text_parts(base), base.part.numbering_part.element]
        chars = text_characters(roots).union(*(part["chars"] for part in loaded))
        italic = uses_italic(roots) or any(part["italic"] for part in loaded)
        splicer = Splicer(base)
        for part, renames in zip(loaded, names.renames, strict=True):
            splicer.add(part, renames)
        embed_fonts(base, front, [], frozenset(chars), italic)
        return package(base, front, splicer.splice)

    def _prepare(self, document: Document) -> tuple[DocxDocument, int]:
        """A base document with the page set up and every style defined; the text width."""
        base = _open_base(document.theme.reference_docx)
        width = setup_page(base, document)
        key = repr((document.theme, document.direction, document.lang, width))
        styles_part = base.part.part_related_by(RT.STYLES)
        if key in self._styles:
            styles_part._element = parse_xml(self._styles[key])
        else:
            Styler(base, document, document.theme.reference_docx is not None, width).apply()
            self._styles[key] = etree.tostring(styles_part.element)
        _cache_style_ids(base)
        return base, width


def _cache_style_ids(base: DocxDocument) -> None:
    """Look each style name up once: python-docx scans every style on every assignment."""
    part = base.part
    lookup = part.get_style_id
    known: dict[tuple[object, object], str | None] = {}

    def cached(style: object, style_type: object) -> str | None:
        key = (style if isinstance(style, str) else id(style), style_type)
        if key not in known:
            known[key] = lookup(style, style_type)
        return known[key]

    part.get_style_id = cached  # type: ignore[method-assign]


def _open_base(reference: str | None) -> DocxDocument:
    """python-docx's default document, or the reference document emptied of its content."""
    if reference is None:
        return docx.Document()
    try:
        base = docx.Document(reference)
    except (OSError, PackageNotFoundError, KeyError, ValueError) as exc:
        raise WriterError(f"cannot read reference document '{reference}': {exc}") from None
    # Like pandoc's --reference-doc: keep styles, numbering, page setup; drop the content.
    body = base.element.body
    for child in list(body):
        if child is not body.sectPr:
            body.remove(child)
    return base
