"""The document model: a small tree that every writer turns into a file.

It imports nothing from the project. Texts arrive already translated and
already ordered logically (first character first); writers decide only layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Direction = Literal["rtl", "ltr"]


# --- inlines -----------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Plain text, printed as written."""

    text: str


@dataclass(frozen=True)
class Strong:
    """Bold text (Arabic bold too: writers must set the complex-script weight)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emph:
    """Italic text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A hyperlink; `target` is a URL or `#anchor` of a Heading."""

    children: tuple[Inline, ...]
    target: str


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a paragraph."""


Inline = Text | Strong | Emph | Link | LineBreak
Inlines = tuple[Inline, ...]


# --- blocks ------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A heading of level 1 to 3; `anchor` names it for links, TOC and bookmarks."""

    level: int
    content: Inlines
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; `style` is "body", "small" (sources, notes) or "lead" (summaries)."""

    content: Inlines
    style: str = "body"


@dataclass(frozen=True)
class BulletList:
    """A bulleted list; each item is a sequence of blocks."""

    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class OrderedList:
    """A numbered list; `numbering` is "decimal", "abjad" (أ ب ج) or "alpha" (a b c)."""

    items: tuple[tuple[Block, ...], ...]
    numbering: str = "decimal"
    start: int = 1


@dataclass(frozen=True)
class Table:
    """A table in reading order: the first cell is the first column (right in RTL)."""

    header: tuple[Inlines, ...]
    rows: tuple[tuple[Inlines, ...], ...]
    widths: tuple[float, ...] = ()  # relative widths, one per column; empty means equal


@dataclass(frozen=True)
class Callout:
    """A framed box: a case study, a key-points box, instructions; `kind` picks the frame."""

    kind: str
    title: Inlines
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


@dataclass(frozen=True)
class Slide:
    """One slide of an outline: title, bullets and the speaker's notes."""

    number: int
    title: Inlines
    bullets: tuple[Inlines, ...]
    notes: tuple[Inlines, ...]
    notes_label: Inlines = ()


@dataclass(frozen=True)
class Option:
    """One labelled choice of a question (label such as "أ" or "a")."""

    label: str
    content: Inlines


@dataclass(frozen=True)
class QuestionBlock:
    """A numbered question kept on one page with its options.

    `meta` carries points and what is expected ("one answer", "several answers");
    `after` holds blocks printed below the options: a matching table, answer lines
    (as empty `Paragraph`s), or, in an answer key only, the answer and explanation.
    """

    number: int
    stem: Inlines
    meta: Inlines
    options: tuple[Option, ...] = ()
    after: tuple[Block, ...] = ()
    answer_lines: int = 0  # ruled lines left to write on


@dataclass(frozen=True)
class AnswerRow:
    """One row of an answer sheet: question number, box labels, and a note."""

    number: int
    labels: tuple[str, ...]
    note: Inlines = ()


@dataclass(frozen=True)
class AnswerGrid:
    """Rows of empty boxes to tick, one row per question."""

    rows: tuple[AnswerRow, ...]
    number_label: Inlines = ()


@dataclass(frozen=True)
class TableOfContents:
    """A table of contents of the document's headings up to `depth`."""

    title: Inlines
    depth: int = 2


@dataclass(frozen=True)
class Cover:
    """A cover page: title, lines under it, and an optional logo image path."""

    title: Inlines
    lines: tuple[Inlines, ...]
    logo: str | None = None


@dataclass(frozen=True)
class Image:
    """A raster picture (PNG bytes), `width` a fraction of the text width, with its alt text."""

    png: bytes
    width: float
    alt: str
    caption: Inlines = ()


# A rectangle in PDF points from the page's bottom-left corner: x0, y0, x1, y1.
Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class Chart:
    """A chart drawn from data by the writer: a score histogram or an item scatter.

    Histogram: `bars` are (label, count) in order and `marker` the pass mark on the
    x axis (0..100), written `marker_label`. Scatter: `points` are (x, y, label) and
    `zones` shaded rectangles (x0, y0, x1, y1) in data units, such as the flag zones of
    item statistics.
    """

    kind: Literal["histogram", "scatter"]
    title: Inlines
    x_label: str
    y_label: str
    bars: tuple[tuple[str, int], ...] = ()
    marker: float | None = None
    marker_label: str = ""
    points: tuple[tuple[float, float, str], ...] = ()
    zones: tuple[Rect, ...] = ()
    x_range: tuple[float, float] = (0.0, 100.0)
    y_range: tuple[float, float] = (0.0, 1.0)


@dataclass(frozen=True)
class SheetText:
    """A line of text at a fixed place; `x` is its left, right or centre edge per `align`."""

    x: float
    y: float  # the baseline
    size: float
    content: Inlines
    align: Literal["left", "right", "center"] = "left"


@dataclass(frozen=True)
class SheetPage:
    """A machine-read page whose every mark sits where the print record says.

    The answer-sheet geometry is computed once (course.quiz.sheet) and drawn as given:
    solid square fiducials centred on `fiducials` with side `fiducial_size`, a QR code
    filling `qr`, empty boxes `boxes`, thin lines `rules` (x0, y0, x1, y1), and texts.
    """

    size: tuple[float, float]
    fiducials: tuple[tuple[float, float], ...]
    fiducial_size: float
    qr: Rect
    qr_text: str
    boxes: tuple[Rect, ...]
    texts: tuple[SheetText, ...] = ()
    rules: tuple[Rect, ...] = ()


Block = (
    Heading | Paragraph | BulletList | OrderedList | Table | Callout | PageBreak | Slide
    | QuestionBlock | AnswerGrid | TableOfContents | Cover | Image | SheetPage | Chart
)


# --- the document ------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """Look of a document: paper, colours (#RRGGBB), font family names, logo."""

    paper: str = "A4"
    primary_color: str = "#1F4E79"
    secondary_color: str = "#C9A227"
    font: str = "Amiri"
    heading_font: str = "Amiri"
    logo: str | None = None
    reference_docx: str | None = None
    reference_pptx: str | None = None


@dataclass(frozen=True)
class Meta:
    """Printed metadata: title block, running header and footer, page label.

    `page_label` holds `{page}` and `{pages}`, e.g. "صفحة {page} من {pages}".
    `timestamp` is the fixed time written into file metadata (never the clock).
    `page_offset` is added to printed page numbers, and `title_block` says whether the
    first page opens with the title block: both serve parts of a larger document.
    """

    course: str
    module: str
    organisation: str
    version: str
    date: str
    header: str
    footer: str
    page_label: str
    timestamp: datetime
    title_lines: tuple[str, ...] = ()
    page_offset: int = 0
    title_block: bool = True


@dataclass(frozen=True)
class Document:
    """A whole document of one kind, in one language and direction."""

    kind: str
    lang: str
    direction: Direction
    title: str
    meta: Meta
    blocks: tuple[Block, ...]
    theme: Theme = field(default_factory=Theme)


def plain_text(inlines: Inlines) -> str:
    """The characters of some inlines, without formatting."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append("\n")
        else:
            parts.append(plain_text(node.children))
    return "".join(parts)
