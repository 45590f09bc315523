"""Diagnostics users can act on: `file:line:col: severity: message`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One located problem; lines and columns count from 1."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str

    def format(self) -> str:
        """The one line a user reads."""
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The JSON form used by `check --json`."""
        return asdict(self)


class CoursegenError(Exception):
    """Base of the errors the command line turns into messages, never tracebacks."""


class ContentError(CoursegenError):
    """Content or templates have problems; carries every diagnostic of the run."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problem(s)")
        self.diagnostics = sorted(diagnostics)


class WriterError(CoursegenError):
    """A writer could not produce its file (missing font, unreadable logo, ...)."""


def count_line(diagnostics: list[Diagnostic]) -> str:
    """`2 errors, 1 warning`, with singular and plural right."""
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
