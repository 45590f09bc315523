"""The grading report as a document: summary, score histogram, item scatter, flagged items."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from course.document import Chart, Document, Heading, Meta, Paragraph, Table, Text, Theme
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


def score_chart(result: GradeResult, labels: Mapping[str, Any]) -> Chart:
    """Participants per 10-point band of percent score, the pass mark drawn across."""
    mark = _pass_mark(result)
    return Chart("histogram", (), labels["band"], labels["count"],
                 bars=tuple(histogram([p.percent for p in result.scores])), marker=mark,
                 marker_label="" if mark is None else f"{labels['pass_mark']} {_num(mark)}")


def item_chart(result: GradeResult, labels: Mapping[str, Any]) -> Chart:
    """Facility against discrimination, one point per question, the flag zones shaded."""
    points = tuple((i.stat.facility, i.stat.discrimination, i.qid) for i in result.items
                   if i.stat.facility is not None and i.stat.discrimination is not None)
    # Discrimination runs from -100 to 100; show below zero only as far as an item goes.
    low = min([0.0, *(math.floor(y / 20) * 20 for _, y, _ in points)])
    zones = ((EASY, low, 100.0, 100.0), (0.0, low, HARD, 100.0), (0.0, low, 100.0, WEAK))
    return Chart("scatter", (), labels["facility"], labels["discrimination"], points=points,
                 zones=zones, x_range=(0.0, 100.0), y_range=(low, 100.0))


def _pass_mark(result: GradeResult) -> float | None:
    """The pass mark the scores were graded against, as grading recorded it."""
    value = dict(result.settings).get("pass_mark")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def report_document(result: GradeResult, quiz_title: str, lang: str, direction: str,
                    labels: Mapping[str, Any], meta: Meta, theme: Theme) -> Document:
    """A document for report.docx and report.pdf (charts as Chart blocks)."""
    s = result.summary
    summary = Table(
        ((Text(labels["measure"]),), (Text(labels["value"]),)),
        tuple(((Text(labels[key]),), (Text(value),)) for key, value in (
            ("participants", str(s.participants)), ("mean", _num(s.mean)),
            ("median", _num(s.median)), ("alpha", _num(s.stat.alpha)),
            ("error_ratio", _num(s.stat.error_ratio)),
            ("standard_error", _num(s.stat.standard_error)))),
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
        Heading(1, (Text(labels["histogram"]),), anchor="histogram"),
        score_chart(result, labels),
        Heading(1, (Text(labels["item_analysis"]),), anchor="items"),
        item_chart(result, labels),
        Paragraph((Text(labels["flags_note"]),), "small"), items,
    )
    meta = replace(meta, title_lines=(labels["grade_report"], *meta.title_lines))
    return Document("grade-report", lang, direction, quiz_title, meta, blocks,  # type: ignore[arg-type]
                    theme)
