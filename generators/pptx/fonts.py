"""Font files from the fontpkg wheels, and word widths shaped with HarfBuzz."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import fontpkg
import uharfbuzz as hb

from course.errors import WriterError

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


@dataclass(eq=False)
class Face:
    """One font file: its HarfBuzz font, units per em, and the widths measured so far."""

    path: str
    font: hb.Font
    upem: int
    widths: dict[str, float] = field(default_factory=dict)  # word -> advance in em

    def width(self, word: str) -> float:
        """The advance of one word (no spaces) in em, shaped as a renderer would."""
        if word not in self.widths:
            buf = hb.Buffer()
            buf.add_str(word)
            buf.guess_segment_properties()
            if _ARABIC.search(word):
                buf.direction = "rtl"
            hb.shape(self.font, buf, {"kern": True, "liga": True})
            self.widths[word] = sum(p.x_advance for p in buf.glyph_positions) / self.upem
        return self.widths[word]


@cache
def _face(path: str, weight: int | None = None) -> Face:
    blob = hb.Blob.from_file_path(path)
    hb_face = hb.Face(blob)
    font = hb.Font(hb_face)
    if weight is not None:  # a variable font, measured at the weight it is drawn with
        font.set_variations({"wght": weight})
    return Face(path, font, hb_face.upem)


@cache
def face(family: str, bold: bool = False, italic: bool = False) -> Face:
    """The face of an installed fontpkg family for a weight and slant (nearest one)."""
    try:
        fam = fontpkg.family(family)
    except fontpkg.FontpkgError:
        known = ", ".join(sorted(fontpkg.family(f).name for f in fontpkg.families())) or "none"
        raise WriterError(f"unknown font '{family}': installed font families are {known}"
                          ) from None
    wanted = (700 if bold else 400, "italic" if italic else "normal")
    files = {(f.weight or 400, f.style): f for f in fam.files if not f.variable}
    chosen = files.get(wanted) or files.get((wanted[0], "normal")) or files.get(
        (400, "normal")) or fam.files[0]
    return _face(str(chosen.path), wanted[0] if chosen.variable else None)
