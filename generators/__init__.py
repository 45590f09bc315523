"""Writers: one module per output format, registered in one table."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol

from course.document import Document
from course.errors import CoursegenError

# name -> "module:Class"; writers are imported only when used, so `check` stays fast.
WRITERS: dict[str, str] = {
    "docx": "generators.to_docx:DocxWriter",
    "pdf": "generators.to_pdf:PdfWriter",
}


class Writer(Protocol):
    """What every writer offers."""

    name: str
    suffix: str

    def write(self, document: Document, path: Path) -> None:
        """Write `document` to exactly `path`."""


class UnknownFormatError(CoursegenError):
    """A format name that no writer handles."""


def get_writer(name: str) -> Writer:
    """The writer for a format name, or an error listing the known ones."""
    try:
        target = WRITERS[name]
    except KeyError:
        known = ", ".join(sorted(WRITERS))
        raise UnknownFormatError(f"unknown format '{name}'; known formats: {known}") from None
    module_name, class_name = target.split(":")
    return getattr(importlib.import_module(module_name), class_name)()
