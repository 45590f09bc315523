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
from typing import Any

from reportlab.lib.colors import toColor
from reportlab.lib.rl_accel import fp_str

from generators.pdf.fonts import glyph_path
from generators.pdf.lineprog import Program, Recorder
from generators.pdf.wordprep import N, R, Segment, fp

_Font = tuple[Any, float]  # face, size


def _split_dirs(runs: list[list[int]], lo: int, hi: int) -> list[tuple[bool | None, int, int]]:
    """Split units lo..hi of one font, given as class runs, into strong cores and the
    neutrals between them."""
    strong = [r for r in runs if r[0] != N]
    if not strong:
        return [(None, lo, hi)]
    out: list[tuple[bool | None, int, int]] = []
    if strong[0][1] > lo:
        out.append((None, lo, strong[0][1]))
    start = strong[0][1]
    prev = strong[0]
    for r in strong[1:]:
        if r[0] != prev[0]:
            out.append((prev[0] == R, start, prev[2]))
            if r[1] > prev[2]:
                out.append((None, prev[2], r[1]))
            start = r[1]
        prev = r
    out.append((prev[0] == R, start, prev[2]))
    if prev[2] < hi:
        out.append((None, prev[2], hi))
    return out


@lru_cache(maxsize=256)
def _rgb(color: str) -> str:
    c = toColor(color)
    return f"{fp_str(c.red)} {fp_str(c.green)} {fp_str(c.blue)}"


class _Line:
    """One line's units ready to write, as parallel lists (no object per glyph). A unit
    is a glyph with a character, or a whole word of one class: its first glyph's x and
    its last one's end, in logical order (`first`, `end`) and reversed (`first_r`,
    `end_r`), its TJ items both ways, rise and colour."""

    __slots__ = ("first", "end", "first_r", "end_r", "items", "items_r", "rises", "colors")

    def __init__(self) -> None:
        self.first: list[float] = []
        self.end: list[float] = []
        self.first_r: list[float] = []
        self.end_r: list[float] = []
        self.items: list[str] = []
        self.items_r: list[str] = []
        self.rises: list[float] = []
        self.colors: list[str] = []


def line_program(segments: list[Segment], faces: list, rtl_state: bool) -> Program:
    """A line's program, its pieces given in logical order, starting in `rtl_state`; new
    faces are added to `faces`."""
    rec = Recorder(faces)
    ln = _Line()
    # [face and size, first and end unit, class runs of the units], in logical order.
    fonts: list[list] = []
    font: list = [None, 0, 0, []]
    paths = []
    for xs, word, run in segments:
        texts = word[1]
        if texts:
            face = run.face
            lo = len(ln.rises)
            res = (face, run.size)
            if font[0] != res:
                font = [res, lo, lo, []]
                fonts.append(font)
            classes = font[3]
            if word[4] is not None:  # one unit of one class
                _add_unit(ln, rec, face, xs, word, run.color)
                cls = texts[0][5]
                if classes and classes[-1][0] == cls:
                    classes[-1][2] = lo + 1
                else:
                    classes.append([cls, lo, lo + 1])
                font[2] = lo + 1
            else:
                _add_glyphs(ln, rec, face, xs, texts, run.color)
                at = lo
                for cls, n in word[3]:
                    if classes and classes[-1][0] == cls and classes[-1][2] == at:
                        classes[-1][2] = at + n
                    else:
                        classes.append([cls, at, at + n])
                    at += n
                font[2] = at
        for i, glyph in word[2]:
            paths.append((xs[i], glyph, run))
    out: list[str] = []
    end_state = None
    if ln.rises:
        end_state = _emit_text(out, rec, ln, fonts, rtl_state)
    # Glyphs without characters go after ET: pypdf's flush at `cm` is harmless there.
    for x, glyph, run in paths:
        s = run.size / 1000
        rgb = _rgb(run.color)
        ops = ["q", f"{rgb} rg",
               f"{fp(s)} 0 0 {fp(s)} {fp(x + glyph[2] * s)} {rec.height(glyph[3] * s)} cm",
               glyph_path(run.face, glyph[6]), "f", "Q"]
        if run.face.fake_bold:  # stroked like the text of a fake-bold face (35/1000 em)
            ops[1] += f" {rgb} RG 35 w"
            ops[-2] = "B"
        out.append(" ".join(ops))
    # No operator holds a brace (numbers, names, hex codes, path operators): the text is
    # a format template as it stands.
    return "\n".join(out), tuple(rec.events), end_state


