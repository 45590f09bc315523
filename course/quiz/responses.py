"""Reading a responses CSV: participants, versions and answers, every problem located."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from course.arabic import normalise
from course.errors import Diagnostic
from course.quiz.csv_safe import decode, read_table, text_problem
from course.quiz.scoring import Answer, Awarded, format_number
from course.quiz.versions import LATIN, PrintedQuestion, letter_index

_TRUE = {"t", "true", "v", "vrai", "صح", "صحيح", "نعم"}
_FALSE = {"f", "false", "faux", "خطا", "خاطي", "لا"}
_SEPARATORS = re.compile(r"[\s,،;/+]+")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_PAIR = re.compile(r"(\d+)\s*[-:=.)]?\s*([^\W\d_])")
_AWARDED = re.compile(r"(\d+(?:[.,]\d+)?)\s*pt", re.IGNORECASE)


class CellError(ValueError):
    """A cell that cannot be read as an answer; the message says how to write it."""


@dataclass(frozen=True)
class Attempt:
    """One participant's row: answers by question id, in authored terms."""

    participant: str
    version: str
    line: int
    answers: dict[str, Answer]


def read_rows(text: str) -> list[tuple[int, list[str]]]:
    """Non-blank CSV rows with the line each starts on (those before any unreadable row)."""
    return read_table(text)[0]


def _range_hint(n: int) -> str:
    return f"a to {LATIN[n - 1]}" if n > 1 else "a"


def _choice_positions(cell: str, n: int, what: str, example: str) -> list[int]:
    letters = _SEPARATORS.sub("", cell)
    positions = [letter_index(ch) for ch in letters]
    if not positions or None in positions:
        raise CellError(f"cannot read '{cell}' as {what}; write letters such as '{example}'")
    for ch, p in zip(letters, positions, strict=True):
        if p is not None and p >= n:
            raise CellError(f"'{ch}' is not one of this question's {n} letters; use "
                            f"{_range_hint(n)}")
    return [p for p in positions if p is not None]


def parse_answer(pq: PrintedQuestion, cell: str) -> Answer:
    """The answer a cell gives to a printed question, mapped back to authored indexes."""
    cell = cell.strip()
    if not cell:
        return None
    if cell == "?":
        raise CellError("'?' is a mark the scanner could not read; look it up in review.pdf, "
                        "then write the answer here (or in corrections.csv and scan again)")
    q, order = pq.question, pq.choice_order
    awarded = _AWARDED.fullmatch(cell) if q.type == "short" else None
    if awarded:
        points = float(awarded.group(1).replace(",", "."))
        if points > q.points:
            most = format_number(q.points)
            raise CellError(f"'{cell}' is more than the question's {most} points; write 0pt "
                            f"to {most}pt")
        return Awarded(points)
    if q.type in {"single", "multiple"}:
        example = "b" if q.type == "single" else "ac"
        positions = _choice_positions(cell, len(order), "choice letters", example)
        return frozenset(order[p] for p in positions)
    if q.type == "true_false":
        word = normalise(cell)
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        # The answer grid prints true/false as boxes a and b (أ and ب).
        if letter_index(cell) in {0, 1}:
            return letter_index(cell) == 0
        raise CellError(f"cannot read '{cell}' as true or false; write T or F "
                        "(also V, true, false, صح, خطأ, or the box letter a or b)")
    if q.type == "matching":
        return _parse_matching(cell, order)
    if q.type == "ordering":
        positions = _choice_positions(cell, len(order), "an order", "c a b")
        if len(positions) > len(order):
            raise CellError(f"'{cell}' gives {len(positions)} items but the question has "
                            f"{len(order)}; write each letter once")
        return tuple(order[p] for p in positions)
    return cell


def _parse_matching(cell: str, order: tuple[int, ...]) -> dict[int, int]:
    text = _SEPARATORS.sub(" ", cell.translate(_DIGITS)).strip()
    n = len(order)
    matched: dict[int, int] = {}
    pos = 0
    while pos < len(text):
        found = _PAIR.match(text, pos)
        if not found:
            raise CellError(f"cannot read '{cell}' as matches; write a number and a letter "
                            "for each item, such as '1b 2a'")
        number, letter = int(found.group(1)), letter_index(found.group(2))
        if not 1 <= number <= n:
            raise CellError(f"item {number} does not exist; the items are numbered 1 to {n}")
        if letter is None or letter >= n:
            raise CellError(f"'{found.group(2)}' is not one of this question's {n} letters; "
                            f"use {_range_hint(n)}")
        if number - 1 in matched:
            raise CellError(f"item {number} is matched twice; match each item once")
        matched[number - 1] = order[letter]
        pos = found.end()
        while pos < len(text) and text[pos] == " ":
            pos += 1
    return matched


