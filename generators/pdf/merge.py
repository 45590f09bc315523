"""Merge PDF parts into one file, with one bookmark per part over the part's own outline."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter

from course.errors import WriterError


def page_count(path: Path) -> int:
    """The number of pages of a PDF."""
    return len(PdfReader(path).pages)


def merge(front: Path, parts: list[tuple[str, Path]], target: Path, title: str) -> None:
    """The front, then each part under a bookmark of its title, written to `target`."""
    writer = PdfWriter()
    try:
        writer.append(str(front), import_outline=False)
        for name, path in parts:
            writer.append(str(path), outline_item=name)
    except (OSError, ValueError) as exc:
        raise WriterError(f"cannot merge pack parts: {exc}") from None
    writer.add_metadata({"/Title": title, "/Producer": "coursegen"})
    with open(target, "wb") as handle:
        writer.write(handle)
