"""Parsed and checked modules kept between builds, so an edit re-reads only what changed.

OUT/.coursegen-cache/modules/<key>.json holds one module file's parse (its data) and every
diagnostic a full check gave it; <key>.where.json beside it holds the position of every
node, read only when a message needs one (it is most of the parse's size). The key hashes
the digest of the file's bytes with everything else a module's check depends on
(course.yaml, templates, theme files, the code), so an entry is found only for a file
whose check would say the same today. The build gives the digests it already made of
the bytes it read, so a large course's files are not read and hashed twice. Entries are
JSON, never code: a planted or corrupt file is a miss, nothing more. Only modules of a
check that found no error are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from course.build.fingerprint import file_digest
from course.build.keep import keep_text
from course.content.yamlevents import SourceFloat, SourceInt
from course.content.yamlsource import Located, load_yaml, read_regular
from course.errors import Diagnostic

CACHE_DIR = ".coursegen-cache/modules"
FORMAT = 3
WHERE = ".where.json"  # the suffix of an entry's position tables


class ModuleCache:
    """Reads module files through the cache; remembers which were parsed afresh."""

    def __init__(self, out: Path, salt: str, digests: dict[str, str] | None = None) -> None:
        self.folder = out / CACHE_DIR
        self.salt = salt
        self.digests = digests or {}  # display path -> sha256 of the bytes the build read
        self.fresh: set[str] = set()  # display paths parsed in this run
        self.cached: dict[str, list[Diagnostic]] = {}  # display path -> its diagnostics
        self._keys: dict[str, str] = {}

    def read(self, path: Path, display: str) -> tuple[Located | None, list[Diagnostic]]:
        """A module file's parse: from the cache when its key is known, else parsed."""
        digest = self.digests.get(display)
        if digest is None:
            try:
                digest = file_digest(read_regular(path))
            except OSError:
                digest = None
        if digest is not None:
            key = hashlib.sha256(f"{FORMAT}\0{self.salt}\0{display}\0{digest}".encode())
            self._keys[display] = key.hexdigest()
            entry = self._load(self._keys[display])
            if entry is not None:
                located, diagnostics = entry
                self.cached[display] = diagnostics
                return located, []
        self.fresh.add(display)
        return load_yaml(path, display)

    def keep(self, located: dict[str, Located], diagnostics: list[Diagnostic]) -> None:
        """Store every module parsed afresh, with its diagnostics (a check without errors)."""
        for display in sorted(self.fresh):
            key = self._keys.get(display)
            if key is None or display not in located:
                continue
            own = [d for d in diagnostics if d.file == display]
            texts = _dump(located[display], own)
            if texts is None:
                continue  # data JSON cannot carry exactly (a date, a number as a key)
            # The positions first: an entry found is never one whose tables are still coming.
            for name, text in ((f"{key}{WHERE}", texts[1]), (f"{key}.json", texts[0])):
                if not keep_text(self.folder / name, text):
                    break
        self.prune()

    def prune(self) -> None:
        """Remove the entries of files as they no longer are (each edit leaves one)."""
        wanted = {f"{key}{end}" for key in self._keys.values() for end in (".json", WHERE)}
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name.endswith(".json") and len(name) in (69, 75) and name not in wanted:
                (self.folder / name).unlink(missing_ok=True)

    def _load(self, key: str) -> tuple[Located, list[Diagnostic]] | None:
        try:
            entry = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            if entry["format"] != FORMAT:
                return None
            located = _located(entry, self.folder / f"{key}{WHERE}")
            return located, [Diagnostic(*d) for d in entry["diagnostics"]]
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None


def _dump(located: Located, diagnostics: list[Diagnostic]) -> tuple[str, str] | None:
    """The entry and its position tables as JSON, or None when JSON would not give the
    same data back."""
    def table(positions: dict) -> list:
        return [[list(path), *where] for path, where in positions.items()]

    try:
        numbers: list[list] = []
        entry = {"format": FORMAT, "file": located.file,
                 "data": _without_numbers(located.data, [], numbers),
                 "numbers": numbers,
                 "diagnostics": [[d.file, d.line, d.column, d.severity, d.message]
                                 for d in diagnostics]}
        text = json.dumps(entry, ensure_ascii=False, allow_nan=False)
        back = json.loads(text)
        same = _typed(_restored(back["data"], back["numbers"])) == _typed(located.data)
        where = json.dumps({"positions": table(located.positions),
                            "key_positions": table(located.key_positions),
                            "literal": [[list(p), n] for p, n in located.literal.items()]},
                           ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return None
    return (text, where) if same else None


def _without_numbers(value: Any, path: list, found: list[list]) -> Any:
    """The data with each number that remembers how it was written (`1.10` is not `1.1`)
    left out (null), and listed in `found` with its place, kind, value and form."""
    if isinstance(value, dict):
        return {k: _without_numbers(v, [*path, k], found) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_numbers(v, [*path, i], found) for i, v in enumerate(value)]
    if isinstance(value, (SourceInt, SourceFloat)):
        kind = "int" if isinstance(value, int) else "float"
        found.append([path, kind, repr(value) if kind == "float" else int(value),
                      value.source])
        return None
    return value


def _restored(data: Any, numbers: list[list]) -> Any:
    """JSON's data with each listed number made again as it was written."""
    for path, kind, number, source in numbers:
        made = SourceInt(number) if kind == "int" else SourceFloat(float(number))
        made.source = str(source)
        if not path:
            return made
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = made
    return data


def _typed(value: Any) -> Any:
    """Data with each scalar's type and written form beside it: 1, 1.0 and True are equal,
    but not alike."""
    if isinstance(value, dict):
        return {(type(k).__name__, k): _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return type(value).__name__, getattr(value, "source", None), repr(value)


def _located(entry: dict[str, Any], where: Path) -> Located:
    data = _restored(entry["data"], entry["numbers"])
    return _CachedLocated(str(entry["file"]), data, where)


class _CachedLocated(Located):
    """A cached parse whose position tables are made only when a message needs one: a
    module that passed its check is rarely asked where anything is."""

    def __init__(self, file: str, data: Any, where: Path) -> None:  # noqa: D107
        self.file = file
        self.data = data
        self._where = where
        self._entry: dict[str, Any] | None = None
        self._tables: dict[str, dict] = {}

    def _table(self, name: str) -> dict:
        if self._entry is None:
            try:
                self._entry = json.loads(self._where.read_text(encoding="utf-8"))
                assert isinstance(self._entry, dict)
            except (OSError, ValueError, AssertionError):  # gone or damaged: positions unknown
                self._entry = {}
        if name not in self._tables:
            rows = self._entry.get(name)
            try:
                self._tables[name] = {tuple(path): int(n) for path, n in rows} \
                    if name == "literal" else \
                    {tuple(path): (int(line), int(col)) for path, line, col in rows}
            except (TypeError, ValueError):  # a damaged entry: positions unknown, not a crash
                self._tables[name] = {}
        return self._tables[name]

    @property  # type: ignore[override]
    def positions(self) -> dict:
        """Every node's (line, column)."""
        return self._table("positions")

    @property  # type: ignore[override]
    def key_positions(self) -> dict:
        """Every key's (line, column)."""
        return self._table("key_positions")

    @property  # type: ignore[override]
    def literal(self) -> dict:
        """The indentation of texts written as `|` blocks."""
        return self._table("literal")
