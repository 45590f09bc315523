"""Assemble the Document of each job: module documents, final exam, course packs."""

from __future__ import annotations

import csv
import io
from typing import Any

from course.document import (
    Document,
)
from course.loader import Project
from course.model import Module
from course.plan import Job, Options, keys_relpath
from course.render import Renderer
from course.sources import iter_sources
from course.versions import PrintedQuestion, draw_final, keys_csv_rows, printed_quiz

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


class Assembler:
    """Renders the document of any job of a project."""

    def __init__(self, project: Project, options: Options) -> None:
        self.project = project
        self.renderer = Renderer(project)
        self.seed = options.seed if options.seed is not None else project.course.quiz.seed
        self.modules = {m.id: m for m in project.modules}

    def printed(self, module: Module | None, version: str, lang: str) -> list[PrintedQuestion]:
        """The questions of one version of a module quiz or of the final exam."""
        items = module.questions if module else draw_final(self.project, self.seed)
        return printed_quiz(items, version, self.seed, lang)

    def document(self, job: Job) -> Document:
        """The document of one job."""
        if job.kind in ("course-pack", "trainer-pack"):
            from course.packs import Packs

            return Packs(self).whole(job.lang, job.kind)
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

    def key_files(self, jobs: list[Job]) -> dict[str, str]:
        """keys.csv of every module (and the final exam) that the planned jobs print."""
        files: dict[str, str] = {}
        variants = max([ord(j.version) - ord("A") + 1 for j in jobs] + [1])
        for job in jobs:
            rel = keys_relpath(job)
            if rel and job.version == "A":
                if job.module:
                    items: list = list(self.modules[job.module].questions)
                else:
                    items = list(draw_final(self.project, self.seed))
                rows = keys_csv_rows(items, variants, self.seed, job.lang)
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerows(rows)
                files[rel] = buffer.getvalue()
        return files
