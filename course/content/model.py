"""The content model: course manifest, modules and questions, validated by pydantic."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
)

Lang = Literal["ar", "fr", "en"]
QuestionType = Literal["single", "multiple", "true_false", "matching", "ordering", "short"]
# The revised Bloom levels, lowest first.
Level = Literal["remember", "understand", "apply", "analyse", "evaluate", "create"]
RTL_LANGS = frozenset({"ar"})


def _to_text(value: Any, info: ValidationInfo) -> dict[str, str]:
    """A text is a string in the main language or a mapping language -> string."""
    main = (info.context or {}).get("main_lang", "ar")
    if isinstance(value, str):
        return {main: value}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {main: str(value)}
    if isinstance(value, dict) and value and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return dict(value)
    raise ValueError(
        "expected text, or a mapping from language code to text such as {ar: ..., fr: ...}"
    )


TEXT_SCHEMA = {
    "anyOf": [
        {"type": "string"},
        {"type": "number"},
        {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1,
         "propertyNames": {"enum": ["ar", "fr", "en"]}},
    ]
}
Text = Annotated[dict[str, str], PlainValidator(_to_text), WithJsonSchema(TEXT_SCHEMA)]


class Strict(BaseModel):
    """Base: unknown keys are errors, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """A citation: report paragraph number and a verbatim anchor from it."""

    para: int = Field(ge=1, description="Paragraph number: the n-th non-empty line of the report")
    anchor: str = Field(description="3 to 12 words copied exactly from that paragraph")


def _to_sources(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


def _to_version(value: Any) -> Any:
    # YAML reads `version: 1.0` as a number; a version is text.
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


Version = Annotated[str, BeforeValidator(_to_version),
                    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}]})]
# One citation or a list of them; the schema says so too (see course.content.schema).
Sources = Annotated[list[Source], BeforeValidator(_to_sources), Field(min_length=1)]


class Objective(Strict):
    """A measurable learning objective."""

    id: str
    text: Text


class KeyPoint(Strict):
    """One fact to remember, with its source."""

    text: Text
    source: Sources


class Section(Strict):
    """A section of the handout: Markdown body and key points."""

    id: str
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

    id: str
    title: Text
    kind: Literal["case_study", "role_play", "discussion"]
    instructions: Text
    duration_minutes: int = Field(gt=0)
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
    correct: bool = False
    feedback: Text | None = None
    pinned: bool = False


class Pair(Strict):
    """One left-right pair of a matching question."""

    left: Text
    right: Text


class Question(Strict):
    """A quiz question; which answer fields apply depends on `type`."""

    id: str
    type: QuestionType
    objective: str
    level: Level | None = Field(default=None, description="Revised Bloom level it assesses")
    points: float = Field(default=1, gt=0, allow_inf_nan=False)
    stem: Text
    choices: list[Choice] | None = None
    answer: bool | None = None
    pairs: list[Pair] | None = None
    sequence: list[Text] | None = None
    accept: list[Text] | None = None
    explanation: Text
    source: Sources


class Module(Strict):
    """One teaching module, written in one or more of the course's languages."""

    id: str
    version: Version
    languages: list[Lang] | None = None
    title: Text
    summary: Text
    duration_minutes: int = Field(gt=0)
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

    pass_mark: float = Field(default=50, ge=0, le=100)
    variants: int = Field(default=1, ge=1, le=26)
    seed: int = 1
    multiple_rule: Literal["false", "false2", "all"] = "false"
    partial_matching: bool = True
    partial_ordering: bool = True
    negative_single: float = Field(default=0, ge=0, le=1)
    id_digits: int = Field(default=6, ge=1, le=12,
                           description="Digits of the participant-ID grid on answer sheets")


class FinalExam(Strict):
    """How the course-wide final exam is drawn."""

    questions_per_module: int = Field(default=3, ge=1)


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

    slides: bool = False
    quizzes: bool = False


class Course(Strict):
    """The course manifest, content/course.yaml."""

    id: str
    title: Text
    organisation: Text
    version: Version
    date: dt.date
    languages: list[Lang] = Field(min_length=1)
    modules: list[str] = Field(min_length=1)
    quiz: QuizSettings = QuizSettings()
    final_exam: FinalExam = FinalExam()
    templates: str | None = None
    theme: ThemeSettings = ThemeSettings()
    pack: PackSettings = PackSettings()
