"""Grading a printed quiz: read responses, score them, item statistics, CSV reports."""

from __future__ import annotations

import csv
import io
import os
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from course.content.model import Question, QuizSettings
from course.errors import ContentError
from course.quiz.csv_safe import safe_rows
from course.quiz.itemstats import ItemStat, QuizStat, item_stats, quiz_stat
from course.quiz.responses import Attempt, read_responses
from course.quiz.scoring import Answer, format_number, score_attempt
from course.quiz.versions import LATIN, PrintedQuestion, QuizItem, all_versions


@dataclass(frozen=True)
class ParticipantScore:
    """One participant's result."""

    participant: str
    version: str
    points: float
    max_points: float
    percent: float
    passed: bool


@dataclass(frozen=True)
class ItemReport:
    """One question's statistics and how often each authored choice was chosen."""

    qid: str
    type: str
    stat: ItemStat
    blank: int
    choice_counts: tuple[int, ...]  # by authored choice, single and multiple only


@dataclass(frozen=True)
class Summary:
    """Quiz-level figures: mean and median points, reliability."""

    participants: int
    mean: float | None
    median: float | None
    stat: QuizStat


@dataclass(frozen=True)
class GradeResult:
    """Everything grading found, for the CSV files and the report document."""

    scores: list[ParticipantScore]
    items: list[ItemReport]
    summary: Summary
    marks: dict[str, dict[str, float]]  # participant -> question id -> points
    # How it was graded, for summary.csv and the report: (setting, value) pairs.
    settings: tuple[tuple[str, str], ...] = ()


def grade_responses(data: bytes, display: str, questions: Sequence[QuizItem],
                    settings: QuizSettings) -> GradeResult:
    """Score a responses CSV against versions computed from the settings (typed papers)."""
    versions = all_versions(questions, settings.variants, settings.seed)
    return grade_printed(data, display, versions, settings)


def grade_printed(data: bytes, display: str, versions: Mapping[str, list[PrintedQuestion]],
                  settings: QuizSettings, drops: Sequence[str] = (),
                  alternatives: Mapping[str, Sequence[Answer]] | None = None) -> GradeResult:
    """Score a responses CSV against the versions as printed; ContentError lists problems.

    Dropped questions count for nobody; an alternative answer earns the question's points.
    """
    attempts, problems = read_responses(data, display, versions)
    if problems:
        raise ContentError(problems)
    first = next(iter(versions.values()), [])
    by_id = {pq.qid: pq.question for pq in first if pq.qid not in drops}
    return score_attempts(attempts, by_id, settings, alternatives)


def score_attempts(attempts: Sequence[Attempt], questions: dict[str, Question],
                   settings: QuizSettings,
                   alternatives: Mapping[str, Sequence[Answer]] | None = None) -> GradeResult:
    """Scores, item statistics and summary of parsed attempts."""
    max_points = sum(q.points for q in questions.values())
    scores: list[ParticipantScore] = []
    marks: dict[str, dict[str, float]] = {}
    for attempt in attempts:
        item_marks, total = score_attempt(questions, attempt.answers, settings, alternatives)
        marks[attempt.participant] = item_marks
        percent = 100 * total / max_points if max_points else 0.0
        # Rounding first keeps 59.999999... from failing a pass mark of 60.
        passed = round(percent, 9) >= settings.pass_mark
        scores.append(ParticipantScore(attempt.participant, attempt.version, total,
                                       max_points, percent, passed))
    qids = list(questions)
    matrix = [[marks[a.participant][qid] for qid in qids] for a in attempts]
    stats = item_stats(matrix, [questions[qid].points for qid in qids])
    items = [_item_report(qid, questions[qid], stat, attempts)
             for qid, stat in zip(qids, stats, strict=True)]
    totals = [s.points for s in scores]
    summary = Summary(len(scores), statistics.mean(totals) if totals else None,
                      statistics.median(totals) if totals else None, quiz_stat(matrix))
    return GradeResult(scores, items, summary, marks)


def _item_report(qid: str, q: Question, stat: ItemStat, attempts: Sequence[Attempt]
                 ) -> ItemReport:
    answers = [a.answers.get(qid) for a in attempts]
    counts: tuple[int, ...] = ()
    if q.type in {"single", "multiple"}:
        counts = tuple(sum(1 for ans in answers if isinstance(ans, frozenset) and i in ans)
                       for i in range(len(q.choices or [])))
    return ItemReport(qid, q.type, stat, sum(1 for ans in answers if ans is None), counts)


def _num(value: float | None) -> str:
    return "" if value is None else format_number(value)


def scores_rows(result: GradeResult) -> list[list[str]]:
    """scores.csv: participant, version, points, max_points, percent, passed."""
    rows = [["participant", "version", "points", "max_points", "percent", "passed"]]
    rows += [[s.participant, s.version, _num(s.points), _num(s.max_points), _num(s.percent),
              "yes" if s.passed else "no"] for s in result.scores]
    return rows


def items_rows(result: GradeResult) -> list[list[str]]:
    """items.csv: Moodle's item statistics, blanks and counts per authored choice letter."""
    width = max((len(i.choice_counts) for i in result.items), default=0)
    rows = [["question", "facility", "sd", "discrimination", "discriminative_efficiency",
             "blank"] + [f"choice_{LATIN[i]}" for i in range(width)]]
    for item in result.items:
        s = item.stat
        counts = [str(c) for c in item.choice_counts]
        rows.append([item.qid, _num(s.facility), _num(s.sd), _num(s.discrimination),
                     _num(s.efficiency), str(item.blank)] + counts
                    + [""] * (width - len(counts)))
    return rows


def summary_rows(result: GradeResult) -> list[list[str]]:
    """summary.csv: the figures, then how the quiz was graded (setting, value) rows."""
    s = result.summary
    rows = [["participants", "mean", "median", "cronbach_alpha", "error_ratio",
             "standard_error"],
            [str(s.participants), _num(s.mean), _num(s.median), _num(s.stat.alpha),
             _num(s.stat.error_ratio), _num(s.stat.standard_error)]]
    if result.settings:
        rows += [[], ["setting", "value"]] + [[k, v] for k, v in result.settings]
    return rows


def write_csv(path: Path, rows: Sequence[Sequence[str]]) -> None:
    """Write a CSV atomically: a temporary name in the same folder, then a rename."""
    buffer = io.StringIO()
    # Participant ids, names and question ids come from outside: no cell runs as a formula.
    csv.writer(buffer, lineterminator="\n").writerows(safe_rows(rows))
    tmp = path.with_name(f".{path.name}.tmp")
    # A BOM, so spreadsheet programs open Arabic names as UTF-8.
    tmp.write_text(buffer.getvalue(), encoding="utf-8-sig")
    os.replace(tmp, path)


def write_results(result: GradeResult, out_dir: Path) -> list[Path]:
    """Write scores.csv, items.csv and summary.csv into out_dir; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in (("scores.csv", scores_rows(result)), ("items.csv", items_rows(result)),
                       ("summary.csv", summary_rows(result))):
        write_csv(out_dir / name, rows)
        written.append(out_dir / name)
    return written


def grade(csv_path: Path, questions: Sequence[QuizItem], settings: QuizSettings,
          out_dir: Path, display: str | None = None) -> GradeResult:
    """Grade a responses file and write the CSV reports; nothing is written on errors."""
    result = grade_responses(csv_path.read_bytes(), display or str(csv_path), questions,
                             settings)
    write_results(result, out_dir)
    return result
