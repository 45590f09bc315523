"""Moodle's item statistics on tiny score matrices, computed by hand in the comments."""

from __future__ import annotations

import math

import pytest

from course.quiz.itemstats import item_stat, item_stats, quiz_stat

# Four attempts, three 1-point items; rows are attempts.
#        item1 item2 item3   total X
# P1       1     0     1       2
# P2       1     1     1       3
# P3       0     1     0       1
# P4       0     0     1       1
MIXED = [[1, 0, 1], [1, 1, 1], [0, 1, 0], [0, 0, 1]]


def test_item_that_discriminates() -> None:
    # x = [1,1,0,0], mean 1/2, var = 4 x 1/4 / 3 = 1/3.
    # Y = X - x = [1,2,1,1], mean 5/4, var = (1/16 + 9/16 + 1/16 + 1/16) / 3 = 1/4.
    # cov = (1/2)(-1/4) + (1/2)(3/4) + (-1/2)(-1/4) + (-1/2)(-1/4) = 1/2, / 3 = 1/6.
    # DI = 100 (1/6) / sqrt(1/3 x 1/4) = 100 sqrt(12) / 6 = 57.735...
    # Sorted x [0,0,1,1], sorted Y [1,1,1,2]: the same pairing, covmax = 1/6, DE = 100.
    stat = item_stats(MIXED, [1, 1, 1])[0]
    assert stat.facility == 50
    assert stat.sd == pytest.approx(100 / math.sqrt(3))  # 57.735
    assert stat.discrimination == pytest.approx(100 * math.sqrt(12) / 6)
    assert stat.efficiency == pytest.approx(100)


def test_item_that_discriminates_the_wrong_way() -> None:
    # x = [0,1,1,0], mean 1/2, var 1/3. Y = [2,2,0,1], mean 5/4,
    # var = (9/16 + 9/16 + 25/16 + 1/16) / 3 = 11/12.
    # cov = (-1/2)(3/4) + (1/2)(3/4) + (1/2)(-5/4) + (-1/2)(-1/4) = -1/2, / 3 = -1/6.
    # DI = 100 (-1/6) / sqrt(1/3 x 11/12) = -100 / sqrt(11) = -30.15.
    # Sorted x [0,0,1,1], sorted Y [0,1,2,2]: cov = (5/8 + 1/8 + 3/8 + 3/8) / 3 = 1/2,
    # DE = 100 (-1/6) / (1/2) = -33.33.
    stat = item_stats(MIXED, [1, 1, 1])[1]
    assert stat.facility == 50
    assert stat.discrimination == pytest.approx(-100 / math.sqrt(11))
    assert stat.efficiency == pytest.approx(-100 / 3)


def test_item_unrelated_to_the_rest() -> None:
    # x = [1,1,0,1], mean 3/4, var = (3 x 1/16 + 9/16) / 3 = 1/4: SD 50 %.
    # Y = [1,2,1,0], mean 1: cov = 0 + (1/4)(1) + 0 + (1/4)(-1) = 0, so DI = DE = 0.
    stat = item_stats(MIXED, [1, 1, 1])[2]
    assert (stat.facility, stat.sd) == (75, pytest.approx(50))
    assert stat.discrimination == 0
    assert stat.efficiency == 0


def test_marks_are_shown_as_shares_of_the_item_maximum() -> None:
    # The same item worth 2 points: x = [2,2,0,0], totals doubled for it.
    stat = item_stat([2, 2, 0, 0], [3, 4, 1, 1], 2)
    assert stat.facility == 50  # mean 1 of 2
    assert stat.sd == pytest.approx(100 * math.sqrt(4 / 3) / 2)  # var 4/3, SD 1.1547 of 2


def test_undefined_statistics_are_none() -> None:
    # Everyone right: var(x) = 0, so DI's denominator is 0 and covmax is 0.
    stat = item_stat([1, 1, 1], [3, 2, 1], 1)
    assert (stat.facility, stat.sd, stat.discrimination, stat.efficiency) == (100, 0, None, None)
    # One attempt: no variance at all.
    assert item_stat([1], [1], 1).sd is None
    assert item_stat([], [], 1).facility is None


def test_cronbach_alpha_error_ratio_standard_error() -> None:
    # P1 [1,1,1] 3, P2 [1,1,0] 2, P3 [1,0,0] 1, P4 [0,0,0] 0.
    # Item variances 1/4, 1/3, 1/4: sum 5/6. X = [3,2,1,0], var = (9/4+1/4+1/4+9/4)/3 = 5/3.
    # alpha = 100 x 3/2 x (1 - (5/6)/(5/3)) = 75; error ratio = 100 sqrt(1 - 0.75) = 50;
    # standard error = 50 x sqrt(5/3) / 100 = 0.6455.
    stat = quiz_stat([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]])
    assert stat.alpha == pytest.approx(75)
    assert stat.error_ratio == pytest.approx(50)
    assert stat.standard_error == pytest.approx(0.5 * math.sqrt(5 / 3))
    # MIXED: item variances 1/3 + 1/3 + 1/4 = 11/12 = var(X), so alpha = 0, ratio 100.
    mixed = quiz_stat(MIXED)
    assert mixed.alpha == pytest.approx(0)
    assert mixed.error_ratio == pytest.approx(100)
    # A single item or a constant total leaves alpha undefined.
    assert quiz_stat([[1], [0]]).alpha is None
    assert quiz_stat([[1, 0], [0, 1]]).alpha is None
