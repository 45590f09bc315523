"""Printed versions: stable shuffles, pinned choices, answer keys, the final exam draw."""

from __future__ import annotations

import dataclasses

from conftest import load_sample

from course.content.model import FinalExam, Question
from course.quiz.versions import (
    LATIN,
    all_versions,
    choice_labels,
    draw_final,
    keys_csv_rows,
    letter_index,
    printed_quiz,
    version_letters,
)

PROJECT = load_sample()
SAMPLE = PROJECT.modules[0].questions
LETTERS = version_letters(8)


def single(qid: str, n: int, pinned: int | None = None) -> Question:
    """A single-answer question with n choices, the first correct."""
    return Question.model_validate({
        "id": qid, "type": "single", "objective": "o1", "stem": {"fr": qid},
        "explanation": {"fr": "."}, "source": [{"para": 1, "anchor": "x"}],
        "choices": [{"text": {"fr": f"{qid}-{i}"}, "correct": i == 0, "pinned": i == pinned}
                    for i in range(n)],
    })


def layout(printed: list) -> dict[str, tuple[int, tuple[int, ...], str]]:
    """Question id -> (number, choice order, key)."""
    return {pq.qid: (pq.number, pq.choice_order, pq.key) for pq in printed}


def test_version_a_is_the_authored_order_with_known_keys() -> None:
    printed = printed_quiz(SAMPLE, "A", 7, "ar")
    assert [pq.qid for pq in printed] == ["q1", "q2", "q3", "q4", "q5", "q6"]
    assert [pq.number for pq in printed] == [1, 2, 3, 4, 5, 6]
    assert printed[0].choice_order == (0, 1, 2, 3)
    # Matching and ordering are scrambled even in version A: the authored order is the answer.
    assert printed[3].choice_order == (1, 0)
    assert printed[4].choice_order == (2, 0, 1)
    assert [pq.key for pq in printed] == ["a", "T", "ab", "1b 2a", "b c a",
                                          "الشعور بانعدام الأمن"]
    assert printed_quiz(SAMPLE, "A", 7, "fr")[5].key == "Le sentiment d'insécurité"


def test_keys_point_at_the_right_items() -> None:
    for letter in LETTERS:
        for pq in printed_quiz(SAMPLE, letter, 7):
            q, order = pq.question, pq.choice_order
            if q.type in {"single", "multiple"}:
                assert [c.correct for c in (q.choices or [])] == \
                    [LATIN[order.index(i)] in pq.key for i in range(len(order))]
            if q.type == "ordering":
                assert [order[LATIN.index(ch)] for ch in pq.key.split()] == [0, 1, 2]
                assert order != (0, 1, 2)
            if q.type == "matching":
                assert [order[LATIN.index(tok[1])] for tok in pq.key.split()] == [0, 1]


def test_version_b_of_the_sample() -> None:
    printed = printed_quiz(SAMPLE, "B", 7, "ar")
    assert layout(printed) == {
        "q3": (1, (2, 1, 0), "bc"), "q1": (2, (2, 0, 1, 3), "b"),
        "q6": (3, (), "الشعور بانعدام الأمن"), "q2": (4, (), "T"),
        "q4": (5, (1, 0), "1b 2a"), "q5": (6, (1, 2, 0), "c a b"),
    }


def test_same_seed_same_versions_other_seed_other_order() -> None:
    assert all_versions(SAMPLE, 5, 7) == all_versions(SAMPLE, 5, 7)
    orders = {tuple(pq.qid for pq in printed_quiz(SAMPLE, "B", seed)) for seed in range(6)}
    assert len(orders) > 1


def test_editing_a_question_changes_nothing_else() -> None:
    edited = [q.model_copy(update={"stem": {"ar": "نص جديد", "fr": "Nouveau texte"}})
              if q.id == "q3" else q for q in SAMPLE]
    for letter in LETTERS:
        assert layout(printed_quiz(edited, letter, 7)) == layout(printed_quiz(SAMPLE, letter, 7))


def test_adding_a_question_keeps_the_others_letters_and_order() -> None:
    questions = [single(f"s{i}", 4) for i in range(6)]
    added = questions[:3] + [single("new", 5)] + questions[3:]
    for letter in LETTERS:
        before = layout(printed_quiz(questions, letter, 3))
        after = layout(printed_quiz(added, letter, 3))
        for qid, (_, order, key) in before.items():
            assert after[qid][1:] == (order, key)
        # The others keep their relative order.
        assert sorted(before, key=lambda q: before[q][0]) == \
            sorted(before, key=lambda q: after[q][0])


def test_pinned_choices_keep_their_place() -> None:
    q = single("p", 5, pinned=4)  # e.g. "all of the above", last
    orders = {printed_quiz([q], letter, 11)[0].choice_order for letter in version_letters(26)}
    assert all(order[4] == 4 for order in orders)
    assert len(orders) > 1  # the others still move


def test_keys_csv_rows() -> None:
    rows = keys_csv_rows(SAMPLE, 2, 7, "fr")
    assert rows[0] == ["version", "number", "question", "type", "answer", "points"]
    assert rows[1] == ["A", "1", "q1", "single", "a", "2"]
    assert rows[7] == ["B", "1", "q3", "multiple", "bc", "1"]
    assert len(rows) == 1 + 2 * 6
    final = keys_csv_rows(draw_final(PROJECT, 7), 1, 7)
    assert [row[2] for row in final[1:]] == ["sample/q2", "sample/q5", "sample/q6"]


def test_labels_and_letters() -> None:
    assert choice_labels("ar")[:10] == "أ ب ج د ه و ز ح ط ي".split()
    assert choice_labels("fr")[:4] == ["a", "b", "c", "d"]
    assert [letter_index(ch) for ch in "aBأبجاة?"] == [0, 1, 0, 1, 2, 0, 4, None]
    assert version_letters(3) == ["A", "B", "C"]


def test_final_exam_spreads_over_objectives() -> None:
    # The sample: q1, q2, q5 assess o1; q3, q4, q6 assess o2.
    objectives = {q.id: q.objective for q in SAMPLE}
    for per_module in (1, 2, 3, 4, 6, 9):
        course = PROJECT.course.model_copy(
            update={"final_exam": FinalExam(questions_per_module=per_module)})
        project = dataclasses.replace(PROJECT, course=course)
        drawn = draw_final(project, 7)
        assert drawn == draw_final(project, 7)
        ids = [q.id for _, q in drawn]
        assert len(ids) == min(per_module, 6)
        assert ids == [q.id for q in SAMPLE if q.id in ids]  # authored order
        covered = [objectives[i] for i in ids]
        assert abs(covered.count("o1") - covered.count("o2")) <= 1
        assert all(module == "sample" for module, _ in drawn)


def test_final_exam_draws_levels_in_the_module_share() -> None:
    # The sample has 2 of 6 questions above recall (q3 apply, q5 analyse).
    higher = {"apply", "analyse", "evaluate", "create"}
    for per_module, expected in ((2, 1), (3, 1), (4, 1), (5, 2), (6, 2)):
        course = PROJECT.course.model_copy(
            update={"final_exam": FinalExam(questions_per_module=per_module)})
        drawn = draw_final(dataclasses.replace(PROJECT, course=course), 7)
        assert sum(1 for _, q in drawn if q.level in higher) == expected, per_module