def _header_problems(header: list[str], n: int, display: str) -> tuple[dict[str, int],
                                                                        list[Diagnostic]]:
    """Column numbers by name, and what is wrong with the header row."""
    found: list[Diagnostic] = []
    columns: dict[str, int] = {}
    for col, raw in enumerate(header, start=1):
        name = raw.strip().lower()
        if name in columns:
            found.append(Diagnostic(display, 1, col, "error", f"column '{raw.strip()}' appears "
                                    f"twice (columns {columns[name]} and {col}); keep one"))
            continue
        columns[name] = col
        if name.isdigit() and not 1 <= int(name) <= n:
            found.append(Diagnostic(display, 1, col, "error", f"column '{name}' but the quiz has"
                                    f" {n} questions; remove the column"))
    wanted = ["participant", "version"] + [str(i) for i in range(1, n + 1)]
    for name in wanted:
        if name not in columns:
            found.append(Diagnostic(display, 1, 1, "error", f"missing column '{name}'; the "
                                    f"header row needs participant, version and 1 to {n}"))
    return columns, found


def read_responses(data: bytes, display: str, versions: Mapping[str, list[PrintedQuestion]]
                   ) -> tuple[list[Attempt], list[Diagnostic]]:
    """Every participant's answers, and every problem of the file; nothing is guessed."""
    text = decode(data)
    problem = text_problem(data, text)
    if problem is not None:
        return [], [Diagnostic(display, *problem[:2], "error", problem[2])]
    assert text is not None
    rows, broken = read_table(text)
    if broken is not None:
        return [], [Diagnostic(display, broken[0], 1, "error", broken[1])]
    if not rows:
        return [], [Diagnostic(display, 1, 1, "error", "the file has no header row; start it "
                               "with participant,version,1,2,...")]
    n = len(next(iter(versions.values()), []))
    header = rows[0][1]
    columns, problems = _header_problems(header, n, display)
    if "participant" not in columns or "version" not in columns:
        return [], problems
    if len(rows) == 1 and not problems:
        return [], [Diagnostic(display, rows[0][0] + 1, 1, "error", "no participant under "
                               "the header row; add a row per participant (participant, "
                               "version, then the answers)")]
    attempts: list[Attempt] = []
    seen: dict[str, int] = {}
    for line, cells in rows[1:]:
        attempt = _read_row(line, cells, columns, len(header), versions, seen, display,
                            problems)
        if attempt is not None:
            attempts.append(attempt)
    return attempts, problems


def _version_of(cell: str, versions: Mapping[str, list[PrintedQuestion]]) -> str | None:
    """A version letter written in Latin (either case) or Arabic letters."""
    cell = cell.strip()
    index = letter_index(cell) if len(cell) == 1 else None
    letter = chr(ord("A") + index) if index is not None else cell.upper()
    return letter if letter in versions else None


def _read_row(line: int, cells: list[str], columns: dict[str, int], width: int,
              versions: Mapping[str, list[PrintedQuestion]], seen: dict[str, int],
              display: str, problems: list[Diagnostic]) -> Attempt | None:
    """One row's attempt, or None when the row has errors (added to `problems`)."""
    before = len(problems)

    def error(col: int, message: str) -> None:
        problems.append(Diagnostic(display, line, col, "error", message))

    def cell(col: int) -> str:
        return cells[col - 1] if col <= len(cells) else ""  # spreadsheets drop empty tails

    if len(cells) > width and any(c.strip() for c in cells[width:]):
        error(width + 1, f"the row has {len(cells)} cells but the header has {width} "
              "columns; remove the extra cells or name their columns")
    p_col, v_col = columns["participant"], columns["version"]
    participant = cell(p_col).strip()
    if not participant:
        error(p_col, "the participant is empty; write the participant's id")
    elif participant == "?":
        error(p_col, "the participant's ID could not be read from the sheet; look it up in "
              "review.pdf, then write it here (or in corrections.csv and scan again)")
    elif participant in seen:
        error(p_col, f"participant '{participant}' is repeated (first on line "
              f"{seen[participant]}); keep one row per participant")
    else:
        seen[participant] = line
    version = _version_of(cell(v_col), versions)
    if version is None:
        known = ", ".join(versions)
        written = cell(v_col).strip()
        error(v_col, f"unknown version '{written}'; write the version printed on the "
              f"participant's paper ({known})" if written else
              f"the version is empty; write the version printed on the paper ({known})")
        return None
    answers: dict[str, Answer] = {}
    for pq in versions[version]:
        col = columns.get(str(pq.number))
        if col is None:
            continue  # reported once with the header
        try:
            answers[pq.qid] = parse_answer(pq, cell(col))
        except CellError as exc:
            error(col, f"question {pq.number} ({pq.qid}): {exc}")
    if len(problems) > before:
        return None
    return Attempt(participant, version, line, answers)
