"""Embedded font programs that keep the font's own glyph ids, so parts can share one.

Each document embeds, per face, a subset holding only the glyphs it draws, but at their
original glyph ids (HarfBuzz's retain-gids subsetting): its CIDToGIDMap then names
glyphs of the font itself. A merged pack can therefore replace every part's program of a
face by one program of the union of their glyphs, without touching any content stream.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import fontpkg
import uharfbuzz as hb

# Tables a PDF viewer never reads from an embedded TrueType program: shaping is done.
_LAYOUT = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "morx", "DSIG")


@lru_cache(maxsize=16)
def _face(path: str) -> hb.Face:
    return hb.Face(hb.Blob(Path(path).read_bytes()))


def font_program(path: str, glyphs: Iterable[int]) -> bytes:
    """The TrueType program of some glyphs of a font file, at their original ids."""
    wanted = hb.SubsetInput()
    for gid in sorted(set(glyphs) | {0}):
        wanted.glyph_set.add(gid)
    for tag in _LAYOUT:
        wanted.drop_table_tag_set.add(_tag(tag))
    wanted.flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.NO_LAYOUT_CLOSURE
    face = _face(path)
    if face.axis_infos:  # a variable font: its default instance is what the text used
        wanted.pin_all_axes_to_default(face)
    return bytes(hb.subset(face, wanted).blob.data)


def _tag(name: str) -> int:
    """An OpenType table tag as HarfBuzz's 32-bit number."""
    return int.from_bytes(name.ljust(4).encode("ascii"), "big")


@lru_cache(maxsize=1)
def installed_fonts() -> dict[str, str]:
    """PostScript name -> file of every font fontpkg provides (the names PDFs carry)."""
    found: dict[str, str] = {}
    for family in sorted(fontpkg.families()):
        for file in fontpkg.family(family).files:
            name = _face(str(file.path)).get_name(6)
            if name:
                found.setdefault(str(name), str(file.path))
    return found
