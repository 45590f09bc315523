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

from reportlab.lib.colors import toColor
from reportlab.lib.rl_accel import fp_str

from generators.pdf.fonts import FontFace, encode, glyph_path

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


class Unit:
    """One glyph placed on a line (x is its pen position, before its own offset)."""

    __slots__ = ("face", "size", "color", "char", "text", "x", "dx", "dy", "width",
                 "gid", "res", "code", "cls")

    def __init__(self, face: FontFace, size: float, color: str, glyph: tuple, x: float) -> None:
        char, _advance, dx, dy, text, width, gid = glyph
        self.face, self.size, self.color, self.char, self.text = face, size, color, char, text
        self.x, self.dx, self.dy, self.width, self.gid = x, dx, dy, width, gid
        self.cls = _class(text)


def _assign_codes(canv, units: list[Unit]) -> None:
    doc = canv._doc
    for u in units:
        u.code = encode(u.face, u.char, doc)
        u.res = (u.face, u.size)


def _split_dirs(run: list[Unit]) -> list[tuple[bool | None, list[Unit]]]:
    """Split a one-font run into strong cores and the neutrals between them."""
    strong = [k for k, u in enumerate(run) if u.cls != _N]
    if not strong:
        return [(None, run)]
    out: list[tuple[bool | None, list[Unit]]] = []
    if strong[0] > 0:
        out.append((None, run[:strong[0]]))
    start = strong[0]
    for a, b in zip(strong, strong[1:], strict=False):
        if run[a].cls != run[b].cls:
            out.append((run[a].cls == _R, run[start:a + 1]))
            if b > a + 1:
                out.append((None, run[a + 1:b]))
            start = b
    last = strong[-1]
    out.append((run[last].cls == _R, run[start:last + 1]))
    if last + 1 < len(run):
        out.append((None, run[last + 1:]))
    return out


def _groups(units: list[Unit]) -> list[tuple[bool | None, list[Unit]]]:
    out = []
    i, n = 0, len(units)
    while i < n:
        j, key = i, units[i].res
        while j < n and units[j].res == key:
            j += 1
        out.extend(_split_dirs(units[i:j]))
        i = j
    return out


@lru_cache(maxsize=256)
def _rgb(color: str) -> str:
    c = toColor(color)
    return f"{fp_str(c.red)} {fp_str(c.green)} {fp_str(c.blue)}"


def emit_line(canv, units: list[Unit], y: float) -> None:
    """Write one line's glyphs (given in logical order) at baseline y."""
    paths = [u for u in units if not u.char]
    units = [u for u in units if u.char]
    if units:
        _emit_text(canv, units, y)
    # Glyphs without characters go after ET: pypdf's flush at `cm` is harmless there.
    for u in paths:
        s = u.size / 1000
        rgb = _rgb(u.color)
        ops = ["q", f"{rgb} rg",
               f"{fp_str(s)} 0 0 {fp_str(s)} {fp_str(u.x + u.dx * s)} {fp_str(y + u.dy * s)} cm",
               glyph_path(u.face, u.gid), "f", "Q"]
        if u.face.fake_bold:  # stroked like the text of a fake-bold face (35/1000 em)
            ops[1] += f" {rgb} RG 35 w"
            ops[-2] = "B"
        canv._code.append(" ".join(ops))


def _written(units: list[Unit], rtl_state: bool) -> tuple[list[tuple[bool, list[Unit]]], bool]:
    """Groups with the direction they are written in, and pypdf's direction after them.

    A right-to-left group joins the right-to-left group before it in the same font when
    pypdf already reads right to left there: one run, written in visual order, so
    poppler does not split `لأحد.` or `أ)` where the content stream would jump back.
    """
    out: list[tuple[bool, list[Unit]]] = []
    joinable = False  # the last group is right-to-left and began in a right-to-left state
    for direction, group in _groups(units):
        rtl = rtl_state if direction is None else direction
        if rtl and joinable and out[-1][1][0].res == group[0].res:
            out[-1][1].extend(group)
        else:
            joinable = rtl and rtl_state
            out.append((rtl, list(group)))
        rtl_state = rtl
    return out, rtl_state


def _emit_text(canv, units: list[Unit], y: float) -> None:
    _assign_codes(canv, units)
    # pypdf's reading direction, carried from line to line; it starts each page left to right.
    page, rtl_state = canv.__dict__.get("_cg_rtl", (0, False))
    if page != canv.getPageNumber():
        rtl_state = False
    groups, end_state = _written(units, rtl_state)
    ops = ["q", "BT"]
    for rtl, group in groups:
        seq = group[::-1] if rtl else group
        face, size = seq[0].res
        ops.append(f"{face.ttf.resource_name(canv._doc)} {fp_str(size)} Tf")
        if face.fake_bold:
            ops.append(f"2 Tr {fp_str(size * 0.035)} w")
        pen = seq[0].x + seq[0].dx * size / 1000
        ops.append(f"1 0 0 1 {fp_str(pen)} {fp_str(y)} Tm")
        color, rise, items = None, 0.0, []
        for u in seq:
            new_rise = u.dy * size / 1000
            if u.color != color or new_rise != rise:
                if items:
                    ops.append(f"[{' '.join(items)}] TJ")
                    items = []
                if u.color != color:
                    color = u.color
                    rgb = _rgb(color)
                    ops.append(f"{rgb} rg {rgb} RG" if face.fake_bold else f"{rgb} rg")
                if new_rise != rise:
                    rise = new_rise
                    ops.append(f"{fp_str(rise)} Ts")
            target = u.x + u.dx * size / 1000
            shift = (pen - target) * 1000 / size
            if abs(shift) > 0.05:
                items.append(fp_str(round(shift, 2)))
            items.append(f"<{u.code:04X}>")
            pen = target + u.width * size / 1000
        if items:
            ops.append(f"[{' '.join(items)}] TJ")
        if rise:
            ops.append("0 Ts")
        if face.fake_bold:
            ops.append("0 Tr")
    ops += ["ET", "Q"]
    canv._code.append("\n".join(ops))
    canv._cg_rtl = (canv.getPageNumber(), end_state)
