"""Draw positioned glyphs into a reportlab canvas so that extractors read logical text.

Glyphs are placed by absolute position, so the order they take in the content
stream is free. pdftotext and pdfplumber sort by position; pypdf instead reads
content order, reversing each run of right-to-left characters it meets. So each
line is written in logical order as groups: a right-to-left group is written
reversed (pypdf turns it back), a left-to-right group as is, and every group starts
with `Tf`, which makes pypdf close the run before it.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import accumulate
from typing import Any

from reportlab.lib.colors import toColor
from reportlab.lib.rl_accel import fp_str

from generators.pdf.fonts import glyph_path
from generators.pdf.wordlayout import Shaped

_N, _L, _R = 0, 1, 2
# The character classes pypdf 4-7 uses to decide what it reverses.
_PYPDF_NEUTRAL = (("\x00", "\x2f"), ("\x3a", "\x40"), ("\u0660", "\u066d"),
                  ("\u06f0", "\u06f9"), ("\u2000", "\u206f"), ("\u20a0", "\u21ff"))
_PYPDF_RTL = (("\u0590", "\u08ff"), ("\ufb1d", "\ufdff"), ("\ufe70", "\ufeff"))
_class_cache: dict[str, int] = {}


def _class(text: str) -> int:
    hit = _class_cache.get(text)
    if hit is None:
        if len(text) != 1 or any(a <= text <= b for a, b in _PYPDF_NEUTRAL):
            hit = _N
        elif any(a <= text <= b for a, b in _PYPDF_RTL):
            hit = _R
        else:
            hit = _L
        _class_cache[text] = hit
    return hit


# What drawing a shaped word at one size needs, worked out once (words recur): a plain
# tuple of tuples of numbers and strings, which the garbage collector stops scanning.
# (advances, texts, paths, classes): texts are the glyphs with a character in logical
# order, (index, x offset, rise, PDF width, character, class) at this size; paths the
# others, (index, glyph); classes the texts' classes as (class, count) runs.
Drawn = tuple


def _drawn(shaped: Shaped, size: float) -> Drawn:
    scale = size / 1000
    glyphs = shaped.glyphs
    advances = tuple([g[1] * scale for g in glyphs])
    # Logical order: inside a right-to-left word it is the reverse of the visual one.
    order = range(len(glyphs) - 1, -1, -1) if shaped.rtl else range(len(glyphs))
    texts, paths = [], []
    runs: list[list[int]] = []
    for i in order:
        g = glyphs[i]
        if not g[0]:
            paths.append((i, g))
            continue
        cls = _class_cache.get(g[4])
        if cls is None:
            cls = _class(g[4])
        # The lengths at this size computed exactly as the drawing loop once did.
        texts.append((i, g[2] * size / 1000, g[3] * size / 1000, g[5] * size / 1000, g[0],
                      cls))
        if runs and runs[-1][0] == cls:
            runs[-1][1] += 1
        else:
            runs.append([cls, 1])
    return advances, tuple(texts), tuple(paths), tuple([(c, n) for c, n in runs])


# A piece placed on a line: pen positions of its glyphs (and its end), how to draw it, and
# its rtl.Run (face, size, colour).
Segment = tuple[list[float], Drawn, Any]


def placed(shaped: Shaped, run: Any, start: float) -> Segment:
    """A shaped word of a run with its first glyph's pen at `start`."""
    drawn = shaped.drawn.get(run.size)
    if drawn is None:
        drawn = shaped.drawn[run.size] = _drawn(shaped, run.size)
    return list(accumulate(drawn[0], initial=start)), drawn, run


def _split_dirs(runs: list[tuple[int, int, int]], lo: int,
                hi: int) -> list[tuple[bool | None, int, int]]:
    """Split units lo..hi of one font, given as class runs, into strong cores and the
    neutrals between them."""
    strong = [r for r in runs if r[0] != _N]
    if not strong:
        return [(None, lo, hi)]
    out: list[tuple[bool | None, int, int]] = []
    if strong[0][1] > lo:
        out.append((None, lo, strong[0][1]))
    start = strong[0][1]
    prev = strong[0]
    for r in strong[1:]:
        if r[0] != prev[0]:
            out.append((prev[0] == _R, start, prev[2]))
            if r[1] > prev[2]:
                out.append((None, prev[2], r[1]))
            start = r[1]
        prev = r
    out.append((prev[0] == _R, start, prev[2]))
    if prev[2] < hi:
        out.append((None, prev[2], hi))
    return out


@lru_cache(maxsize=256)
def _rgb(color: str) -> str:
    c = toColor(color)
    return f"{fp_str(c.red)} {fp_str(c.green)} {fp_str(c.blue)}"


_fp_cache: dict[float, str] = {}


def _fp(value: float) -> str:
    """reportlab's fp_str of one number, remembered: the same few shifts recur."""
    hit = _fp_cache.get(value)
    if hit is None:
        hit = _fp_cache[value] = fp_str(value)
    return hit


_Font = tuple[Any, float]  # face, size


class _Line:
    """The glyphs with a character of one line, ready to write, as parallel lists (no
    object per glyph): x, rise, x where the next should start, code, colour."""

    __slots__ = ("targets", "rises", "ends", "codes", "colors")

    def __init__(self) -> None:
        self.targets: list[float] = []
        self.rises: list[float] = []
        self.ends: list[float] = []
        self.codes: list[str] = []
        self.colors: list[str] = []


