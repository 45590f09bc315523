"""A reportlab table that draws flowable cells without declaring reportlab's cell font."""

from __future__ import annotations

from reportlab.platypus import Flowable, Table


class FlowTable(Table):
    """A table of flowable (or empty) cells that never selects reportlab's cell font.

    reportlab sets the cell style's font (Helvetica) before drawing any cell, which
    declared an unembedded Helvetica that no text used; only a text cell needs it.
    """

    def _drawCell(self, cellval, cellstyle, pos, size):  # noqa: N802 (reportlab's name)
        if isinstance(cellval, str) and not cellval.strip():
            return  # an empty cell draws nothing
        if isinstance(cellval, (tuple, list, Flowable)):
            self._curcellstyle = cellstyle  # skips the font switch: flowables set their own
        super()._drawCell(cellval, cellstyle, pos, size)
