"""Grading responses typed from printed papers: notations, scores, reports, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_sample

from course.content.model import QuizSettings
from course.errors import ContentError, Diagnostic
from course.quiz.grading import (
    grade,
    grade_responses,
    items_rows,
    scores_rows,
    summary_rows,
)
from course.quiz.responses import parse_answer
from course.quiz.versions import LATIN, all_versions, choice_labels, draw_final

PROJECT = load_sample()
SAMPLE = PROJECT.modules[0].questions
SETTINGS = PROJECT.course.quiz  # pass mark 60, 2 versions, seed 7, rule "false"
SHOWN = "responses.csv"

# Keys (see test_versions): version A: 1 q1 a (2 points), 2 q2 T, 3 q3 ab, 4 q4 1b 2a,
# 5 q5 b c a, 6 q6 short; version B: 1 q3 bc (order c b a), 2 q1 b (order c a b d),
# 3 q6, 4 q2 T, 5 q4 1b 2a, 6 q5 c a b (items 2 3 1). 7 points in all.
SEMICOLONS = "\n".join([
    "participant;version;1;2;3;4;5;6",
    "p1;A;a;T;ab;1b 2a;b c a;الشعور بانعدام الأمن",
    # Version B written in Arabic letters, hamza dropped in the short answer.
    "p2;ب;ب ج;ب;الشعور بانعدام الامن;صح;1ب 2أ;ج أ ب",
    # 1: q3 "b" is authored choice 2 (right): 1/2 of a point. 2: q1 "أ" is authored
    # choice 3 (wrong): 0. 3: wrong: 0. 4: true: 1. 5: both pairs wrong: 0.
    # 6: c b a = items 1 3 2, the first in place: 1/3. Total 1.8333, 26.19 %.
    "p3;b;b;أ;الامن;صح;1a 2b;c b a",
    "",
    "p4;A;;;;;;",
]) + "\n"


def test_scores_from_every_notation() -> None:
    result = grade_responses(("\ufeff" + SEMICOLONS).encode(), SHOWN, SAMPLE, SETTINGS)
    assert scores_rows(result) == [
        ["participant", "version", "points", "max_points", "percent", "passed"],
        ["p1", "A", "7", "7", "100", "yes"],
        ["p2", "B", "7", "7", "100", "yes"],
        ["p3", "B", "1.83", "7", "26.19", "no"],
        ["p4", "A", "0", "7", "0", "no"],
    ]
    assert result.marks["p3"] == pytest.approx(
        {"q1": 0, "q2": 1, "q3": 0.5, "q4": 0, "q5": 1 / 3, "q6": 0})


def test_item_rows_count_authored_choices_across_versions() -> None:
    result = grade_responses(SEMICOLONS.encode(), SHOWN, SAMPLE, SETTINGS)
    rows = items_rows(result)
    assert rows[0] == ["question", "facility", "sd", "discrimination",
                       "discriminative_efficiency", "blank",
                       "choice_a", "choice_b", "choice_c", "choice_d"]
    q1 = rows[1]
    # q1 marks [2, 2, 0, 0] of 2: facility 50 %; var = 4 x 1 / 3, SD 1.1547 / 2 = 57.74 %.
    # Chosen: p1 a, p2 B's b = authored a, p3 B's a = authored c; p4 blank.
    assert q1[:3] == ["q1", "50", "57.74"]
    assert q1[5:] == ["1", "2", "0", "1", "0"]
    # q2 marks [1, 1, 1, 0]: facility 75 %, var 1/4, SD 50 %; no choice columns.
    assert rows[2][:3] == ["q2", "75", "50"]
    assert rows[2][5:] == ["1", "", "", "", ""]
    # q3 (2 right choices a, b, 1 wrong c): p1 ab, p2 B's bc = ab, p3 B's b = b.
    assert rows[3][5:] == ["1", "2", "3", "0", ""]
    summary = summary_rows(result)
    assert summary[0] == ["participants", "mean", "median", "cronbach_alpha", "error_ratio",
                          "standard_error"]
    # Mean (7 + 7 + 1.8333 + 0) / 4 = 3.9583; median (1.8333 + 7) / 2 = 4.4167.
    assert summary[1][:3] == ["4", "3.96", "4.42"]


def test_commas_quotes_and_french_answers() -> None:
    text = ("participant,version,1,2,3,4,5,6\n"
            # q1 a: 2. q2 V: 1. q3 a,c: 1/2 - 1/1 < 0: 0. q4 both wrong: 0.
            # q5 a b c = items 3 1 2, none in place: 0. q6 in French: 1. Total 4 = 57.14 %.
            "\"Ahmed, A.\",a,a,V,\"a,c\",1a 2b,a b c,le sentiment d'insécurité\n")
    result = grade_responses(text.encode(), SHOWN, SAMPLE, SETTINGS)
    assert scores_rows(result)[1] == ["Ahmed, A.", "A", "4", "7", "57.14", "no"]
    # Under "false2" the wrong choice costs only 1/2: q3 earns 0 still (1/2 - 1/2).
    strict = QuizSettings(pass_mark=50, variants=2, seed=7, multiple_rule="false2")
    assert scores_rows(grade_responses(text.encode(), SHOWN, SAMPLE, strict))[1][-1] == "yes"


def test_every_problem_is_reported_with_its_place() -> None:
    text = "\n".join([
        "participant,version,1,2,3,4,5,6",
        "p1,A,a,T,ab,1b 2a,b c a,x",
        "p1,B,bc,b,x,T,1b 2a,c a b",
        "p3,C,a,T,ab,1b 2a,b c a,x",
        'p4,A,a,T,ab,1b 2a,b c a,"two',
        'lines"',
        "p5,A,e,T,ab,1b 2a,b c a,x",
        "p6,A,a,maybe,ab,1b 2a,b c a,x",
        "",
        "p7,A,a,T,ab,1b 1a,b c a,x",
        "p8,A,a,T,ab,1b 2a,a b c a,x",
        "p9,A,a,T,ab,1b 2a,b c a,x,extra",
        ",A,a,T,ab,1b 2a,b c a,x",
    ]) + "\n"
    with pytest.raises(ContentError) as caught:
        grade_responses(text.encode(), SHOWN, SAMPLE, SETTINGS)
    assert caught.value.diagnostics == [
        Diagnostic(SHOWN, 3, 1, "error", "participant 'p1' is repeated (first on line 2); "
                   "keep one row per participant"),
        Diagnostic(SHOWN, 4, 2, "error", "unknown version 'C'; write the version printed on "
                   "the participant's paper (A, B)"),
        Diagnostic(SHOWN, 7, 3, "error", "question 1 (q1): 'e' is not one of this question's"
                   " 4 letters; use a to d"),
        Diagnostic(SHOWN, 8, 4, "error", "question 2 (q2): cannot read 'maybe' as true or "
                   "false; write T or F (also V, true, false, صح, خطأ, or the box letter a or b)"),
        Diagnostic(SHOWN, 10, 6, "error", "question 4 (q4): item 1 is matched twice; match "
                   "each item once"),
        Diagnostic(SHOWN, 11, 7, "error", "question 5 (q5): 'a b c a' gives 4 items but the "
                   "question has 3; write each letter once"),
        Diagnostic(SHOWN, 12, 9, "error", "the row has 9 cells but the header has 8 columns; "
                   "remove the extra cells or name their columns"),
        Diagnostic(SHOWN, 13, 1, "error", "the participant is empty; write the participant's "
                   "id"),
    ]


def test_header_problems_and_unreadable_files() -> None:
    text = "participant;1;2;3;4;5;7;2\np1;a;T;ab;1b 2a;b c a;x;T\n"
    with pytest.raises(ContentError) as caught:
        grade_responses(text.encode(), SHOWN, SAMPLE, SETTINGS)
    assert [d.format() for d in caught.value.diagnostics] == [
        "responses.csv:1:1: error: missing column '6'; the header row needs participant, "
        "version and 1 to 6",
        "responses.csv:1:1: error: missing column 'version'; the header row needs "
        "participant, version and 1 to 6",
        "responses.csv:1:7: error: column '7' but the quiz has 6 questions; remove the column",
        "responses.csv:1:8: error: column '2' appears twice (columns 3 and 8); keep one",
    ]
    with pytest.raises(ContentError) as caught:
        grade_responses("participant,version\né".encode("latin-1"), SHOWN, SAMPLE, SETTINGS)
    assert caught.value.diagnostics[0].format() == \
        "responses.csv:1:1: error: the file is not UTF-8 text; save it as 'CSV UTF-8'"


def test_grade_writes_reports_only_without_errors(tmp_path: Path) -> None:
    responses = tmp_path / "responses.csv"
    responses.write_text("participant,version,1,2,3,4,5,6\np1,A,a,T,ab,1b 2a,b c a,x\n"
                         "p1,A,a,T,ab,1b 2a,b c a,x\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(ContentError):
        grade(responses, SAMPLE, SETTINGS, out, SHOWN)
    assert not out.exists()
    responses.write_bytes(("\ufeff" + SEMICOLONS).encode())
    grade(responses, SAMPLE, SETTINGS, out, SHOWN)
    assert sorted(p.name for p in out.iterdir()) == ["items.csv", "scores.csv", "summary.csv"]
    scores = (out / "scores.csv").read_text(encoding="utf-8-sig")
    assert scores.splitlines()[3] == "p3,B,1.83,7,26.19,no"


def arabic(key: str, qtype: str) -> str:
    """A Latin key as a typist would enter it from an Arabic paper."""
    if qtype == "true_false":
        return "صح" if key == "T" else "خطأ"
    if qtype == "short":
        return key
    labels = choice_labels("ar")
    return "".join(labels[LATIN.index(ch)] if ch in LATIN else ch for ch in key)


def test_answering_each_versions_key_earns_full_marks_final_exam_too() -> None:
    drawn = draw_final(PROJECT, 7)  # sample/q2, sample/q5, sample/q6
    settings = SETTINGS.model_copy(update={"variants": 4})
    lines = ["participant;version;1;2;3"]
    for letter, printed in all_versions(drawn, 4, 7, "ar").items():
        lines.append(";".join([f"latin-{letter}", letter] + [pq.key for pq in printed]))
        lines.append(";".join([f"arabic-{letter}", letter]
                              + [arabic(pq.key, pq.question.type) for pq in printed]))
    result = grade_responses("\n".join(lines).encode(), SHOWN, drawn, settings)
    assert {s.participant: s.percent for s in result.scores} == \
        {f"{kind}-{v}": 100 for kind in ("latin", "arabic") for v in "ABCD"}
    assert [row[0] for row in items_rows(result)[1:]] == ["sample/q2", "sample/q5", "sample/q6"]


@pytest.mark.parametrize(("number", "cell", "answer"), [
    # Version A: q1 choices in authored order, q3 too; q4 right items shown (2, 1);
    # q5 items shown (3, 1, 2).
    (1, "B", frozenset({1})),
    (1, "ب", frozenset({1})),
    (3, "ac", frozenset({0, 2})),
    (3, "a c", frozenset({0, 2})),
    (3, "a,c", frozenset({0, 2})),
    (3, "أ ج", frozenset({0, 2})),
    (3, "أ، ج", frozenset({0, 2})),
    (2, "F", False), (2, "faux", False), (2, "خطأ", False), (2, "true", True), (2, "ب", False),
    (4, "1b 2a", {0: 0, 1: 1}),
    (4, "١ب ٢أ", {0: 0, 1: 1}),
    (4, "1-b, 2:a", {0: 0, 1: 1}),
    (4, "2a", {1: 1}),
    (5, "b c a", (0, 1, 2)),
    (5, "bca", (0, 1, 2)),
    (5, "ب ج أ", (0, 1, 2)),
    (6, "  ", None),
])
def test_cell_notations(number: int, cell: str, answer: object) -> None:
    printed = all_versions(SAMPLE, 1, 7)["A"]
    assert parse_answer(printed[number - 1], cell) == answer
