"""Answer-sheet geometry: where every fiducial, QR code, box and label of a printed sheet goes.

Computed once from the printed quiz; the PDF writer draws it as given and the print record
carries it to the scanner, so the boxes a scanner measures are the boxes that were printed.
Lengths are PDF points from the page's bottom-left corner.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from course.quiz.scoring import format_number
from course.quiz.versions import LATIN, PrintedQuestion

PAPERS = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
FIDUCIAL = 20.0  # side of a solid corner square, about 7 mm
FIDUCIAL_INSET = 34.0  # its centre from the page edges, 12 mm: survives skewed copies
MARGIN = 58.0  # content keeps clear of the fiducials
QR_SIZE = 64.0  # about 22 mm: a 200 dpi scan gives each module several pixels
BOX = 11.0  # side of an answer box
PITCH = 22.0  # box plus its letter beside it
LINE = 15.0  # vertical pitch of box lines
GAP = 4.0  # extra space between questions
NUMBER_WIDTH = 20.0
ROW_LABEL = 14.0  # "1", "2" before the lines of matching and ordering questions
TRAINER_LABEL = 44.0  # room for "for the trainer" before short-answer score boxes
COLUMNS = 3
HEADER = 232.0  # title, fields, QR code and the ID grid above the questions
ID_PITCH_X = 15.0
ID_PITCH_Y = 13.0


@dataclass(frozen=True)
class Box:
    """One box a participant or trainer marks, as the record describes it."""

    kind: str  # "choice", "score" or "id"
    question: int | None
    row: int | None
    value: str
    rect: tuple[float, float, float, float]


@dataclass(frozen=True)
class Label:
    """A text to print at a place: `key` names it, `text` is literal when the key is "text".

    Keys: "number" (a question number), "choice" (a printed choice position, 0-based in
    `text`), "true"/"false", "row" (a matching or ordering line number), "score", "digit",
    "trainer" (the short-answer tag), "text".
    """

    key: str
    text: str
    x: float
    y: float
    align: str  # "left", "right" or "center"
    size: float = 7.0


@dataclass
class SheetPage:
    """One page: its boxes (in reading order) and the labels beside them."""

    page: int
    size: tuple[float, float]
    fiducials: list[tuple[float, float]]
    qr: tuple[float, float, float, float]
    boxes: list[Box] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    def as_record(self) -> dict:
        """The page as the print record stores it."""
        return {"page": self.page, "size": list(self.size),
                "fiducials": [list(p) for p in self.fiducials], "fiducial_size": FIDUCIAL,
                "qr": list(self.qr),
                "boxes": [{"kind": b.kind, "question": b.question, "row": b.row,
                           "value": b.value, "rect": list(b.rect)} for b in self.boxes]}


def score_values(points: float) -> list[str]:
    """Score boxes of a short answer: 0, 1, ... up to its points, and its exact points."""
    values = [str(i) for i in range(int(math.floor(points)) + 1)]
    exact = format_number(points)
    return values if exact in values else values + [exact]


def _lines(pq: PrintedQuestion, per_line: int) -> list[tuple[int | None, list[tuple[str, str]]]]:
    """The question's box lines: (row or None, [(value, label key:text)]) each."""
    q = pq.question
    if q.type in {"single", "multiple"}:
        cells = [(LATIN[i], f"choice:{i}") for i in range(len(pq.choice_order))]
        return [(None, cells[i:i + per_line]) for i in range(0, len(cells), per_line)]
    if q.type == "true_false":
        return [(None, [("T", "true:"), ("F", "false:")])]
    if q.type == "short":
        cells = [(v, f"score:{v}") for v in score_values(q.points)]
        return [(None, cells[i:i + per_line]) for i in range(0, len(cells), per_line)]
    count = len(pq.choice_order)  # matching: right items; ordering: items
    cells = [(LATIN[i], f"choice:{i}") for i in range(count)]
    lines: list[tuple[int | None, list[tuple[str, str]]]] = []
    for row in range(1, count + 1):
        lines.extend((row, cells[i:i + per_line]) for i in range(0, len(cells), per_line))
    return lines


