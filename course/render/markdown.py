"""Parse the templates' Markdown subset into document-model blocks.

Containers (`::: name args`) stand for semantic blocks built straight from the
model (questions, slides, answer grids), so answers never pass through text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin

from course.document import (
    Block,
    BulletList,
    Callout,
    Emph,
    Heading,
    Inline,
    LineBreak,
    Link,
    OrderedList,
    PageBreak,
    Paragraph,
    Strong,
    Table,
    Text,
)

# The widest table a page holds: each column needs room for its padding and a word.
MAX_COLUMNS = 20
# Containers whose blocks come from the model; `callout`, `small` and `lead` wrap Markdown.
SEMANTIC = ("question", "answer", "slide", "answergrid", "toc", "cover", "pagebreak")
WRAPPERS = ("callout", "small", "lead", "abjad")


class TemplateMarkupError(Exception):
    """A template emitted Markdown the parser cannot print; `line`: where, in that Markdown."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line  # 0-based line of the rendered Markdown, when known


@dataclass
class Semantic:
    """Builds the blocks that a semantic container stands for: (name, args) -> blocks."""

    build: Callable[[str, str], tuple[Block, ...]]


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    for name in SEMANTIC + WRAPPERS:
        md.use(container_plugin, name=name)
    return md


_MD = _parser()


def parse(markdown: str, semantic: Semantic) -> tuple[Block, ...]:
    """Markdown text to blocks."""
    root = SyntaxTreeNode(_MD.parse(markdown))
    counter = [0]
    return tuple(b for node in root.children for b in _block(node, semantic, counter, "body"))


def _block(node: SyntaxTreeNode, semantic: Semantic, counter: list[int],
           style: str, nested: bool = False) -> list[Block]:
    kind = node.type
    if kind == "heading":
        counter[0] += 1
        level = min(int(node.tag[1]), 3)
        return [Heading(level, _inlines(node.children[0]), anchor=f"h{counter[0]}")]
    if kind == "paragraph":
        if node.children[0].content.startswith(":::"):
            # No block of that name, so markdown-it took the line for text. Content never
            # starts a line so (its checks refuse it, its values are escaped): a template did.
            raise TemplateMarkupError(_unknown_block(node.children[0].content), _line(node))
        return [Paragraph(_inlines(node.children[0]), style)]
    if kind in ("bullet_list", "ordered_list"):
        items = tuple(
            tuple(b for child in item.children
                  for b in _block(child, semantic, counter, style, nested=True))
            for item in node.children
        )
        if kind == "bullet_list":
            return [BulletList(items)]
        numbering = "abjad" if style == "abjad" else "decimal"
        return [OrderedList(items, numbering, int(node.attrs.get("start", 1)))]
    if kind == "table":
        rows = [tr for section in node.children for tr in section.children]
        if rows and len(rows[0].children) > MAX_COLUMNS:
            raise TemplateMarkupError(_too_wide(len(rows[0].children)), _line(node))
        cells = [tuple(_inlines(cell.children[0]) if cell.children else () for cell in tr.children)
                 for tr in rows]
        return [Table(cells[0], tuple(cells[1:]))]
    if kind == "hr":
        if nested:  # a page break inside a list or a box has no page to break
            raise TemplateMarkupError("a page break (---) inside a list or a ::: block",
                                      _line(node))
        return [PageBreak()]
    if kind.startswith("container_"):
        name = kind.removeprefix("container_")
        args = node.info.strip().removeprefix(name).strip()
        inner = [b for child in node.children for b in _block(
            child, semantic, counter, name if name != "callout" else style, nested=True)]
        if name in SEMANTIC:
            try:
                return list(semantic.build(name, args))
            except TemplateMarkupError as exc:
                raise TemplateMarkupError(str(exc), _line(node)) from None
        if name == "callout":
            callout_kind, _, title = args.partition(" ")
            return [Callout(callout_kind, (Text(title),) if title else (), tuple(inner))]
        return inner
    if kind in ("code_block", "fence"):
        return [Paragraph((Text(node.content.rstrip("\n")),), style)]
    raise TemplateMarkupError(f"unsupported Markdown element '{kind}'", _line(node))


def _unknown_block(text: str) -> str:
    name = text[3:].split("\n", 1)[0].split(maxsplit=1)[:1]
    if not name:
        return "a ':::' line that closes no block; remove it, or open the block it closes"
    return (f"unknown block '::: {name[0]}' (the blocks are "
            f"{', '.join(sorted(SEMANTIC + WRAPPERS))}); check its name")


def _too_wide(columns: int) -> str:
    return (f"a table of {columns} columns cannot fit a page (at most {MAX_COLUMNS}); split it "
            "into narrower tables")


def _line(node: SyntaxTreeNode) -> int | None:
    return node.map[0] if node.map else None


def _inlines(node: SyntaxTreeNode) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for child in node.children:
        kind = child.type
        if kind == "text" or kind == "code_inline":
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + child.content)
            else:
                out.append(Text(child.content))
        elif kind == "softbreak":
            out.append(Text(" "))
        elif kind == "hardbreak":
            out.append(LineBreak())
        elif kind == "strong":
            out.append(Strong(_inlines(child)))
        elif kind == "em":
            out.append(Emph(_inlines(child)))
        elif kind == "link":
            out.append(Link(_inlines(child), str(child.attrs.get("href", ""))))
        elif kind == "image":
            out.append(Text(child.content))
        else:
            out.extend(_inlines(child) if child.children else [Text(child.content)])
    return tuple(_merge_text(out))


