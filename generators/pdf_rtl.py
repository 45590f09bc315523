"""The bidi-aware paragraph: shaped words, greedy line breaking, visual reordering per line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.platypus import Flowable

from generators.pdf_bidi import levels, visual_order
from generators.pdf_fonts import FontFace, shape
from generators.pdf_text import Unit, emit_line

_BREAKABLE = " \t"


@dataclass(frozen=True)
class Run:
    """Text in one face, size and colour; `link` is a URL or `#anchor`."""

    text: str
    face: FontFace
    size: float
    color: str = "#000000"
    link: str | None = None


@dataclass(frozen=True)
class ParaStyle:
    """Layout of a paragraph; `start`/`end` mean right/left in RTL, left/right in LTR."""

    leading: float = 20.0
    align: str = "start"  # start, end, center, justify
    rtl: bool = True
    indent_start: float = 0.0
    indent_end: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False


class Piece:
    """A shaped stretch of one run at one bidi level: a word, part of one, or a space."""

    __slots__ = ("run", "level", "space", "glyphs", "width")

    def __init__(self, run: Run, text: str, level: int) -> None:
        self.run, self.level, self.space = run, level, text[0] in _BREAKABLE
        self.glyphs, advance = shape(run.face, text, bool(level & 1))
        self.width = advance * run.size / 1000


def pieces_of(runs: Sequence[Run], rtl: bool) -> list[Piece | None]:
    """Shaped pieces in logical order; None marks a hard line break."""
    text = "".join(r.text for r in runs)
    owner = [r for r in runs for _ in r.text]
    out: list[Piece | None] = []
    start = 0
    for k, segment in enumerate(text.split("\n")):
        if k:
            out.append(None)
        lv = levels(segment, rtl)
        i = 0
        while i < len(segment):
            j = i + 1
            key = (owner[start + i], lv[i], segment[i] in _BREAKABLE)
            while j < len(segment) and (owner[start + j], lv[j],
                                        segment[j] in _BREAKABLE) == key:
                j += 1
            out.append(Piece(owner[start + i], segment[i:j], lv[i]))
            i = j
        start += len(segment) + 1
    return out


def break_lines(pieces: list[Piece | None], width: float) -> list[tuple[list[Piece], bool]]:
    """Greedy breaking at spaces; each line is (pieces, ends_paragraph_or_hard_break)."""
    lines: list[tuple[list[Piece], bool]] = []
    line: list[Piece] = []
    used = 0.0
    spaces: list[Piece] = []
    word: list[Piece] = []

    def flush_word() -> None:
        nonlocal line, used, spaces, word
        if not word:
            return
        wide = sum(p.width for p in word)
        gap = sum(p.width for p in spaces)
        if line and used + gap + wide > width + 0.01:
            lines.append((line, False))
            line, used = list(word), wide
        else:
            line += spaces + word
            used += gap + wide
        spaces, word = [], []

    for p in pieces:
        if p is None:
            flush_word()
            lines.append((line, True))
            line, used, spaces = [], 0.0, []
        elif p.space:
            flush_word()
            if line:
                spaces.append(p)
        else:
            word.append(p)
    flush_word()
    lines.append((line, True))
    return lines


def line_units(line: list[Piece], rtl: bool, left: float, right: float, align: str,
               last: bool) -> tuple[list[Unit], list[tuple[str, float, float]]]:
    """Place a line's glyphs between left and right; return units in logical order, links."""
    order = visual_order([p.level for p in line])
    natural = sum(p.width for p in line)
    room = right - left - natural
    n_spaces = sum(1 for p in line if p.space)
    extra = 0.0
    if align == "justify" and not last and n_spaces and room > 0:
        extra, x = room / n_spaces, left
    elif align == "center":
        x = left + room / 2
    elif (align in ("start", "justify")) == rtl:
        x = right - natural  # flush right: RTL start (and a justified last line), LTR end
    else:
        x = left
    starts: dict[int, float] = {}
    for i in order:
        starts[i] = x
        x += line[i].width + (extra if line[i].space else 0.0)
    units: list[Unit] = []
    links: dict[str, list[float]] = {}
    for i, p in enumerate(line):
        run, scale = p.run, p.run.size / 1000
        pen = starts[i]
        placed = []
        for glyph in p.glyphs:
            placed.append(Unit(run.face, run.size, run.color, glyph, pen))
            pen += glyph[1] * scale
        # Logical order inside a right-to-left piece is the reverse of the visual one.
        units.extend(placed[::-1] if p.level & 1 else placed)
        if run.link and not p.space:
            span = links.setdefault(run.link, [starts[i], pen])
            span[0], span[1] = min(span[0], starts[i]), max(span[1], pen)
    return units, [(k, a, b) for k, (a, b) in links.items()]


