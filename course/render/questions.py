"""Question blocks built straight from the model, so answers never pass through text.

A participant block carries no correct-answer marker, feedback or explanation;
only `key=True` adds the answer, explanation and source below the options.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course.content.model import Question, Source
from course.document import (
    AnswerGrid,
    AnswerRow,
    Block,
    LineBreak,
    Option,
    Paragraph,
    QuestionBlock,
    Strong,
    Table,
    Text,
)
from course.quiz.versions import LATIN, PrintedQuestion
from course.render.markdown import parse_inline


def points_label(points: float, labels: Mapping[str, Any]) -> str:
    """"نقطتان", "3 نقاط", "11 نقطة", "2 points": the number with its noun."""
    n = int(points) if float(points).is_integer() else points
    if n == 1:
        return str(labels["points_1"])
    if n == 2:
        return str(labels["points_2"])
    few = isinstance(n, int) and 3 <= n <= 10
    return str(labels["points_few" if few else "points_many"]).format(n=n)


def cite(sources: list[Source] | list[dict], labels: Mapping[str, Any]) -> str:
    """"§ 8" or "§ 9، 10": report paragraph numbers (sources as models or localised dicts).

    A sign rather than a word, so that a cited line still reads as its source text.
    """
    paras = sorted({s["para"] if isinstance(s, dict) else s.para for s in sources})
    return f"§ {labels['list_sep'].join(map(str, paras))}"


def _hint(q: Question, labels: Mapping[str, Any]) -> str:
    return str(labels[{"single": "one_answer", "multiple": "several_answers",
                       "true_false": "true_false", "matching": "matching",
                       "ordering": "ordering", "short": "short"}[q.type]])


def question_block(pq: PrintedQuestion, lang: str, labels: Mapping[str, Any],
                   key: bool = False) -> QuestionBlock:
    """The printed form of one question; with `key`, its answer and explanation too."""
    q = pq.question
    letters = labels["letters"]
    # Points and the expected answer on two lines: each is then a text of the labels file.
    meta = (Text(points_label(q.points, labels)), LineBreak(), Text(_hint(q, labels)))
    options: tuple[Option, ...] = ()
    after: list[Block] = []
    lines = 0
    if q.type in {"single", "multiple"}:
        options = tuple(Option(letters[pos], parse_inline((q.choices or [])[i].text[lang]))
                        for pos, i in enumerate(pq.choice_order))
    elif q.type == "true_false":
        options = (Option(letters[0], (Text(labels["true"]),)),
                   Option(letters[1], (Text(labels["false"]),)))
    elif q.type == "matching":
        pairs = q.pairs or []
        # Left items keep their authored order and numbers; right items are shuffled letters.
        # Numbers and letters have cells of their own, so each text reads on its own.
        rows = tuple(
            ((Text(f"{n + 1}"),), parse_inline(pairs[n].left[lang]),
             (Text(letters[n]),), parse_inline(pairs[pq.choice_order[n]].right[lang]))
            for n in range(len(pairs))
        )
        after.append(Table((), rows, (0.4, 3.0, 0.4, 3.0)))
        lines = 1
    elif q.type == "ordering":
        sequence = q.sequence or []
        options = tuple(Option(letters[pos], parse_inline(sequence[i][lang]))
                        for pos, i in enumerate(pq.choice_order))
        lines = 1
    else:
        lines = 2
    if key:
        after.extend(_key_blocks(pq, lang, labels))
        lines = 0
    return QuestionBlock(pq.number, parse_inline(q.stem[lang]), meta, options, tuple(after),
                         lines)


def display_key(pq: PrintedQuestion, labels: Mapping[str, Any]) -> str:
    """The answer in the language's letters: "ب", "أ، ج", "1ب 2أ", "ج أ ب", "صح"."""
    letters = labels["letters"]
    q = pq.question
    if q.type == "true_false":
        return str(labels["true" if pq.key == "T" else "false"])
    if q.type == "short":
        return pq.key
    shown = "".join(letters[LATIN.index(ch)] if ch in LATIN else ch for ch in pq.key)
    return labels["list_sep"].join(shown) if q.type == "multiple" else shown


def _key_rows(pq: PrintedQuestion, lang: str, labels: Mapping[str, Any]) -> list[tuple]:
    """The answer as table rows of letters beside texts, never letters run into words."""
    q, letters = pq.question, labels["letters"]
    shown = {original: pos for pos, original in enumerate(pq.choice_order)}
    if q.type in {"single", "multiple"}:
        return [((Text(letters[shown[i]]),), parse_inline(c.text[lang]))
                for i, c in sorted(enumerate(q.choices or []), key=lambda ic: shown[ic[0]])
                if c.correct]
    if q.type == "matching":
        pairs = q.pairs or []
        return [((Text(str(n + 1)),), parse_inline(pair.left[lang]),
                 (Text(letters[shown[n]]),), parse_inline(pair.right[lang]))
                for n, pair in enumerate(pairs)]
    if q.type == "ordering":
        return [((Text(str(n + 1)),), (Text(letters[shown[n]]),), parse_inline(item[lang]))
                for n, item in enumerate(q.sequence or [])]
    if q.type == "short":
        return [(parse_inline(a[lang]),) for a in q.accept or []]
    return []


def _key_widths(qtype: str, columns: int) -> tuple[float, ...]:
    """Narrow columns for numbers and letters, wide ones for texts."""
    if qtype == "ordering":
        return (0.4, 0.4, 3.0)
    return (0.4, 3.0, 0.4, 3.0)[:columns]


def _key_blocks(pq: PrintedQuestion, lang: str, labels: Mapping[str, Any]) -> list[Block]:
    # Labels stand on lines of their own, so each printed line is one text of the source.
    q = pq.question
    rows = _key_rows(pq, lang, labels)
    if q.type == "true_false":
        answer: list[Block] = [Paragraph((Strong((Text(f"{labels['answer']}: "),)),
                                          Text(display_key(pq, labels))))]
    else:
        # The table shows the letters beside their texts; the label line stays a label.
        answer = [Paragraph((Strong((Text(f"{labels['answer']}:"),)),)),
                  Table((), tuple(rows), _key_widths(q.type, len(rows[0]) if rows else 0))]
    return [
        *answer,
        Paragraph((Strong((Text(f"{labels['explanation']}:"),)),)),
        Paragraph(parse_inline(q.explanation[lang])),
        Paragraph((Text(f"{labels['source']}: {cite(q.source, labels)}"),), "small"),
    ]


def answer_grid(printed: list[PrintedQuestion], labels: Mapping[str, Any]) -> AnswerGrid:
    """One row of boxes per question; multiple-answer rows say so."""
    letters = labels["letters"]
    rows = []
    for pq in printed:
        q = pq.question
        count = {"single": len(q.choices or []), "multiple": len(q.choices or []),
                 "true_false": 2, "ordering": 0, "matching": 0, "short": 0}[q.type]
        note = (Text(labels["several_note"]),) if q.type == "multiple" else ()
        if count == 0:
            note = (Text(_hint(q, labels)),)
        rows.append(AnswerRow(pq.number, tuple(letters[:count]), note))
    return AnswerGrid(tuple(rows), (Text(labels["question_number"]),))
