"""CSV cells safe to open in a spreadsheet: text that would run as a formula is made inert.

As OWASP advises against CSV injection: a cell beginning with =, +, -, @, a tab or a
carriage return (after any spaces; full-width forms too) gets a leading single quote,
which spreadsheets show as text. Numbers such as -12.5 stay numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")  # full-width = + - @ too
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: object) -> str:
    """One cell as text, inert in a spreadsheet."""
    text = "" if value is None else str(value)
    start = text.lstrip(" ")[:1]
    if start in TRIGGERS and not _NUMBER.fullmatch(text.strip(" ")):
        return "'" + text
    return text


def plain_cell(text: str) -> str:
    """The cell as it was before safe_cell (for reading back a CSV this program wrote)."""
    if text.startswith("'") and text[1:].lstrip(" ")[:1] in TRIGGERS:
        return text[1:]
    return text


def safe_rows(rows: Iterable[Sequence[object]]) -> list[list[str]]:
    """Every cell of every row made safe."""
    return [[safe_cell(cell) for cell in row] for row in rows]
