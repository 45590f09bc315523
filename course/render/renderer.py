"""Render: Jinja templates over the localised model -> Markdown -> document model.

Templates run in Jinja's sandbox: a custom template can read the course's data and
nothing else. Every failure of a template is one located line at its file and line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel

from course.content.loader import Project
from course.content.model import Course, Module
from course.content.templates_check import load_labels
from course.document import Block, Cover, Document, Meta, PageBreak, TableOfContents, Text, Theme
from course.errors import ContentError, Diagnostic
from course.quiz.versions import ARABIC, LATIN, PrintedQuestion
from course.render.markdown import Semantic, TemplateMarkupError, escape_block_start, parse
from course.render.questions import answer_grid, cite, points_label, question_block
from course.render.slides import slide_blocks
from course.render.template_env import (
    SHIPPED,
    TemplateFailure,
    environment,
    located_failure,
    shown_path,
)
from course.render.template_limits import budget, spend_text
from course.render.typography import typeset, typeset_meta

DEFAULT_TEMPLATES = SHIPPED
_TAG_START = re.compile(r"\{\{|\{%|\{#")


def localise(node: Any, lang: str) -> Any:
    """The model with every text resolved to one language (plain dicts and lists)."""
    if isinstance(node, BaseModel):
        return {name: localise(getattr(node, name), lang) for name in type(node).model_fields}
    if isinstance(node, list):
        return [localise(item, lang) for item in node]
    if isinstance(node, dict):
        return node.get(lang, "")
    return node


def templates_dirs(project: Project) -> list[Path]:
    """The project's own templates folder first (if any), then the shipped one."""
    dirs = []
    if project.course.templates:
        dirs.append(project.root / project.course.templates)
    dirs.append(DEFAULT_TEMPLATES)
    return dirs


