"""The registry: format name -> writer (documents) and exporter (quiz data).

Writers live in one sub-package per format (`docx/`, `pdf/`), each class in its
`writer.py`; the learning-platform exporters in `lms/`. Every room that writes files
reaches them through `get_writer` and `get_exporter` only, which import a format's code
when it is first used, so `check` and a no-op build stay fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from course.document import Document
from course.errors import CoursegenError

# name -> "module:Class"; writers are imported only when used, so `check` stays fast.
WRITERS: dict[str, str] = {
    "docx": "generators.docx.writer:DocxWriter",
    "pdf": "generators.pdf.writer:PdfWriter",
    "pptx": "generators.pptx.writer:PptxWriter",
}
# The writers' caches kept between runs: "module:function(folder or None)".
CACHE_USERS = ("generators.pdf.shape_cache:use_cache_dir",)
# name -> "module:function(categories, lang, settings) -> (text, warnings)".
EXPORTERS: dict[str, str] = {
    "moodle": "generators.lms.moodle:export",
    "gift": "generators.lms.gift:export",
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
    return _load(target)()


def get_exporter(name: str) -> Callable[..., tuple[str, list[str]]]:
    """The exporter for a quiz format name, or an error listing the known ones."""
    try:
        target = EXPORTERS[name]
    except KeyError:
        known = ", ".join(sorted(EXPORTERS))
        raise UnknownFormatError(f"unknown export format '{name}'; known: {known}") from None
    return _load(target)


def use_cache_dir(folder: Path | None) -> None:
    """Let the writers keep what later runs reuse (shaped words) in `folder`, and nowhere
    else; None keeps it in memory only."""
    for target in CACHE_USERS:
        _load(target)(folder)


def _load(target: str) -> Any:
    module_name, attribute = target.split(":")
    return getattr(importlib.import_module(module_name), attribute)
