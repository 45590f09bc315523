"""A shaped word prepared for drawing at one size, once: a page draws the same words often.

For each word: its glyphs' advances, its glyphs with a character in logical order (with
pypdf's class of each, which decides how text.py groups them), the glyphs drawn as paths,
and for a word of one class without raised glyphs, the TJ items between its glyphs: with
those a word is written as one unit, not glyph by glyph.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any

from reportlab.lib.rl_accel import fp_str

from generators.pdf.wordlayout import Shaped

N, L, R = 0, 1, 2
# The character classes pypdf 4-7 uses to decide what it reverses.
_PYPDF_NEUTRAL = (("\x00", "\x2f"), ("\x3a", "\x40"), ("\u0660", "\u066d"),
                  ("\u06f0", "\u06f9"), ("\u2000", "\u206f"), ("\u20a0", "\u21ff"))
_PYPDF_RTL = (("\u0590", "\u08ff"), ("\ufb1d", "\ufdff"), ("\ufe70", "\ufeff"))
_class_cache: dict[str, int] = {}


def _class(text: str) -> int:
    hit = _class_cache.get(text)
    if hit is None:
        if len(text) != 1 or any(a <= text <= b for a, b in _PYPDF_NEUTRAL):
            hit = N
        elif any(a <= text <= b for a, b in _PYPDF_RTL):
            hit = R
        else:
            hit = L
        _class_cache[text] = hit
    return hit


# (advances, texts, paths, classes, units): texts are the glyphs with a character
# in logical order, (index, x offset, rise, PDF width, character, class) at this size;
# paths the others, (index, glyph); classes the texts' classes as (class, count) runs;
# units, for a word of one class and no rise, its TJ items written in logical order and
# reversed, as templates of its glyphs' codes (else None).
# A plain tuple of tuples of numbers and strings: the garbage collector stops scanning it.
Drawn = tuple


def drawn(shaped: Shaped, size: float) -> Drawn:
    """What drawing `shaped` at `size` needs (remembered on the word)."""
    found = shaped.drawn.get(size)
    if found is None:
        found = shaped.drawn[size] = _prepare(shaped, size)
    return found


def _prepare(shaped: Shaped, size: float) -> Drawn:
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
    units = None
    if len(runs) == 1 and not any(t[2] for t in texts):
        units = _templates(texts, advances, size) if len(texts) > 1 else _ONE
    return (advances, tuple(texts), tuple(paths), tuple([(c, n) for c, n in runs]),
            units)


_ONE = ("{0}", "{0}")
_FIELDS = [f"{{{k}}}" for k in range(64)]


def _templates(texts: list[tuple], advances: tuple[float, ...], size: float) -> tuple[str, str]:
    """The TJ items of a one-unit word written in logical order and reversed, as
    str.format templates of its codes: each code, with the shift from the glyph before
    where there is one (as the drawing loop computes it, from the word's start)."""
    pens = list(accumulate(advances, initial=0.0))
    targets = [pens[i] + dx for i, dx, _, _, _, _ in texts]
    ends = [t + width for t, (_, _, _, width, _, _) in zip(targets, texts, strict=True)]
    fields = _FIELDS if len(texts) <= len(_FIELDS) else [f"{{{k}}}" for k in range(len(texts))]
    forward, backward = [fields[0]], [fields[len(texts) - 1]]
    for k in range(1, len(texts)):
        shift = (ends[k - 1] - targets[k]) * 1000 / size
        if abs(shift) > 0.05:
            forward.append(fp(round(shift, 2)))
        forward.append(fields[k])
        j = len(texts) - 1 - k  # reversed: glyph j follows glyph j + 1
        shift = (ends[j + 1] - targets[j]) * 1000 / size
        if abs(shift) > 0.05:
            backward.append(fp(round(shift, 2)))
        backward.append(fields[j])
    return " ".join(forward), " ".join(backward)


# A piece placed on a line: pen positions of its glyphs (and its end), how to draw it, and
# its rtl.Run (face, size, colour).
Segment = tuple[list[float], Drawn, Any]


_fp_cache: dict[float, str] = {}


def fp(value: float) -> str:
    """reportlab's fp_str of one number, remembered: the same few shifts recur."""
    hit = _fp_cache.get(value)
    if hit is None:
        hit = _fp_cache[value] = fp_str(value)
    return hit
