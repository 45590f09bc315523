"""Safe YAML loading that keeps every node's position and rejects duplicate keys.

Only regular files are read (a FIFO never blocks); data is built from the parser's events
(libyaml's when installed) by course.content.yamlevents.
"""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from course.content.yamlevents import Builder
from course.errors import Diagnostic

Path_ = tuple[Any, ...]  # a path into the data: keys and list indexes
# libyaml's parser when installed (several times faster), then PyYAML's, for its messages.
_PARSERS = list(dict.fromkeys([getattr(yaml, "CSafeLoader", yaml.SafeLoader), yaml.SafeLoader]))


@dataclass
class Located:
    """Plain data from one YAML file, with the (line, column) of every node."""

    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Texts written as `|` blocks, whose lines are the file's: path -> their indentation.
    literal: dict[Path_, int] = field(default_factory=dict)

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


_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe (FIFO)",
          stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


class NotRegularFile(OSError):
    """A path that is a folder, a FIFO, a socket or a device: never read as a file."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"it is {kind}, not a regular file")
        self.kind = kind


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file; NotRegularFile for anything else, without blocking."""
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer for ever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(_KINDS.get(stat.S_IFMT(mode), "not a file"))
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def file_kind(path: Path) -> str | None:
    """What a path is when it is there but not a regular file ('a folder', ...), else None."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else _KINDS.get(stat.S_IFMT(mode), "not a file")


def load_yaml(path: Path, display: str) -> tuple[Located | None, list[Diagnostic]]:
    """Read one YAML file; return its data and positions, or diagnostics."""
    try:
        raw = read_regular(path)
    except NotRegularFile as exc:
        msg = f"{display} is {exc.kind}, not a regular file; replace it with a YAML file"
        return None, [Diagnostic(display, 1, 1, "error", msg)]
    except OSError as exc:
        return None, [Diagnostic(display, 1, 1, "error", f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        msg = "file is not UTF-8 text; save it with UTF-8 encoding"
        return None, [Diagnostic(display, line, col, "error", msg)]
    return parse_yaml(text.removeprefix("\ufeff"), display)


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building acyclic data: a 10,000-question
    module makes a million objects, and each collection would walk them all again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def parse_yaml(text: str, display: str) -> tuple[Located | None, list[Diagnostic]]:
    """Parse YAML text: data and positions, or diagnostics."""
    with no_gc():
        return _parse(text, display)


def _parse(text: str, display: str) -> tuple[Located | None, list[Diagnostic]]:
    """parse_yaml's work: libyaml first, PyYAML when libyaml fails."""
    for index, parser in enumerate(_PARSERS):
        located = Located(display, None)
        builder = Builder(display, text, located.positions, located.key_positions,
                          located.literal)
        try:
            loader = parser(text)  # PyYAML's reader refuses control characters right here
            try:
                builder.run(loader)
            finally:
                loader.dispose()
            break
        except yaml.YAMLError as exc:
            # libyaml's messages differ and it refuses some escapes PyYAML reads (such as
            # a lone surrogate): the pure-Python parser has the last word.
            if index == len(_PARSERS) - 1:
                return None, [_syntax_error(exc, text, display)]
    located.data = builder.data
    if builder.documents == 0:
        msg = "file is empty; it must hold a mapping of keys (see README, 'The content format')"
        return None, [Diagnostic(display, 1, 1, "error", msg)]
    problems = builder.problems
    if not isinstance(located.data, dict) and not problems:
        line, col = located.positions.get((), (1, 1))
        msg = "file must hold a mapping of keys (key: value), not a list or a single value"
        problems.append(Diagnostic(display, line, col, "error", msg))
    return (None if problems else located), problems


def _syntax_error(exc: yaml.YAMLError, text: str, display: str) -> Diagnostic:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "a character"
        msg = f"file contains a control character ({char}) that YAML does not allow; remove it"
        return Diagnostic(display, line, col, "error", msg)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or "invalid YAML"
    msg = f"YAML syntax error: {problem}; check indentation, quotes and colons"
    if problem == "but found another document":
        msg = ("a second YAML document starts here ('---'), but a course file holds one; "
               "remove it, or move it to a file of its own")
    return Diagnostic(display, line, col, "error", msg)
