"""Charts as pictures for writers that cannot draw them (the DOCX report).

Each Chart is laid out by the PDF writer alone on a page, with the document's fonts and
direction (so Arabic labels are shaped and read right to left), rasterised with
pypdfium2, cut to what was drawn and stored as a PNG `Image` with a text alternative.
"""

from __future__ import annotations

import struct
import tempfile
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np

from course.document import Block, Callout, Chart, Document, Image, plain_text

DPI = 200  # sharp in print at the text width, a few dozen kilobytes a chart
MARGIN = 6  # pixels kept around what was drawn
RULE = 6  # pixels: the page's thin running rules, not part of the chart


def charts_as_images(document: Document) -> Document:
    """The document with each of its Chart blocks replaced by an Image of it."""
    return replace(document, blocks=tuple(_replace(document, b) for b in document.blocks))


def _replace(document: Document, block: Block) -> Block:
    if isinstance(block, Chart):
        return chart_image(document, block)
    if isinstance(block, Callout):
        return replace(block, blocks=tuple(_replace(document, b) for b in block.blocks))
    return block


def chart_image(document: Document, chart: Chart) -> Image:
    """One chart drawn by the PDF writer on a page of its own, as a cropped PNG."""
    import pypdfium2

    from generators import get_writer

    alone = replace(document, blocks=(chart,), meta=replace(
        document.meta, title_block=False, header="", footer="", page_label=""))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chart.pdf"
        get_writer("pdf").write(alone, path)
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            pixels = pdf[0].render(scale=DPI / 72, rev_byteorder=True).to_numpy()
        finally:
            pdf.close()
    return Image(png(crop(pixels[..., :3])), 1.0, alt_text(chart))


def crop(rgb: np.ndarray) -> np.ndarray:
    """The part of the page that holds the chart, with a small margin.

    The page's running rules (thin lines across the width above and below the text)
    are left out: a band of ink rows no taller than RULE that spans most of the page.
    """
    ink = (rgb < 250).any(axis=2)
    rows = np.flatnonzero(ink.any(axis=1))
    keep = np.zeros(len(ink), dtype=bool)
    for band in np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1) if len(rows) else []:
        cols = np.flatnonzero(ink[band].any(axis=0))
        rule = len(band) <= RULE and cols[-1] - cols[0] > 0.6 * ink.shape[1]
        keep[band] = not rule
    found = np.argwhere(ink & keep[:, None])
    if not len(found):
        return rgb[:1, :1]
    (top, left), (bottom, right) = found.min(axis=0), found.max(axis=0)
    return rgb[max(top - MARGIN, 0):bottom + MARGIN + 1, max(left - MARGIN, 0):right + MARGIN + 1]


def png(rgb: np.ndarray) -> bytes:
    """A PNG of 8-bit RGB pixels (same pixels, same bytes: no time or tool stamped in)."""
    height, width, _ = rgb.shape
    rows = b"".join(b"\x00" + np.ascontiguousarray(row).tobytes() for row in rgb)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def alt_text(chart: Chart) -> str:
    """What the chart shows, in words, for screen readers and for the picture's alt text."""
    title = plain_text(chart.title)
    head = f"{title}: " if title else ""
    if chart.kind == "histogram":
        bars = "; ".join(f"{label}: {count}" for label, count in chart.bars)
        marker = f"; {chart.marker_label}" if chart.marker_label else ""
        return f"{head}{chart.x_label} / {chart.y_label}: {bars}{marker}"
    points = "; ".join(f"{label}: {x:g}, {y:g}" for x, y, label in chart.points)
    return f"{head}{chart.x_label} / {chart.y_label}: {points}"