class Renderer:
    """Turns (module, kind, language) into a Document.

    With `probe`, a check's dry run: content Markdown (checked where it is written) and
    the blocks built from the model are left out, so every template runs quickly.
    """

    def __init__(self, project: Project, probe: bool = False) -> None:
        self.project = project
        self.probe = probe
        self.dirs = templates_dirs(project)
        self.env = environment(self.dirs, project.root, _finalize)
        self.env.filters["body"] = self._body
        self.labels = self._labels(self.dirs)
        self.content_chars = _content_size(project)
        self._cache: dict[tuple[int, str], tuple[BaseModel, Any]] = {}

    def _localised(self, node: BaseModel, lang: str) -> Any:
        # Once per model and language: templates cannot change it (the sandbox is immutable).
        # Only the last few are kept, so a process writing a large course stays small.
        key = (id(node), lang)
        if key not in self._cache:
            if len(self._cache) >= 8:
                del self._cache[next(iter(self._cache))]
            self._cache[key] = (node, localise(node, lang))
        return self._cache[key][1]

    def _body(self, text: str | None) -> Markup:
        # Content Markdown prints as Markdown; a probe leaves it out (it is checked alone),
        # but counts it as printed, so that a check is refused what the build would be.
        if self.probe:
            spend_text(len(text or ""))
            return Markup("")
        return Markup(text or "")

    def _labels(self, dirs: list[Path]) -> dict[str, dict[str, Any]]:
        shipped, problems = load_labels(DEFAULT_TEMPLATES / "labels.yaml", "labels.yaml")
        labels = {lang: dict(table) for lang, table in shipped.items()}
        if len(dirs) > 1 and (dirs[0] / "labels.yaml").is_file():
            display = shown_path(dirs[0] / "labels.yaml", self.project.root)
            own, found = load_labels(dirs[0] / "labels.yaml", display, shipped)
            problems += found
            for lang, table in own.items():
                labels.setdefault(lang, {}).update(table)
        if any(p.severity == "error" for p in problems):
            raise ContentError(problems)
        for lang, table in labels.items():
            # Choices are lettered up to 26: a short list is completed from the alphabet, from
            # its letter after the list's length, with no letter the list already has.
            alphabet = list(ARABIC if lang == "ar" else LATIN)
            letters = list(table.get("letters", []))
            rest = alphabet[len(letters):] + alphabet[:len(letters)]
            table["letters"] = letters + [letter for letter in rest if letter not in letters]
        return labels

    def meta(self, lang: str, module: Module | None, kind_label: str) -> Meta:
        """Printed metadata of a document."""
        course = self.project.course
        labels = self.labels[lang]
        title = course.title.get(lang, "")
        module_title = module.title.get(lang, "") if module else ""
        theme = course.theme
        version = module.version if module else course.version
        # Typeset here too: packs and answer sheets print this metadata as well.
        return typeset_meta(Meta(
            course=title, module=module_title,
            organisation=course.organisation.get(lang, ""),
            version=version, date=course.date.isoformat(),
            header=(theme.header or {}).get(lang, "") or title,
            footer=(theme.footer or {}).get(lang, "") or (module_title or kind_label),
            page_label=labels["page_label"], timestamp=timestamp(course),
            title_lines=(f"{labels['version']} {version}", f"{labels['date']} "
                         f"{course.date.isoformat()}"),
        ), lang)

    def theme(self) -> Theme:
        """The course theme for the writers."""
        t = self.project.course.theme
        logo = str(self.project.root / t.logo) if t.logo else None
        ref = str(self.project.root / t.reference_docx) if t.reference_docx else None
        return Theme(t.paper, t.primary_color, t.secondary_color, t.font, t.heading_font, logo,
                     ref, str(self.project.root / t.reference_pptx) if t.reference_pptx else None)

    def render_markdown(self, template: str, context: dict[str, Any]) -> str:
        """Render one template; any template error is one line at the template's file and line."""
        try:
            with budget(self.content_chars):
                return self.env.get_template(template).render(**context)
        except TemplateFailure as exc:
            raise ContentError([exc.diagnostic]) from None
        except Exception as exc:  # a template can fail in any way Python can
            diagnostic = located_failure(exc, template, self.project.root, self.dirs)
            if diagnostic is None:
                raise  # not the template's doing: a bug of ours
            raise ContentError([diagnostic]) from None

    def document(self, kind: str, lang: str, module: Module | None, *,
                 printed: list[PrintedQuestion] | None = None, version: str = "A",
                 template: str | None = None, extra: dict[str, Any] | None = None,
                 title: str | None = None) -> Document:
        """Render one kind of document for one module (or the course) in one language."""
        labels = self.labels[lang]
        kind_label = labels[kind.replace("-", "_")]
        context = {
            "L": labels, "lang": lang, "version": version,
            "course": self._localised(self.project.course, lang),
            "m": self._localised(module, lang) if module else None,
            "model": module, "printed": printed or [],
            "pass_mark": _number(self.project.course.quiz.pass_mark),
            "total_points": points_label(sum(p.question.points for p in printed or []), labels),
            "points": lambda n: points_label(n, labels),
            "cite": lambda sources: cite(sources, labels),
            "raw": module, **(extra or {}),
        }
        name = template or f"{kind}.md.j2"
        markdown = self.render_markdown(name, context)
        semantic = Semantic(self._semantic_builder(lang, module, printed or []))
        try:
            blocks = parse(markdown, semantic)
        except TemplateMarkupError as exc:
            raise ContentError([self._markup_error(name, markdown, exc)]) from None
        # The title is the module's own (or the kind's); the kind and version go on lines
        # of their own so that every printed line is a text found in content or labels.
        doc_title = title or (module.title.get(lang, "") if module else kind_label)
        lines = [kind_label] if module or (title and title != kind_label) else []
        if printed is not None and (version != "A" or self.project.course.quiz.variants > 1):
            lines.append(f"{labels['version_letter']} {version}")
        meta = self.meta(lang, module, kind_label)
        meta = replace(meta, title_lines=(*lines, *meta.title_lines))
        return typeset(Document(kind, lang, labels["direction"], doc_title, meta, blocks,
                                self.theme()))

    def _markup_error(self, name: str, markdown: str, exc: TemplateMarkupError) -> Diagnostic:
        """Blame the template line that wrote the Markdown line the parser refused."""
        path = self.env.loader.find(name)  # type: ignore[union-attr]
        line = 1
        if path is not None and exc.line is not None:
            wanted = markdown.split("\n")[exc.line].strip()
            # The template line that writes it: the same text, else the line whose text
            # before its first {{ }} or {% %} begins it the longest way.
            best = 0
            for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
                head = _TAG_START.split(text, maxsplit=1)[0].strip()
                if text.strip() == wanted:
                    line = number
                    break
                if head and wanted.startswith(head) and len(head) > best:
                    best, line = len(head), number
        shown = shown_path(path, self.project.root) if path is not None else name
        return Diagnostic(shown, line, 1, "error", f"{exc}; the templates' Markdown cannot "
                          "print it: change the template")

    def _semantic_builder(self, lang: str, module: Module | None,
                          printed: list[PrintedQuestion]) -> Callable[[str, str], tuple]:
        labels = self.labels[lang]
        by_number = {str(p.number): p for p in printed}

        def build(name: str, args: str) -> tuple[Block, ...]:
            if name in ("question", "answer"):
                if args not in by_number:
                    raise TemplateMarkupError(f"no printed question number {args!r}")
                if self.probe:
                    return ()
                return (question_block(by_number[args], lang, labels, key=name == "answer"),)
            if name == "answergrid":
                return () if self.probe else (answer_grid(printed, labels),)
            if name == "slide" and module is not None:
                return slide_blocks(module, lang, labels)
            if name == "toc":
                return (TableOfContents((Text(labels["contents"]),)),)
            if name == "pagebreak":
                return (PageBreak(),)
            if name == "cover":
                course = self.project.course
                lines = ((Text(course.organisation.get(lang, "")),),
                         (Text(f"{labels['version']} {course.version}"),),
                         (Text(course.date.isoformat()),))
                return (Cover((Text(course.title.get(lang, "")),), lines, self.theme().logo),)
            raise TemplateMarkupError(f"unknown block '::: {name}'")

        return build


def _finalize(value: Any) -> Any:
    # Autoescape for Markdown: a content value prints as written and stays inline.
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return escape_block_start(str(value))


def timestamp(course: Course) -> datetime:
    """File metadata time: SOURCE_DATE_EPOCH when set, else the course date; never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime(course.date.year, course.date.month, course.date.day, tzinfo=timezone.utc)


def _content_size(project: Project) -> int:
    """The size of the course's content files: a document may print its content in full."""
    total = 0
    for display in project.located:
        try:
            total += (project.root / display).stat().st_size
        except OSError:
            continue
    return total


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"



