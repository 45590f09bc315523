"""Font registration, and private aliases for shaped glyphs (shaping is in `shaping.py`).

Glyphs that no character maps to (contextual forms, mirrored brackets) get a private
alias in the reportlab face (``face.charToGlyph``, ``charWidths``: reportlab
internals) and a ToUnicode entry giving back their source character, so copy,
paste and search return logical Arabic. Every PDF character stands for exactly one
source character: pypdf keeps a multi-character entry in its stored order while
poppler lays it out left to right, so no order of one would suit both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import fontpkg
import uharfbuzz as hb

from course.errors import WriterError
from generators.pdf.cidfont import CidFont

# Aliases live in plane 15 (supplementary private use), so they never collide with a
# character of the font's own cmap, and one table serves every font.
_ALIAS_START = 0xF0000
_alias_text: dict[int, str] = {}
_alias_of: dict[tuple[str, int, str, float], int] = {}
_alias_key: dict[int, tuple[int, str, float]] = {}  # code -> (glyph, characters, width)
_faces: dict[str, FontFace] = {}


@dataclass(eq=False)  # compared and hashed by identity: one object per file
class FontFace:
    """One registered TrueType file: its HarfBuzz font, and reportlab's when first drawn."""

    name: str
    path: Path
    hb_font: hb.Font
    scale: float  # font units -> 1/1000 em
    digest: str  # sha256 of the file: what stored shaped words are keyed by
    fake_bold: bool = False  # no bold file (variable font): draw with a stroke
    chars: dict[tuple[int, str, float], tuple[str, float]] = field(default_factory=dict)

    @cached_property
    def ttf(self) -> CidFont:
        """reportlab's font: read on first use, as parsing a file costs more than most pages
        (a family has four faces; a document often draws with two)."""
        try:
            return CidFont(self.name, str(self.path), _alias_text)
        except Exception as exc:  # reportlab raises plain TTFError/IOError
            raise WriterError(f"cannot read font file {self.path}: {exc}") from None


@dataclass(frozen=True)
class FontFamily:
    """The four faces of a family name from the theme."""

    regular: FontFace
    bold: FontFace
    italic: FontFace
    bold_italic: FontFace

    def face(self, bold: bool, italic: bool) -> FontFace:
        """The face for a weight and slant."""
        if bold:
            return self.bold_italic if italic else self.bold
        return self.italic if italic else self.regular


def family(name: str) -> FontFamily:
    """Register (once) and return the faces of an installed fontpkg family."""
    try:
        fam = fontpkg.family(name)
    except fontpkg.FontpkgError:
        known = ", ".join(sorted(fontpkg.family(f).name for f in fontpkg.families())) or "none"
        raise WriterError(f"unknown font '{name}': installed font families are {known}") from None
    files = {(f.weight or 400, f.style): f for f in fam.files if not f.variable}
    variable = [f for f in fam.files if f.variable]
    base = files.get((400, "normal")) or (variable[0] if variable else fam.files[0])
    regular = _face(base.path)

    def pick(weight: int, style: str) -> FontFace:
        exact = files.get((weight, style))
        if exact is not None:
            return _face(exact.path)
        if style == "italic" and (weight, "normal") in files:
            return _face(files[(weight, "normal")].path)
        # A variable font's default instance is regular: stroke the outlines for bold.
        return _face(base.path, fake_bold=weight >= 600)

    return FontFamily(regular, pick(700, "normal"), pick(400, "italic"), pick(700, "italic"))


def _face(path: Path, fake_bold: bool = False) -> FontFace:
    key = f"cg-{path.stem}{'-fb' if fake_bold else ''}"
    face = _faces.get(key)
    if face is None:
        try:
            data = Path(path).read_bytes()
            hb_face = hb.Face(hb.Blob(data))
            scale = 1000.0 / hb_face.upem
        except Exception as exc:
            raise WriterError(f"cannot read font file {path}: {exc}") from None
        # The reportlab font (`ttf`) is not registered with pdfmetrics on purpose: it maps
        # fonts by face name, so any later TTFont of the same file would be handed it.
        face = FontFace(key, Path(path), hb.Font(hb_face), scale,
                        hashlib.sha256(data).hexdigest(), fake_bold)
        _faces[key] = face
    return face


