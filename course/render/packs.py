"""Course and trainer packs: every module's documents in one, or as parts to merge.

A PDF pack is merged (by `course.build.pdf_packs`) from one part per module, plus a front
and the glossary, so an edit to one module lays out that module's part again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from course.arabic import sort_key
from course.content.loader import Project
from course.content.model import Module
from course.document import (
    Block,
    Cover,
    Document,
    Heading,
    PageBreak,
    Strong,
    Table,
    TableOfContents,
    Text,
)
from course.render.markdown import parse_inline
from course.render.renderer import Renderer
from course.render.typography import typeset

PARTS = {"trainer-pack": ["trainer-guide", "answer-key"]}
GLOSSARY_KEY = "_glossary"  # internal part names start with "_", which no module id does


@dataclass(frozen=True)
class Section:
    """One part of a pack: a module's documents, or the merged glossary."""

    key: str
    title: str
    blocks: tuple[Block, ...]


class Packs:
    """Builds pack documents from the modules' documents."""

    def __init__(self, project: Project, renderer: Renderer,
                 module_document: Callable[[str, str, Module], Document]) -> None:
        self.project = project
        self.renderer = renderer
        self.module_document = module_document  # kind, lang, module -> its document

    def kinds(self, kind: str) -> list[str]:
        """The module documents a pack holds, in order."""
        if kind in PARTS:
            return PARTS[kind]
        pack = self.project.course.pack
        return ["handout"] + (["slides"] if pack.slides else []) + \
            (["quiz"] if pack.quizzes else [])

    def modules(self, lang: str) -> list[Module]:
        """The modules a pack in this language holds, in course order."""
        return [m for m in self.project.modules if lang in self.project.module_langs(m)]

    def section(self, lang: str, kind: str, module: Module) -> Section:
        """One module's part of a pack: its documents under its title."""
        labels = self.renderer.labels[lang]
        blocks: list[Block] = []
        for index, part in enumerate(self.kinds(kind)):
            doc = self.module_document(part, lang, module)
            title = module.title[lang] if index == 0 else labels[part.replace("-", "_")]
            blocks.append(Heading(1 if index == 0 else 2, parse_inline(title),
                                  anchor=f"{module.id}-{part}"))
            blocks.extend(_reanchor(doc.blocks, f"{module.id}-{part}-", 1 if index else 0))
        return Section(module.id, module.title[lang], tuple(blocks))

    def glossary(self, lang: str, kind: str, ordered: bool = True) -> Section | None:
        """The merged glossary of a course pack (none in a trainer pack, or when empty).

        Unordered, its terms stay in the order the modules give them: what it is made of,
        known without the collation table (0.7 s to load), so a pack can tell whether its
        glossary changed before ordering it."""
        if kind != "course-pack":
            return None
        glossary = self._glossary(lang, self.modules(lang), ordered)
        # Module ids start with a letter or digit: "_glossary" can never be one of them.
        return Section(GLOSSARY_KEY, self.renderer.labels[lang]["glossary"],
                       tuple(glossary)) if glossary else None

    def sections(self, lang: str, kind: str) -> list[Section]:
        """Every module in course order (then the glossary, in a course pack)."""
        out = [self.section(lang, kind, module) for module in self.modules(lang)]
        glossary = self.glossary(lang, kind)
        return out + [glossary] if glossary else out

    def _document(self, lang: str, kind: str, blocks: tuple[Block, ...], **meta: object
                  ) -> Document:
        labels = self.renderer.labels[lang]
        name = labels[kind.replace("-", "_")]
        base = replace(self.renderer.meta(lang, None, name), **meta)  # type: ignore[arg-type]
        # Glossary, part headings and contents are made here, not by Renderer.document.
        return typeset(Document(kind, lang, labels["direction"], name, base, blocks,
                                self.renderer.theme()))

    def cover(self, lang: str, kind: str) -> Cover:
        """The pack's cover page."""
        labels, course = self.renderer.labels[lang], self.project.course
        return Cover((Text(course.title.get(lang, "")),),
                     ((Text(course.organisation.get(lang, "")),),
                      (Text(labels[kind.replace("-", "_")]),),
                      (Text(f"{labels['version']} {course.version}"),),
                      (Text(course.date.isoformat()),)), self.renderer.theme().logo)

    def opening(self, lang: str, kind: str) -> tuple[Block, ...]:
        """What a pack made as one document opens with: its cover, then its contents."""
        contents = self.renderer.labels[lang]["contents"]
        return (self.cover(lang, kind), TableOfContents((Text(contents),), depth=2))

    def opening_document(self, lang: str, kind: str) -> Document:
        """The opening alone, as a document (a DOCX pack splices its parts after it)."""
        return self._document(lang, kind, self.opening(lang, kind))

    def whole(self, lang: str, kind: str) -> Document:
        """The pack as one document (the DOCX pack): cover, contents, every section."""
        blocks: list[Block] = list(self.opening(lang, kind))
        for section in self.sections(lang, kind):
            blocks.extend(section.blocks)
            blocks.append(PageBreak())
        return self._document(lang, kind, tuple(blocks[:-1]))

    def part(self, lang: str, kind: str, section: Section, offset: int) -> Document:
        """One section as a document of its own, numbered from `offset` + 1."""
        label = self.renderer.labels[lang]["pack_page_label"]
        return self._document(lang, kind, section.blocks, page_label=label,
                              page_offset=offset, title_block=False)

    def front(self, lang: str, kind: str, entries: list[tuple[str, int]]) -> Document:
        """Cover and contents: each section's title and first page."""
        labels = self.renderer.labels[lang]
        rows = tuple((parse_inline(title), (Text(str(page)),)) for title, page in entries)
        blocks = (self.cover(lang, kind),
                  Heading(1, (Text(labels["contents"]),), anchor="contents"),
                  Table((), rows, (6.0, 1.0)))
        return self._document(lang, kind, blocks, page_label=labels["pack_page_label"])

    def _glossary(self, lang: str, modules: list[Module], ordered: bool) -> list[Block]:
        labels = self.renderer.labels[lang]
        entries: dict[str, str] = {}
        for module in modules:
            for entry in module.glossary:
                entries.setdefault(entry.term[lang], entry.definition[lang])
        items = list(entries.items())
        if ordered:
            items.sort(key=lambda item: (_collation(lang)(item[0]), item[0]))
        rows = tuple(((Strong(parse_inline(term)),), parse_inline(definition))
                     for term, definition in items)
        if not rows:
            return []
        return [Heading(1, (Text(labels["glossary"]),), anchor="glossary"),
                Table(((Text(labels["term"]),), (Text(labels["definition"]),)), rows,
                      (1.0, 2.0))]


def collation_version() -> str:
    """What the glossary's order depends on beyond its terms: the collation's version."""
    from importlib.metadata import version

    return f"coursegen-arabic;pyuca {version('pyuca')}"


def _collation(lang: str) -> Callable[[str], object]:
    """Alphabetical order in a language: ours for Arabic, the Unicode Collation Algorithm
    (accents and case only break ties) for French and English."""
    if lang == "ar":
        return sort_key
    global _COLLATOR
    if _COLLATOR is None:
        from pyuca import Collator  # loads its table once, only when a pack is made

        _COLLATOR = Collator()
    return _COLLATOR.sort_key


_COLLATOR = None


def _reanchor(blocks: tuple[Block, ...], prefix: str, shift: int) -> list[Block]:
    """Headings made unique within a pack, and pushed down one level under a part title."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading):
            block = replace(block, anchor=prefix + block.anchor, level=min(3, block.level + shift))
        out.append(block)
    return out
