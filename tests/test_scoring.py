"""Scoring rules, hand-computed: multiple-answer rules, partial credit, negative marking."""

from __future__ import annotations

import pytest

from course.content.model import Question, QuizSettings
from course.quiz.scoring import format_number, question_fraction, score_attempt


def make(qid: str, qtype: str, points: float = 1, **answer: object) -> Question:
    """A question with just what scoring needs."""
    return Question.model_validate({
        "id": qid, "type": qtype, "objective": "o1", "points": points,
        "stem": {"fr": "?"}, "explanation": {"fr": "."}, "source": [{"para": 1, "anchor": "x"}],
        **answer,
    })


def choices(*correct: bool) -> list[dict[str, object]]:
    """Choices a, b, c, ... with the given correctness."""
    return [{"text": {"fr": chr(ord("a") + i)}, "correct": c} for i, c in enumerate(correct)]


# 2 right choices (a, b) and 3 wrong (c, d, e).
M5 = make("m5", "multiple", choices=choices(True, True, False, False, False))
# 2 right choices (a, b) and 1 wrong (c).
M3 = make("m3", "multiple", choices=choices(True, True, False))


@pytest.mark.parametrize(("chosen", "expected"), [
    ({0, 1}, 1.0),          # both right
    ({0}, 0.5),             # one of two right: 1/2
    ({0, 2}, 1 / 6),        # 1/2 - 1/3
    ({0, 1, 2}, 2 / 3),     # 1 - 1/3
    ({0, 2, 3}, 0.0),       # 1/2 - 2/3 < 0, clamped
    ({2}, 0.0),             # -1/3, clamped
])
def test_multiple_rule_false(chosen: set[int], expected: float) -> None:
    fraction = question_fraction(M5, frozenset(chosen), QuizSettings(multiple_rule="false"))
    assert fraction == pytest.approx(expected)


def test_multiple_rules_differ_with_one_wrong_choice() -> None:
    all_three = frozenset({0, 1, 2})
    # "false": the only wrong choice costs 1/1: 1 - 1 = 0.
    assert question_fraction(M3, all_three, QuizSettings(multiple_rule="false")) == 0.0
    # "false2": it costs 1/max(1, 2) = 1/2: 1 - 1/2.
    assert question_fraction(M3, all_three, QuizSettings(multiple_rule="false2")) == 0.5
    # "all": any wrong choice loses the question; without one, 1/2 per right choice.
    assert question_fraction(M3, all_three, QuizSettings(multiple_rule="all")) == 0.0
    assert question_fraction(M3, frozenset({0}), QuizSettings(multiple_rule="all")) == 0.5
    # With 3 wrong choices, "false" and "false2" agree: 1/max(3, 2) = 1/3.
    two = frozenset({0, 1, 2})
    assert question_fraction(M5, two, QuizSettings(multiple_rule="false2")) == pytest.approx(2 / 3)


def test_matching_and_ordering_partial_or_all_or_nothing() -> None:
    pairs = [{"left": {"fr": f"L{i}"}, "right": {"fr": f"R{i}"}} for i in range(3)]
    matching = make("mt", "matching", pairs=pairs)
    one_right = {0: 0, 1: 2, 2: 1}  # pair 1 right, 2 and 3 swapped
    assert question_fraction(matching, one_right, QuizSettings()) == pytest.approx(1 / 3)
    assert question_fraction(matching, one_right, QuizSettings(partial_matching=False)) == 0.0
    assert question_fraction(matching, {0: 0, 1: 1, 2: 2},
                             QuizSettings(partial_matching=False)) == 1.0
    ordering = make("or", "ordering", sequence=[{"fr": w} for w in "wxyz"])
    # Items 1 and 2 in place, 3 and 4 swapped: 2 of 4.
    assert question_fraction(ordering, (0, 1, 3, 2), QuizSettings()) == 0.5
    assert question_fraction(ordering, (0, 1, 3, 2), QuizSettings(partial_ordering=False)) == 0
    # A short answer: the missing positions count as wrong.
    assert question_fraction(ordering, (0, 1), QuizSettings()) == 0.5
    assert question_fraction(ordering, (0, 1, 2, 3), QuizSettings(partial_ordering=False)) == 1


def test_true_false_and_short_answers() -> None:
    tf = make("tf", "true_false", answer=True)
    assert question_fraction(tf, True, QuizSettings()) == 1.0
    assert question_fraction(tf, False, QuizSettings()) == 0.0
    short = make("sh", "short", accept=[{"ar": "الشعور بانعدام الأمن",
                                          "fr": "Le sentiment d'insécurité"}])
    # Hamza folded (الامن), runs of spaces and case ignored, either language accepted.
    assert question_fraction(short, "الشعور  بانعدام الامن", QuizSettings()) == 1.0
    assert question_fraction(short, "le SENTIMENT d'insécurité", QuizSettings()) == 1.0
    assert question_fraction(short, "insécurité", QuizSettings()) == 0.0


def test_negative_single_and_the_floor_at_zero() -> None:
    single = make("s", "single", points=4, choices=choices(True, False, False))
    tf = make("tf", "true_false", answer=True)
    settings = QuizSettings(negative_single=0.25)
    assert question_fraction(single, frozenset({1}), settings) == -0.25
    assert question_fraction(single, frozenset({0, 1}), settings) == -0.25  # two marks: wrong
    assert question_fraction(single, None, settings) == 0.0  # blank costs nothing
    quiz = {"s": single, "tf": tf}
    # Wrong single: -0.25 x 4 = -1 point; true/false right: +1; total 0.
    marks, total = score_attempt(quiz, {"s": frozenset({2}), "tf": True}, settings)
    assert marks == {"s": -1.0, "tf": 1.0}
    assert total == 0.0
    # Wrong single and a blank: -1 point, floored to 0.
    marks, total = score_attempt(quiz, {"s": frozenset({2}), "tf": None}, settings)
    assert (marks["s"], total) == (-1.0, 0.0)
    # Right single: 4 points; without negative marking a wrong one costs nothing.
    assert score_attempt(quiz, {"s": frozenset({0})}, settings)[1] == 4.0
    assert question_fraction(single, frozenset({1}), QuizSettings()) == 0.0


def test_multiple_points_scale_the_fraction() -> None:
    m3 = M3.model_copy(update={"points": 2})
    marks, total = score_attempt({"m3": m3}, {"m3": frozenset({0, 1, 2})},
                                 QuizSettings(multiple_rule="false2"))
    assert marks == {"m3": 1.0}  # 1/2 of 2 points
    assert total == 1.0


@pytest.mark.parametrize(("value", "text"), [
    (2.675, "2.68"), (200 / 3, "66.67"), (100.0, "100"), (7.5, "7.5"), (-0.001, "0"),
    (1 / 3 * 100, "33.33"), (0.1 + 0.2, "0.3"), (-1.005, "-1.01"),
])
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text
