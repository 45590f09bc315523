"""Responses cells from box states, in the notation `grade` reads; `?` when unsure."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

UNSURE = "?"


def _key(box: dict[str, Any]) -> tuple[int, int]:
    return int(box["question"]), int(box["row"] or 0)


Grid = dict[int, list[tuple[str, str]]]  # row (0 when none) -> (value, state) of its boxes


def page_grids(boxes: list[dict[str, Any]], states: list[str]) -> dict[int, Grid]:
    """The rows of box states of every question that has boxes on a page."""
    rows: dict[int, Grid] = defaultdict(lambda: defaultdict(list))
    for box, state in zip(boxes, states, strict=True):
        if box["kind"] in {"choice", "score"} and box["question"] is not None:
            number, row = _key(box)
            rows[number][row].append((str(box["value"]), state))
    return {number: dict(grid) for number, grid in rows.items()}


def stored_grid(grid: Grid) -> dict[str, list[list[str]]]:
    """A grid as pages.json keeps it: only the boxes that decide a cell (marked, uncertain)."""
    kept = {str(row): [[v, s] for v, s in boxes if s in {"marked", "uncertain"}]
            for row, boxes in sorted(grid.items())}
    return {row: boxes for row, boxes in kept.items() if boxes}


def joined_cell(qtype: str, parts: list[dict[str, list[list[str]]]]) -> str:
    """The cell of a question printed across pages, from each page's stored grid."""
    grid: Grid = defaultdict(list)
    for part in parts:
        for row, boxes in part.items():
            grid[int(row)].extend((v, s) for v, s in boxes)
    return cell(qtype, dict(grid))


def _row_marks(row: list[tuple[str, str]]) -> list[str] | None:
    """The values marked in a row, or None when one of its boxes is uncertain."""
    if any(state == "uncertain" for _, state in row):
        return None
    return [value for value, state in row if state == "marked"]


def cell(qtype: str, grid: dict[int, list[tuple[str, str]]]) -> str:
    """One question's cell from its rows of (value, state)."""
    marks = {row: _row_marks(boxes) for row, boxes in sorted(grid.items())}
    if any(m is None for m in marks.values()):
        return UNSURE
    if qtype == "multiple":
        return "".join(sorted(v for m in marks.values() for v in m or []))
    if qtype in {"matching", "ordering"}:
        if any(len(m or []) > 1 for m in marks.values()):
            return UNSURE
        chosen = {row: m[0] for row, m in marks.items() if m}
        if qtype == "matching":
            return " ".join(f"{row}{letter}" for row, letter in chosen.items())
        # An order is written position by position: a gap cannot be written, so a person
        # decides what the participant meant.
        if sorted(chosen) != list(range(1, len(chosen) + 1)):
            return UNSURE
        return " ".join(chosen[row] for row in sorted(chosen))
    only = [v for m in marks.values() for v in m or []]
    if len(only) > 1:
        return UNSURE
    if not only:
        return ""
    return f"{only[0]}pt" if qtype == "short" else only[0]


def page_id_digits(boxes: list[dict[str, Any]], states: list[str]) -> str | None:
    """The participant ID from a page's ID grid, or None when the grid does not read
    as exactly one digit per column (or the page has no grid)."""
    columns: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for box, state in zip(boxes, states, strict=True):
        if box["kind"] == "id":
            columns[int(box["row"])].append((str(box["value"]), state))
    if not columns:
        return None
    digits = []
    for position in sorted(columns):
        marks = _row_marks(columns[position])
        if marks is None or len(marks) != 1:
            return None
        digits.append(marks[0])
    return "".join(digits)
