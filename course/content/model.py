"""The content model: course manifest, modules and questions, validated by pydantic."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)

from course.content.fields import (
    TEXT_SCHEMA,
    Flag,
    Number,
    Text,
    Whole,
    once_each,
    visible_id,
)

Lang = Literal["ar", "fr", "en"]
QuestionType = Literal["single", "multiple", "true_false", "matching", "ordering", "short"]
# The revised Bloom levels, lowest first.
Level = Literal["remember", "understand", "apply", "analyse", "evaluate", "create"]
RTL_LANGS = frozenset({"ar"})
# Sane upper bounds: a number past them is a typo (or 1e308), and printing it would fail.
MAX_POINTS = 100  # a short answer prints one score box per point on the answer sheet
MAX_MINUTES = 10_080  # a week
MAX_PARA = 1_000_000
MAX_QUESTIONS = 100_000


class Strict(BaseModel):
    """Base: unknown keys are errors, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """A citation: report paragraph number and a verbatim anchor from it."""

    para: Whole = Field(ge=1, le=MAX_PARA,
                      description="Paragraph number: the n-th non-empty line of the report")
    anchor: str = Field(description="3 to 12 words copied exactly from that paragraph")


def _to_sources(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


def _written(value: Any) -> str:
    return getattr(value, "source", str(value))


def _no_number(what: str) -> Any:
    """A validator refusing a YAML number where text is meant, saying how to quote it."""

    def check(value: Any) -> Any:
        if isinstance(value, dt.date):
            raise ValueError(f"YAML reads {value} as a date, but {what} is text; put it in "
                             f"quotes: \"{value}\"")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            written = _written(value)
            read = f"{value:g}" if isinstance(value, float) else str(value)
            if written == read:
                raise ValueError(f"{what} is text, not the number {written}; put it in "
                                 f"quotes: \"{written}\"")
            raise ValueError(f"YAML reads {written} as the number {read}, but {what} is text; "
                             f"put it in quotes: \"{written}\"")
        return value

    return check


# YAML reads `version: 1.10` as the number 1.1 and `id: 010` as 8: both are text, and a
# number there is an error that says to quote it, never a silent change.
Version = Annotated[str, BeforeValidator(_no_number("a version"))]
Id = Annotated[str, BeforeValidator(_no_number("an id")), AfterValidator(visible_id)]
# One citation or a list of them; the schema says so too (see course.content.schema).
Sources = Annotated[list[Source], BeforeValidator(_to_sources), Field(min_length=1)]


class Objective(Strict):
    """A measurable learning objective."""

    id: Id
    text: Text


class KeyPoint(Strict):
    """One fact to remember, with its source."""

    text: Text
    source: Sources


class Section(Strict):
    """A section of the handout: Markdown body and key points."""

    id: Id
    title: Text
    body: Text
    key_points: list[KeyPoint] = []
    source: Sources


class GlossaryEntry(Strict):
    """A term and its definition."""

    term: Text
    definition: Text
    source: Sources


class Activity(Strict):
    """A case study, role play or discussion run by the trainer."""

    id: Id
    title: Text
    kind: Literal["case_study", "role_play", "discussion"]
    instructions: Text
    duration_minutes: Whole = Field(gt=0, le=MAX_MINUTES)
    debrief: Text
    source: Sources | None = None


class DiscussionQuestion(Strict):
    """A question for the room and the points a trainer should hear."""

    question: Text
    expected_points: list[Text] = Field(min_length=1)


class SlideSpec(Strict):
    """One slide of the outline."""

    title: Text
    bullets: list[Text] = []
    notes: Text | None = None


class Choice(Strict):
    """One choice of a single- or multiple-answer question."""

    text: Text
    correct: Flag = False
    feedback: Text | None = None
    pinned: Flag = False


class Pair(Strict):
    """One left-right pair of a matching question."""

    left: Text
    right: Text


def _accept_by_language(value: Any) -> Any:
    """`accept: {ar: [...], fr: [...]}` as a list of texts; a shorter list repeats its last.

    The accepted forms of two languages need not pair one to one; padding keeps every
    entry a text in every language, so grading and exports read one shape.
    """
    if not isinstance(value, dict):
        return value
    if not value or not all(isinstance(k, str) and isinstance(v, list) and v and
                            all(isinstance(s, str) for s in v) for k, v in value.items()):
        raise ValueError("write accept as a list of answers, or per language as a mapping "
                         "from language code to a non-empty list, such as {ar: [...], "
                         "fr: [...]}")
    longest = max(len(v) for v in value.values())
    return [{lang: forms[min(i, len(forms) - 1)] for lang, forms in value.items()}
            for i in range(longest)]


ACCEPT_SCHEMA = {"anyOf": [
    {"type": "array", "items": TEXT_SCHEMA},
    {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"},
                                                "minItems": 1},
     "propertyNames": {"enum": ["ar", "fr", "en"]}, "minProperties": 1},
    {"type": "null"}]}


