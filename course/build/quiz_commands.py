"""The `grade` and `export` steps: pick a quiz's questions, then grade or export them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from course.build.check import checked_project
from course.content.loader import Project
from course.content.model import Module
from course.errors import ContentError, CoursegenError, Diagnostic
from course.quiz.versions import QuizItem, draw_final, item_id, item_question


def quiz_items(project: Project, quiz: str) -> list[QuizItem]:
    """The questions of a module quiz, or of the final exam (`final`)."""
    if quiz == "final":
        return list(draw_final(project, project.course.quiz.seed))
    module = _module(project, quiz)
    return list(module.questions)


def _module(project: Project, module_id: str) -> Module:
    for module in project.modules:
        if module.id == module_id:
            return module
    known = ", ".join(m.id for m in project.modules)
    raise CoursegenError(f"unknown quiz '{module_id}'; use 'final' or one of: {known}")


def run_grade(root: Path, responses: Path, quiz: str, lang: str | None, out: Path | None,
              printed: Path | None = None, record_id: str | None = None,
              drops: Sequence[str] = (), accepts: Sequence[str] = ()
              ) -> tuple[Path, str, list[str]]:
    """Grade a responses file as printed; write CSVs and report.docx/.pdf.

    Returns the folder, the summary line and the warnings (questions edited since).
    """
    from course.build.charts import charts_as_images
    from course.quiz.as_printed import (
        corrections,
        edited_since,
        grading_settings,
        named_records,
        select_record,
    )
    from course.quiz.grading import grade_printed, write_results
    from course.quiz.record import printed_versions
    from course.quiz.report import report_document
    from course.render.renderer import Renderer
    from generators import get_writer

    project = checked_project(root)
    lang = lang or project.main_lang
    module = None if quiz == "final" else _module(project, quiz)
    display = _display(responses, root)
    if not responses.is_file():
        raise ContentError([Diagnostic(display, 1, 1, "error", "responses file not found; "
                                       "give the path of the CSV to grade")])
    data = responses.read_bytes()
    record = select_record(printed if printed is not None else root / "output", quiz, lang,
                           record_id, named_records(data))
    alternatives = corrections(record, drops, accepts)
    today = {item_id(it): item_question(it) for it in quiz_items(project, quiz)}
    warnings = edited_since(record, today)
    settings = project.course.quiz
    result = grade_printed(data, display, printed_versions(record), settings, drops,
                           alternatives)
    result = replace(result, settings=grading_settings(record, settings, drops, accepts))
    target = out if out is not None else root / "output" / "grades" / lang / quiz
    renderer = Renderer(project)
    labels = renderer.labels[lang]
    title = labels["final_exam"] if module is None else module.title.get(lang, quiz)
    document = report_document(result, title, lang, labels["direction"], labels,
                               renderer.meta(lang, module, labels["grade_report"]),
                               renderer.theme())
    # The five files are one set: all are made in a staging folder, then moved in, so a
    # failure leaves the previous set as it was.
    staging = target / f".grading-{os.getpid()}"
    try:
        staging.mkdir(parents=True, exist_ok=True)
        made = write_results(result, staging)
        # Word shows the charts as pictures rasterised from our PDF drawing of them.
        get_writer("docx").write(charts_as_images(document), staging / "report.docx")
        get_writer("pdf").write(document, staging / "report.pdf")
        made += [staging / "report.docx", staging / "report.pdf"]
        # Every target must take a file before any is replaced: one set, never half of it.
        blocked = [target / p.name for p in made if (target / p.name).exists()
                   and not (target / p.name).is_file()]
        if blocked:
            raise CoursegenError(f"'{blocked[0]}' is not a file, so the grades cannot be "
                                 "written there; move it away or give another --out")
        for path in made:
            os.replace(path, target / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    passed = sum(1 for s in result.scores if s.passed)
    return target, f"graded {len(result.scores)} participants, {passed} passed", warnings


def run_export(root: Path, fmt: str, quiz: str | None, lang: str | None,
               out: Path | None) -> tuple[Path, list[str]]:
    """Write Moodle XML or GIFT; return the file and the warnings."""
    from generators import get_exporter

    project = checked_project(root)
    lang = lang or project.main_lang
    # Questions go with their module id, so that names and warnings say where they are from.
    if quiz is None:
        categories = [(m.title.get(lang, m.id), [(m.id, q) for q in m.questions])
                      for m in project.modules if lang in project.module_langs(m)]
    elif quiz == "final":
        from course.render.renderer import Renderer

        title = Renderer(project).labels[lang]["final_exam"]
        categories = [(title, [q for _, q in draw_final(project, project.course.quiz.seed)])]
    else:
        module = _module(project, quiz)
        categories = [(module.title.get(lang, module.id),
                       [(module.id, q) for q in module.questions])]
    suffix = "xml" if fmt == "moodle" else "gift"
    folder = root / "output" / lang if quiz is None else root / "output" / lang / quiz
    target = out if out is not None else folder / f"questions.{suffix}"
    text, warnings = get_exporter(fmt)(categories, lang, project.course.quiz)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return target, warnings


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
