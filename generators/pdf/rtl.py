"""The bidi-aware paragraph: shaped words, greedy line breaking, visual reordering per line."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.platypus import Flowable

from generators.pdf.bidi import levels, visual_order
from generators.pdf.fonts import FontFace, shape
from generators.pdf.text import Unit, emit_line

_BREAKABLE = " \t"
# A list label hangs this far from its text: extractors then keep it apart from the
# item's words (pdftotext starts a new line past about one em of space).
MARKER_GAP = 16.0
JUSTIFY_MAX = 0.6  # em of extra space a justified line may add to each space


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

    __slots__ = ("run", "text", "level", "script", "space", "glyphs", "width")

    def __init__(self, run: Run, text: str, level: int, script: str = "") -> None:
        self.run, self.text, self.level, self.space = run, text, level, text[0] in _BREAKABLE
        self.script = script
        self.glyphs, advance = shape(run.face, text, bool(level & 1), script)
        self.width = advance * run.size / 1000

    def part(self, start: int, end: int | None = None) -> Piece:
        """The piece of some of these characters (reshaped)."""
        return Piece(self.run, self.text[start:end], self.level, self.script)


def _letter_script(char: str) -> str:
    if not unicodedata.category(char).startswith("L"):
        return ""
    o = ord(char)
    arabic = 0x0600 <= o <= 0x08FF or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF
    return "Arab" if arabic else "Latn"


def script_hints(text: str, rtl: bool) -> list[str]:
    """For each character, the script of the nearest letter before it (else after it).

    Digits and punctuation belong to no script; a word made only of them ("20)." in
    French) takes its neighbours' script, else the font's default (Amiri's Arabic-style
    brackets and full stop) would print inside Latin text.
    """
    hints, last = [], ""
    for char in text:
        hints.append(last)
        last = _letter_script(char) or last
    following = "Arab" if rtl else "Latn"
    for k in range(len(text) - 1, -1, -1):
        following = _letter_script(text[k]) or following
        hints[k] = hints[k] or following
    return hints


def pieces_of(runs: Sequence[Run], rtl: bool) -> list[Piece | None]:
    """Shaped pieces in logical order; None marks a hard line break."""
    text = "".join(r.text for r in runs)
    scripts = script_hints(text, rtl)
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
            out.append(Piece(owner[start + i], segment[i:j], lv[i], scripts[start + i]))
            i = j
        start += len(segment) + 1
    return out


def _fit(piece: Piece, room: float) -> tuple[Piece, Piece | None] | None:
    """The longest head of a piece that fits in `room`, cut between characters, and the rest.

    None when not even one character fits. Marks stay with their letter.
    """
    text = piece.text
    cuts = [i for i in range(1, len(text)) if not unicodedata.combining(text[i])]
    lo, hi = 0, len(cuts)  # cuts[:lo] fit; find the last that does
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if piece.part(0, cuts[mid - 1]).width <= room + 0.01:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return None
    cut = cuts[lo - 1]
    return piece.part(0, cut), piece.part(cut)


def _first_char(piece: Piece) -> tuple[Piece, Piece | None]:
    """A piece's first character (with its marks) and the rest."""
    text = piece.text
    cut = next((i for i in range(1, len(text)) if not unicodedata.combining(text[i])), len(text))
    return piece.part(0, cut), piece.part(cut) if cut < len(text) else None


def _split_word(word: list[Piece], room: float, width: float) -> list[list[Piece]]:
    """A word wider than a line in chunks: the first fills `room` (it may be empty), the
    others a whole `width` each."""
    chunks: list[list[Piece]] = [[]]
    todo = list(word)
    while todo:
        p = todo.pop(0)
        if p.width <= room + 0.01:
            chunks[-1].append(p)
            room -= p.width
            continue
        fit = _fit(p, room)
        if fit is None:
            if chunks[-1] or room < width:  # try again on a fresh line
                chunks.append([])
                room = width
                todo.insert(0, p)
                continue
            fit = _first_char(p)  # not one character fits a line: it overflows alone
        head, rest = fit
        chunks[-1].append(head)
        chunks.append([])
        room = width
        if rest is not None:
            todo.insert(0, rest)
    if len(chunks) > 1 and not chunks[-1]:
        chunks.pop()
    return chunks


def break_lines(pieces: list[Piece | None], width: float) -> list[tuple[list[Piece], bool]]:
    """Greedy breaking at spaces; each line is (pieces, ends_paragraph_or_hard_break).

    A word wider than a whole line (a URL, a long token) is cut between characters as a
    last resort, its first part filling what is left of the current line.
    """
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
        if wide > width + 0.01:
            room = width - used - gap if line else width
            chunks = _split_word(word, max(room, 0.0), width)
            if not chunks[0]:  # nothing fitted on the current line
                if line:
                    lines.append((line, False))
                line, used = [], 0.0
                chunks.pop(0)
            elif line:
                line += spaces
                used += gap
            for chunk in chunks[:-1]:
                lines.append((line + chunk, False))
                line, used = [], 0.0
            line = line + chunks[-1]
            used += sum(p.width for p in chunks[-1])
            spaces, word = [], []
            return
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
    size = max((p.run.size for p in line), default=0.0)
    # A justified line stretches each space by 0.6 em at most: a line left short by a long
    # word that follows is set flush instead (wider gaps split it in two for poppler).
    if align == "justify" and not last and n_spaces and 0 < room <= JUSTIFY_MAX * size * n_spaces:
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
                 outline: tuple[int, str, str] | None = None, marker_column: float = 0.0) -> None:
        super().__init__()
        self.runs, self.style, self.marker = tuple(runs), style, tuple(marker)
        # Width of the label column: the labels of one list align on their reading side.
        self.marker_column = marker_column
        self.outline = outline
        self._pieces = pieces_of(self.runs, style.rtl)
        self._lines: list[tuple[list[Piece], bool]] | None = None
        self._width = -1.0
        self.keepWithNext = style.keep_with_next

    def text(self) -> str:
        """The paragraph's characters (for outlines and tests)."""
        return "".join(r.text for r in self.runs)

    def longest_word(self) -> float:
        """The width of the widest word: narrower than that, a word must be cut."""
        widest = wide = 0.0
        for p in self._pieces:
            wide = 0.0 if p is None or p.space else wide + p.width
            widest = max(widest, wide)
        st = self.style
        return widest + st.indent_start + st.indent_end

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
                            self.outline, self.marker_column)
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
            canv.bookmarkHorizontal(key, 0, self.height)  # jump to the heading, not the page
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
        column = max(self.marker_column, sum(p.width for p in pieces))
        # Flush to the reading side of a column that ends MARKER_GAP before the text.
        if self.style.rtl:
            edges = (right + MARKER_GAP, right + MARKER_GAP + column)
        else:
            edges = (left - MARKER_GAP - column, left - MARKER_GAP)
        units, _ = line_units(pieces, self.style.rtl, *edges, "start", True)
        emit_line(self.canv, units, y)


def runs_width(runs: Sequence[Run], rtl: bool) -> float:
    """The natural width of a one-line text (a list label)."""
    return sum(p.width for p in pieces_of(runs, rtl) if p is not None)
