"""Reading one page: identity, geometry, box states, cells, and crops for a person."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from course.scan.cells import UNSURE, Grid, cell, page_grids, page_id_digits, stored_grid
from course.scan.locate import CANVAS, Unreadable, canvas_of, find_fiducials, read_qr, working
from course.scan.measure import BoxReading, measure
from course.scan.records import RecordError, Records

MARGIN = 36.0  # points around a question's boxes in its crop: its printed number shows


@dataclass
class PageReading:
    """What one scanned page gave; `problem` is set when it could not be read."""

    source: str  # "file:page"
    problem: str | None = None
    quiz: str = ""
    lang: str = ""
    version: str = ""
    page: int = 0
    record: str = ""  # the record digest's first 12 hex digits
    participant: str | None = None  # None: the ID grid did not read
    cells: dict[int, str] = field(default_factory=dict)
    crops: dict[str, str] = field(default_factory=dict)  # "id" or number -> base64 PNG
    seen: dict[str, str] = field(default_factory=dict)  # number -> each box's state
    # A question printed across pages: this page's part of its grid, joined by collate.
    grids: dict[str, dict[str, list[list[str]]]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The reading as stored between runs."""
        data = dict(self.__dict__)
        data["cells"] = {str(k): v for k, v in self.cells.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageReading:
        """A reading stored by an earlier run."""
        reading = cls(**data)
        reading.cells = {int(k): v for k, v in data.get("cells", {}).items()}
        return reading


def read_page(image: np.ndarray | None, source: str, records: Records) -> PageReading:
    """One page's reading; never raises for a bad page, it says what is wrong instead."""
    if image is None:
        return PageReading(source, "the page's image cannot be decoded; export it again")
    image = working(image)
    try:
        return _read(image, source, records)
    except Unreadable as exc:
        return PageReading(source, str(exc), crops={"page": thumbnail(image)})


def layout_of(record: dict[str, Any], version: str, page: int) -> dict[str, Any] | None:
    """A version's page layout in a record, or None."""
    pages = record.get("versions", {}).get(version, {}).get("pages", [])
    return next((p for p in pages if p.get("page") == page), None)


def _read(image: np.ndarray, source: str, records: Records) -> PageReading:
    page_id, qr_px = read_qr(image)
    try:
        record = records.get(page_id.digest)
    except RecordError as exc:
        raise Unreadable(str(exc)) from None
    if record is None:
        raise Unreadable(f"its print record {page_id.digest} is not in {records.folder}; give "
                         "--printed the build output folder that printed this quiz")
    layout = layout_of(record, page_id.version, page_id.page)
    if layout is None or (record.get("quiz"), record.get("lang")) != (page_id.quiz,
                                                                       page_id.lang):
        raise Unreadable(f"its record {page_id.digest} has no page {page_id.page} of version "
                         f"{page_id.version}; the QR code is not one coursegen printed")
    homography = find_fiducials(image, layout, qr_px)
    size = (float(layout["size"][0]), float(layout["size"][1]))
    canvas = canvas_of(image, homography, size)
    measured = measure(canvas, layout)
    states = [r.state for r in measured]
    types = {int(q["number"]): q["type"] for q in record["versions"][page_id.version]["questions"]}
    boxes = layout["boxes"]
    grids = page_grids(boxes, states)
    cells = {number: cell(types.get(number, "single"), grid) for number, grid in grids.items()}
    participant = page_id_digits(boxes, states)
    reading = PageReading(source, None, page_id.quiz, page_id.lang, page_id.version,
                          page_id.page, page_id.digest, participant, cells)
    split = split_questions(record["versions"][page_id.version])
    for number, value in cells.items():
        if number in split:  # its cell is only known once its other pages are read
            reading.grids[str(number)] = stored_grid(grids[number])
            value = _part_cell(types.get(number, "single"), grids[number])
        if value == UNSURE:
            mine = [i for i, b in enumerate(boxes) if b["question"] == number]
            reading.crops[str(number)] = crop(canvas, size, [boxes[i] for i in mine])
            reading.seen[str(number)] = ", ".join(_seen(boxes[i], measured[i]) for i in mine
                                                  if measured[i].state != "empty")
    reading.crops["id"] = crop(canvas, size, [b for b in boxes if b["kind"] == "id"])
    return reading


def split_questions(version: dict[str, Any]) -> set[int]:
    """The printed numbers whose boxes are on more than one page of a version."""
    pages: dict[int, int] = {}
    for page in version["pages"]:
        for number in {b["question"] for b in page["boxes"] if b["question"] is not None}:
            pages[int(number)] = pages.get(int(number), 0) + 1
    return {number for number, count in pages.items() if count > 1}


def _part_cell(qtype: str, grid: Grid) -> str:
    """One page's part of a question printed across pages: '?' when a person may have to
    look at it (a box in doubt, two marks in a row, or for an order a row left empty, where
    the whole order may have its gap); its crop is kept then, and only then."""
    if cell("matching", grid) == UNSURE:  # matching: the rows' own rules, no gap rule
        return UNSURE
    empty = any(all(state != "marked" for _, state in boxes) for boxes in grid.values())
    return UNSURE if qtype == "ordering" and empty else ""


def _seen(box: dict[str, Any], reading: BoxReading) -> str:
    """One box as a person reads the scanner's view of it: `2b marked (ink 41 %)`."""
    row = f"{box['row']}" if box["row"] is not None else ""
    return f"{row}{box['value']} {reading.state} (ink {reading.coverage:.0%})"


def crop(canvas: np.ndarray, size: tuple[float, float], boxes: list[dict[str, Any]]) -> str:
    """A PNG (base64) of the canvas around some boxes, or "" when there are none."""
    import cv2

    if not boxes:
        return ""
    rects = np.array([b["rect"] for b in boxes], dtype=np.float64)
    x0, x1 = rects[:, 0].min() - MARGIN, rects[:, 2].max() + MARGIN
    top, bottom = size[1] - rects[:, 3].max() - 6, size[1] - rects[:, 1].min() + 6
    part = canvas[max(0, int(top * CANVAS)):int(bottom * CANVAS),
                  max(0, int(x0 * CANVAS)):int(x1 * CANVAS)]
    ok, data = cv2.imencode(".png", part)
    return base64.b64encode(data.tobytes()).decode("ascii") if ok else ""


def thumbnail(image: np.ndarray, width: int = 600) -> str:
    """A PNG (base64) of a whole page, small enough for a review page."""
    import cv2

    factor = min(1.0, width / image.shape[1])
    small = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".png", small)
    return base64.b64encode(data.tobytes()).decode("ascii") if ok else ""
