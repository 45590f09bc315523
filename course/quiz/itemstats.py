"""Item and quiz statistics, defined as Moodle's quiz statistics report defines them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# All variances and covariances divide by n - 1, as Moodle's do; None means undefined.


@dataclass(frozen=True)
class ItemStat:
    """One item's statistics, as percentages."""

    facility: float | None
    sd: float | None
    discrimination: float | None
    efficiency: float | None


@dataclass(frozen=True)
class QuizStat:
    """Reliability of the whole quiz: Cronbach's alpha, error ratio (percentages), SE."""

    alpha: float | None
    error_ratio: float | None
    standard_error: float | None


def mean(xs: Sequence[float]) -> float:
    """The arithmetic mean of a non-empty sequence."""
    return sum(xs) / len(xs)


def covariance(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Sample covariance (n - 1 denominator); None for fewer than two values."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = mean(xs), mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (n - 1)


def variance(xs: Sequence[float]) -> float | None:
    """Sample variance (n - 1 denominator); None for fewer than two values."""
    return covariance(xs, xs)


def item_stat(x: Sequence[float], totals: Sequence[float], max_mark: float) -> ItemStat:
    """Facility, SD, DI and DE of one item from each attempt's item mark and total mark."""
    if not x:
        return ItemStat(None, None, None, None)
    facility = 100 * mean(x) / max_mark
    var_x = variance(x)
    if var_x is None:
        return ItemStat(facility, None, None, None)
    sd = 100 * math.sqrt(var_x) / max_mark
    rest = [t - xi for t, xi in zip(totals, x, strict=True)]  # Y: the rest of the test
    cov = covariance(x, rest)
    var_rest = variance(rest)
    assert cov is not None and var_rest is not None
    product = var_x * var_rest
    discrimination = 100 * cov / math.sqrt(product) if product > 0 else None
    # The largest covariance these values allow: both sorted the same way.
    cov_max = covariance(sorted(x), sorted(rest))
    efficiency = 100 * cov / cov_max if cov_max else None
    return ItemStat(facility, sd, discrimination, efficiency)


def item_stats(marks: Sequence[Sequence[float]], max_marks: Sequence[float]) -> list[ItemStat]:
    """Statistics of every item; marks[attempt][item]."""
    totals = [sum(row) for row in marks]
    return [item_stat([row[i] for row in marks], totals, max_marks[i])
            for i in range(len(max_marks))]


def quiz_stat(marks: Sequence[Sequence[float]]) -> QuizStat:
    """Cronbach's alpha, error ratio and standard error of the quiz; marks[attempt][item]."""
    if not marks:
        return QuizStat(None, None, None)
    p = len(marks[0])
    totals = [sum(row) for row in marks]
    var_total = variance(totals)
    if p < 2 or not var_total:
        return QuizStat(None, None, None)
    item_vars = [variance([row[i] for row in marks]) or 0.0 for i in range(p)]
    alpha = 100 * p / (p - 1) * (1 - sum(item_vars) / var_total)
    error_ratio = 100 * math.sqrt(max(0.0, 1 - alpha / 100))
    standard_error = error_ratio * math.sqrt(var_total) / 100
    return QuizStat(alpha, error_ratio, standard_error)
