"""Grading as printed: which print record a responses file names, and key corrections.

`grade` never recomputes a shuffle from today's content: it finds the record the papers
were printed from, warns about questions edited since, and applies the trainer's
after-exam corrections (`--drop`, `--accept`) to that record's questions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from course.content.model import Question, QuizSettings
from course.errors import CoursegenError
from course.quiz.record import (
    SHORT_DIGEST,
    RecordError,
    find_records,
    latest_record,
    load_record,
    printed_versions,
    question_digest,
)
from course.quiz.responses import CellError, decode, parse_answer, read_rows
from course.quiz.scoring import Answer, format_number


def named_records(data: bytes) -> list[tuple[int, str]]:
    """The (line, digest) of every row that names its record in a `record` column."""
    text = decode(data)
    rows = read_rows(text) if text is not None else []
    if not rows:
        return []
    header = [c.strip().lower() for c in rows[0][1]]
    if "record" not in header:
        return []
    col = header.index("record")
    return [(line, cells[col].strip().lower()) for line, cells in rows[1:]
            if col < len(cells) and cells[col].strip()]


def select_record(printed_dir: Path, quiz: str, lang: str, wanted: str | None,
                  named: Sequence[tuple[int, str]]) -> dict[str, Any]:
    """The record to grade against: named by the rows, by --record, or the latest."""
    digests = {d for _, d in named}
    if len(digests) > 1:
        lines = {}
        for line, digest in named:
            lines.setdefault(digest, line)
        listed = ", ".join(f"{d} on line {n}" for d, n in sorted(lines.items(),
                                                                  key=lambda i: i[1]))
        raise CoursegenError(f"the rows name different print records ({listed}); grade each "
                             "record's rows from a file of their own")
    choice = (next(iter(digests)) if digests else None) or (wanted or "").lower() or None
    try:
        if choice is None:
            path = latest_record(printed_dir, lang, quiz)
            if not path.is_file():
                raise CoursegenError(
                    f"no print record of quiz '{quiz}' in '{lang}' under {printed_dir}; build "
                    f"the quiz first (coursegen build), or give --printed the output folder "
                    "of the build that printed the papers")
            record = load_record(path)
        else:
            kept = find_records(printed_dir)
            matches = [p for prefix, p in kept.items() if prefix.startswith(choice[:SHORT_DIGEST])
                       and len(choice) >= 6]
            if len(matches) != 1:
                raise CoursegenError(
                    f"no print record '{choice}' under {printed_dir}; known records: "
                    f"{', '.join(sorted(kept)) or 'none'}")
            record = load_record(matches[0])
    except RecordError as exc:
        raise CoursegenError(str(exc)) from None
    if record.get("quiz") != quiz or record.get("lang") != lang:
        raise CoursegenError(f"print record {record['digest'][:SHORT_DIGEST]} is of quiz "
                             f"'{record.get('quiz')}' in '{record.get('lang')}', not '{quiz}' "
                             f"in '{lang}'; give --quiz and --lang as printed")
    return record


def edited_since(record: Mapping[str, Any], today: Mapping[str, Question]) -> list[str]:
    """A warning per printed question edited or removed since it was printed."""
    warnings = []
    for entry in next(iter(record["versions"].values()))["questions"]:
        q = today.get(entry["id"])
        if q is None:
            warnings.append(f"question '{entry['id']}' is no longer in the content; graded as "
                            "printed")
        elif question_digest(q, record["lang"]) != entry["digest"]:
            warnings.append(f"question '{entry['id']}' was edited after the papers were "
                            "printed; graded as printed")
    return warnings


def corrections(record: Mapping[str, Any], drops: Sequence[str], accepts: Sequence[str]
                ) -> dict[str, list[Answer]]:
    """Check --drop ids and parse --accept ID=ANSWER (version A's letters)."""
    first = printed_versions(record)["A"]
    by_id = {pq.qid: pq for pq in first}
    known = ", ".join(by_id)
    for qid in drops:
        if qid not in by_id:
            raise CoursegenError(f"--drop {qid}: no such question in the printed quiz; use "
                                 f"one of: {known}")
    alternatives: dict[str, list[Answer]] = {}
    for item in accepts:
        qid, sep, answer = item.partition("=")
        qid = qid.strip()
        if not sep or qid not in by_id:
            raise CoursegenError(f"--accept {item}: write ID=ANSWER with a question id of the "
                                 f"printed quiz ({known}) and an answer in version A's letters")
        try:
            parsed = parse_answer(by_id[qid], answer)
        except CellError as exc:
            raise CoursegenError(f"--accept {item}: {exc}") from None
        alternatives.setdefault(qid, []).append(parsed)
    return alternatives


def grading_settings(record: Mapping[str, Any], settings: QuizSettings, drops: Sequence[str],
                     accepts: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """How a quiz was graded, as summary.csv states it."""
    return (("record", record["digest"][:SHORT_DIGEST]), ("seed", str(record["seed"])),
            ("variants", str(record["variants"])),
            ("pass_mark", format_number(settings.pass_mark)),
            ("multiple_rule", settings.multiple_rule),
            ("partial_matching", "yes" if settings.partial_matching else "no"),
            ("partial_ordering", "yes" if settings.partial_ordering else "no"),
            ("negative_single", format_number(settings.negative_single)),
            ("dropped", " ".join(drops)), ("accepted", " ".join(accepts)))
