"""Font registration, a cache of shaped words, and private aliases for shaped glyphs.

Glyphs that no character maps to (contextual forms, mirrored brackets) get a private
alias in the reportlab face (``face.charToGlyph``, ``charWidths``: reportlab
internals) and a ToUnicode entry giving back their source character, so copy,
paste and search return logical Arabic. Every PDF character stands for exactly one
source character: pypdf keeps a multi-character entry in its stored order while
poppler lays it out left to right, so no order of one would suit both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import fontpkg
import uharfbuzz as hb

from course.errors import WriterError
from generators.pdf.cidfont import CidFont

# One shaped glyph: (pdf char, advance, x offset, y offset, text, pdf width, glyph id),
# the numbers in 1/1000 em. `pdf char` is the character reportlab encodes (a real one,
# or a private alias of the glyph); `text` is the one source character copy and search
# give back for it. A glyph carrying no character (a mark, the second glyph of a
# cluster) has pdf char "" and is drawn as a path: as text it would split its word for
# poppler. A cluster of several characters adds blank glyphs carrying the others.
Glyph = tuple[str, float, float, float, str, float, int]
Shaped = tuple[tuple[Glyph, ...], float]

# Aliases live in plane 15 (supplementary private use), so they never collide with a
# character of the font's own cmap, and one table serves every font.
_ALIAS_START = 0xF0000
_alias_text: dict[int, str] = {}
_alias_of: dict[tuple[str, int, str, float], int] = {}
_shape_cache: dict[tuple[str, str, bool, str], Shaped] = {}
_faces: dict[str, FontFace] = {}


@dataclass(eq=False)  # compared and hashed by identity: one object per file
class FontFace:
    """One registered TrueType file: reportlab font plus its HarfBuzz twin."""

    name: str
    ttf: CidFont
    hb_font: hb.Font
    scale: float  # font units -> 1/1000 em
    fake_bold: bool = False  # no bold file (variable font): draw with a stroke


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
            ttf = CidFont(key, str(path), _alias_text)
            data = Path(path).read_bytes()
        except Exception as exc:  # reportlab raises plain TTFError/IOError
            raise WriterError(f"cannot read font file {path}: {exc}") from None
        # Not registered with pdfmetrics on purpose: it maps fonts by face name, so any
        # later TTFont of the same file would be handed this CID font instead.
        hb_face = hb.Face(hb.Blob(data))
        face = FontFace(key, ttf, hb.Font(hb_face), 1000.0 / hb_face.upem, fake_bold)
        _faces[key] = face
    return face


def shape(face: FontFace, text: str, rtl: bool, script: str = "") -> Shaped:
    """Glyphs of `text` in visual (left to right) order, cached: course words recur.

    `script` ("Latn", "Arab") applies when the text has no letter to tell its own.
    """
    key = (face.name, text, rtl, script)
    hit = _shape_cache.get(key)
    if hit is not None:
        return hit
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    if script and buf.script in (None, "Zyyy", "Zinh", "Zzzz"):
        buf.script = script
    buf.direction = "rtl" if rtl else "ltr"
    # Grapheme clusters: a base letter and its marks (shadda, harakat, tanween) form one
    # cluster, so the marks never become extraction units of their own.
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_GRAPHEMES
    hb.shape(face.hb_font, buf, {"kern": True, "liga": True})
    infos, positions = buf.glyph_infos, buf.glyph_positions
    starts = sorted({info.cluster for info in infos})
    ends = dict(zip(starts, starts[1:] + [len(text)], strict=True))
    scale = face.scale
    raw = []
    pen = 0.0
    for info, pos in zip(infos, positions, strict=True):
        raw.append((info.codepoint, info.cluster, pen + pos.x_offset * scale,
                    pos.x_advance * scale, pos.x_offset * scale, pos.y_offset * scale))
        pen += pos.x_advance * scale
    total = pen
    # One glyph of each cluster anchors all its characters: the widest one, i.e. the base
    # letter rather than a zero-advance mark. The other glyphs (marks) carry none and are
    # drawn as paths: as text they would split the word for poppler, which ends a word at
    # a character starting within 0.1 em of the one before.
    carrier: dict[int, int] = {}
    for i, (_gid, cluster, _drawn, advance, *_) in enumerate(raw):
        if cluster not in carrier or advance > raw[carrier[cluster]][3]:
            carrier[cluster] = i
    anchors = [i for i, (_g, c, *_) in enumerate(raw) if carrier[c] == i]
    # A cluster of several characters (a letter and its marks, a ligature) gets one PDF
    # character per source character, in visual order: every extractor reads one
    # character per code, while a multi-character code keeps its inner order in pypdf
    # and is laid out left to right by poppler. The anchor glyph is drawn and carries
    # one of them; the others are blank glyphs placed 0.1 em or more apart.
    chars = []
    for i in anchors:
        cluster = raw[i][1]
        part = text[cluster:ends[cluster]]
        chars.append(part[::-1] if rtl else part)
    spread = _spread([raw[i][2] for i in anchors], [len(c) for c in chars], total)
    texts = {i: (list(zip(starts, cs, strict=True)), at)
             for i, (starts, at), cs in zip(anchors, spread, chars, strict=True)}
    # Each character's PDF width reaches to where the next one starts (the last one's to
    # the word's end): extractors (poppler, pdfminer) split words at gaps.
    flat = [x for starts, _at in spread for x in starts] + [total]
    reach = iter(flat[1:])
    blank = face.hb_font.get_nominal_glyph(0x20) or 0
    glyphs: list[Glyph] = []
    pen = 0.0
    for i, (gid, _cluster, _drawn, advance, dx, dy) in enumerate(raw):
        hit = texts.get(i)
        if hit is None:
            glyphs.append(("", advance, dx, dy, "", 0.0, gid))
            pen += advance
            continue
        parts, at = hit
        for k, (x, ch) in enumerate(parts):
            width = max(0.0, round(next(reach) - x))
            if k == at:  # the anchor: the glyph itself
                char, width = _pdf_char(face, gid, ch, width)
                glyphs.append((char, advance, dx, dy, ch, width, gid))
                pen += advance
            else:
                char, width = _pdf_char(face, blank, ch, width)
                glyphs.append((char, 0.0, x - pen, 0.0, ch, width, blank))
    result = (tuple(glyphs), total)
    _shape_cache[key] = result
    return result


# poppler starts a new word at a character beginning within 0.1 em of the one before
# (it takes that for fake-bold duplicates); 1/1000 em, with a margin for rounding.
_MIN_STEP = 105.0


def _spread(anchors: list[float], counts: list[int],
            end: float) -> list[tuple[list[float], int]]:
    """Starts of each cluster's characters: one at its anchor, others 0.1 em or more apart.

    Characters go right of the anchor while the cluster is wide enough, else some go
    left of it, into the room the previous character leaves. Returns each cluster's
    starts in visual order and the index of the anchor's among them.
    """
    out: list[tuple[list[float], int]] = []
    prev = None  # start of the previous character
    for n, (a, count) in enumerate(zip(anchors, counts, strict=True)):
        nxt = anchors[n + 1] if n + 1 < len(anchors) else end
        left_room = a - prev if prev is not None else _MIN_STEP * count
        left = 0
        while left < count - 1 and (nxt - a) < (count - left) * _MIN_STEP \
                and left_room >= (left + 2) * _MIN_STEP:
            left += 1
        right = count - 1 - left
        step_l = min(left_room / (left + 1), _MIN_STEP * 1.5) if left else 0.0
        step_r = (nxt - a) / (right + 1) if right else 0.0
        starts = [a - step_l * t for t in range(left, 0, -1)] + [a]
        starts += [a + step_r * t for t in range(1, right + 1)]
        out.append((starts, left))
        prev = starts[-1]
    return out


def _pdf_char(face: FontFace, gid: int, chars: str, width: float) -> tuple[str, float]:
    """The character reportlab should encode for a glyph of this PDF width."""
    rl_face = face.ttf.face
    if len(chars) == 1 and rl_face.charToGlyph.get(ord(chars)) == gid:
        if abs(rl_face.charWidths.get(ord(chars), 0) - width) < 0.5:
            return chars, rl_face.charWidths[ord(chars)]
    key = (face.name, gid, chars, width)
    code = _alias_of.get(key)
    if code is None:
        # A contextual form, a mirrored bracket, a second glyph of a cluster, or a glyph
        # needing another width: give it a private alias whose ToUnicode entry is the
        # cluster's source characters.
        code = _ALIAS_START + len(_alias_of)
        _alias_of[key] = code
        _alias_text[code] = chars
        rl_face.charToGlyph[code] = gid
        rl_face.charWidths[code] = width
    return chr(code), width


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
