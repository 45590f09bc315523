"""Scoring one participant's answers under the course's scoring rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from course.arabic import normalise
from course.content.model import Question, QuizSettings

# A parsed answer, always in the question's authored terms (never a version's letters):
# single/multiple: chosen choice indexes; true_false: bool; matching: left index -> pair
# index of the chosen right item; ordering: sequence indexes in the order given; short: text;
# Awarded: points a marker gave a short answer (a scanned score box); None: left blank.


@dataclass(frozen=True)
class Awarded:
    """Points a trainer awarded a short answer after reading it (`2pt` in a responses cell)."""

    points: float


Answer = frozenset[int] | bool | Mapping[int, int] | tuple[int, ...] | str | Awarded | None


def format_number(value: float, places: int = 2) -> str:
    """A number for CSV: rounded half up, without trailing zeros or float noise."""
    # str() first, so 2.675 rounds as the 2.675 people see, not its binary neighbour.
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def multiple_fractions(q: Question, rule: str) -> tuple[float, float]:
    """What one right choice earns and one wrong choice costs, as shares of the question."""
    choices = q.choices or []
    n_right = sum(1 for c in choices if c.correct)
    n_wrong = len(choices) - n_right
    gain = 1 / n_right if n_right else 0.0
    if rule == "all" or n_wrong == 0:
        cost = 1.0  # any wrong choice loses the whole question
    elif rule == "false2":
        cost = 1 / max(n_wrong, 2)
    else:
        cost = 1 / n_wrong
    return gain, cost


def question_fraction(q: Question, answer: Answer, settings: QuizSettings) -> float:
    """The share of a question's points an answer earns; negative only for a wrong single."""
    if answer is None:
        return 0.0
    if isinstance(answer, Awarded):
        return min(1.0, answer.points / q.points)
    if q.type == "single":
        assert isinstance(answer, frozenset)
        right = {i for i, c in enumerate(q.choices or []) if c.correct}
        return 1.0 if answer == right else -settings.negative_single
    if q.type == "multiple":
        assert isinstance(answer, frozenset)
        gain, cost = multiple_fractions(q, settings.multiple_rule)
        choices = q.choices or []
        n_right = sum(1 for i in answer if choices[i].correct)
        n_wrong = len(answer) - n_right
        if settings.multiple_rule == "all" and n_wrong:
            return 0.0
        return min(1.0, max(0.0, n_right * gain - n_wrong * cost))
    if q.type == "true_false":
        return 1.0 if answer == q.answer else 0.0
    if q.type == "matching":
        assert isinstance(answer, Mapping)
        n = len(q.pairs or [])
        hits = sum(1 for left, right in answer.items() if left == right)
        return _partial(hits, n, settings.partial_matching)
    if q.type == "ordering":
        assert isinstance(answer, tuple)
        n = len(q.sequence or [])
        hits = sum(1 for pos, item in enumerate(answer[:n]) if pos == item)
        return _partial(hits, n, settings.partial_ordering)
    assert isinstance(answer, str)
    return 1.0 if normalise(answer) in accepted_answers(q) else 0.0


def _partial(hits: int, n: int, partial: bool) -> float:
    if partial:
        return hits / n
    return 1.0 if hits == n else 0.0


def accepted_answers(q: Question) -> set[str]:
    """A short-answer question's accepted answers in every language, normalised."""
    # Any language counts: a participant may answer in French on an Arabic paper.
    return {normalise(text) for accept in q.accept or [] for text in accept.values()}


def is_alternative(answer: Answer, alternatives: Sequence[Answer]) -> bool:
    """Whether an answer is one a trainer accepted after the exam (`grade --accept`)."""
    if answer is None or not alternatives:
        return False
    if isinstance(answer, str):
        return normalise(answer) in {normalise(a) for a in alternatives if isinstance(a, str)}
    return answer in alternatives


def score_attempt(questions: Mapping[str, Question], answers: Mapping[str, Answer],
                  settings: QuizSettings,
                  alternatives: Mapping[str, Sequence[Answer]] | None = None
                  ) -> tuple[dict[str, float], float]:
    """Each question's mark in points, and the total, which never goes below zero."""
    extra = alternatives or {}
    marks = {qid: (1.0 if is_alternative(answers.get(qid), extra.get(qid, ()))
                   else question_fraction(q, answers.get(qid), settings)) * q.points
             for qid, q in questions.items()}
    return marks, max(0.0, sum(marks.values()))
