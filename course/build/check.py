"""The `check` step: load, validate and cite-check a project; gather every diagnostic.

`build`, `grade` and `export` run the same check first (`checked_project`), and the check
renders every document's templates, so whatever it accepts builds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from course.build.module_cache import ModuleCache
from course.content.citations import check_sources, read_paragraphs
from course.content.glossary_check import check_glossaries
from course.content.loader import Project, load_project
from course.content.model import Module
from course.content.templates_check import check_templates
from course.content.theme import check_theme
from course.content.validate import check_project
from course.content.yamlsource import Located
from course.errors import ContentError, Diagnostic
from course.quiz.itemchecks import check_items
from course.quiz.levels import check_levels


@dataclass
class CheckResult:
    """A project (when its files validated) and every diagnostic, sorted."""

    project: Project | None
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        """Only the errors."""
        return [d for d in self.diagnostics if d.severity == "error"]


def check(root: Path, source_text: Path | None = None,
          cache: ModuleCache | None = None) -> CheckResult:
    """Run every check of a project; never raises for bad content.

    With a cache (the build's), modules unchanged since a check without errors are not
    parsed or checked again: their diagnostics are the ones recorded. That holds because
    every check below looks at one module at a time, with the course-level inputs the
    cache's key covers; a check across modules runs on `project`, never on `own`, and what
    it finds is not cached.
    """
    from course.render.renderer import DEFAULT_TEMPLATES

    project, found = load_project(root, cache.read) if cache else load_project(root)
    across: list[Diagnostic] = []
    if project is not None:
        own = project  # the modules to check here: all, or those parsed afresh
        if cache is not None:
            own = replace(project, modules=[m for m in project.modules
                                            if project.files[m.id] in cache.fresh])
            found.extend(d for diagnostics in cache.cached.values() for d in diagnostics)
        # Checks across modules see every module; what they say is never cached.
        across = check_glossaries(project)
        found.extend(across)
        found.extend(check_project(own))
        found.extend(markdown_problems(own))
        paragraphs = read_paragraphs(source_text) if source_text else None
        found.extend(check_sources(own, paragraphs))
        found.extend(check_theme(project))
        found.extend(check_templates(project, DEFAULT_TEMPLATES / "labels.yaml"))
        found.extend(check_items(own))
        found.extend(check_levels(own))
        # Templates run over content that is known to be sound, or they could trip on it.
        if not any(d.severity == "error" for d in found) and custom_templates(project):
            found.extend(render_problems(own))
    diagnostics = sorted(set(found))
    if cache is not None and project is not None and \
            not any(d.severity == "error" for d in diagnostics):
        cache.keep(project.located, sorted(set(diagnostics) - set(across)))
    return CheckResult(project, diagnostics)


def checked_project(root: Path, cache: ModuleCache | None = None) -> Project:
    """The project when it has no errors; otherwise ContentError with every diagnostic."""
    result = check(root, cache=cache)
    if result.errors or result.project is None:
        raise ContentError(result.diagnostics)
    return result.project


def custom_templates(project: Project) -> bool:
    """Whether the project's templates folder holds templates of its own (not only labels).

    The shipped templates print any content this check accepts (the property tests hold
    them to it), so only a project's own templates need the dry run.
    """
    if project.course.templates is None:
        return False
    folder = project.root / project.course.templates
    # Top-level files only: a file in a subfolder is used only through one of them.
    return any(p.name != "labels.yaml" for p in folder.iterdir() if p.is_file())


def render_problems(project: Project) -> list[Diagnostic]:
    """Render every document's templates (no writer runs): each failure, located."""
    from course.build.plan import Options, plan_jobs
    from course.render.assemble import Assembler

    try:
        assembler = Assembler(project, variants=1)
    except ContentError as exc:  # labels.yaml
        return exc.diagnostics
    assembler.renderer.probe = True
    found: list[Diagnostic] = []
    # Version A of each document: later versions differ only in their order.
    for job in plan_jobs(project, Options(formats=["docx"], variants=1)):
        if job.kind in ("course-pack", "trainer-pack"):
            continue  # made of the module documents rendered here
        try:
            assembler.document(job)
        except ContentError as exc:
            found.extend(exc.diagnostics)
    return found


def markdown_problems(project: Project) -> list[Diagnostic]:
    """Content Markdown the templates cannot print, at its line in the module."""
    from course.render.markdown import content_problems

    found: list[Diagnostic] = []
    for module in project.modules:
        file = project.files[module.id]
        located = project.located[file]
        for path, what, text in _markdown_texts(module):
            for lang, markdown in text.items():
                for number, column, message in content_problems(markdown):
                    line, col = _line_of(located, path + (lang,), path, number, column)
                    found.append(Diagnostic(file, line, col, "error", f"{what}: {message}"))
    return found


def _markdown_texts(module: Module) -> Iterator[tuple[tuple[Any, ...], str, dict[str, str]]]:
    """The texts printed as Markdown: section bodies, activities' instructions and debrief."""
    for index, section in enumerate(module.sections):
        yield ("sections", index, "body"), f"section '{section.id}' body", section.body
    for index, activity in enumerate(module.activities):
        for name in ("instructions", "debrief"):
            yield (("activities", index, name), f"activity '{activity.id}' {name}",
                   getattr(activity, name))


def _line_of(located: Located, path: tuple[Any, ...], parent: tuple[Any, ...], number: int,
             column: int) -> tuple[int, int]:
    """The file position of a Markdown line: exact in a `|` block, else the text's start."""
    written = path if path in located.positions else parent
    line, col = located.where(written)
    indent = located.literal.get(written)
    if indent is None:
        return line, col
    return line + 1 + number, indent + 1 + column
