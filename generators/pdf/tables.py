"""PDF tables: grids and framed boxes on a reportlab table that draws flowable cells without
reportlab's cell font, and cuts rows taller than a page into consecutive rows."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Table, TableStyle
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import UseUpSpace

from course.errors import WriterError

FUZZ = 1e-6
# Below this many points left on a page, a row taller than a page starts on the next one:
# a sliver of one line under the previous rows reads as a stray fragment.
MIN_ROOM = 40.0
# Header rows taller than this share of a page are not repeated: repeated, they would
# leave no room for the rows they head.
MAX_HEADER_SHARE = 1 / 3
_COMMANDS = ("_linecmds", "_bkgrndcmds", "_spanCmds", "_srflcmds", "_sircmds")


class FlowTable(Table):
    """A table of flowable (or empty) cells that never selects reportlab's cell font.

    reportlab sets the cell style's font (Helvetica) before drawing any cell, which
    declared an unembedded Helvetica that no text used; only a text cell needs it.
    A row taller than a whole page is cut where the page ends: the cut row's cells
    carry the first lines of each cell, a new row the rest, and the table then splits
    between the two as usual, so the header row repeats above the continuation.
    """

    def _drawCell(self, cellval, cellstyle, pos, size):  # noqa: N802 (reportlab's name)
        if isinstance(cellval, str) and not cellval.strip():
            return  # an empty cell draws nothing
        if isinstance(cellval, (tuple, list, Flowable)):
            self._curcellstyle = cellstyle  # skips the font switch: flowables set their own
        super()._drawCell(cellval, cellstyle, pos, size)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Between rows as reportlab does; a row that no page can hold is cut to fill this one."""
        self._calc(availWidth, availHeight)
        page = self._getPossibleHeight(availHeight)  # the frame's height; in a cell, the room
        heads = self._header_rows()
        if heads and sum(self._rowHeights[:heads]) > page * MAX_HEADER_SHARE:
            self.repeatRows = heads = 0
        cut = self._cut(availWidth, availHeight, page, heads)
        return cut if cut else super().split(availWidth, availHeight)

    def _header_rows(self) -> int:
        """How many leading rows repeat on every page (only the integer form is used here)."""
        return self.repeatRows if isinstance(self.repeatRows, int) else 0

    def _cut(self, aw: float, ah: float, page: float, heads: int) -> list[Flowable] | None:
        """The table split inside its first row that does not fit, if no page could hold it."""
        if self._spanCmds or self._nosplitCmds:
            return None  # spans and kept-together rows: reportlab's rules, not ours
        heights = self._rowHeights
        header = sum(heights[:heads])
        used, k = header, heads
        while k < self._hmax and used + heights[k] <= ah + FUZZ:
            used += heights[k]
            k += 1
        if k >= self._hmax or heights[k] <= page - header + FUZZ or ah - used < MIN_ROOM:
            return None  # it fits, or the row fits a fresh page, or too little room here
        halves = self._cut_cells(k, ah - used)
        if halves is None:
            return None
        table = self._with_row_cut(k, *halves)
        table._calc(aw, ah)
        return table._splitRows(ah) or None

    def _cut_cells(self, k: int, room: float) -> tuple[list, list] | None:
        """Row k's cells cut to fit `room` points: (what fits, the rest); None if none fits."""
        canv = getattr(self, "canv", None)
        head: list = []
        tail: list = []
        progress = False
        for value, style, width in zip(self._cellvalues[k], self._cellStyles[k],
                                       self._colWidths, strict=True):
            inner_w = width - style.leftPadding - style.rightPadding
            inner_h = room - style.topPadding - style.bottomPadding
            if isinstance(value, str):
                lines = value.split("\n")
                if len(lines) * (style.leading or 1.2 * style.fontsize) > inner_h + FUZZ:
                    return None  # our cells hold no text of their own: a string is not ours
                head.append(value)
                tail.append("")
                continue
            first, rest, height = split_flowables(list(value), inner_w, inner_h, canv)
            progress = progress or height > 0
            head.append(first or "")
            tail.append(rest or "")
        return (head, tail) if progress else None

    def _with_row_cut(self, k: int, head: list, tail: list) -> FlowTable:
        """This table with row k replaced by `head` and `tail`, styles and commands following."""
        data = list(self._cellvalues)
        data[k:k + 1] = [head, tail]
        styles = list(self._cellStyles)
        styles[k:k + 1] = [styles[k], [s.copy() for s in styles[k]]]
        heights = list(self._argH)
        heights[k:k + 1] = [None, None]  # both measured again
        table = self.__class__(
            data, colWidths=self._colWidths, rowHeights=heights, repeatRows=self.repeatRows,
            repeatCols=self.repeatCols, splitByRow=1, splitInRow=0, normalizedData=1,
            cellStyles=styles, ident=self.ident, spaceBefore=getattr(self, "spaceBefore", None),
            spaceAfter=getattr(self, "spaceAfter", None),
            longTableOptimize=self._longTableOptimize, hAlign=self.hAlign, vAlign=self.vAlign)
        for name in _COMMANDS:
            setattr(table, name, self._stretchCommands(k, getattr(self, name), self._nrows))
        return table


