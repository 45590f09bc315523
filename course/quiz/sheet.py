"""Answer-sheet geometry: where every fiducial, QR code, box and label of a printed sheet goes.

Computed once from the printed quiz; the PDF writer draws it as given and the print record
carries it to the scanner, so the boxes a scanner measures are the boxes that were printed.
Lengths are PDF points from the page's bottom-left corner. A question taller than a column
(a large matching or ordering grid) continues, row by row, in the next columns and pages;
each part after the first is numbered "…12", and every page has its own corners, QR code and
ID grid, so that each page scans alone.
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
ROW_GAP = 4.0  # below a grid row that takes several lines of boxes
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


Cells = list[tuple[str, str]]  # (box value, label key:text) along one line of boxes
Line = tuple[int | None, Cells]  # (matching or ordering row, else None; its cells)


def _chunks(row: int | None, cells: Cells, per_line: int) -> list[Line]:
    """Cells cut into lines of at most `per_line` boxes."""
    return [(row, cells[i:i + per_line]) for i in range(0, len(cells), per_line)]


def _units(pq: PrintedQuestion, per_line: int) -> list[list[Line]]:
    """The question's lines in groups never split across columns: one grid row, or a line."""
    q = pq.question
    if q.type == "true_false":
        return [[(None, [("T", "true:"), ("F", "false:")])]]
    if q.type == "short":
        cells = [(v, f"score:{v}") for v in score_values(q.points)]
        return [[line] for line in _chunks(None, cells, per_line)]
    cells = [(LATIN[i], f"choice:{i}") for i in range(len(pq.choice_order))]
    if q.type in {"single", "multiple"}:
        return [[line] for line in _chunks(None, cells, per_line)]
    # Matching: a row per left item, a box per right item; ordering: a row per position.
    return [_chunks(row, cells, per_line) for row in range(1, len(cells) + 1)]


def _height(unit: list[Line]) -> float:
    """A unit's height; a grid row of several lines keeps a gap below it, to stand apart."""
    return len(unit) * LINE + (ROW_GAP if len(unit) > 1 else 0.0)


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

    def _next_column(self) -> None:
        self.column += 1
        self.y = self.top
        if self.column >= COLUMNS:
            self._new_page()

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
        """Put one question in the current column, or the next, or a new page; a question
        taller than a column continues in the next ones, on as many pages as it needs."""
        extra = TRAINER_LABEL if pq.question.type == "short" else 0.0
        rows = pq.question.type in {"matching", "ordering"}
        room = self.col_width - NUMBER_WIDTH - extra - (ROW_LABEL if rows else 0.0) - 4
        units = _units(pq, max(1, int(room // PITCH)))
        whole = sum(_height(u) for u in units) + GAP
        if whole <= self.top - MARGIN and self.y - whole < MARGIN:
            self._next_column()  # it fits a fresh column: keep it whole
        part = 0
        while units:
            take, used = 0, 0.0
            while take < len(units) and self.y - used - _height(units[take]) - GAP >= MARGIN:
                used += _height(units[take])
                take += 1
            if not take and self.y < self.top:  # not even one row here: a fresh column
                self._next_column()
                continue
            if not take:  # never met: a unit is at most 26 lines, shorter than any column
                take, used = 1, _height(units[0])
            self._draw(pq, units[:take], extra, rows, part)
            self.y -= used + GAP
            units = units[take:]
            part += 1

    def _draw(self, pq: PrintedQuestion, units: list[list[Line]], extra: float, rows: bool,
              part: int) -> None:
        x0, x1 = self._column_x()
        sign = -1 if self.rtl else 1
        start = x1 if self.rtl else x0  # the edge where reading starts
        align = "right" if self.rtl else "left"
        # A part that continues a question repeats its number after an ellipsis: "…12".
        number, size = (str(pq.number), 9.0) if part == 0 else (f"…{pq.number}", 7.0)
        self.page.labels.append(Label("number", number, start + sign * 2, self.y - BOX + 2,
                                      align, size))
        if extra:
            self.page.labels.append(Label("trainer", "", start + sign * NUMBER_WIDTH,
                                          self.y - BOX + 2.5, align))
        first = start + sign * (NUMBER_WIDTH + extra)
        top = self.y
        for unit in units:
            for index, (row, cells) in enumerate(unit):
                x = first
                if rows:
                    if index == 0:
                        self.page.labels.append(Label("row", str(row), x + sign * 2,
                                                      top - BOX + 2.5, align))
                    x += sign * ROW_LABEL
                self._cells(pq.number, row, cells, x, top)
                top -= LINE
            top -= _height(unit) - len(unit) * LINE

    def _cells(self, number: int, row: int | None, cells: Cells, x: float, top: float) -> None:
        """One line of boxes, each with its label before it in reading order."""
        sign = -1 if self.rtl else 1
        for value, label in cells:
            key, _, text = label.partition(":")
            step = PITCH + 10 if key in {"true", "false"} else PITCH
            # A cell is its label, then its box, in reading order.
            bx0 = x - step + 2 if self.rtl else x + step - 2 - BOX
            rect = (round(bx0, 2), round(top - BOX, 2), round(bx0 + BOX, 2), round(top, 2))
            kind = "score" if key == "score" else "choice"
            self.page.boxes.append(Box(kind, number, row, value, rect))
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