class _Layout:
    """Places question blocks column by column, page by page."""

    def __init__(self, paper: str, rtl: bool, id_digits: int) -> None:
        self.size = PAPERS.get(paper, PAPERS["A4"])
        self.rtl = rtl
        self.id_digits = id_digits
        width, height = self.size
        self.col_width = (width - 2 * MARGIN) / COLUMNS
        self.top = height - MARGIN - HEADER
        self.pages: list[SheetPage] = []
        self._new_page()

    def _new_page(self) -> None:
        width, height = self.size
        i = FIDUCIAL_INSET
        fiducials = [(i, height - i), (width - i, height - i), (width - i, i), (i, i)]
        qx = MARGIN if self.rtl else width - MARGIN - QR_SIZE
        qr = (qx, height - MARGIN - QR_SIZE, qx + QR_SIZE, height - MARGIN)
        self.page = SheetPage(len(self.pages) + 1, self.size, fiducials, qr)
        self.pages.append(self.page)
        self.column = 0
        self.y = self.top
        self._id_grid()

    def _id_grid(self) -> None:
        """One column of 0-9 boxes per digit, under the written fields, on the start side."""
        width, height = self.size
        grid = self.id_digits * ID_PITCH_X
        x_start = width - MARGIN - grid if self.rtl else MARGIN
        top = height - MARGIN - 96
        for d in range(self.id_digits):
            position = d + 1  # numbers run left to right in Arabic too: first digit left
            col = d
            x0 = x_start + col * ID_PITCH_X + (ID_PITCH_X - BOX) / 2
            for digit in range(10):
                y1 = top - digit * ID_PITCH_Y
                rect = (x0, y1 - BOX, x0 + BOX, y1)
                self.page.boxes.append(Box("id", None, position, str(digit), rect))
        for digit in range(10):
            y = top - digit * ID_PITCH_Y - BOX + 2.5
            x = x_start - 3 if not self.rtl else x_start + grid + 3
            self.page.labels.append(Label("digit", str(digit), x, y,
                                          "right" if not self.rtl else "left"))

    def _column_x(self) -> tuple[float, float]:
        width = self.size[0]
        x0 = MARGIN + self.column * self.col_width
        if self.rtl:
            x0 = width - MARGIN - (self.column + 1) * self.col_width
        return x0, x0 + self.col_width

    def place(self, pq: PrintedQuestion) -> None:
        """Put one question's lines in the current column, or the next, or a new page."""
        extra = TRAINER_LABEL if pq.question.type == "short" else 0.0
        rows = pq.question.type in {"matching", "ordering"}
        room = self.col_width - NUMBER_WIDTH - extra - (ROW_LABEL if rows else 0.0) - 4
        per_line = max(1, int(room // PITCH))
        lines = _lines(pq, per_line)
        height = len(lines) * LINE + GAP
        if self.y - height < MARGIN:
            self.column += 1
            self.y = self.top
            if self.column >= COLUMNS:
                self._new_page()
        self._draw(pq, lines, extra, rows)
        self.y -= height

    def _draw(self, pq: PrintedQuestion, lines: list, extra: float, rows: bool) -> None:
        x0, x1 = self._column_x()
        sign = -1 if self.rtl else 1
        start = x1 if self.rtl else x0  # the edge where reading starts
        self.page.labels.append(Label("number", str(pq.number), start + sign * 2,
                                      self.y - BOX + 2, "right" if self.rtl else "left", 9.0))
        if extra:
            self.page.labels.append(Label("trainer", "", start + sign * NUMBER_WIDTH,
                                          self.y - BOX + 2.5, "right" if self.rtl else "left"))
        first = start + sign * (NUMBER_WIDTH + extra)
        previous_row = None
        for index, (row, cells) in enumerate(lines):
            top = self.y - index * LINE
            x = first
            if rows:
                if row != previous_row:
                    self.page.labels.append(Label("row", str(row), x + sign * 2,
                                                  top - BOX + 2.5,
                                                  "right" if self.rtl else "left"))
                previous_row = row
                x += sign * ROW_LABEL
            for value, label in cells:
                key, _, text = label.partition(":")
                step = PITCH + 10 if key in {"true", "false"} else PITCH
                # A cell is its label, then its box, in reading order.
                bx0 = x - step + 2 if self.rtl else x + step - 2 - BOX
                rect = (round(bx0, 2), round(top - BOX, 2), round(bx0 + BOX, 2), round(top, 2))
                kind = "score" if key == "score" else "choice"
                self.page.boxes.append(Box(kind, pq.number, row, value, rect))
                # The label touches its box on the side reading comes from.
                lx = bx0 + BOX + 1.5 if self.rtl else bx0 - 1.5
                self.page.labels.append(Label(key, text, lx, top - BOX + 2.5,
                                              "left" if self.rtl else "right"))
                x += sign * step


def layout(printed: list[PrintedQuestion], paper: str, rtl: bool,
           id_digits: int) -> list[SheetPage]:
    """The pages of one version's answer sheet."""
    sheet = _Layout(paper, rtl, id_digits)
    for pq in printed:
        sheet.place(pq)
    return sheet.pages
