"""Printed quiz versions: question and choice order, answer keys, the final exam draw."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from course.content.loader import Project
from course.content.model import Question
from course.quiz.scoring import format_number

LATIN = "abcdefghijklmnopqrstuvwxyz"
# Abjad order, the way Arabic exam papers letter their choices.
ARABIC = "أبجدهوزحطيكلمنسعفصقرشتثخذضظغ"
# Variants a typist may enter for a printed Arabic letter (alef without hamza, ...).
_ARABIC_ALIASES = {"ا": 0, "إ": 0, "آ": 0, "ة": 4, "ى": 9}

# Levels above recall: the final exam draws them in the share the modules have them.
HIGHER_LEVELS = frozenset({"apply", "analyse", "evaluate", "create"})

# A quiz item is a module question (id "q1") or a final-exam draw ("module", question).
QuizItem = Question | tuple[str, Question]


@dataclass(frozen=True)
class PrintedQuestion:
    """One question as printed in one version."""

    number: int  # 1-based printed number
    qid: str  # question id, "module/id" in the final exam
    question: Question
    # Indexes into the authored list shown in display order: choices for single/multiple,
    # pairs' right items for matching, sequence items for ordering; empty otherwise.
    choice_order: tuple[int, ...]
    key: str  # the right answer in response notation, Latin letters


def version_letters(variants: int) -> list[str]:
    """The version letters of a quiz: A, B, C, ..."""
    return [chr(ord("A") + i) for i in range(variants)]


def choice_labels(lang: str) -> list[str]:
    """The letters printed before choices in a language."""
    return list(ARABIC) if lang == "ar" else list(LATIN)


def letter_index(ch: str) -> int | None:
    """The 0-based position of a Latin or Arabic choice letter, or None."""
    low = ch.casefold()
    if len(low) == 1 and low in LATIN:
        return LATIN.index(low)
    if ch in _ARABIC_ALIASES:
        return _ARABIC_ALIASES[ch]
    return ARABIC.index(ch) if len(ch) == 1 and ch in ARABIC else None


def item_id(item: QuizItem) -> str:
    """The id of a quiz item as used in keys and reports."""
    if isinstance(item, tuple):
        return f"{item[0]}/{item[1].id}"
    return item.id


def item_question(item: QuizItem) -> Question:
    """The question of a quiz item."""
    return item[1] if isinstance(item, tuple) else item


def _rank(*parts: object) -> str:
    # A stable hash (unlike hash()), so the same seed gives the same paper on every machine.
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def _scramble(n: int, seed: int, letter: str, qid: str) -> tuple[int, ...]:
    """A seeded order of n items that is never the identity (it would print the answer)."""
    order = sorted(range(n), key=lambda i: _rank(seed, letter, qid, "item", i))
    if n > 1 and order == list(range(n)):
        order = order[1:] + order[:1]
    return tuple(order)


def _choice_order(q: Question, seed: int, letter: str, qid: str) -> tuple[int, ...]:
    """Choices shuffled by each one's own hash; pinned choices keep their place."""
    choices = q.choices or []
    if letter == "A":
        return tuple(range(len(choices)))
    free = sorted((i for i, c in enumerate(choices) if not c.pinned),
                  key=lambda i: _rank(seed, letter, qid, "choice", i))
    shuffled = iter(free)
    return tuple(i if c.pinned else next(shuffled) for i, c in enumerate(choices))


def display_order(q: Question, seed: int, letter: str, qid: str) -> tuple[int, ...]:
    """The display order of a question's items in a version (see PrintedQuestion)."""
    if q.type in {"single", "multiple"}:
        return _choice_order(q, seed, letter, qid)
    if q.type == "matching":
        return _scramble(len(q.pairs or []), seed, letter, qid)
    if q.type == "ordering":
        return _scramble(len(q.sequence or []), seed, letter, qid)
    return ()


