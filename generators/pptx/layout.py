"""Measuring text with the font's real metrics: lines, heights, and bullet lists split to fit.

Widths come from HarfBuzz shaping of each word and line breaks are greedy at spaces (as
PowerPoint and LibreOffice break). A line at 100 % spacing is 1.2 em whatever the font's
own metrics, as PowerPoint sets it and LibreOffice does for a .pptx (measured: 33.6 pt
between the baselines of 28 pt Amiri); Amiri's tall letters and marks want more, so
every paragraph is set at LINE_SPACING.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from course.errors import WriterError
from generators.pptx.fonts import face

# Bullet sizes tried, largest first; 24 pt is the smallest readable on a 16:9 slide.
BULLET_SIZES = (28.0, 26.0, 24.0)
TITLE_SIZES = (40.0, 36.0, 32.0, 28.0, 24.0, 20.0, 16.0)
SINGLE_LINE = 1.2  # em: one line at 100 % spacing
LINE_SPACING = 1.25  # the proportional spacing written on every paragraph
SPACE_BEFORE = 0.35  # space before each bullet after the first, in em of the bullet size
SLACK = 0.97  # measure against a slightly narrower line: renderers' rounding differs

_SPACES = re.compile(r"(\s+)")


@dataclass(frozen=True)
class Run:
    """Text of one weight and slant; "\\n" alone is a line break."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Para:
    """One paragraph: its runs, and whether it continues the bullet before it (no glyph)."""

    runs: tuple[Run, ...]
    continued: bool = False


@dataclass(frozen=True)
class Box:
    """The text area of a frame in points, with the font it is set in."""

    width: float
    height: float
    family: str


def _tokens(para: Para) -> list[tuple[int, str]]:
    """(run index, piece) pairs: words, spaces and line breaks, in order."""
    found = []
    for index, run in enumerate(para.runs):
        found += [(index, piece) for piece in _SPACES.split(run.text) if piece]
    return found


def _units(para: Para, size: float, family: str) -> list[tuple[int, float, float, bool]]:
    """Unbreakable words: (first token, width, width of the spaces after, line break after)."""
    units: list[tuple[int, float, float, bool]] = []
    space = face(family).width(" ") * size
    start, width = 0, 0.0
    tokens = _tokens(para)
    for position, (index, piece) in enumerate(tokens):
        if piece.isspace():
            hard = "\n" in piece
            units.append((start, width, 0.0 if hard else space * len(piece), hard))
            start, width = position + 1, 0.0
            continue
        run = para.runs[index]
        width += face(family, run.bold, run.italic).width(piece) * size
    if width or not units:
        units.append((start, width, 0.0, False))
    return units


def _wrap(para: Para, width: float, size: float, family: str) -> list[int]:
    """The index of the token that starts each line, breaking greedily at spaces."""
    starts = [0]
    line: float | None = None  # width of the current line, None before its first word
    gap, broken = 0.0, False
    for start, word, space, hard in _units(para, size, family):
        if broken:  # the line break before this word starts a line
            starts.append(start)
            broken = False
        elif line is not None and line + gap + word > width:
            starts.append(start)
            line = None
        if line is None:
            # A word wider than the line is broken inside it by the renderer.
            extra = max(0, math.ceil(word / width) - 1)
            starts += [start] * extra
            line = word - extra * width
        else:
            line += gap + word
        gap = space
        if hard:
            line, gap, broken = None, 0.0, True
    return starts


def line_count(para: Para, width: float, size: float, family: str) -> int:
    """How many lines a paragraph takes in a line `width` points wide."""
    return len(_wrap(para, width * SLACK, size, family))


def line_height(size: float, family: str) -> float:
    """One line's height in points at LINE_SPACING (the same for every font)."""
    del family  # kept in the signature: a renderer that used the font's metrics would need it
    return SINGLE_LINE * LINE_SPACING * size


def text_height(paras: list[Para], box: Box, size: float) -> float:
    """The height of some paragraphs set at `size` in `box`, spacing included."""
    lines = sum(line_count(p, box.width, size, box.family) for p in paras)
    gaps = max(0, len(paras) - 1) * SPACE_BEFORE * size
    return lines * line_height(size, box.family) + gaps


def fits(paras: list[Para], box: Box, size: float) -> bool:
    """Whether the paragraphs fit the box at this size."""
    return text_height(paras, box, size) <= box.height


def title_size(para: Para, box: Box) -> float:
    """The largest title size at which the title fits its box."""
    for size in TITLE_SIZES:
        if fits([para], box, size):
            return size
    text = "".join(r.text for r in para.runs)
    raise WriterError(f"the slide title '{text[:60]}' does not fit its box even at "
                      f"{TITLE_SIZES[-1]:g} pt; shorten it")


def _split_long(para: Para, box: Box, size: float) -> list[Para]:
    """A bullet too tall for a slide alone, cut at line starts into parts that fit."""
    per_slide = max(1, int(box.height // line_height(size, box.family)))
    starts = _wrap(para, box.width * SLACK, size, box.family)
    tokens = _tokens(para)
    parts, cuts = [], [*starts[per_slide::per_slide], len(tokens)]
    begin = 0
    for cut in cuts:
        runs: list[Run] = []
        for index, piece in tokens[begin:cut]:
            run = para.runs[index]
            if runs and (runs[-1].bold, runs[-1].italic) == (run.bold, run.italic):
                runs[-1] = Run(runs[-1].text + piece, run.bold, run.italic)
            else:
                runs.append(Run(piece, run.bold, run.italic))
        if runs:
            runs[0] = Run(runs[0].text.lstrip(), runs[0].bold, runs[0].italic)
            runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].bold, runs[-1].italic)
            parts.append(Para(tuple(runs), para.continued or bool(parts)))
        begin = cut
    return parts


def _partition(paras: list[Para], box: Box, size: float) -> list[list[Para]]:
    """The fewest consecutive groups that each fit, as even in height as possible."""
    n = len(paras)
    height = [[0.0] * (n + 1) for _ in range(n + 1)]
    for i in range(n):
        for j in range(i + 1, n + 1):
            height[i][j] = text_height(paras[i:j], box, size)
    # best[j] = (groups, tallest group) for the first j paragraphs.
    best: list[tuple[int, float, int]] = [(0, 0.0, 0)] + [(n + 1, math.inf, 0)] * n
    for j in range(1, n + 1):
        for i in range(j):
            if height[i][j] <= box.height and best[i][0] < n + 1:
                candidate = (best[i][0] + 1, max(best[i][1], height[i][j]), i)
                if candidate[:2] < best[j][:2]:
                    best[j] = candidate
    groups, j = [], n
    while j > 0:
        i = best[j][2]
        groups.insert(0, paras[i:j])
        j = i
    return groups


def paginate(paras: list[Para], box: Box) -> tuple[list[list[Para]], float]:
    """The bullets in groups of one slide each, and the one size they are all set at."""
    for size in BULLET_SIZES:
        if fits(paras, box, size):
            return [paras], size
    smallest = BULLET_SIZES[-1]
    pieces = [part for p in paras for part in (
        [p] if fits([p], box, smallest) else _split_long(p, box, smallest))]
    groups = _partition(pieces, box, smallest)
    # Every slide of a continued list uses the same size: the largest that fits them all.
    size = next(s for s in BULLET_SIZES if all(fits(g, box, s) for g in groups))
    return groups, size
