"""GIFT export of quiz questions (Moodle's plain-text format), ordering in qtype_ordering's form.

Moodle's GIFT reader (question/format/gift) replaces escaped characters by placeholders,
takes the answers between the first `{` and the first `}`, strips the general feedback
after the last `####`, and offers the answers to plugins first: qtype_ordering reads
`>N ALL VERTICAL GRADING SHOW abc` and one item per line, as written, without undoing
GIFT escapes. So its items carry HTML character references instead.
"""

from __future__ import annotations

from course.content.model import QuizSettings
from generators.lms.fractions import (
    ExportError,
    Item,
    QuestionTexts,
    block_html,
    multiple_weights,
    percent,
    plain,
    scoring_notes,
    single_wrong_weight,
    unpack,
)

_SPECIAL = "\\~=#{}:"
# What would end or split an ordering item for Moodle, as HTML character references.
_ITEM_REFS = {"\\": "&#92;", "{": "&#123;", "}": "&#125;", "#": "&#35;"}


def escape(text: str) -> str:
    """Text safe in GIFT: each of \\ ~ = # { } : behind a backslash, newlines as \\n."""
    out = "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


class _Gift(QuestionTexts):
    """Builds one question's GIFT text in one language."""

    def html(self, text: dict[str, str] | None, what: str) -> str:
        """A text as escaped, directed HTML; empty when absent."""
        return escape(super().html(text, what))

    def feedback(self, text: dict[str, str] | None, what: str) -> str:
        """`#feedback` after an answer, or nothing."""
        return f"#{self.html(text, what)}" if text else ""

    def gift(self) -> str:
        """The question: title, HTML stem, answers in braces, general feedback."""
        q = self.q
        answers = getattr(self, f"_{q.type}")()
        general = f"####{self.html(q.explanation, 'the explanation')}"
        return (f"::{escape(self.name)}::[html]{self.html(q.stem, 'the stem')}{{\n"
                + "".join(f"\t{a}\n" for a in answers) + f"\t{general}\n}}")

    def _single(self) -> list[str]:
        wrong = single_wrong_weight(self.q, self.settings, self.module)
        out = []
        for n, c in enumerate(self.q.choices or [], start=1):
            mark = "=" if c.correct else (f"~%{percent(wrong)}%" if wrong else "~")
            out.append(mark + self.html(c.text, f"choice {n}")
                       + self.feedback(c.feedback, f"the feedback of choice {n}"))
        return out

    def _multiple(self) -> list[str]:
        right, wrong = multiple_weights(self.q, self.settings, self.module)
        out = []
        for n, c in enumerate(self.q.choices or [], start=1):
            weight = percent(right if c.correct else wrong)
            out.append(f"~%{weight}%" + self.html(c.text, f"choice {n}")
                       + self.feedback(c.feedback, f"the feedback of choice {n}"))
        return out

    def _true_false(self) -> list[str]:
        return ["TRUE" if self.q.answer else "FALSE"]

    def _matching(self) -> list[str]:
        out = []
        for n, pair in enumerate(self.q.pairs or [], start=1):
            left = self.html(pair.left, f"the left item of pair {n}")
            right = escape(plain(self.text(pair.right, f"the right item of pair {n}")))
            out.append(f"={left} -> {right}")
        return out

    def _short(self) -> list[str]:
        return ["=" + escape(plain(self.text(a, f"accepted answer {n}")))
                for n, a in enumerate(self.q.accept or [], start=1)]

    def _ordering(self) -> list[str]:
        # qtype_ordering's GIFT form: >count selecttype layout grading showgrading numbering,
        # then the items in the right order, one a line (questiontype.php, import_from_gift).
        grading = "ABSOLUTE_POSITION" if self.settings.partial_ordering else "ALL_OR_NOTHING"
        items = [_item(block_html(self.text(item, f"sequence item {n}"), self.lang))
                 for n, item in enumerate(self.q.sequence or [], start=1)]
        return [f">{len(items)} ALL VERTICAL {grading} SHOW abc", *items]


def _item(html: str) -> str:
    """An ordering item as the plugin reads it: on one line, nothing GIFT would cut."""
    return "".join(_ITEM_REFS.get(ch, ch) for ch in " ".join(html.split()))


def gift(categories: list[tuple[str, list[Item]]], lang: str,
         settings: QuizSettings) -> tuple[str, list[str]]:
    """GIFT text with a $CATEGORY per (name, questions), and warnings for the user.

    A question given as (module id, question) is named module/id and its warnings say
    which module it comes from; grades Moodle does not allow and missing translations
    raise ExportError naming each question.
    """
    blocks: list[str] = []
    warnings: list[str] = []
    problems: list[str] = []
    for name, questions in categories:
        path = "$course$/" + " ".join(name.split()).replace("/", "//")
        blocks.append(f"// {' '.join(name.split())}\n$CATEGORY: {path}")
        for module, q in map(unpack, questions):
            texts = _Gift(q, lang, settings, module)
            if q.points != 1:
                # GIFT has no syntax for a question's mark; Moodle imports every one as 1.
                warnings.append(f"{texts.who} is worth {q.points:g} points but GIFT "
                                "cannot say so; set its mark in the Moodle quiz")
            try:
                blocks.append(texts.gift())
            except ExportError as exc:
                problems.extend(exc.problems)
        warnings.extend(scoring_notes(questions, settings))
    if problems:
        raise ExportError(problems)
    return "\n\n".join(blocks) + "\n", warnings


export = gift  # the registry's name for every exporter's entry point