def _merge_text(items: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for item in items:
        if isinstance(item, Text) and not item.text:
            continue
        if isinstance(item, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + item.text)
        else:
            merged.append(item)
    return merged


@lru_cache(maxsize=1 << 16)
def parse_inline(text: str) -> tuple[Inline, ...]:
    """Inline Markdown (bold, italic) of one content text, for semantic blocks."""
    line = escape_block_start(text)
    if not _INLINE_SPECIAL.search(line):
        # Nothing Markdown would read: the parser would return the text itself.
        return (Text(line),) if line else ()
    root = SyntaxTreeNode(_MD.parse(line))
    paragraphs = [n for n in root.walk() if n.type == "inline"]
    out: list[Inline] = []
    for index, inline in enumerate(paragraphs):
        if index:
            out.append(Text(" "))
        out.extend(_inlines(inline))
    return tuple(_merge_text(out))


# Characters that may start inline Markdown (emphasis, code, links, entities, escapes), and
# the backslash escape_block_start adds.
_INLINE_SPECIAL = re.compile(r"[*_`\[\]!<>&\\|~]")
_BLOCK_START = re.compile(r"(#{1,6}(\s|$)|[-+*](\s|$)|>|:::|\d{1,9}[.)](\s|$))")
_RULE = re.compile(r"([-*_]\s*){3,}$")
_MARKS_ONLY = re.compile(r"[-*_ ]*[-*_][-*_ ]*")


# Runs of white space folded into one space: all but the no-break spaces (U+00A0, U+2007,
# U+202F), which keep French punctuation and numbers from starting a line.
_BREAKABLE_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def escape_block_start(text: str) -> str:
    """Keep an inline text inline: one line, nothing that would start a block or a cell."""
    line = _BREAKABLE_SPACES.sub(" ", text).strip(" ")
    if _MARKS_ONLY.fullmatch(line):
        # "**" between the template's own ** would make "******", a page break.
        return re.sub(r"([*_-])", r"\\\1", line)
    if _BLOCK_START.match(line) or _RULE.match(line):
        digits = len(line) - len(line.lstrip("0123456789"))
        line = line[:digits] + "\\" + line[digits:]
    return line.replace("|", "\\|")


# Content Markdown (a section body, an activity's instructions and debrief) may not hold
# template blocks: a `:::` line would open a semantic block (`::: answer 1` prints an
# answer) or close the template's own container around the text.
_CONTAINER_LINE = re.compile(r" {0,3}:::")
# Lines that might open a quote or be a rule (`---`): after spaces, list markers, quotes.
_CANDIDATE = re.compile(r"(?m)^[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+|>[ \t]*)*"
                        r"(?:>|(?:-[ \t]*){3,}$|(?:\*[ \t]*){3,}$|(?:_[ \t]*){3,}$)")
# The row under a table's header that makes it one (`|---|:---:|`): it fixes the columns.
_DELIMITER_ROW = re.compile(r"(?m)^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
_PRINTABLE_BLOCKS = {"paragraph", "heading", "bullet_list", "ordered_list", "list_item",
                     "table", "thead", "tbody", "tr", "th", "td", "code_block", "fence",
                     "inline"}


def content_problems(text: str) -> list[tuple[int, int, str]]:
    """What the templates cannot print in a content Markdown text: (line, column, message),
    0-based within the text."""
    lines = text.split("\n")
    found: list[tuple[int, int, str]] = []
    opened = 0
    for number, line in enumerate(lines):
        if not _CONTAINER_LINE.match(line):
            continue
        if line.strip() == ":::" and opened:
            opened -= 1  # the end of a block reported at its first line
            continue
        opened += line.strip() != ":::"
        found.append((number, line.index(":"), "a '::: …' block belongs in templates, not "
                      "in content; remove its ::: lines"))
    for match in _DELIMITER_ROW.finditer(text):
        columns = match.group().strip().strip("|").count("|") + 1
        if columns > MAX_COLUMNS:
            number = text.count("\n", 0, match.start())
            line = lines[number]
            found.append((number, len(line) - len(line.lstrip()), _too_wide(columns)))
    # The whole parse only for a text that may hold a quote: a 10 MB body stays fast.
    if not _CANDIDATE.search(text):
        return found
    for token in _MD.parse(text):
        kind = token.type.removesuffix("_open")
        if token.nesting < 0 or kind in _PRINTABLE_BLOCKS or kind.startswith("container_"):
            continue
        number = token.map[0] if token.map else 0
        line = lines[number] if number < len(lines) else ""
        if kind == "blockquote":
            found.append((number, max(line.find(">"), 0), "a quote ('> …') cannot be printed; "
                          "remove the '>' and write the quotation in a paragraph, in «»"))
        elif kind == "hr":
            found.append((number, len(line) - len(line.lstrip()), "a line of ---, *** or ___ "
                          "is a page break, which content cannot make; remove it"))
        else:
            found.append((number, 0, f"Markdown element '{kind}' cannot be printed; remove it"))
    return found