def pdf_char(face: FontFace, gid: int, chars: str, width: float) -> tuple[str, float]:
    """The character reportlab should encode for a glyph of this PDF width (remembered:
    the same letter forms recur in every word)."""
    key = (gid, chars, width)
    hit = face.chars.get(key)
    if hit is None:
        hit = face.chars[key] = _pdf_char(face, gid, chars, width)
    return hit


def _pdf_char(face: FontFace, gid: int, chars: str, width: float) -> tuple[str, float]:
    rl_face = face.ttf.face
    if len(chars) == 1 and rl_face.charToGlyph.get(ord(chars)) == gid:
        if abs(rl_face.charWidths.get(ord(chars), 0) - width) < 0.5:
            return chars, rl_face.charWidths[ord(chars)]
    return alias(face, gid, chars, width), width


def alias(face: FontFace, gid: int, chars: str, width: float) -> str:
    """The private alias of a glyph at a PDF width standing for `chars` (made on first use).

    A contextual form, a mirrored bracket, a second glyph of a cluster, or a glyph
    needing another width than its character's: its ToUnicode entry is the cluster's
    source characters.
    """
    key = (face.name, gid, chars, width)
    code = _alias_of.get(key)
    if code is None:
        code = _ALIAS_START + len(_alias_of)
        _alias_of[key] = code
        _alias_key[code] = (gid, chars, width)
        _alias_text[code] = chars
        rl_face = face.ttf.face
        rl_face.charToGlyph[code] = gid
        rl_face.charWidths[code] = width
    return chr(code)


def portable(char: str) -> str | tuple[int, str, float]:
    """A PDF character as another process can find it again: a private alias (numbered
    per process) as what it stands for, any other character as itself."""
    return _alias_key.get(ord(char), char) if len(char) == 1 else char


def local(face: FontFace, value: str | tuple[int, str, float]) -> str:
    """`portable`'s value back as this process's character for it."""
    return value if type(value) is str else alias(face, *value)


class _PathPen:
    """Collects a glyph outline as PDF path operators (font units scaled to 1/1000 em)."""

    def __init__(self, scale: float) -> None:
        self.ops: list[str] = []
        self.scale = scale
        self.last = (0.0, 0.0)

    def _xy(self, pt: tuple[float, float]) -> str:
        return f"{pt[0] * self.scale:.1f} {pt[1] * self.scale:.1f}"

    def moveTo(self, pt: tuple[float, float]) -> None:  # noqa: N802 (fontTools pen protocol)
        self.ops.append(f"{self._xy(pt)} m")
        self.last = pt

    def lineTo(self, pt: tuple[float, float]) -> None:  # noqa: N802
        self.ops.append(f"{self._xy(pt)} l")
        self.last = pt

    def curveTo(self, *pts: tuple[float, float]) -> None:  # noqa: N802
        self.ops.append(" ".join(self._xy(p) for p in pts) + " c")
        self.last = pts[-1]

    def qCurveTo(self, *pts: tuple[float, float]) -> None:  # noqa: N802
        # Split a TrueType quadratic run at implied on-curve points, raise each to cubic.
        start = self.last
        for k, ctrl in enumerate(pts[:-1]):
            end = pts[-1] if k == len(pts) - 2 else (
                (ctrl[0] + pts[k + 1][0]) / 2, (ctrl[1] + pts[k + 1][1]) / 2)
            c1 = (start[0] + 2 * (ctrl[0] - start[0]) / 3, start[1] + 2 * (ctrl[1] - start[1]) / 3)
            c2 = (end[0] + 2 * (ctrl[0] - end[0]) / 3, end[1] + 2 * (ctrl[1] - end[1]) / 3)
            self.curveTo(c1, c2, end)
            start = end

    def closePath(self) -> None:  # noqa: N802
        self.ops.append("h")


_paths: dict[tuple[str, int], str] = {}


def glyph_path(face: FontFace, gid: int) -> str:
    """PDF path operators drawing a glyph at 1/1000 em (cached)."""
    key = (face.name, gid)
    hit = _paths.get(key)
    if hit is None:
        pen = _PathPen(face.scale)
        face.hb_font.draw_glyph_with_pen(gid, pen)
        hit = _paths[key] = " ".join(pen.ops)
    return hit


def encode(face: FontFace, char: str, doc: object) -> int:
    """The two-byte code of a character in this document's subset of the face."""
    return face.ttf.cid(char, doc)
