"""Safe YAML loading that keeps every node's position and rejects duplicate keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from course.errors import Diagnostic

Path_ = tuple[Any, ...]  # a path into the data: keys and list indexes


@dataclass
class Located:
    """Plain data from one YAML file, with the (line, column) of every node."""

    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Position of the node at `path`, or of its nearest existing parent."""
        table = self.key_positions if key else self.positions
        probe = self._as_written(tuple(path))
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1, 1))

    def _as_written(self, path: Path_) -> Path_:
        """Undo the model's wrapping of a single mapping into a list (`source: {...}`)."""
        for i, step in enumerate(path):
            if step == 0 and path[: i + 1] not in self.positions and path[:i] in self.positions:
                return path[:i] + path[i + 1:]
        return path


_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}


def load_yaml(path: Path, display: str) -> tuple[Located | None, list[Diagnostic]]:
    """Read one YAML file; return its data and positions, or diagnostics."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(display, 1, 1, "error", f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        msg = "file is not UTF-8 text; save it with UTF-8 encoding"
        return None, [Diagnostic(display, line, col, "error", msg)]
    text = text.removeprefix("\ufeff")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        msg = f"YAML syntax error: {problem}; check indentation, quotes and colons"
        return None, [Diagnostic(display, line, col, "error", msg)]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "a character"
        msg = f"file contains a control character ({char}) that YAML does not allow; remove it"
        return None, [Diagnostic(display, line, col, "error", msg)]
    if node is None:
        msg = "file is empty; it must hold a mapping of keys (see README, 'The content format')"
        return None, [Diagnostic(display, 1, 1, "error", msg)]
    located = Located(display, None)
    converter = _Converter(located)
    located.data = converter.convert(node, ())
    problems = converter.problems
    if not isinstance(located.data, dict) and not problems:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        msg = "file must hold a mapping of keys (key: value), not a list or a single value"
        problems.append(Diagnostic(display, line, col, "error", msg))
    return (None if problems else located), problems


def _at(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Converter:
    """Turns composed nodes into plain data, recording positions and every problem."""

    def __init__(self, out: Located) -> None:
        self.out = out
        self.problems: list[Diagnostic] = []
        self.seen: set[int] = set()

    def error(self, node: yaml.Node, message: str) -> None:
        line, col = _at(node)
        self.problems.append(Diagnostic(self.out.file, line, col, "error", message))

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        """Plain data for one node."""
        self.out.positions[path] = _at(node)
        if node.tag not in _SAFE_TAGS:
            self.error(node, _tag_message(node.tag))
            return None
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            # An alias is the same node object again: refuse it, so that a recursive or
            # exponentially nested alias can neither loop nor blow up.
            if id(node) in self.seen:
                self.error(node, "YAML aliases (*name) are not supported; write the value out")
                return None
            self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node)
            if not isinstance(key, str):
                self.error(key_node, "a key must be text, not a number, date, true/false or "
                           "null; put it in quotes or rename it")
                continue
            if key in result:
                first = self.out.key_positions[path + (key,)]
                self.error(key_node, f"duplicate key '{key}' (first at line {first[0]}); "
                           "keep one of them")
                continue
            self.out.key_positions[path + (key,)] = _at(key_node)
            result[key] = self.convert(value_node, path + (key,))
        return result

    def scalar(self, node: yaml.Node) -> Any:
        """Construct one scalar with PyYAML's safe rules."""
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, "a key must be plain text, not a list or mapping")
            return None
        if node.tag not in _SAFE_TAGS:
            self.error(node, _tag_message(node.tag))
            return None
        try:
            return _construct(node)
        except (ValueError, OverflowError, yaml.YAMLError):
            self.error(node, f"value '{node.value}' cannot be read (an impossible date or a "
                       "malformed number); fix it, or put it in quotes to keep it as text")
            return None


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"YAML tag '{shown}' is not allowed (tags could build objects); remove it"


def _construct(node: yaml.ScalarNode) -> Any:
    """Resolve a scalar (text, number, bool, null, date) with PyYAML's safe rules."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()
