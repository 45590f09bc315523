"""Moodle quiz facts shared by the Moodle XML and GIFT exporters: grades, texts, HTML."""

from __future__ import annotations

import html
import re

from course.content.model import RTL_LANGS, Question, QuizSettings
from course.errors import CoursegenError

# The grades Moodle's importers accept, as fractions (question/format.php, within 1e-5).
ALLOWED = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3,
           0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)
TOLERANCE = 1e-5
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*")


class ExportError(CoursegenError):
    """A quiz Moodle cannot represent; the message names each question and what to change."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def allowed_fraction(value: float) -> float | None:
    """The allowed Moodle grade equal to value (either sign), or None if there is none."""
    for allowed in ALLOWED:
        if abs(abs(value) - allowed) <= TOLERANCE:
            return allowed if value >= 0 else -allowed
    return None


def percent(fraction: float) -> str:
    """An allowed fraction as Moodle writes it in percent: 100, 33.33333, -50, 12.5."""
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


# What an exporter takes: a question, or (module id, question) so that names and messages
# can say which module it comes from (a final exam draws from every module).
Item = Question | tuple[str, Question]


def unpack(item: Item) -> tuple[str, Question]:
    """(module id or "", question) of an item."""
    return item if isinstance(item, tuple) else ("", item)


def who(q: Question, module: str = "") -> str:
    """How messages name a question: "question 'q3' of module 'civil-society'"."""
    return f"question '{q.id}' of module '{module}'" if module else f"question '{q.id}'"


def question_name(q: Question, module: str = "") -> str:
    """The question's name in Moodle: module/id, unique across an exam's modules."""
    return f"{module}/{q.id}" if module else q.id


def _share(value: float, name: str, what: str) -> float:
    found = allowed_fraction(value)
    if found is None:
        raise ExportError([f"{name}: {what} would be {value * 100:.4g} %, which Moodle "
                           "does not allow; change the number of choices or the scoring rule"])
    return found


def multiple_weights(q: Question, settings: QuizSettings,
                     module: str = "") -> tuple[float, float]:
    """Moodle grades of a right and of a (negative) wrong choice of a multiple question."""
    # Moodle clamps the sum to [0, 1] as our scoring does, so -100 % is exactly rule "all".
    choices = q.choices or []
    n_right = sum(1 for c in choices if c.correct)
    n_wrong = len(choices) - n_right
    gain = _share(1 / n_right, who(q, module), "each right choice")
    # The same rule as course.scoring.multiple_fractions (a test holds them together).
    if settings.multiple_rule == "all" or n_wrong == 0:
        return gain, -1.0
    divisor = max(n_wrong, 2) if settings.multiple_rule == "false2" else n_wrong
    return gain, _share(-1 / divisor, who(q, module), "each wrong choice")


def single_wrong_weight(q: Question, settings: QuizSettings, module: str = "") -> float:
    """The Moodle grade of a wrong choice of a single-answer question (negative marking)."""
    if not settings.negative_single:
        return 0.0
    return _share(-settings.negative_single, who(q, module), "a wrong answer (negative_single)")


def scoring_notes(items: list[Item], settings: QuizSettings) -> list[str]:
    """Where Moodle will score a question differently from coursegen's printed quizzes."""
    notes = []
    for module, q in map(unpack, items):
        if q.type == "matching" and not settings.partial_matching:
            notes.append(f"{who(q, module)}: Moodle gives partial marks to matching questions;"
                         " partial_matching: false is not carried over")
        if q.type == "true_false" and settings.negative_single:
            notes.append(f"{who(q, module)}: Moodle's true/false questions cannot take "
                         "negative marks; negative_single applies on paper only")
    return notes


def text_in(text: dict[str, str] | None, lang: str, name: str, what: str) -> str:
    """A text in the export language, or an error naming the question (`name`, see who)."""
    if text is None:
        return ""
    if lang not in text:
        raise ExportError([f"{name}: {what} has no '{lang}' text; translate it or "
                           f"export another language"])
    return text[lang]


def inline_html(text: str) -> str:
    """Content text as HTML: escaped (content is data), **bold** and *italic*, paragraphs."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    out = []
    for paragraph in paragraphs:
        escaped = html.escape(paragraph, quote=False)
        escaped = _ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", escaped))
        out.append(escaped)
    return "<br><br>".join(out)


def block_html(text: str, lang: str) -> str:
    """A text as an HTML block with the language's direction, for question fields."""
    direction = "rtl" if lang in RTL_LANGS else "ltr"
    return f'<div dir="{direction}">{inline_html(text)}</div>'


def plain(text: str) -> str:
    """Content text for Moodle's plain-text fields: Markdown marks removed, one line."""
    text = _BOLD.sub(r"\1", " ".join(text.split()))
    return _ITALIC.sub(r"\1", text)


class QuestionTexts:
    """One question's texts in one language, for an exporter to build on."""

    def __init__(self, q: Question, lang: str, settings: QuizSettings, module: str = "") -> None:
        self.q, self.lang, self.settings, self.module = q, lang, settings, module
        self.who = who(q, module)  # how messages name it
        self.name = question_name(q, module)

    def text(self, text: dict[str, str] | None, what: str) -> str:
        """A text of the question in the export language, as written."""
        return text_in(text, self.lang, self.who, what)

    def html(self, text: dict[str, str] | None, what: str) -> str:
        """A text of the question as a directed HTML block; empty when absent."""
        if text is None:
            return ""
        return block_html(self.text(text, what), self.lang)