def emit_line(canv, segments: list[Segment], y: float) -> None:
    """Write one line's pieces (given in logical order) at baseline y."""
    doc = canv._doc
    line = _Line()
    targets, rises, ends, codes, colors = (line.targets, line.rises, line.ends, line.codes,
                                           line.colors)
    # (face and size, first and last index in the line, class runs), in logical order.
    fonts: list[tuple[_Font, int, int, list[tuple[int, int, int]]]] = []
    paths = []
    states: dict[object, Any] = {}
    for xs, (_, texts, path_glyphs, class_runs), run in segments:
        face, color = run.face, run.color
        if texts:
            st = states.get(face)
            if st is None:
                st = states[face] = face.ttf.codes(doc)
            hexes, lo = st.hexes, len(targets)
            # Codes are given in logical order (the order a reader meets the characters).
            for i, dx, rise, width, char, _cls in texts:
                target = xs[i] + dx
                targets.append(target)
                rises.append(rise)
                ends.append(target + width)
                codes.append(hexes.get(char) or st.hex(char))
            colors += [color] * len(texts)
            res = (face, run.size)
            if not fonts or fonts[-1][0] != res:
                fonts.append((res, lo, lo, []))
            classes = fonts[-1][3]
            at = lo
            for cls, count in class_runs:
                if classes and classes[-1][0] == cls and classes[-1][2] == at:
                    classes[-1] = (cls, classes[-1][1], at + count)
                else:
                    classes.append((cls, at, at + count))
                at += count
            fonts[-1] = (res, fonts[-1][1], at, classes)
        for i, glyph in path_glyphs:
            paths.append((xs[i], glyph, run))
    if targets:
        _emit_text(canv, line, fonts, y)
    # Glyphs without characters go after ET: pypdf's flush at `cm` is harmless there.
    for x, glyph, run in paths:
        s = run.size / 1000
        rgb = _rgb(run.color)
        ops = ["q", f"{rgb} rg",
               f"{_fp(s)} 0 0 {_fp(s)} {_fp(x + glyph[2] * s)} {_fp(y + glyph[3] * s)} cm",
               glyph_path(run.face, glyph[6]), "f", "Q"]
        if run.face.fake_bold:  # stroked like the text of a fake-bold face (35/1000 em)
            ops[1] += f" {rgb} RG 35 w"
            ops[-2] = "B"
        canv._code.append(" ".join(ops))


def _written(fonts: list, rtl_state: bool) -> tuple[list[tuple[bool, _Font, list]], bool]:
    """Groups (direction written in, font, index ranges), and pypdf's direction after them.

    Groups are the glyphs of one face and size, split into strong cores and neutrals.
    A right-to-left group joins the right-to-left group before it in the same font when
    pypdf already reads right to left there: one run, written in visual order, so
    poppler does not split `لأحد.` or `أ)` where the content stream would jump back.
    """
    out: list[tuple[bool, _Font, list]] = []
    joinable = False  # the last group is right-to-left and began in a right-to-left state
    for res, lo, hi, classes in fonts:
        for direction, a, b in _split_dirs(classes, lo, hi):
            rtl = rtl_state if direction is None else direction
            if rtl and joinable and out[-1][1] == res:
                out[-1][2].append((a, b))
            else:
                joinable = rtl and rtl_state
                out.append((rtl, res, [(a, b)]))
            rtl_state = rtl
    return out, rtl_state


def _emit_text(canv, line: _Line, fonts: list, y: float) -> None:
    doc = canv._doc
    targets, rises, ends, codes, colors = (line.targets, line.rises, line.ends, line.codes,
                                           line.colors)
    # pypdf's reading direction, carried from line to line; it starts each page left to right.
    page, rtl_state = canv.__dict__.get("_cg_rtl", (0, False))
    if page != canv.getPageNumber():
        rtl_state = False
    groups, end_state = _written(fonts, rtl_state)
    ops = ["q", "BT"]
    for rtl, (face, size), ranges in groups:
        # A right-to-left group is written in visual order: its glyphs reversed.
        spans = [range(b - 1, a - 1, -1) for a, b in reversed(ranges)] if rtl else \
            [range(a, b) for a, b in ranges]
        ops.append(f"{face.ttf.resource_name(doc)} {_fp(size)} Tf")
        if face.fake_bold:
            ops.append(f"2 Tr {_fp(size * 0.035)} w")
        pen = targets[spans[0][0]]
        ops.append(f"1 0 0 1 {_fp(pen)} {_fp(y)} Tm")
        color, rise, items = None, 0.0, []
        for span in spans:
            for k in span:
                target, new_rise = targets[k], rises[k]
                if colors[k] != color or new_rise != rise:
                    if items:
                        ops.append(f"[{' '.join(items)}] TJ")
                        items = []
                    if colors[k] != color:
                        color = colors[k]
                        rgb = _rgb(color)
                        ops.append(f"{rgb} rg {rgb} RG" if face.fake_bold else f"{rgb} rg")
                    if new_rise != rise:
                        rise = new_rise
                        ops.append(f"{_fp(rise)} Ts")
                shift = (pen - target) * 1000 / size
                if abs(shift) > 0.05:
                    items.append(_fp(round(shift, 2)))
                items.append(codes[k])
                pen = ends[k]
        if items:
            ops.append(f"[{' '.join(items)}] TJ")
        if rise:
            ops.append("0 Ts")
        if face.fake_bold:
            ops.append("0 Tr")
    ops += ["ET", "Q"]
    canv._code.append("\n".join(ops))
    canv._cg_rtl = (canv.getPageNumber(), end_state)
