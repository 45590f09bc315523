"""The grading report as a document: summary, score histogram, flagged item table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from course.document import Document, Heading, Meta, Paragraph, Table, Text, Theme
from course.quiz.grading import GradeResult
from course.quiz.scoring import format_number

EASY, HARD, WEAK = 90.0, 20.0, 20.0  # facility over/under, discrimination under (percent)
BANDS = 10


def _num(value: float | None) -> str:
    return "" if value is None else format_number(round(value, 2))


def flags(facility: float | None, discrimination: float | None,
          labels: Mapping[str, Any]) -> str:
    """The at-a-glance warnings of one item."""
    found = []
    if facility is not None and facility > EASY:
        found.append(labels["too_easy"])
    if facility is not None and facility < HARD:
        found.append(labels["too_hard"])
    if discrimination is not None and discrimination < WEAK:
        found.append(labels["weak_discrimination"])
    return labels["list_sep"].join(found)


def histogram(percents: list[float]) -> list[tuple[str, int]]:
    """Participants per 10-point band of percent score (100 falls in the last band)."""
    counts = [0] * BANDS
    for p in percents:
        counts[min(BANDS - 1, max(0, int(p // (100 / BANDS))))] += 1
    width = 100 // BANDS
    return [(f"{i * width}–{(i + 1) * width}", n) for i, n in enumerate(counts)]


def report_document(result: GradeResult, quiz_title: str, lang: str, direction: str,
                    labels: Mapping[str, Any], meta: Meta, theme: Theme) -> Document:
    """A document for report.docx and report.pdf."""
    s = result.summary
    summary = Table(
        ((Text(labels["measure"]),), (Text(labels["value"]),)),
        tuple(((Text(labels[key]),), (Text(value),)) for key, value in (
            ("participants", str(s.participants)), ("mean", _num(s.mean)),
            ("median", _num(s.median)), ("alpha", _num(s.stat.alpha)),
            ("error_ratio", _num(s.stat.error_ratio)),
            ("standard_error", _num(s.stat.standard_error)))),
    )
    bars = Table(
        ((Text(labels["band"]),), (Text(labels["count"]),), (Text(""),)),
        tuple(((Text(band),), (Text(str(n)),), (Text("|" * n),))
              for band, n in histogram([p.percent for p in result.scores])),
        (1.0, 1.0, 3.0),
    )
    items = Table(
        tuple((Text(labels[k]),) for k in ("question_number", "facility", "sd",
                                            "discrimination", "flags")),
        tuple(((Text(i.qid),), (Text(_num(i.stat.facility)),), (Text(_num(i.stat.sd)),),
               (Text(_num(i.stat.discrimination)),),
               (Text(flags(i.stat.facility, i.stat.discrimination, labels)),))
              for i in result.items),
        (1.2, 1.0, 1.0, 1.0, 2.0),
    )
    blocks = (
        Heading(1, (Text(labels["summary_stats"]),), anchor="summary"), summary,
        Heading(1, (Text(labels["histogram"]),), anchor="histogram"), bars,
        Heading(1, (Text(labels["item_analysis"]),), anchor="items"),
        Paragraph((Text(labels["flags_note"]),), "small"), items,
    )
    meta = replace(meta, title_lines=(labels["grade_report"], *meta.title_lines))
    return Document("grade-report", lang, direction, quiz_title, meta, blocks,  # type: ignore[arg-type]
                    theme)
