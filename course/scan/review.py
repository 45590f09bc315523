"""review.pdf: every page and mark a person must look at, with its crop and its reading."""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path

from course.document import Block, Document, Heading, Image, Meta, Paragraph, Table, Text
from course.scan.collate import Item

TIMESTAMP = datetime(2000, 1, 1)  # fixed: the same review reads the same file


def review_document(items: list[Item], summary: str) -> Document:
    """The review as a document: a heading per item, its crops, and what was read."""
    blocks: list[Block] = [Heading(1, (Text("Scan review"),)), Paragraph((Text(summary),), "lead")]
    if not items:
        blocks.append(Paragraph((Text("Nothing to review: every page and mark was read."),)))
    for number, item in enumerate(items, start=1):
        kind = "Page" if item.kind == "page" else "Mark"
        blocks.append(Heading(2, (Text(f"{number}. {kind}: {item.title}"),)))
        blocks.append(Paragraph((Text(item.text),)))
        for crop in item.crops:
            if crop:
                png = base64.b64decode(crop)
                # Whole pages at half the text width, a question's boxes a little wider.
                blocks.append(Image(png, 0.5 if item.kind == "page" and not item.row else 0.6,
                                    f"scan of {item.title}"))
        if item.table:
            header, *rows = item.table
            blocks.append(Table(tuple((Text(c),) for c in header),
                                tuple(tuple((Text(c),) for c in row) for row in rows)))
    meta = Meta(course="coursegen scan", module="", organisation="", version="", date="",
                header="Scan review", footer="coursegen scan", page_label="{page} / {pages}",
                timestamp=TIMESTAMP, title_block=False)
    return Document("review", "fr", "ltr", "Scan review", meta, tuple(blocks))


def write_review(items: list[Item], summary: str, path: Path) -> None:
    """Write review.pdf through the writers' registry (scan never imports a writer)."""
    from generators import get_writer

    tmp = path.with_name(f".{path.name}.tmp")
    get_writer("pdf").write(review_document(items, summary), tmp)
    tmp.replace(path)