def answer_key(q: Question, order: Sequence[int], lang: str | None = None) -> str:
    """The right answer in response notation, with Latin letters of the displayed items."""
    shown = {original: LATIN[pos] for pos, original in enumerate(order)}
    if q.type == "single" or q.type == "multiple":
        return "".join(sorted(shown[i] for i, c in enumerate(q.choices or []) if c.correct))
    if q.type == "true_false":
        return "T" if q.answer else "F"
    if q.type == "matching":
        return " ".join(f"{i + 1}{shown[i]}" for i in range(len(q.pairs or [])))
    if q.type == "ordering":
        return " ".join(shown[i] for i in range(len(q.sequence or [])))
    first = (q.accept or [{}])[0]
    return first.get(lang, "") if lang else next(iter(first.values()), "")


def printed_quiz(questions: Sequence[QuizItem], version: str, seed: int,
                 lang: str | None = None) -> list[PrintedQuestion]:
    """The questions of one version in printed order; version A keeps the authored order."""
    items = list(questions)
    if version != "A":
        # Sorting by each question's own hash keeps the others' relative order when one is
        # added or removed, and editing a question's text changes nothing.
        items.sort(key=lambda it: _rank(seed, version, item_id(it)))
    printed = []
    for number, item in enumerate(items, start=1):
        q, qid = item_question(item), item_id(item)
        order = display_order(q, seed, version, qid)
        printed.append(PrintedQuestion(number, qid, q, order, answer_key(q, order, lang)))
    return printed


def all_versions(questions: Sequence[QuizItem], variants: int, seed: int,
                 lang: str | None = None) -> dict[str, list[PrintedQuestion]]:
    """Every version of a quiz, by letter."""
    return {v: printed_quiz(questions, v, seed, lang) for v in version_letters(variants)}


def keys_csv_rows(questions: Sequence[QuizItem], variants: int, seed: int,
                  lang: str | None = None) -> list[list[str]]:
    """The answer keys of every version: a header row, then one row per printed question."""
    rows = [["version", "number", "question", "type", "answer", "points"]]
    for letter, printed in all_versions(questions, variants, seed, lang).items():
        for pq in printed:
            rows.append([letter, str(pq.number), pq.qid, pq.question.type, pq.key,
                         format_number(pq.question.points)])
    return rows


def draw_final(project: Project, seed: int) -> list[tuple[str, Question]]:
    """The final exam: questions_per_module per module, over its objectives and its levels.

    Within a module, questions above recall (apply and up) take the same share of the draw
    as they have of the module's quiz, so the exam tests more than memory.
    """
    per_module = project.course.final_exam.questions_per_module
    drawn: list[tuple[str, Question]] = []
    for module in project.modules:
        queues = _objective_queues(module.questions, seed, module.id)
        size = min(per_module, len(module.questions))
        higher = sum(1 for q in module.questions if q.level in HIGHER_LEVELS)
        want = round(size * higher / len(module.questions)) if module.questions else 0
        quota = {True: want, False: size - want}
        chosen: list[str] = []
        for limited in (True, False):  # level shares first; then any question fills up
            progress = True
            while len(chosen) < size and progress:
                progress = False
                # Objectives take turns; each gives its first question whose level group
                # still has room.
                for queue in queues:
                    pick = next((q for q in queue if q.id not in chosen and
                                 (not limited or quota[q.level in HIGHER_LEVELS] > 0)), None)
                    if pick is not None and len(chosen) < size:
                        chosen.append(pick.id)
                        quota[pick.level in HIGHER_LEVELS] -= 1
                        progress = True
        # Authored order within a module, so the exam reads in the course's order.
        drawn.extend((module.id, q) for q in module.questions if q.id in chosen)
    return drawn


def _objective_queues(questions: Sequence[Question], seed: int,
                      module: str) -> list[list[Question]]:
    """Each objective's questions in a seeded order, the objectives in a seeded order."""
    groups: dict[str, list[Question]] = {}
    for q in questions:
        groups.setdefault(q.objective, []).append(q)
    for group in groups.values():
        group.sort(key=lambda q: _rank(seed, "final", module, q.id))
    turns = sorted(groups, key=lambda o: _rank(seed, "final", module, "objective", o))
    return [groups[o] for o in turns]