class Question(Strict):
    """A quiz question; which answer fields apply depends on `type`."""

    id: Id
    type: QuestionType
    objective: Id
    level: Level | None = Field(default=None, description="Revised Bloom level it assesses")
    points: Number = Field(default=1, gt=0, le=MAX_POINTS, allow_inf_nan=False)
    stem: Text
    choices: list[Choice] | None = None
    answer: Flag | None = None
    pairs: list[Pair] | None = None
    sequence: list[Text] | None = None
    accept: Annotated[list[Text] | None, BeforeValidator(_accept_by_language),
                      WithJsonSchema(ACCEPT_SCHEMA)] = None
    explanation: Text
    source: Sources


class Module(Strict):
    """One teaching module, written in one or more of the course's languages."""

    id: Id
    version: Version
    languages: Annotated[list[Lang], AfterValidator(once_each)] | None = None
    title: Text
    summary: Text
    duration_minutes: Whole = Field(gt=0, le=MAX_MINUTES)
    audience: Text
    objectives: list[Objective] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    glossary: list[GlossaryEntry] = []
    activities: list[Activity] = []
    discussion_questions: list[DiscussionQuestion] = []
    slides: list[SlideSpec] | None = None
    questions: list[Question] = []


class QuizSettings(Strict):
    """Pass mark, printed versions and scoring rules."""

    pass_mark: Number = Field(default=50, ge=0, le=100)
    variants: Whole = Field(default=1, ge=1, le=26)
    seed: Whole = 1
    multiple_rule: Literal["false", "false2", "all"] = "false"
    partial_matching: Flag = True
    partial_ordering: Flag = True
    negative_single: Number = Field(default=0, ge=0, le=1)
    id_digits: Whole = Field(default=6, ge=1, le=12,
                           description="Digits of the participant-ID grid on answer sheets")


class FinalExam(Strict):
    """How the course-wide final exam is drawn."""

    questions_per_module: Whole = Field(default=3, ge=1, le=MAX_QUESTIONS)


class ThemeSettings(Strict):
    """Branding that reaches every document."""

    logo: str | None = None
    primary_color: str = Field(default="#1F4E79", pattern=r"^#[0-9A-Fa-f]{6}$")
    secondary_color: str = Field(default="#C9A227", pattern=r"^#[0-9A-Fa-f]{6}$")
    font: str = "Amiri"
    heading_font: str = "Amiri"
    paper: Literal["A4", "Letter"] = "A4"
    header: Text | None = None
    footer: Text | None = None
    reference_docx: str | None = None
    reference_pptx: str | None = None


class PackSettings(Strict):
    """What the participant course pack includes besides the handouts."""

    slides: Flag = False
    quizzes: Flag = False


class Course(Strict):
    """The course manifest, content/course.yaml."""

    id: Id
    title: Text
    organisation: Text
    version: Version
    date: dt.date
    languages: Annotated[list[Lang], AfterValidator(once_each)] = Field(min_length=1)
    modules: list[Id] = Field(min_length=1)
    quiz: QuizSettings = QuizSettings()
    final_exam: FinalExam = FinalExam()
    templates: str | None = None
    theme: ThemeSettings = ThemeSettings()
    pack: PackSettings = PackSettings()
