"""Plain data from YAML parser events, with every node's position, in one flat loop.

No recursion, so a file nested hundreds of levels deep is one located error, and no
node tree, so a 10,000-question module loads in seconds.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from course.errors import Diagnostic

MAX_DEPTH = 20  # a module needs 7 levels; deeper is a mistake or an attack
STR_TAG = "tag:yaml.org,2002:str"
SAFE_TAGS = {
    STR_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}
_SKIP = object()  # a value that is reported and left out
_SKIP_PATH = (_SKIP,)  # where the values of a refused key go (nowhere)
_COLLECTION = object()  # an anchor on a mapping or list: (_COLLECTION, its position)
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()
# The implicit types (int, bool, date, ...) a plain scalar may have, by first character.
# One pattern per first character ("" too: an empty scalar is null).
_TYPED = {first: re.compile("|".join(f"(?:{rx.pattern})" for _, rx in resolvers), re.X)
          for first, resolvers in Resolver.yaml_implicit_resolvers.items()}


class SourceInt(int):
    """An integer read from YAML that remembers how it was written (`010` is 8)."""

    source: str


class SourceFloat(float):
    """A number read from YAML that remembers how it was written (`1.10` is 1.1)."""

    source: str


class Builder:
    """Turns parser events into plain data, recording positions and every problem."""

    def __init__(self, file: str, text: str, positions: dict, key_positions: dict,
                 literal: dict) -> None:
        self.file = file
        self.text = text
        self.positions = positions
        self.key_positions = key_positions
        self.literal = literal
        self.problems: list[Diagnostic] = []
        self.anchors: dict[str, Any] = {}
        self.documents = 0
        self.data: Any = None

    def error(self, at: tuple[int, int], message: str) -> None:
        """Record one located error."""
        self.problems.append(Diagnostic(self.file, at[0], at[1], "error", message))

    def run(self, loader: Any) -> None:
        """Consume every event of the stream (the hot loop: locals, few helper calls)."""
        get = loader.get_event
        positions, key_positions = self.positions, self.key_positions
        stack: list[list[Any]] = []  # open collections: [value, path, pending key, is list]
        top: list[Any] | None = None
        scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
        map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        typed, bad = _TYPED.get, _BAD_CHAR.search
        while True:
            event = get()
            cls = type(event)
            if cls is scalar or cls is alias or cls is map_start or cls is seq_start:
                mark = event.start_mark
                at = (mark.line + 1, mark.column + 1)
                if top is None:
                    path: Any = ()
                elif top[3]:
                    path = top[1] + (len(top[0]),)
                elif top[2] is None:
                    path = None  # this node is a key
                elif top[2] is _SKIP:
                    path = _SKIP_PATH
                else:
                    path = top[1] + (top[2],)
                if cls is scalar:
                    text = event.value
                    # Most scalars are text needing no resolving, constructing or checking.
                    if event.tag is None and event.anchor is None and event.style != "|" and \
                            not bad(text) and (not event.implicit[0] or (
                                (rx := typed(text[:1])) is None or not rx.match(text))):
                        value = text
                    else:
                        value = self._scalar(event, path, at)
                elif cls is alias:
                    value = self._alias(event, at)
                else:
                    if path is not None and path is not _SKIP_PATH:
                        positions[path] = at
                    frame = self._open(event, path, at, len(stack), loader)
                    if frame is not None:
                        stack.append(frame)
                        top = frame
                        continue
                    value = _SKIP
                if path is None:
                    assert top is not None
                    if type(value) is str and top[1] + (value,) not in key_positions:
                        key_positions[top[1] + (value,)] = at
                        top[2] = value
                    else:
                        top[2] = self._key(value, top, at)
                    continue
                if path is not _SKIP_PATH and cls is not map_start and cls is not seq_start:
                    positions[path] = at
            elif cls is map_end or cls is seq_end:
                value = stack.pop()[0]
                top = stack[-1] if stack else None
            elif cls is yaml.StreamEndEvent:
                return
            else:
                if cls is yaml.DocumentStartEvent:
                    self.documents += 1
                    if self.documents > 1:
                        raise yaml.composer.ComposerError(
                            None, None, "but found another document", event.start_mark)
                continue
            # Put the finished value into the open mapping or list (or make it the root).
            if top is None:
                self.data = None if value is _SKIP else value
            elif top[3]:
                top[0].append(None if value is _SKIP else value)
            else:
                if top[2] is not _SKIP:
                    top[0][top[2]] = None if value is _SKIP else value
                top[2] = None

    def _open(self, event: Any, path: Any, at: tuple[int, int], depth: int, loader: Any
              ) -> list[Any] | None:
        """A new mapping or list frame, or None (reported, its events consumed)."""
        problem = _tag_problem(event.tag, event)
        if problem is None and depth >= MAX_DEPTH:
            problem = (f"YAML nested deeper than {MAX_DEPTH} levels; a course file needs far "
                       "fewer: check the indentation and brackets")
        if problem is None and path is None:
            problem = "a key must be plain text, not a list or mapping"
        if problem is not None:
            self.error(at, problem)
            _skip_collection(loader)
            return None
        if event.anchor:
            self.anchors[event.anchor] = (_COLLECTION, at)
        mapping = isinstance(event, yaml.MappingStartEvent)
        return [{} if mapping else [], path or (), None, not mapping]

    def _alias(self, event: Any, at: tuple[int, int]) -> Any:
        if event.anchor not in self.anchors:
            raise yaml.composer.ComposerError(
                None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
        value = self.anchors[event.anchor]
        if isinstance(value, tuple) and value and value[0] is _COLLECTION:
            # Located at the anchored list or mapping, where the value is written out.
            self.error(value[1], "YAML aliases (*name) are not supported; write the value out")
            return _SKIP
        return value

    def _key(self, key: Any, top: list[Any], at: tuple[int, int]) -> Any:
        """A key that is not new text: reported (a number, a duplicate) and refused."""
        if key is _SKIP:
            return _SKIP
        if not isinstance(key, str):
            self.error(at, "a key must be text, not a number, date, true/false or null; put "
                       "it in quotes or rename it")
            return _SKIP
        path = top[1] + (key,)
        first = self.key_positions.get(path)
        if first is not None:
            self.error(at, f"duplicate key '{key}' (first at line {first[0]}); keep one of them")
            return _SKIP
        self.key_positions[path] = at
        return key

    def _scalar(self, event: Any, path: Any, at: tuple[int, int]) -> Any:
        """Construct one scalar with PyYAML's safe rules."""
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag not in SAFE_TAGS:
            self.error(at, _tag_message(tag))
            value: Any = _SKIP
        elif tag == STR_TAG:
            if event.style == "|" and path:
                self.literal[path] = self._indent_after(event.start_mark.index)
            value = self._text(event, at)
        else:
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                                   event.style)
            try:
                value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
            except (ValueError, OverflowError, yaml.YAMLError):
                self.error(at, f"value '{event.value}' cannot be read (an impossible date or a "
                           "malformed number); fix it, or put it in quotes to keep it as text")
                value = _SKIP
            if type(value) in (int, float):
                value = (SourceInt if type(value) is int else SourceFloat)(value)
                value.source = event.value
        if event.anchor:
            self.anchors[event.anchor] = value
        return value

    def _text(self, event: Any, at: tuple[int, int]) -> Any:
        value = event.value
        if not _BAD_CHAR.search(value):
            return value
        # PyYAML reads "\ud83d\ude00" as two halves: join such pairs into their character.
        value = _PAIR.sub(lambda m: m.group().encode("utf-16", "surrogatepass")
                          .decode("utf-16"), value)
        bad = _BAD_CHAR.search(value)
        if bad is None:
            return value
        self.error(self._escape_at(event, bad.group()) or at, _char_message(bad.group()))
        return _SKIP

    def _indent_after(self, index: int) -> int:
        """The indentation of the first non-blank line after the one at `index`."""
        start = self.text.find("\n", index) + 1
        while start:
            end = self.text.find("\n", start)
            line = self.text[start:] if end < 0 else self.text[start:end]
            if line.strip():
                return len(line) - len(line.lstrip(" "))
            start = end + 1
        return 0

    def _escape_at(self, event: Any, char: str) -> tuple[int, int] | None:
        """The position of `char` in the scalar, or of the escape that wrote it, if found."""
        start, end = event.start_mark.index, event.end_mark.index
        raw = self.text[start:end]
        found = [i for i in (raw.find(e) for e in [char, *_escapes(char)]) if i >= 0]
        if not found:
            return None
        offset = start + min(found)
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1


