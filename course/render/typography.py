"""Language typography applied to a whole document: French non-breaking spaces.

French sets a space before : ; ! ? and inside « »; when that space is an ordinary one, a
line can break there and the next line start with the punctuation. The document's texts
are set with a no-break space (U+00A0) there, so they never do.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from course.document import Document, Meta, Text

NBSP = "\u00a0"
_SPACES = "[ \t\u00a0\u202f]"  # a space authors type, or one already unbreakable
# A space (or none, after a letter or closing mark) before a high punctuation mark that
# is a mark of the sentence: followed by a space, closing punctuation or the end.
_BEFORE_MARK = re.compile(rf"(?:{_SPACES}+|(?<=[\w\)\]»…’”]))(?=[;!?]+(?:[\s\)\]»,.]|$))")
# The colon takes the space only where it ends a word and is followed by a space or the
# end: "10:30", "http://" and "a:b" keep theirs as written.
_BEFORE_COLON = re.compile(rf"(?:{_SPACES}+|(?<=[^\W\d]))(?=:(?:\s|$))")
_BEFORE_CLOSE = re.compile(rf"(?:{_SPACES}+|(?<=[^\s«]))(?=»)")
_AFTER_OPEN = re.compile(rf"(?<=«)(?:{_SPACES}+|(?=[^\s»]))")
_META_TEXTS = ("course", "module", "organisation", "header", "footer")


def french(text: str) -> str:
    """A French text with a no-break space before : ; ! ? » and after «."""
    if not any(mark in text for mark in ":;!?«»"):
        return text
    for pattern in (_BEFORE_MARK, _BEFORE_COLON, _BEFORE_CLOSE, _AFTER_OPEN):
        text = pattern.sub(_bound, text)
    return text


def _bound(match: re.Match[str]) -> str:
    # A thin no-break space an author typed is kept; anything else is one no-break space.
    return "\u202f" if match.group() == "\u202f" else NBSP


def typeset(document: Document) -> Document:
    """The document with its language's typography on every printed text."""
    if document.lang != "fr":
        return document
    return dataclasses.replace(document, title=french(document.title),
                               meta=typeset_meta(document.meta, document.lang),
                               blocks=_walk(document.blocks))


def typeset_meta(meta: Meta, lang: str) -> Meta:
    """The printed metadata (title block, header, footer) with its language's typography."""
    if lang != "fr":
        return meta
    return dataclasses.replace(
        meta, title_lines=tuple(french(line) for line in meta.title_lines),
        **{name: french(getattr(meta, name)) for name in _META_TEXTS})


def _walk(node: Any) -> Any:
    """Every Text of a block tree, set in French; other values as they are."""
    if isinstance(node, Text):
        return Text(french(node.text))
    if isinstance(node, tuple):
        return tuple(_walk(item) for item in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {f.name: _walk(getattr(node, f.name)) for f in dataclasses.fields(node)
                   if isinstance(getattr(node, f.name), (tuple, Text)) or
                   dataclasses.is_dataclass(getattr(node, f.name))}
        return dataclasses.replace(node, **changes) if changes else node
    return node
