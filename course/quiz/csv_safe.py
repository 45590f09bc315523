"""CSV at the program's edge: cells written inert, and files read back as they were meant.

As OWASP advises against CSV injection: a cell beginning with =, +, -, @, a tab or a
carriage return (after any spaces; full-width forms too) gets a leading single quote,
which spreadsheets show as text. Numbers such as -12.5 stay numbers. Reading takes the
quote off again, and says where a file is not CSV text at all.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")  # full-width = + - @ too
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _needs_quote(text: str) -> bool:
    """A formula start, or a quote before one: so that plain_cell undoes safe_cell exactly."""
    if text.startswith("'"):
        return _needs_quote(text[1:])
    return text.lstrip(" ")[:1] in TRIGGERS and not _NUMBER.fullmatch(text.strip(" "))


def safe_cell(value: object) -> str:
    """One cell as text, inert in a spreadsheet."""
    text = "" if value is None else str(value)
    return "'" + text if _needs_quote(text) else text


def plain_cell(text: str) -> str:
    """The cell as it was before safe_cell (for reading back a CSV this program wrote).

    Exactly the inverse: the quote goes only where safe_cell puts one, so "'-12" (which
    safe_cell never writes, -12 being a number) keeps its quote, and "''=x" is "'=x".
    """
    return text[1:] if text.startswith("'") and _needs_quote(text[1:]) else text


def safe_rows(rows: Iterable[Sequence[object]]) -> list[list[str]]:
    """Every cell of every row made safe."""
    return [[safe_cell(cell) for cell in row] for row in rows]


def decode(data: bytes) -> str | None:
    """The text of a CSV file, UTF-8 with or without BOM; None if it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


# Files people save from a spreadsheet by mistake, told apart by their first bytes.
_NOT_CSV = ((b"PK\x03\x04", "the file is a spreadsheet workbook (.xlsx or .ods), not CSV"),
            (b"\xd0\xcf\x11\xe0", "the file is an Excel 97 workbook (.xls), not CSV"),
            (b"\xff\xfe", "the file is UTF-16 text"), (b"\xfe\xff", "the file is UTF-16 text"))


def text_problem(data: bytes, text: str | None) -> tuple[int, int, str] | None:
    """Why a file is not CSV text, and where: (line, column, message); None when it is."""
    if text is not None and "\x00" not in text:
        return None
    saved = "; save it as 'CSV UTF-8'"
    for magic, what in _NOT_CSV:
        if data.startswith(magic):
            return 1, 1, what + saved
    if text is None:
        return 1, 1, "the file is not UTF-8 text" + saved
    before = text[:text.index("\x00")]
    line = before.count("\n") + 1
    return line, len(before) - before.rfind("\n"), "a NUL character: this is not CSV text" + saved


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most."""
    header = next((line for line in io.StringIO(text) if line.strip()), "")
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


Rows = list[tuple[int, list[str]]]


def read_table(text: str) -> tuple[Rows, tuple[int, str] | None]:
    """Non-blank CSV rows with the line each starts on, cells as before safe_cell, and
    (line, message) of a row the CSV reader cannot read (the rows before it are kept).

    Files this program wrote (responses.csv) carry a quote before a cell that would run as
    a formula; it is taken off here, so the cell means what it meant before it was written.
    """
    # newline="": a line may end in CR alone (old Mac files), CRLF or LF.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows: Rows = []
    start = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((start, [plain_cell(c) for c in cells]))
            start = reader.line_num + 1  # a quoted cell may span lines
    except csv.Error as exc:
        limit = csv.field_size_limit()
        reason = (f"a cell is longer than {limit} characters; close the quote opened on "
                  "this line, or shorten the cell") if "field limit" in str(exc) else str(exc)
        return rows, (start, reason)
    if rows and _unclosed(text, rows[-1][0], reader.dialect.delimiter):
        # A stray quote swallows the rest of the file into one cell: say so, not what the
        # swallowed cell fails to be.
        return rows[:-1], (rows[-1][0], "a quote opened on this line is never closed; close "
                           "it, or remove it")
    return rows, None


def _unclosed(text: str, line: int, delimiter: str) -> bool:
    """Whether the file ends inside a quoted cell that starts on `line`."""
    tail = io.StringIO(text, newline="").readlines()[line - 1:]
    try:
        for _ in csv.reader(tail, delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False
