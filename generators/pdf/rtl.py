"""The bidi-aware paragraph: shaped words, greedy line breaking, visual reordering per line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import accumulate

from reportlab.platypus import Flowable

from generators.pdf import linecache
from generators.pdf.bidi import visual_order
from generators.pdf.linebreak import break_lines
from generators.pdf.lineprog import play, reading_state
from generators.pdf.pieces import Piece, Run, pieces_of
from generators.pdf.text import line_program
from generators.pdf.wordprep import Segment, drawn

# Run, pieces_of and break_lines are used from here by the other modules and the tests.
__all__ = ["MARKER_GAP", "ParaStyle", "Piece", "Run", "RtlParagraph", "break_lines",
           "line_units", "pieces_of", "runs_width"]
# A list label hangs this far from its text: extractors then keep it apart from the
# item's words (pdftotext starts a new line past about one em of space).
MARKER_GAP = 16.0
JUSTIFY_MAX = 0.6  # em of extra space a justified line may add to each space


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


def line_units(line: list[Piece], rtl: bool, left: float, right: float, align: str,
               last: bool) -> tuple[list[Segment], list[tuple[str, float, float]]]:
    """Place a line's pieces between left and right: segments in logical order, links."""
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
    starts = [0.0] * len(line)
    for i in order:
        starts[i] = x
        x += line[i].width + (extra if line[i].space else 0.0)
    segments: list[Segment] = []
    links: dict[str, list[float]] = {}
    for p, start in zip(line, starts, strict=True):
        run = p.run
        word = p.shaped.drawn.get(run.size) or drawn(p.shaped, run.size)
        xs = list(accumulate(word[0], initial=start))
        segments.append((xs, word, run))
        if run.link and not p.space:
            span = links.setdefault(run.link, [start, xs[-1]])
            span[0], span[1] = min(span[0], start), max(span[1], xs[-1])
    return segments, [(k, a, b) for k, (a, b) in links.items()]


class RtlParagraph(Flowable):
    """A paragraph laid out by the bidi rules: every line reads in its direction.

    Its lines come from `linecache` when the paragraph was laid out at this width before
    (in this process or, for the same document, an earlier run): then no word is shaped.
    """

    def __init__(self, runs: Sequence[Run], style: ParaStyle, marker: Sequence[Run] = (),
                 outline: tuple[int, str, str] | None = None, marker_column: float = 0.0) -> None:
        super().__init__()
        self.runs, self.style, self.marker = tuple(runs), style, tuple(marker)
        # Width of the label column: the labels of one list align on their reading side.
        self.marker_column = marker_column
        self.outline = outline
        self._shaped: list[Piece | None] | None = None
        self._lines: list[linecache.Line] | None = None
        self._first = 0  # the index of its first line among the paragraph's (a split's tail)
        self._width = -1.0
        self.keepWithNext = style.keep_with_next

    @property
    def _pieces(self) -> list[Piece | None]:
        """The shaped pieces, made when first needed (a paragraph drawn from its stored
        lines never needs them)."""
        if self._shaped is None:
            self._shaped = pieces_of(self.runs, self.style.rtl)
        return self._shaped

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

    def _key(self) -> tuple:
        """Everything the lines depend on besides the width."""
        st = self.style
        return (st.rtl, st.align, st.indent_start, st.indent_end, *_runs_key(self.runs))

    def _faces(self, runs: Sequence[Run]) -> list:
        """The faces the programs name by index: the runs' own, in order."""
        return list(dict.fromkeys(r.face for r in runs))

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        """Break lines for this width (once per width)."""
        if self._lines is None or abs(aw - self._width) > 0.01:
            self._lines = self._layout(aw)
            self._width = aw
        self.width, self.height = aw, len(self._lines) * self.style.leading
        return self.width, self.height

    def _layout(self, aw: float) -> list[linecache.Line]:
        """The paragraph's lines at width aw, known or broken now."""
        entry = linecache.entry(self._key(), self._faces(self.runs))
        lines = entry.layouts.get(aw)
        if lines is None:
            st = self.style
            lines = entry.layouts[aw] = [
                linecache.Line({}, (), pieces, last)
                for pieces, last in break_lines(self._pieces, aw - st.indent_start
                                                - st.indent_end)]
        return lines

    def _fill(self) -> None:
        """Give its known lines their pieces again (to record a new program)."""
        assert self._lines is not None
        st = self.style
        broken = break_lines(self._pieces, self._width - st.indent_start - st.indent_end)
        for line, (pieces, _) in zip(self._lines, broken[self._first:], strict=False):
            line.pieces = pieces

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
        head._first, tail._first = self._first, self._first + fit
        head._width = tail._width = aw
        head._shaped = tail._shaped = self._shaped
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
        faces = self._faces(self.runs)
        for n, line in enumerate(self._lines):
            y = self.height - n * st.leading - (st.leading + size * 0.6) / 2
            _draw_line(canv, line, faces, y, self._fill,
                       lambda ln: line_units(ln.pieces, st.rtl, left, right, st.align, ln.last))
            for target, x0, x1 in line.links:
                rect = (x0, y - size * 0.3, x1, y + size * 0.8)
                if target.startswith("#"):
                    canv.linkRect("", target[1:], rect, relative=1)
                else:
                    canv.linkURL(target, rect, relative=1)
            if n == 0 and self.marker:
                self._draw_marker(y, left, right)
        # The lines stay in memory for later documents: not the words they were made of
        # (beyond shaping's own bound), which only a new reading direction would need.
        for line in self._lines:
            line.pieces = None

    def _draw_marker(self, y: float, left: float, right: float) -> None:
        rtl = self.style.rtl
        at = (left, right, self.marker_column)
        faces = self._faces(self.marker)
        entry = linecache.entry(("marker", rtl, *_runs_key(self.marker)), faces)
        lines = entry.layouts.get(at)
        if lines is None:
            lines = entry.layouts[at] = [linecache.Line({}, (), None, True)]

        def fill() -> None:
            lines[0].pieces = [p for p in pieces_of(self.marker, rtl) if p is not None]

        def place(line: linecache.Line) -> tuple[list[Segment], list]:
            column = max(self.marker_column, sum(p.width for p in line.pieces))
            # Flush to the reading side of a column that ends MARKER_GAP before the text.
            if rtl:
                edges = (right + MARKER_GAP, right + MARKER_GAP + column)
            else:
                edges = (left - MARKER_GAP - column, left - MARKER_GAP)
            return line_units(line.pieces, rtl, *edges, "start", True)

        _draw_line(self.canv, lines[0], faces, y, fill, place)
        lines[0].pieces = None


def _runs_key(runs: Sequence[Run]) -> list[tuple]:
    """What of each run a laid-out line depends on (a face by its name and file)."""
    return [(r.text, r.face.name, r.face.digest, r.size, r.color, r.link or "") for r in runs]


def _draw_line(canv, line: linecache.Line, faces: list, y: float, fill, place) -> None:
    """Play a line's program for the reading direction it starts in, recording it first
    when this line has none for that direction (`fill` gives it pieces, `place` places
    them)."""
    state = reading_state(canv)
    program = line.programs.get(state)
    if program is None:
        if line.pieces is None:
            fill()
        segments, links = place(line)
        program = line.programs[state] = line_program(segments, faces, state)
        line.links = tuple(links)
    play(canv, faces, program, y)


def runs_width(runs: Sequence[Run], rtl: bool) -> float:
    """The natural width of a one-line text (a list label)."""
    return sum(p.width for p in pieces_of(runs, rtl) if p is not None)
