"""Measuring boxes on an upright page and deciding marked, empty, cancelled or uncertain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import cv2
import numpy as np

from course.scan.locate import CANVAS, Unreadable

State = Literal["empty", "marked", "cancelled", "uncertain"]

INSET = 2.0  # points inside a box's edge: its printed outline and a hair of misregistration
INK = 0.4  # a pixel is ink past this share of the way from paper white to printed black
FAINT = 0.04  # mean darkness above the page's empty boxes that a person must see
MARK = 0.08  # ink coverage from which a box is marked ...
FILL = 0.85  # ... up to this; past it a box may be filled or blackened: a person decides
CANCEL = 0.95  # ink coverage of a box blackened entirely: a cancelled mark
MIN_CONTRAST = 60  # grey levels between paper and the corner squares' black


@dataclass(frozen=True)
class BoxReading:
    """One box's measure: mean darkness and ink coverage inside it (0 to 1), and its state."""

    darkness: float
    coverage: float
    state: State


def levels(canvas: np.ndarray, layout: dict[str, Any]) -> tuple[np.ndarray, float]:
    """The paper's local white (a coarse image) and the printed black of the corner squares."""
    height = layout["size"][1]
    side = float(layout.get("fiducial_size", 20.0))
    blacks = []
    for x, y in layout["fiducials"]:
        cx, cy, half = x * CANVAS, (height - y) * CANVAS, side * CANVAS / 4
        patch = canvas[int(cy - half):int(cy + half), int(cx - half):int(cx + half)]
        if patch.size:
            blacks.append(float(np.median(patch)))
    black = float(np.median(blacks))
    # Paper white near each box: the brightest pixels of a ~13 pt neighbourhood, so that
    # ink and printed lines do not darken it, smoothed over a copier's uneven exposure.
    small = cv2.resize(canvas, None, fx=1 / 8, fy=1 / 8, interpolation=cv2.INTER_AREA)
    white = cv2.GaussianBlur(cv2.dilate(small, np.ones((5, 5), np.uint8)), (5, 5), 0)
    if float(np.median(white)) - black < MIN_CONTRAST:
        raise Unreadable("too little contrast between the paper and the corner squares; "
                         "scan lighter or in grey")
    return white, black


def measure(canvas: np.ndarray, layout: dict[str, Any]) -> list[BoxReading]:
    """Every box of a page layout, in the layout's order."""
    white, black = levels(canvas, layout)
    height = layout["size"][1]
    raw = []
    for box in layout["boxes"]:
        x0, y0, x1, y1 = box["rect"]
        inner = canvas[round((height - y1 + INSET) * CANVAS):round((height - y0 - INSET) * CANVAS),
                       round((x0 + INSET) * CANVAS):round((x1 - INSET) * CANVAS)]
        cx, cy = (x0 + x1) / 2 * CANVAS / 8, (height - (y0 + y1) / 2) * CANVAS / 8
        paper = float(white[min(int(cy), white.shape[0] - 1), min(int(cx), white.shape[1] - 1)])
        span = max(paper - black, 1.0)
        # Not clipped before the mean: a noisy page's empty box then averages to zero.
        dark = (paper - inner.astype(np.float32)) / span
        raw.append((float(dark.mean()), float((dark > INK).mean())))
    # Most boxes of a page are empty (the ID grid alone is nine tenths empty): their
    # median and spread are this page's paper, whatever the scanner or copier did to it.
    blank = np.array([d for d, c in raw if c < MARK] or [0.0])
    base = float(np.median(blank))
    spread = 1.4826 * float(np.median(np.abs(blank - base)))
    faint = max(FAINT, 6 * spread)
    return [BoxReading(d - base, c, decide(d - base, c, faint)) for d, c in raw]


def decide(darkness: float, coverage: float, faint: float = FAINT) -> State:
    """A box's state from its measure; anything between two clear states is uncertain."""
    if coverage >= CANCEL:
        return "cancelled"
    if MARK <= coverage <= FILL:
        return "marked"
    if coverage < MARK and darkness < faint:
        return "empty"
    return "uncertain"
