"""Render: Jinja templates over the localised model -> Markdown -> document model."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup
from pydantic import BaseModel

from course.content.loader import Project
from course.content.model import Course, Module
from course.document import Block, Cover, Document, Meta, PageBreak, TableOfContents, Text, Theme
from course.errors import ContentError, Diagnostic
from course.quiz.versions import PrintedQuestion
from course.render.markdown import Semantic, TemplateMarkupError, escape_block_start, parse
from course.render.questions import answer_grid, cite, points_label, question_block
from course.render.slides import slide_blocks

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def localise(node: Any, lang: str) -> Any:
    """The model with every text resolved to one language (plain dicts and lists)."""
    if isinstance(node, BaseModel):
        return {name: localise(getattr(node, name), lang) for name in type(node).model_fields}
    if isinstance(node, list):
        return [localise(item, lang) for item in node]
    if isinstance(node, dict):
        return node.get(lang, "")
    return node


def _finalize(value: Any) -> Any:
    # Autoescape for Markdown: a content value prints as written and stays inline.
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return escape_block_start(str(value))


def templates_dirs(project: Project) -> list[Path]:
    """The project's own templates folder first (if any), then the shipped one."""
    dirs = []
    if project.course.templates:
        dirs.append(project.root / project.course.templates)
    dirs.append(DEFAULT_TEMPLATES)
    return dirs


class Renderer:
    """Turns (module, kind, language) into a Document."""

    def __init__(self, project: Project) -> None:
        self.project = project
        dirs = templates_dirs(project)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
            undefined=jinja2.StrictUndefined, finalize=_finalize, autoescape=False,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        )
        self.env.filters["body"] = lambda text: Markup(text or "")
        self.labels = self._labels(dirs)

    def _labels(self, dirs: list[Path]) -> dict[str, dict[str, Any]]:
        labels: dict[str, dict[str, Any]] = {}
        for folder in reversed(dirs):
            path = folder / "labels.yaml"
            if path.is_file():
                for lang, table in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
                    labels.setdefault(lang, {}).update(table)
        return labels

    def meta(self, lang: str, module: Module | None, kind_label: str) -> Meta:
        """Printed metadata of a document."""
        course = self.project.course
        labels = self.labels[lang]
        title = course.title.get(lang, "")
        module_title = module.title.get(lang, "") if module else ""
        theme = course.theme
        version = module.version if module else course.version
        return Meta(
            course=title, module=module_title,
            organisation=course.organisation.get(lang, ""),
            version=version, date=course.date.isoformat(),
            header=(theme.header or {}).get(lang, "") or title,
            footer=(theme.footer or {}).get(lang, "") or (module_title or kind_label),
            page_label=labels["page_label"], timestamp=timestamp(course),
            title_lines=(f"{labels['version']} {version}", f"{labels['date']} "
                         f"{course.date.isoformat()}"),
        )

    def theme(self) -> Theme:
        """The course theme for the writers."""
        t = self.project.course.theme
        logo = str(self.project.root / t.logo) if t.logo else None
        ref = str(self.project.root / t.reference_docx) if t.reference_docx else None
        return Theme(t.paper, t.primary_color, t.secondary_color, t.font, t.heading_font, logo,
                     ref, str(self.project.root / t.reference_pptx) if t.reference_pptx else None)

    def render_markdown(self, template: str, context: dict[str, Any]) -> str:
        """Render one template; a template error names the template file and line."""
        try:
            return self.env.get_template(template).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            raise ContentError([Diagnostic(_shown(exc.filename or template), exc.lineno or 1, 1,
                                           "error", f"template syntax error: {exc.message}")]
                               ) from None
        except jinja2.TemplateNotFound as exc:
            raise ContentError([Diagnostic(template, 1, 1, "error", f"template '{exc.name}' "
                                           "not found in the templates folder")]) from None
        except jinja2.UndefinedError as exc:
            line, name = _template_frame(template)
            raise ContentError([Diagnostic(name, line, 1, "error", f"template error: "
                                           f"{exc.message}; check the name")]) from None

    def document(self, kind: str, lang: str, module: Module | None, *,
                 printed: list[PrintedQuestion] | None = None, version: str = "A",
                 template: str | None = None, extra: dict[str, Any] | None = None,
                 title: str | None = None) -> Document:
        """Render one kind of document for one module (or the course) in one language."""
        labels = self.labels[lang]
        kind_label = labels[kind.replace("-", "_")]
        context = {
            "L": labels, "lang": lang, "version": version,
            "course": localise(self.project.course, lang),
            "m": localise(module, lang) if module else None,
            "model": module, "printed": printed or [],
            "pass_mark": _number(self.project.course.quiz.pass_mark),
            "total_points": points_label(sum(p.question.points for p in printed or []), labels),
            "points": lambda n: points_label(n, labels),
            "cite": lambda sources: cite(sources, labels),
            "raw": module, **(extra or {}),
        }
        markdown = self.render_markdown(template or f"{kind}.md.j2", context)
        semantic = Semantic(self._semantic_builder(lang, module, printed or []))
        try:
            blocks = parse(markdown, semantic)
        except TemplateMarkupError as exc:
            raise ContentError([Diagnostic(template or f"{kind}.md.j2", 1, 1, "error",
                                           str(exc))]) from None
        # The title is the module's own (or the kind's); the kind and version go on lines
        # of their own so that every printed line is a text found in content or labels.
        doc_title = title or (module.title.get(lang, "") if module else kind_label)
        lines = [kind_label] if module or (title and title != kind_label) else []
        if printed is not None and (version != "A" or self.project.course.quiz.variants > 1):
            lines.append(f"{labels['version_letter']} {version}")
        meta = self.meta(lang, module, kind_label)
        meta = replace(meta, title_lines=(*lines, *meta.title_lines))
        return Document(kind, lang, labels["direction"], doc_title, meta, blocks, self.theme())

    def _semantic_builder(self, lang: str, module: Module | None,
                          printed: list[PrintedQuestion]) -> Callable[[str, str], tuple]:
        labels = self.labels[lang]
        by_number = {str(p.number): p for p in printed}

        def build(name: str, args: str) -> tuple[Block, ...]:
            if name in ("question", "answer"):
                if args not in by_number:
                    raise TemplateMarkupError(f"no printed question number {args!r}")
                return (question_block(by_number[args], lang, labels, key=name == "answer"),)
            if name == "answergrid":
                return (answer_grid(printed, labels),)
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


def timestamp(course: Course) -> datetime:
    """File metadata time: SOURCE_DATE_EPOCH when set, else the course date; never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime(course.date.year, course.date.month, course.date.day, tzinfo=timezone.utc)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _shown(filename: str) -> str:
    path = Path(filename)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _template_frame(template: str) -> tuple[int, str]:
    """The line of the innermost template frame of the exception being handled."""
    import sys
    import traceback

    line, name = 1, template
    for frame in traceback.extract_tb(sys.exc_info()[2]):
        if frame.filename.endswith(".j2"):
            line, name = frame.lineno or 1, _shown(frame.filename)
    return line, name
