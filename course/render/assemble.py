"""Assemble the Document of each job: module documents, final exam, course packs."""

from __future__ import annotations

from typing import Any, Protocol

from course.content.citations import iter_sources
from course.content.loader import Project
from course.content.model import Module
from course.document import Document
from course.quiz.record import quiz_record
from course.quiz.versions import PrintedQuestion, draw_final, printed_quiz
from course.render.packs import Packs
from course.render.renderer import Renderer
from course.render.sheets import sheet_document

QUIZ_TEMPLATES = {"quiz": "quiz.md.j2", "answer-key": "answer-key.md.j2",
                  "answer-sheet": "answer-sheet.md.j2"}


def session_plan(module: Module, lang: str, labels: dict[str, Any]) -> list[dict[str, str]]:
    """A timed plan: opening, sections, activities, discussion, closing quiz."""
    fixed = [(labels["opening"], 10)]
    tail = [(a.title[lang], a.duration_minutes) for a in module.activities]
    if module.discussion_questions:
        tail.append((labels["discussion_questions"], 5 * len(module.discussion_questions)))
    tail.append((labels["closing"], 15))
    used = 10 + sum(minutes for _, minutes in tail)
    # The time left is shared among the sections, at least 5 minutes each.
    share = max(5, (module.duration_minutes - used) // max(1, len(module.sections)))
    steps = fixed + [(s.title[lang], share) for s in module.sections] + tail
    plan, clock = [], 0
    for title, minutes in steps:
        plan.append({"start": f"{clock // 60}:{clock % 60:02d}", "title": title,
                     "minutes": str(minutes)})
        clock += minutes
    return plan


RECORDS_KEPT = 4  # print records held in memory, the most recently used


class DocumentJob(Protocol):
    """What the assembler needs to know of a build job (`course.build.plan.Job` is one)."""

    kind: str
    lang: str
    fmt: str
    module: str | None
    version: str


class Assembler:
    """Renders the document of any job of a project."""

    def __init__(self, project: Project, seed: int | None = None,
                 variants: int | None = None) -> None:
        self.project = project
        self.renderer = Renderer(project)
        self.seed = seed if seed is not None else project.course.quiz.seed
        self.variants = variants or project.course.quiz.variants
        self.modules = {m.id: m for m in project.modules}
        self.packs = Packs(project, self.renderer, self.module_document)
        self._records: dict[tuple[str, str], dict[str, Any]] = {}

    def record(self, quiz: str, lang: str) -> dict[str, Any]:
        """The print record of a quiz (a module id or `final`) in a language."""
        found = self._records.pop((quiz, lang), None)
        if found is None:
            items = self.modules[quiz].questions if quiz != "final" else \
                draw_final(self.project, self.seed)
            found = quiz_record(items, quiz, lang, self.project.course, self.seed,
                                self.variants)
        self._records[quiz, lang] = found  # the most recently used last
        # A few are kept: a quiz's sheets are written one after another, and every record
        # of a large course held at once was 80 MB in each worker.
        while len(self._records) > RECORDS_KEPT:
            del self._records[next(iter(self._records))]
        return found

    def sheet(self, quiz: str, lang: str, version: str, title: str) -> Document:
        """The machine-readable PDF answer sheet of one printed version."""
        module = self.modules.get(quiz)
        labels = self.renderer.labels[lang]
        printed = self.printed(module, version, lang)
        meta = self.renderer.meta(lang, module, labels["answer_sheet"])
        return sheet_document(printed, self.record(quiz, lang), version,
                              f"{title} — {labels['answer_sheet']}", lang, labels, meta,
                              self.renderer.theme())

    def printed(self, module: Module | None, version: str, lang: str) -> list[PrintedQuestion]:
        """The questions of one version of a module quiz or of the final exam."""
        items = module.questions if module else draw_final(self.project, self.seed)
        return printed_quiz(items, version, self.seed, lang)

    def document(self, job: DocumentJob) -> Document:
        """The document of one job."""
        if job.kind in ("course-pack", "trainer-pack"):
            return self.packs.whole(job.lang, job.kind)
        if job.kind.endswith("answer-sheet") and job.fmt == "pdf":
            quiz = job.module or "final"
            labels = self.renderer.labels[job.lang]
            title = labels["final_exam"] if quiz == "final" else \
                self.modules[quiz].title.get(job.lang, quiz)
            return self.sheet(quiz, job.lang, job.version, title)
        if job.kind.startswith("final-exam"):
            base = job.kind.removeprefix("final-exam").removeprefix("-") or "quiz"
            labels = self.renderer.labels[job.lang]
            title = labels["final_exam"]
            return self.renderer.document(base, job.lang, None, version=job.version,
                                          printed=self.printed(None, job.version, job.lang),
                                          template=QUIZ_TEMPLATES[base], title=title)
        module = self.modules[job.module or ""]
        return self.module_document(job.kind, job.lang, module, job.version)

    def module_document(self, kind: str, lang: str, module: Module,
                        version: str = "A") -> Document:
        """One kind of document for a module."""
        labels = self.renderer.labels[lang]
        printed = self.printed(module, version, lang) if kind in QUIZ_TEMPLATES else None
        extra = {
            "all_sources": [s for _, s in iter_sources(module)],
            "plan": session_plan(module, lang, labels) if kind == "trainer-guide" else [],
        }
        return self.renderer.document(kind, lang, module, printed=printed, version=version,
                                      extra=extra)
