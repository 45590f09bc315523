"""DOCX writer: real Word styles, right-to-left Arabic that Word and LibreOffice lay out right."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError

from course.document import Document
from course.errors import WriterError
from generators.docx.blocks import Renderer
from generators.docx.fonts import embed_fonts
from generators.docx.package import normalized_zip, set_core_properties
from generators.docx.page import apply_direction, header_footer, setup_page, text_parts
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

    def render(self, document: Document) -> bytes:
        """The bytes of the .docx file."""
        base = _open_base(document.theme.reference_docx)
        width = setup_page(base, document)
        Styler(base, document, document.theme.reference_docx is not None, width).apply()
        _cache_style_ids(base)
        header_footer(base, document)
        Renderer(base, document, width).render()
        apply_direction(base, document)
        embed_fonts(base, document, [*text_parts(base), base.part.numbering_part.element])
        set_core_properties(base, document)
        buffer = io.BytesIO()
        base.save(buffer)
        return normalized_zip(buffer.getvalue(), document)


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
