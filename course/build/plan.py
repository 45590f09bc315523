"""What a build makes: the list of documents (jobs) for a project and the options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the content model is heavy: a build with nothing to do never loads it
    from course.content.loader import Project

MODULE_KINDS = ("handout", "slides", "quiz", "answer-key", "answer-sheet", "trainer-guide")
VERSIONED_KINDS = ("quiz", "answer-key", "answer-sheet")
COURSE_KINDS = ("final-exam", "final-exam-answer-key", "final-exam-answer-sheet",
                "course-pack", "trainer-pack")
FORMATS = ("docx", "pdf", "pptx")
# Formats that only some kinds have: a deck exists for slides alone. Others apply to all.
FORMAT_KINDS = {"pptx": ("slides",)}


def applies(fmt: str, kind: str) -> bool:
    """Whether a format makes a file of this kind (pptx: decks of the slides only)."""
    return kind in FORMAT_KINDS.get(fmt, (kind,))


@dataclass(frozen=True)
class Job:
    """One output document: what, for which module and language, in which format."""

    kind: str  # e.g. "quiz", "final-exam-answer-key", "course-pack"
    lang: str
    fmt: str
    module: str | None = None  # None for course-level documents
    version: str = "A"

    @property
    def stem(self) -> str:
        """The file name without suffix: the kind, with -B... for later versions."""
        return self.kind if self.version == "A" else f"{self.kind}-{self.version}"

    def relpath(self) -> str:
        """Where the output goes, relative to OUT."""
        folder = f"{self.lang}/{self.module}" if self.module else self.lang
        return f"{folder}/{self.stem}.{self.fmt}"


def keys_relpath(job: Job) -> str | None:
    """The keys.csv that goes with a job's quiz, if it prints one."""
    if job.kind == "quiz":
        return f"{job.lang}/{job.module}/keys.csv"
    if job.kind == "final-exam":
        return f"{job.lang}/final-exam-keys.csv"
    return None


def record_relpath(job: Job) -> str | None:
    """The latest print record (printed.json) of the quiz a job prints, if it prints one."""
    if job.kind in VERSIONED_KINDS:
        return f"{job.lang}/{job.module}/printed.json"
    if job.kind.startswith("final-exam"):
        return f"{job.lang}/final-exam-printed.json"
    return None


def all_relpaths(jobs: list[Job]) -> set[str]:
    """Every file a list of jobs writes: the documents, keys.csv and printed.json files."""
    paths = {job.relpath() for job in jobs}
    return paths | {p for job in jobs for p in (keys_relpath(job), record_relpath(job)) if p}


@dataclass
class Options:
    """What the command line narrowed the build to."""

    langs: list[str] | None = None
    formats: list[str] = field(default_factory=lambda: list(FORMATS))
    kinds: list[str] | None = None
    modules: list[str] | None = None
    variants: int | None = None
    seed: int | None = None


def plan_jobs(project: Project, options: Options) -> list[Job]:
    """Every job of the build, in a stable order."""
    from course.quiz.versions import version_letters

    variants = options.variants or project.course.quiz.variants
    letters = version_letters(variants)
    wanted_kinds = set(options.kinds) if options.kinds else None
    jobs: list[Job] = []
    langs = [lang for lang in project.course.languages
             if not options.langs or lang in options.langs]
    for module in project.modules:
        if options.modules and module.id not in options.modules:
            continue
        for lang in project.module_langs(module):
            if lang not in langs:
                continue
            for kind in MODULE_KINDS:
                if wanted_kinds and kind not in wanted_kinds:
                    continue
                for version in (letters if kind in VERSIONED_KINDS else ["A"]):
                    for fmt in options.formats:
                        if applies(fmt, kind):
                            jobs.append(Job(kind, lang, fmt, module.id, version))
    if options.modules:
        return jobs
    for lang in langs:
        in_lang = [m for m in project.modules if lang in project.module_langs(m)]
        everywhere = len(in_lang) == len(project.modules)
        for kind in COURSE_KINDS:
            if wanted_kinds and kind not in wanted_kinds:
                continue
            if kind.startswith("final-exam") and not everywhere:
                continue  # a final exam needs every module in that language
            if not in_lang:
                continue
            versions = letters if kind.startswith("final-exam") else ["A"]
            for version in versions:
                for fmt in options.formats:
                    if applies(fmt, kind):
                        jobs.append(Job(kind, lang, fmt, None, version))
    return jobs
