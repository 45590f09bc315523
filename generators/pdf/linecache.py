"""Laid-out paragraphs kept in memory and, per document, between runs.

A paragraph's lines at one width depend only on its runs, direction, alignment and
indents, and `text.py` records each line as a program whose document codes and height
are fields. So a paragraph met before is drawn from its programs, with no word shaped,
broken or placed: in a document's second layout pass, in the next document of a run,
and in the next run of the same document, whose programs are read from
lines-<digest of the document's kind, language, title and file name>.bin in the folder
shaped words are kept in (`shape_cache.cache_dir()`). That file holds the paragraphs the
document drew last time, and only those. A file made by other code (the digest of this
package's sources), another HarfBuzz, reportlab or marshal is ignored, as is a damaged
one. Two documents of one kind, title and file name (a module and its copy) share a file.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path
from typing import Any

from generators.pdf import cachefile, shape_cache
from generators.pdf.fonts import local, portable
from generators.pdf.lineprog import CODE, FONT, HEIGHT, Program

_MAGIC = b"coursegen laid-out lines\n"
MEMORY_PARAGRAPHS = 2000  # beyond this, the older half is forgotten (the files stay)
_memory: dict[tuple, Entry] = {}
# Forgotten with the shaped words (`shaping.clear_memory`, another cache folder).
_generation = [shape_cache.generation]
_code: list[str] = []  # the digest of this package's sources, read once


class Line:
    """One line of a paragraph at one width: its programs by the reading direction it
    starts in, its links, and (when laid out in this process) its pieces."""

    __slots__ = ("programs", "links", "pieces", "last")

    def __init__(self, programs: dict[bool, Program], links: tuple, pieces: list | None,
                 last: bool) -> None:
        self.programs, self.links, self.pieces, self.last = programs, links, pieces, last


class Entry:
    """A paragraph's lines, by what they were laid out for (a width, a marker's edges)."""

    __slots__ = ("layouts", "read")

    def __init__(self, layouts: dict[Any, list[Line]]) -> None:
        self.layouts = layouts
        self.read = self.size()  # as read from a file: unchanged while the size stays

    def size(self) -> int:
        """How many layouts and programs it holds (they are added, never replaced)."""
        return len(self.layouts) + sum(len(line.programs) for lines in self.layouts.values()
                                       for line in lines)


class _Store:
    """One document's file of paragraphs: read at its start, written at its end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        data, _ = cachefile.read(path, _header())
        self.stored: dict[tuple, bytes] = {k: v for k, v in (data or {}).items()
                                           if type(k) is tuple and type(v) is bytes}
        self.used: dict[tuple, Entry] = {}


_store: list[_Store] = []  # the document being drawn, when it has a file


def begin(identity: str) -> None:
    """Start a document: its file of paragraphs is read, if shaped words have a folder."""
    _store.clear()
    folder = shape_cache.cache_dir()
    if folder is not None:
        _store.append(_Store(folder / file_name(identity)))


def file_name(identity: str) -> str:
    """The name of a document's file of paragraphs in the cache folder."""
    return f"lines-{hashlib.sha256(identity.encode('utf-8')).hexdigest()[:32]}.bin"


def finish(save: bool = True) -> None:
    """End a document: write the paragraphs it drew, unless they are those read."""
    if not _store:
        return
    st = _store.pop()
    if not save:
        return
    written = {key: st.stored[key] if key in st.stored and entry.read == entry.size()
               else marshal.dumps(_encode(entry)) for key, entry in st.used.items()}
    if written != st.stored:
        cachefile.write(st.path, _header(), written)


def entry(key: tuple, faces: list) -> Entry:
    """The paragraph's entry: from memory, else from the document's file, else new.

    `faces` are those its programs name by index (the key names them too)."""
    if _generation[0] != shape_cache.generation:
        _memory.clear()
        _generation[0] = shape_cache.generation
    found = _memory.get(key)
    st = _store[0] if _store else None
    if found is None:
        raw = st.stored.get(key) if st is not None else None
        found = _decode(raw, faces) if raw is not None else None
        if found is None:
            found = Entry({})
            found.read = -1  # nothing read: written at the end
        if len(_memory) >= MEMORY_PARAGRAPHS:
            for old in list(_memory)[: MEMORY_PARAGRAPHS // 2]:
                del _memory[old]
        _memory[key] = found
    if st is not None:
        st.used[key] = found
    return found


def _encode(found: Entry) -> dict:
    """An entry as plain values, its private aliases as what they stand for."""
    return {at: tuple(({state: (template, tuple((kind, k, portable(v) if kind == CODE else v)
                                                for kind, k, v in fields), end)
                        for state, (template, fields, end) in line.programs.items()},
                       line.links, line.last) for line in lines)
            for at, lines in found.layouts.items()}


def _decode(raw: bytes, faces: list) -> Entry | None:
    """An entry back, or None when it is not one this code wrote. The file's checksum
    vouches against damage, not against a file made to pass it: every value is checked
    for what drawing does with it."""
    try:
        data = marshal.loads(raw)
        layouts = {}
        for at, lines in data.items():
            layouts[at] = [Line({_state(state): _program(program, faces)
                                 for state, program in programs.items()},
                                _links(links), None, _state(last))
                           for programs, links, last in lines]
    except (ValueError, EOFError, TypeError, AttributeError, IndexError, KeyError):
        return None
    return Entry(layouts)


_NUMBER = (int, float)


def _state(value: object) -> bool:
    if type(value) is not bool:
        raise TypeError("not a reading direction")
    return value


def _links(links: tuple) -> tuple:
    for target, x0, x1 in links:
        if type(target) is not str or type(x0) not in _NUMBER or type(x1) not in _NUMBER:
            raise TypeError("not a link")
    return tuple(links)


def _program(program: tuple, faces: list) -> Program:
    """A stored program, its aliases as this process's characters."""
    template, fields, end = program
    if type(template) is not str or type(fields) is not tuple or \
            (end is not None and type(end) is not bool):
        raise TypeError("not a program")
    out = []
    n = len(faces)
    for kind, k, value in fields:
        if kind == CODE and type(k) is int and 0 <= k < n:
            if type(value) is tuple:
                gid, chars, width = value
                if type(gid) is not int or type(chars) is not str or type(width) not in _NUMBER:
                    raise TypeError("not a glyph")
                value = local(faces[k], value)
            elif type(value) is not str or len(value) != 1:
                raise TypeError("not a character")
        elif not ((kind == FONT and type(k) is int and 0 <= k < n and value is None)
                  or (kind == HEIGHT and k == -1 and type(value) is float)):
            raise TypeError("not a field")
        out.append((kind, k, value))
    template.format(*[""] * len(out))  # it names no field that is not there
    return template, tuple(out), end


def _header() -> bytes:
    import reportlab
    import uharfbuzz as hb

    if not _code:
        h = hashlib.sha256()
        for path in sorted(Path(__file__).parent.glob("*.py")):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        _code.append(h.hexdigest())
    return cachefile.header(_MAGIC, code=_code[0], reportlab=reportlab.Version,
                            harfbuzz=hb.version_string())
