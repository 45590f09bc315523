"""Shaped words kept between runs: one file per font under a folder the build names.

A course repeats its words from document to document and from build to build, and
shaping a word (HarfBuzz, then the extraction layout in `shaping.py`) costs far more
than reading it back. Each font file gets its own store, named by the digest of its
bytes, loaded when that font is first shaped and written through a temporary name and
a rename. A store that cannot be read, or was made by another font, another HarfBuzz
or another version of this code, is ignored and rebuilt; nothing here ever raises for
a bad or missing file. Nothing is written outside the folder given to `use_cache_dir`.
"""

from __future__ import annotations

import marshal
from pathlib import Path

import uharfbuzz as hb

from generators.pdf import cachefile

# Bump when the stored layout or the shaping logic changes: older stores are then ignored.
LOGIC_VERSION = 4
_FORMAT = "coursegen-shaped-words"
_MAGIC = b"coursegen shaped words\n"

# What one stored word is: (advance, glyphs), as wordlayout.encode makes it; tuples,
# str, int, float and None only.
Entry = tuple

_folder: Path | None = None
_stores: dict[str, Store] = {}
# Counts the times the stores were dropped (another folder, memory cleared): what was
# built on them (pieces.py's paragraphs) must then be built again, through the stores.
generation = 0


class Store:
    """The stored words of one font file in the current folder."""

    def __init__(self, folder: Path, digest: str) -> None:
        self.path = folder / f"shapes-{digest[:32]}.bin"
        self.digest = digest
        # Each word is held as its marshal bytes, decoded when asked for: a large course's
        # store as tuples was 570,000 objects (26 MB) in every worker; as bytes, one each.
        self.entries: dict[str, bytes] = {}
        self.dirty = False
        self.seen: tuple[int, int] | None = None  # (mtime_ns, size) of the file last read
        self._read_into(self.entries)

    def _header(self) -> bytes:
        return cachefile.header(_MAGIC, format=_FORMAT, logic=LOGIC_VERSION, font=self.digest,
                                harfbuzz=hb.version_string())

    def get(self, key: str) -> Entry | None:
        """A stored word's entry, or None."""
        found = self.entries.get(key)
        if found is None:
            return None
        try:  # the file's checksum vouches for it; a bad entry would only be shaped again
            return marshal.loads(found)
        except (ValueError, EOFError, TypeError):
            return None

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def _read_into(self, into: dict[str, bytes]) -> None:
        """Add the file's entries to `into`; a missing, corrupt or foreign file adds none."""
        data, seen = cachefile.read(self.path, self._header())
        if seen is not None:
            self.seen = seen
        for key, entry in (data or {}).items():
            if type(key) is str and type(entry) is bytes:
                into.setdefault(key, entry)

    def add(self, key: str, entry: Entry) -> None:
        """Remember a newly shaped word, to be written by the next `save`."""
        self.entries[key] = marshal.dumps(entry)
        self.dirty = True

    def save(self) -> None:
        """Write the store (merged with what other processes wrote meanwhile), if it changed."""
        if not self.dirty:
            return
        self.dirty = False
        try:
            stat = self.path.stat()
            if self.seen != (stat.st_mtime_ns, stat.st_size):
                self._read_into(self.entries)  # another worker wrote: keep its words too
        except OSError:
            pass
        self.seen = cachefile.write(self.path, self._header(), self.entries)


def use_cache_dir(folder: Path | None) -> None:
    """Keep shaped words in `folder` from now on (None: in memory only)."""
    global _folder
    folder = Path(folder) if folder is not None else None
    if folder == _folder:
        return
    forget_loaded()
    _folder = folder


def cache_dir() -> Path | None:
    """The folder shaped words are kept in, if any."""
    return _folder


def store(digest: str) -> Store | None:
    """The store of a font file in the current folder (loaded on first use), or None."""
    if _folder is None:
        return None
    found = _stores.get(digest)
    if found is None:
        found = _stores[digest] = Store(_folder, digest)
    return found


def save_all() -> None:
    """Write every store that gained words."""
    for st in _stores.values():
        st.save()


def forget_loaded() -> None:
    """Drop the stores read into memory (they are read again when next needed)."""
    global generation
    save_all()
    _stores.clear()
    generation += 1
