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
    if node is None:
        msg = "file is empty; it must hold a mapping of keys (see README, 'The content format')"
        return None, [Diagnostic(display, 1, 1, "error", msg)]
    located = Located(display, None)
    problems: list[Diagnostic] = []
    located.data = _convert(node, (), located, problems)
    if not isinstance(located.data, dict) and not problems:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        msg = "file must hold a mapping of keys (key: value), not a list or a single value"
        problems.append(Diagnostic(display, line, col, "error", msg))
    return (None if problems else located), problems


def _convert(node: yaml.Node, path: Path_, out: Located, problems: list[Diagnostic]) -> Any:
    """Turn a composed node into plain data, recording positions."""
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    out.positions[path] = (line, col)
    if node.tag not in _SAFE_TAGS:
        problems.append(Diagnostic(out.file, line, col, "error", _tag_message(node.tag)))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, out, problems)
            kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key in result:
                first = out.key_positions[path + (key,)]
                msg = (f"duplicate key '{key}' (first at line {first[0]}); "
                       "keep one of them")
                problems.append(Diagnostic(out.file, kline, kcol, "error", msg))
                continue
            out.key_positions[path + (key,)] = (kline, kcol)
            result[key] = _convert(value_node, path + (key,), out, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), out, problems) for i, item in enumerate(node.value)]
    return _scalar(node, out, problems)


def _scalar(node: yaml.Node, out: Located, problems: list[Diagnostic]) -> Any:
    """Construct one scalar with PyYAML's safe rules."""
    if not isinstance(node, yaml.ScalarNode):
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        problems.append(Diagnostic(out.file, line, col, "error",
                                   "a key must be plain text, not a list or mapping"))
        return f"<complex key at {line}:{col}>"
    if node.tag not in _SAFE_TAGS:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        problems.append(Diagnostic(out.file, line, col, "error", _tag_message(node.tag)))
        return None
    return _construct(node)


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
