"""Same inputs, same bytes: the DOCX's core properties (the zip is generators.opc's)."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from course.document import Document
from generators.opc import fill_core, normalized_zip

__all__ = ["normalized_zip", "set_core_properties"]


def set_core_properties(docx: DocxDocument, document: Document) -> None:
    """Title, author and dates from the model, never the clock; no revision churn."""
    fill_core(docx.core_properties, document, document.title, document.meta.module,
              {"ar": "ar-MA", "fr": "fr-FR"}.get(document.lang, document.lang))
