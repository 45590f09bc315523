"""corrections.csv: answers a person typed after review, applied on every run."""

from __future__ import annotations

from pathlib import Path

from course.errors import Diagnostic
from course.quiz.responses import decode, read_rows
from course.scan.collate import Quiz, Row

HEADER = "participant,version,number,answer,quiz\n"
WHO = "participant"  # the number that sets a sheet's participant ID


def ensure(path: Path) -> None:
    """Start the file with its header when it does not exist; never touch it otherwise."""
    if not path.exists():
        path.write_text(HEADER, encoding="utf-8")


def apply(path: Path, display: str, rows: dict[Quiz, list[Row]]) -> list[Diagnostic]:
    """Apply every correction to the rows; a correction that fits no sheet is a warning."""
    if not path.is_file():
        return []
    problems: list[Diagnostic] = []
    text = decode(path.read_bytes())
    if text is None:
        return [Diagnostic(display, 1, 1, "warning", "the file is not UTF-8 text; save it as "
                           "'CSV UTF-8' (no correction was applied)")]
    table = read_rows(text)
    if not table:
        return []
    names = [c.strip().lower() for c in table[0][1]]
    missing = [n for n in ("participant", "version", "number", "answer") if n not in names]
    if missing:
        return [Diagnostic(display, 1, 1, "warning", f"missing column '{missing[0]}'; the "
                           "header row is participant,version,number,answer[,quiz]")]
    col = {n: names.index(n) for n in names}
    for line, cells in table[1:]:
        def get(name: str, cells: list[str] = cells) -> str:
            index = col.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        problem = _apply_one(get("participant"), get("version").upper(), get("number"),
                             get("answer"), get("quiz"), rows)
        if problem is not None:
            column, message = problem
            problems.append(Diagnostic(display, line, col[column] + 1 if column in col else 1,
                                       "warning", message))
    return problems


def _apply_one(who: str, version: str, number: str, answer: str, quiz: str,
               rows: dict[Quiz, list[Row]]) -> tuple[str, str] | None:
    """Apply one correction, or say (column, message) why it fits no sheet."""
    matches = [(q, r) for q, quiz_rows in rows.items() for r in quiz_rows
               if (who == r.participant or who in r.sources) and version == r.version
               and quiz in {"", q[1]}]
    if not matches:
        return "participant", (f"no scanned sheet of participant '{who}' with version "
                               f"'{version}'; write the participant (or the sheet's source) "
                               "and version as responses.csv shows them")
    if len({q for q, _ in matches}) > 1:
        return "participant", (f"participant '{who}' has sheets in "
                               f"{len({q for q, _ in matches})} quizzes; add a quiz column "
                               "naming the module id or 'final'")
    for _, row in matches:
        if number == WHO:
            row.participant = answer or "?"
        elif number.isdigit() and 1 <= int(number) <= row.count:
            row.cells[int(number)] = answer
            row.settled.discard(int(number))
        else:
            return "number", (f"no question '{number}' in version {version}; write a printed "
                              f"number from 1 to {row.count}, or 'participant' to set the ID")
    return None
