"""Citations: every anchor is 3 to 12 words copied exactly from its paragraph."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from course.content.loader import Project
from course.content.model import Source
from course.content.yamlsource import NotRegularFile, read_regular
from course.errors import ContentError, Diagnostic


def read_paragraphs(path: Path) -> list[str]:
    """The report's paragraphs: its non-empty lines, numbered from 1. A file that cannot be
    read as text is ContentError, located in it."""
    shown = str(path)

    def refuse(line: int, col: int, message: str) -> ContentError:
        return ContentError([Diagnostic(shown, line, col, "error", message)])

    try:
        raw = read_regular(path)
    except NotRegularFile as exc:
        raise refuse(1, 1, f"the report's text is {exc.kind}, not a file; give the path of "
                     "its text file") from None
    except OSError as exc:
        raise refuse(1, 1, f"cannot read the report's text: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise refuse(line, col, "the report's text is not UTF-8 text; save it with UTF-8 "
                     "encoding") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def iter_sources(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Source]]:
    """Every Source in a model, with its path."""
    if isinstance(node, Source):
        yield path, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from iter_sources(getattr(node, name), path + (name,))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from iter_sources(item, path + (index,))


def check_sources(project: Project, paragraphs: list[str] | None,
                  source_name: str = "the report") -> list[Diagnostic]:
    """Anchor length always; with the report's text, paragraph range and verbatim match."""
    found: list[Diagnostic] = []
    for module in project.modules:
        file = project.files[module.id]
        located = project.located[file]
        for path, source in iter_sources(module):
            count = len(source.anchor.split())
            if not 3 <= count <= 12:
                line, col = located.where(path + ("anchor",))
                found.append(Diagnostic(file, line, col, "error", f"anchor has {count} word(s); "
                             "copy 3 to 12 words exactly from the paragraph"))
            if paragraphs is None:
                continue
            if source.para > len(paragraphs):
                line, col = located.where(path + ("para",))
                has = (f"has paragraphs 1 to {len(paragraphs)}" if paragraphs else
                       "has no paragraphs (its file is empty): check the file given")
                found.append(Diagnostic(file, line, col, "error", f"paragraph {source.para} is "
                             f"out of range; {source_name} {has}"))
            elif source.anchor not in paragraphs[source.para - 1]:
                line, col = located.where(path + ("anchor",))
                found.append(Diagnostic(file, line, col, "error", f"anchor '{source.anchor}' is "
                             f"not found in paragraph {source.para}; copy it exactly, "
                             "punctuation included, or fix 'para'"))
    return found