def split_flowables(flows: Sequence[Flowable], width: float, height: float,
                    canv: object = None) -> tuple[list[Flowable], list[Flowable], float]:
    """The flowables of a cell that fit `height`, the rest, and the height the first part takes.

    The flowable that crosses the limit is split (a paragraph between lines, a table
    between or inside rows); a flowable that cannot be split goes whole to the rest.
    Spacing is counted as reportlab counts it in a cell: between flowables only.
    """
    flows = flatten_kept(flows)
    head: list[Flowable] = []
    used = 0.0  # with the space after the last flowable taken
    taken = 0.0  # without it
    for i, f in enumerate(flows):
        gap = f.getSpaceBefore() if head else 0.0
        room = height - used - gap
        _, h = f.wrapOn(canv, width, max(room, 0.0))
        if h <= room + FUZZ:
            head.append(f)
            taken = used + gap + h
            used = taken + f.getSpaceAfter()
            continue
        parts = f.splitOn(canv, width, room) if room > 0 else []
        if len(parts) >= 2:
            _, h = parts[0].wrapOn(canv, width, room)
            if 0 < h <= room + FUZZ:
                return [*head, parts[0]], [*parts[1:], *flows[i + 1:]], used + gap + h
        return head, list(flows[i:]), taken
    return head, [], taken


def flatten_kept(flows: Sequence[Flowable]) -> list[Flowable]:
    """KeepTogether groups opened into their flowables.

    Inside a box or a cell there is no page to keep them on, and reportlab's
    KeepTogether measures itself as 16,777,215 points high to force a split.
    """
    out: list[Flowable] = []
    for f in flows:
        out += flatten_kept(f._content) if isinstance(f, KeepTogether) else [f]
    return out


def grid(rows: list[list], widths: list[float], header: bool, rtl: bool,
         primary: str) -> FlowTable:
    """A grid, its shaded header row repeated on every page; in RTL the first column is on
    the right (rows and widths come in reading order)."""
    if rtl:
        rows, widths = [r[::-1] for r in rows], widths[::-1]
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#8C8C8C")),
             ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), tint(primary, 0.82)))
    return FlowTable(rows, colWidths=widths, style=TableStyle(style),
                     repeatRows=1 if header else 0, spaceBefore=4, spaceAfter=10,
                     hAlign="RIGHT" if rtl else "LEFT")


def framed_boxes(flows: list[Flowable], color: str, width: float, rtl: bool,
                 title_rows: int = 0) -> list[Flowable]:
    """One-column tables drawn as a coloured frame, each kept on a page if it fits one.

    A page break inside the box ends the frame there; the rest continues in a frame of
    its own on the next page (a break inside a table cell would never be met).
    """
    out: list[Flowable] = []
    for part in split_at_breaks(flatten_kept(flows)):
        if out:
            out.append(PageBreak())
        # Kept together: never a title alone at the bottom of a page.
        out.append(KeepTogether([frame(part, color, width, rtl, 0 if out else title_rows)]))
    return out


def frame(flows: list[Flowable], color: str, width: float, rtl: bool,
          title_rows: int) -> FlowTable:
    """A one-cell table drawn as a coloured frame."""
    style = [("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor(color)),
             ("BACKGROUND", (0, 0), (-1, -1), tint(color, 0.93)),
             ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10)]
    if title_rows:
        style.append(("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor(color)))
    # One row per flowable: a long case study flows on to the next page between its
    # paragraphs, and FlowTable cuts a paragraph taller than a page between its lines.
    style += [("TOPPADDING", (0, 1), (-1, -1), 1), ("BOTTOMPADDING", (0, 1), (-1, -2), 1)]
    return FlowTable([[f] for f in flows], colWidths=[width], style=TableStyle(style),
                     spaceBefore=6, spaceAfter=12, hAlign="RIGHT" if rtl else "LEFT")


def split_at_breaks(flows: list[Flowable]) -> list[list[Flowable]]:
    """Flowables in the parts that page breaks separate (empty parts dropped)."""
    parts: list[list[Flowable]] = [[]]
    for f in flows:
        if isinstance(f, PageBreak):
            parts.append([])
        elif isinstance(f, (ActionFlowable, UseUpSpace)):
            raise WriterError(f"a {type(f).__name__} cannot be placed inside a box")
        else:
            parts[-1].append(f)
    return [p for p in parts if p]


def fit_words(widths: list[float], needed: list[float]) -> list[float]:
    """Column widths widened so that each column's longest word fits, taken from the others.

    Words are cut only when the table cannot hold them all (and then the widths stay).
    """
    short = sum(max(0.0, n - w) for w, n in zip(widths, needed, strict=True))
    slack = sum(max(0.0, w - n) for w, n in zip(widths, needed, strict=True))
    if short <= 0.01 or short > slack:
        return widths
    return [n if w < n else w - (w - n) * short / slack
            for w, n in zip(widths, needed, strict=True)]


def tint(color: str, amount: float) -> colors.Color:
    """`color` mixed with white (amount 1 = white)."""
    c = colors.HexColor(color)
    return colors.Color(*(v + (1 - v) * amount for v in (c.red, c.green, c.blue)))
