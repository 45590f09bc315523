"""The print record: everything needed to grade and scan each printed version, as printed.

`printed.json` (format 1) is written beside every printed quiz's keys.csv; each distinct
record is also kept as `printed-<12 hex>.json`, which no build deletes, so that papers
already handed out stay gradable after the content changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from course.content.model import RTL_LANGS, Choice, Course, Pair, Question
from course.quiz.scoring import format_number
from course.quiz.sheet import SheetPage, layout
from course.quiz.versions import PrintedQuestion, QuizItem, all_versions

FORMAT = 1
SHORT_DIGEST = 12


def question_digest(q: Question, lang: str) -> str:
    """A digest of a question as it prints in a language: its texts, answers and points."""
    data = q.model_dump(mode="json", exclude={"level", "objective", "explanation", "source"})
    return hashlib.sha256(json.dumps([lang, data], sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()


def _question_entry(pq: PrintedQuestion, lang: str) -> dict[str, Any]:
    q = pq.question
    entry: dict[str, Any] = {"number": pq.number, "id": pq.qid, "type": q.type,
                             "points": format_number(q.points, 6), "key": pq.key}
    if q.type in {"single", "multiple"}:
        entry["choices"] = list(pq.choice_order)
        entry["correct"] = [i for i, c in enumerate(q.choices or []) if c.correct]
    elif q.type == "matching":
        entry["rights"] = list(pq.choice_order)
    elif q.type == "ordering":
        entry["items"] = list(pq.choice_order)
    elif q.type == "true_false":
        entry["answer"] = bool(q.answer)
    else:
        entry["accept"] = sorted({text for a in q.accept or [] for text in a.values()})
    entry["digest"] = question_digest(q, lang)
    return entry


def canonical(data: Mapping[str, Any]) -> bytes:
    """The bytes the digest is taken over: sorted keys, no digest field, UTF-8."""
    body = {k: v for k, v in data.items() if k != "digest"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def build_record(quiz: str, lang: str, course_version: str, seed: int, variants: int,
                 paper: str, id_digits: int, versions: Mapping[str, list[PrintedQuestion]],
                 pages: Mapping[str, list[SheetPage]]) -> dict[str, Any]:
    """The record of one quiz in one language, with its digest."""
    record: dict[str, Any] = {
        "format": FORMAT, "quiz": quiz, "lang": lang, "course_version": course_version,
        "seed": seed, "variants": variants, "paper": paper, "id_digits": id_digits,
        "versions": {letter: {"questions": [_question_entry(pq, lang) for pq in printed],
                              "pages": [p.as_record() for p in pages[letter]]}
                     for letter, printed in versions.items()},
    }
    record["digest"] = hashlib.sha256(canonical(record)).hexdigest()
    return record


def record_text(record: Mapping[str, Any]) -> str:
    """The record as written: indented, sorted, stable."""
    return json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def record_names(quiz: str) -> tuple[str, str]:
    """The latest record's file name and the kept copies' prefix, relative to OUT/<lang>."""
    if quiz == "final":
        return "final-exam-printed.json", "final-exam-printed-"
    return f"{quiz}/printed.json", f"{quiz}/printed-"


def kept_name(quiz: str, digest: str) -> str:
    """The kept copy of one record, relative to OUT/<lang>."""
    return f"{record_names(quiz)[1]}{digest[:SHORT_DIGEST]}.json"


class RecordError(ValueError):
    """A record file that cannot be used; the message says why."""


def load_record(path: Path) -> dict[str, Any]:
    """A record read from disk, its format and digest checked."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RecordError(f"cannot read the print record {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RecordError(f"{path} is not a format-{FORMAT} coursegen print record")
    if hashlib.sha256(canonical(data)).hexdigest() != data.get("digest"):
        raise RecordError(f"{path} was changed after it was written (its digest does not "
                          "match); rebuild, or restore the file")
    return data


def find_records(printed_dir: Path) -> dict[str, Path]:
    """Every kept record under a build output folder: 12-hex digest prefix -> file."""
    found: dict[str, Path] = {}
    for path in sorted(printed_dir.glob("*/*printed-*.json")) + \
            sorted(printed_dir.glob("*/*/printed-*.json")):
        prefix = path.stem.rsplit("-", 1)[-1]
        if len(prefix) == SHORT_DIGEST and all(c in "0123456789abcdef" for c in prefix):
            found[prefix] = path
    return found


def latest_record(printed_dir: Path, lang: str, quiz: str) -> Path:
    """The path of the latest record of a quiz in a language (it may not exist)."""
    return printed_dir / lang / record_names(quiz)[0]


def _question(entry: Mapping[str, Any]) -> Question:
    """A question rebuilt from its record entry: enough to score it, no texts."""
    kind = entry["type"]
    fields: dict[str, Any] = {"id": entry["id"], "type": kind, "objective": "",
                              "points": float(entry["points"]), "stem": {}, "explanation": {},
                              "source": [], "level": None, "choices": None, "answer": None,
                              "pairs": None, "sequence": None, "accept": None}
    if kind in {"single", "multiple"}:
        correct = set(entry["correct"])
        fields["choices"] = [Choice.model_construct(text={}, correct=i in correct,
                                                    feedback=None, pinned=False)
                             for i in range(len(entry["choices"]))]
    elif kind == "true_false":
        fields["answer"] = bool(entry["answer"])
    elif kind == "matching":
        fields["pairs"] = [Pair.model_construct(left={}, right={})
                           for _ in entry["rights"]]
    elif kind == "ordering":
        fields["sequence"] = [{} for _ in entry["items"]]
    else:
        fields["accept"] = [{"any": text} for text in entry["accept"]]
    return Question.model_construct(**fields)


def printed_versions(record: Mapping[str, Any]) -> dict[str, list[PrintedQuestion]]:
    """Each version's questions as printed, rebuilt from the record alone."""
    versions: dict[str, list[PrintedQuestion]] = {}
    for letter, version in record["versions"].items():
        printed = []
        for entry in version["questions"]:
            order = tuple(entry.get("choices") or entry.get("rights") or entry.get("items")
                          or ())
            printed.append(PrintedQuestion(int(entry["number"]), entry["id"],
                                           _question(entry), order, entry["key"]))
        versions[letter] = printed
    return versions


def quiz_record(items: Sequence[QuizItem], quiz: str, lang: str, course: Course, seed: int,
                variants: int) -> dict[str, Any]:
    """The record of a quiz (module id or `final`) as a build prints it."""
    rtl = lang in RTL_LANGS
    versions = all_versions(items, variants, seed, lang)
    pages = {letter: layout(printed, course.theme.paper, rtl, course.quiz.id_digits)
             for letter, printed in versions.items()}
    return build_record(quiz, lang, course.version, seed, variants, course.theme.paper,
                        course.quiz.id_digits, versions, pages)


def qr_text(record: Mapping[str, Any], version: str, page: int) -> str:
    """What the QR code of one page says: quiz, language, version, page, record digest."""
    return (f"coursegen:{FORMAT}:{record['quiz']}:{record['lang']}:{version}:{page}:"
            f"{record['digest'][:SHORT_DIGEST]}")