class RtlParagraph(Flowable):
    """A paragraph laid out by the bidi rules: every line reads in its direction."""

    def __init__(self, runs: Sequence[Run], style: ParaStyle, marker: Sequence[Run] = (),
                 outline: tuple[int, str, str] | None = None) -> None:
        super().__init__()
        self.runs, self.style, self.marker = tuple(runs), style, tuple(marker)
        self.outline = outline
        self._pieces = pieces_of(self.runs, style.rtl)
        self._lines: list[tuple[list[Piece], bool]] | None = None
        self._width = -1.0
        self.keepWithNext = style.keep_with_next

    def text(self) -> str:
        """The paragraph's characters (for outlines and tests)."""
        return "".join(r.text for r in self.runs)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        """Break lines for this width (once per width)."""
        if self._lines is None or abs(aw - self._width) > 0.01:
            st = self.style
            self._lines = break_lines(self._pieces, aw - st.indent_start - st.indent_end)
            self._width = aw
        self.width, self.height = aw, len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        """Split between lines; both parts keep their already broken lines."""
        self.wrap(aw, ah)
        assert self._lines is not None
        fit = int((ah + 0.001) // self.style.leading)
        if fit <= 0 or fit >= len(self._lines):
            return [] if fit <= 0 else [self]
        head = RtlParagraph(self.runs, replace(self.style, space_after=0.0), self.marker,
                            self.outline)
        tail = RtlParagraph(self.runs, replace(self.style, space_before=0.0))
        head._lines, tail._lines = self._lines[:fit], self._lines[fit:]
        head._width = tail._width = aw
        return [head, tail]

    def getSpaceBefore(self) -> float:  # noqa: N802 (reportlab's name)
        """Space above the paragraph."""
        return self.style.space_before

    def getSpaceAfter(self) -> float:  # noqa: N802 (reportlab's name)
        """Space below the paragraph."""
        return self.style.space_after

    def _edges(self) -> tuple[float, float]:
        st = self.style
        if st.rtl:
            return st.indent_end, self.width - st.indent_start
        return st.indent_start, self.width - st.indent_end

    def draw(self) -> None:
        """Emit every line, the list marker and the outline entry."""
        canv, st = self.canv, self.style
        left, right = self._edges()
        size = max((r.size for r in self.runs), default=12.0)
        assert self._lines is not None
        if self.outline:
            level, title, key = self.outline
            canv.bookmarkPage(key)
            top = canv.__dict__.get("_cg_outline_level", -1)
            level = min(level, top + 1)  # reportlab refuses jumps (level 0 then 2)
            canv.addOutlineEntry(title, key, level)
            canv._cg_outline_level = level
        for n, (line, last) in enumerate(self._lines):
            y = self.height - n * st.leading - (st.leading + size * 0.6) / 2
            units, links = line_units(line, st.rtl, left, right, st.align, last)
            emit_line(canv, units, y)
            for target, x0, x1 in links:
                rect = (x0, y - size * 0.3, x1, y + size * 0.8)
                if target.startswith("#"):
                    canv.linkRect("", target[1:], rect, relative=1)
                else:
                    canv.linkURL(target, rect, relative=1)
            if n == 0 and self.marker:
                self._draw_marker(y, left, right)

    def _draw_marker(self, y: float, left: float, right: float) -> None:
        pieces = [p for p in pieces_of(self.marker, self.style.rtl) if p is not None]
        wide = sum(p.width for p in pieces)
        # A hanging label, clear of the text: extractors then keep it apart from the
        # item's words (pdftotext starts a new line past about one em of space).
        gap = 16.0
        if self.style.rtl:
            units, _ = line_units(pieces, True, right + gap, right + gap + wide, "start", True)
        else:
            units, _ = line_units(pieces, False, left - gap - wide, left - gap, "start", True)
        emit_line(self.canv, units, y)
