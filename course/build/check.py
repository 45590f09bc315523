"""The `check` step: load, validate and cite-check a project; gather every diagnostic."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course.content.citations import check_sources, read_paragraphs
from course.content.loader import Project, load_project
from course.content.theme import check_theme
from course.content.validate import check_project
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


def check(root: Path, source_text: Path | None = None) -> CheckResult:
    """Run every check of a project; never raises for bad content."""
    project, found = load_project(root)
    if project is not None:
        found.extend(check_project(project))
        paragraphs = read_paragraphs(source_text) if source_text else None
        found.extend(check_sources(project, paragraphs))
        found.extend(check_theme(project))
        found.extend(check_items(project))
        found.extend(check_levels(project))
    return CheckResult(project, sorted(set(found)))


def checked_project(root: Path) -> Project:
    """The project when it has no errors; otherwise ContentError with every diagnostic."""
    result = check(root)
    if result.errors or result.project is None:
        raise ContentError(result.diagnostics)
    return result.project
