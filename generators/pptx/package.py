"""Same inputs, same bytes: the deck's core properties (the zip is generators.opc's)."""

from __future__ import annotations

from pptx.presentation import Presentation

from course.document import Document
from generators.opc import fill_core, normalized_zip
from generators.pptx.drawingml import language_tag

__all__ = ["normalized_zip", "set_core_properties"]


def set_core_properties(prs: Presentation, document: Document) -> None:
    """Title, author and dates from the model, never the clock; no revision churn."""
    fill_core(prs.core_properties, document, document.meta.module or document.title,
              document.meta.course, language_tag(document.lang))
