"""Moodle XML export of quiz questions, one category per module."""

from __future__ import annotations

from xml.sax.saxutils import escape

from course.content.model import QuizSettings
from generators.lms.fractions import (
    ExportError,
    Item,
    QuestionTexts,
    multiple_weights,
    percent,
    plain,
    scoring_notes,
    single_wrong_weight,
    unpack,
)


def _cdata(html: str) -> str:
    # "]]>" cannot appear inside CDATA: end the section and start another around it.
    return "<![CDATA[" + html.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _html_field(tag: str, html: str, indent: str = "    ") -> str:
    return f'{indent}<{tag} format="html">\n{indent}  <text>{_cdata(html)}</text>\n{indent}</{tag}>'


def _answer(fraction: str, text: str, feedback: str = "", fmt: str = "html") -> str:
    body = _cdata(text) if fmt == "html" else escape(text)
    lines = [f'    <answer fraction="{fraction}" format="{fmt}">', f"      <text>{body}</text>"]
    if feedback:
        lines.append(f'      <feedback format="html">\n        <text>{_cdata(feedback)}</text>'
                     "\n      </feedback>")
    lines.append("    </answer>")
    return "\n".join(lines)


def _grade(value: float) -> str:
    return f"{value:g}"


class _Question(QuestionTexts):
    """Builds one question's XML in one language."""

    def plain(self, text: dict[str, str], what: str) -> str:
        """A text of the question for a plain-text field."""
        return plain(self.text(text, what))

    def xml(self) -> str:
        """The <question> element."""
        q = self.q
        moodle_type = {"single": "multichoice", "multiple": "multichoice",
                       "true_false": "truefalse", "matching": "matching",
                       "ordering": "ordering", "short": "shortanswer"}[q.type]
        head = [
            f'  <question type="{moodle_type}">',
            f"    <name>\n      <text>{escape(self.name)}</text>\n    </name>",
            _html_field("questiontext", self.html(q.stem, "the stem")),
            _html_field("generalfeedback", self.html(q.explanation, "the explanation")),
            f"    <defaultgrade>{_grade(q.points)}</defaultgrade>",
            "    <penalty>0</penalty>",
            "    <hidden>0</hidden>",
        ]
        body = getattr(self, f"_{q.type}")()
        return "\n".join(head + body + ["  </question>"])

    def _choices(self, right: float, wrong: float) -> list[str]:
        q = self.q
        pinned = any(c.pinned for c in q.choices or [])
        lines = [f"    <single>{'true' if q.type == 'single' else 'false'}</single>",
                 # Moodle cannot pin one choice, so pinned choices turn shuffling off.
                 f"    <shuffleanswers>{'false' if pinned else 'true'}</shuffleanswers>",
                 "    <answernumbering>abc</answernumbering>"]
        for n, c in enumerate(q.choices or [], start=1):
            fraction = percent(right if c.correct else wrong)
            lines.append(_answer(fraction, self.html(c.text, f"choice {n}"),
                                 self.html(c.feedback, f"the feedback of choice {n}")))
        return lines

    def _single(self) -> list[str]:
        return self._choices(1.0, single_wrong_weight(self.q, self.settings, self.module))

    def _multiple(self) -> list[str]:
        return self._choices(*multiple_weights(self.q, self.settings, self.module))

    def _true_false(self) -> list[str]:
        answer = bool(self.q.answer)
        return [_answer("100" if answer else "0", "true", fmt="moodle_auto_format"),
                _answer("0" if answer else "100", "false", fmt="moodle_auto_format")]

    def _matching(self) -> list[str]:
        lines = ["    <shuffleanswers>true</shuffleanswers>"]
        for n, pair in enumerate(self.q.pairs or [], start=1):
            left = self.html(pair.left, f"the left item of pair {n}")
            # Moodle shows the right items in a drop-down: plain text only.
            right = escape(self.plain(pair.right, f"the right item of pair {n}"))
            lines.append(f'    <subquestion format="html">\n      <text>{_cdata(left)}</text>\n'
                         f"      <answer>\n        <text>{right}</text>\n      </answer>\n"
                         "    </subquestion>")
        return lines

    def _ordering(self) -> list[str]:
        grading = "ABSOLUTE_POSITION" if self.settings.partial_ordering else "ALL_OR_NOTHING"
        lines = ["    <layouttype>VERTICAL</layouttype>", "    <selecttype>ALL</selecttype>",
                 "    <selectcount>0</selectcount>",
                 f"    <gradingtype>{grading}</gradingtype>",
                 "    <showgrading>SHOW</showgrading>", "    <numberingstyle>abc</numberingstyle>"]
        # qtype_ordering keeps an item's right position in its "fraction": 1, 2, 3, ...
        for n, item in enumerate(self.q.sequence or [], start=1):
            lines.append(_answer(str(n), self.html(item, f"sequence item {n}")))
        return lines

    def _short(self) -> list[str]:
        lines = ["    <usecase>0</usecase>"]
        for n, accept in enumerate(self.q.accept or [], start=1):
            lines.append(_answer("100", self.plain(accept, f"accepted answer {n}"),
                                 fmt="moodle_auto_format"))
        return lines


def _category(name: str) -> str:
    # In a Moodle category path "/" separates levels; a literal slash is written "//".
    path = "$course$/" + " ".join(name.split()).replace("/", "//")
    return (f'  <question type="category">\n    <category>\n      <text>{escape(path)}</text>\n'
            "    </category>\n  </question>")


def moodle_xml(categories: list[tuple[str, list[Item]]], lang: str,
               settings: QuizSettings) -> str:
    """A Moodle XML file, one category per (name, questions); ExportError lists misfits.

    A question given as (module id, question) is named module/id, so that the final
    exam's category, which draws from every module, holds no name twice.
    """
    # A grade outside Moodle's allowed list or a missing translation is reported for every
    # question at once, never rounded or filled in silently.
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    problems: list[str] = []
    for name, questions in categories:
        parts.append(_category(name))
        for module, q in map(unpack, questions):
            try:
                parts.append(_Question(q, lang, settings, module).xml())
            except ExportError as exc:
                problems.extend(exc.problems)
    if problems:
        raise ExportError(problems)
    parts.append("</quiz>")
    return "\n".join(parts) + "\n"


def export(categories: list[tuple[str, list[Item]]], lang: str,
           settings: QuizSettings) -> tuple[str, list[str]]:
    """The Moodle XML of the categories, and what it could not carry over."""
    questions = [q for _, qs in categories for q in qs]
    return moodle_xml(categories, lang, settings), scoring_notes(questions, settings)