def _add_glyphs(ln: _Line, rec: Recorder, face: Any, xs: list[float], texts: tuple,
                color: str) -> None:
    """A word's glyphs as units of their own; codes given in logical order (the order a
    reader meets the characters)."""
    known = rec.codes(face)
    for i, dx, rise, width, char, _cls in texts:
        target = xs[i] + dx
        end = target + width
        ln.first.append(target)
        ln.end.append(end)
        ln.items.append(known.get(char) or rec.code(face, char))
        ln.rises.append(rise)
    n = len(texts)
    ln.first_r += ln.first[-n:]
    ln.end_r += ln.end[-n:]
    ln.items_r += ln.items[-n:]
    ln.colors += [color] * n


def _add_unit(ln: _Line, rec: Recorder, face: Any, xs: list[float], word: tuple,
              color: str) -> None:
    """A word of one class as one unit: its TJ items from the word's templates."""
    texts = word[1]
    known = rec.codes(face)
    codes = [known.get(t[4]) or rec.code(face, t[4]) for t in texts]
    forward, backward = word[4]
    head, tail = texts[0], texts[-1]
    head_x, tail_x = xs[head[0]] + head[1], xs[tail[0]] + tail[1]
    ln.first.append(head_x)
    ln.end.append(tail_x + tail[3])
    ln.first_r.append(tail_x)
    ln.end_r.append(head_x + head[3])
    ln.items.append(forward.format(*codes))
    ln.items_r.append(backward.format(*codes))
    ln.rises.append(0.0)
    ln.colors.append(color)


def _written(fonts: list, rtl_state: bool) -> tuple[list[tuple[bool, _Font, list]], bool]:
    """Groups (direction written in, font, unit ranges), and pypdf's direction after them.

    Groups are the units of one face and size, split into strong cores and neutrals.
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


def _emit_text(out: list[str], rec: Recorder, ln: _Line, fonts: list, rtl_state: bool) -> bool:
    """The line's text object, appended to `out`; pypdf's reading direction after it."""
    groups, end_state = _written(fonts, rtl_state)
    rises, colors = ln.rises, ln.colors
    ops = ["q", "BT"]
    for rtl, (face, size), ranges in groups:
        # A right-to-left group is written in visual order: its units (and the glyphs in
        # each) reversed.
        if rtl:
            spans = [range(b - 1, a - 1, -1) for a, b in reversed(ranges)]
            firsts, ends, codes = ln.first_r, ln.end_r, ln.items_r
        else:
            spans = [range(a, b) for a, b in ranges]
            firsts, ends, codes = ln.first, ln.end, ln.items
        ops.append(f"{rec.font(face)} {fp(size)} Tf")
        if face.fake_bold:
            ops.append(f"2 Tr {fp(size * 0.035)} w")
        pen = firsts[spans[0][0]]
        ops.append(f"1 0 0 1 {fp(pen)} {rec.height(0.0)} Tm")
        color, rise, items = None, 0.0, []
        for span in spans:
            for k in span:
                target, new_rise = firsts[k], rises[k]
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
                        ops.append(f"{fp(rise)} Ts")
                shift = (pen - target) * 1000 / size
                if abs(shift) > 0.05:
                    items.append(fp(round(shift, 2)))
                items.append(codes[k])
                pen = ends[k]
        if items:
            ops.append(f"[{' '.join(items)}] TJ")
        if rise:
            ops.append("0 Ts")
        if face.fake_bold:
            ops.append("0 Tr")
    ops += ["ET", "Q"]
    out.append("\n".join(ops))
    return end_state