def _skip_collection(loader: Any) -> None:
    """Consume the rest of a refused mapping or list, however deep."""
    depth = 1
    while depth:
        event = loader.get_event()
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _tag_problem(tag: str | None, event: Any) -> str | None:
    if tag is None or tag == "!":
        return None
    wanted = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
    return None if tag == f"tag:yaml.org,2002:{wanted}" else _tag_message(tag)


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"YAML tag '{shown}' is not allowed (tags could build objects); remove it"


# Characters no document can print: C0 and C1 controls (tab and line feed aside), lone
# surrogates and the non-characters U+FFFE, U+FFFF. YAML refuses them raw in a file, but
# a double-quoted escape ("\v", "\0", "\ud800") writes them. And the bidi overrides (U+202D,
# U+202E), raw or escaped: they reverse what a reader sees, so the printed text is not the
# text checked and cited. The embeddings (U+202A, U+202B, U+202C) that text pasted from a
# word processor often carries reorder nothing within a line of one direction: they pass.
_BAD_CHAR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202d\u202e\ud800-\udfff\ufffe\uffff]")
_BIDI = {0x202D: "left-to-right override", 0x202E: "right-to-left override"}
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_NAMES = {0: "NUL", 7: "bell", 8: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
          0x0D: "carriage return", 0x1B: "escape", 0x7F: "delete", 0x85: "next line"}
_SHORT = {0: "\\0", 7: "\\a", 8: "\\b", 0x0B: "\\v", 0x0C: "\\f", 0x0D: "\\r", 0x1B: "\\e",
          0x85: "\\N"}


def _escapes(char: str) -> list[str]:
    code = ord(char)
    forms = [f"\\x{code:02x}", f"\\x{code:02X}", f"\\u{code:04x}", f"\\u{code:04X}",
             f"\\U{code:08x}", f"\\U{code:08X}"]
    return ([_SHORT[code]] if code in _SHORT else []) + forms


def _char_message(char: str) -> str:
    code = ord(char)
    if code in _BIDI:
        return (f"text contains U+{code:04X} ({_BIDI[code]}), which reverses what is "
                "printed; remove it (coursegen sets each line's direction itself)")
    if 0xD800 <= code <= 0xDFFF:
        return (f"text contains a lone surrogate (U+{code:04X}), half of a character that "
                "cannot be printed; write the character itself instead of its \\u escape")
    name = _NAMES.get(code, "control character" if code < 0xFFFE else "non-character")
    return (f"text contains U+{code:04X} ({name}), which documents cannot print; remove "
            "its escape (for a new line, write the text as a | block)")
