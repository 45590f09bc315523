"""Charts drawn from data: a score histogram with the pass mark, an item scatter with zones.

Shapes are reportlab canvas graphics; every label is our shaped, bidi-ordered text (so
Arabic labels join and read right to left, which reportlab's own strings cannot do), and
no text uses a font we do not embed.
"""

from __future__ import annotations

import math

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether

from course import document as d
from generators.pdf.fonts import FontFamily
from generators.pdf.rtl import ParaStyle, RtlParagraph, Run, runs_width

TICK, LABEL, TITLE = 7.5, 9.0, 12.0  # font sizes
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 42.0, 12.0, 16.0, 40.0
ZONE = colors.Color(0.85, 0.2, 0.15, alpha=0.14)


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving at most `ticks` steps."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(power * m for m in (1, 2, 5, 10) if power * m >= raw)


class ChartFlowable(Flowable):
    """One chart, as wide as the text and a little over half as high."""

    def __init__(self, chart: d.Chart, body: FontFamily, rtl: bool, primary: str,
                 secondary: str) -> None:
        super().__init__()
        self.chart, self.body, self.rtl = chart, body, rtl
        self.primary, self.secondary = colors.HexColor(primary), colors.HexColor(secondary)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        """The available width; height from it, at most 280 points."""
        self.width, self.height = aw, min(280.0, aw * 0.55)
        return self.width, self.height

    # -- geometry ----------------------------------------------------------------------

    def _area(self) -> tuple[float, float, float, float]:
        return PAD_LEFT, PAD_BOTTOM, self.width - PAD_RIGHT, self.height - PAD_TOP

    def _x(self, value: float) -> float:
        x0, _, x1, _ = self._area()
        lo, hi = self.chart.x_range
        return x0 + (min(max(value, lo), hi) - lo) / ((hi - lo) or 1) * (x1 - x0)

    def _y(self, value: float, lo: float, hi: float) -> float:
        _, y0, _, y1 = self._area()
        return y0 + (min(max(value, lo), hi) - lo) / ((hi - lo) or 1) * (y1 - y0)

    # -- text --------------------------------------------------------------------------

    def text(self, label: str, x: float, y: float, size: float, align: str = "center",
             color: str = "#333333", bold: bool = False) -> None:
        """A one-line label whose baseline is at y; x is its centre, left or right edge."""
        if not label:
            return
        runs = [Run(label, self.body.bold if bold else self.body.regular, size, color)]
        para = RtlParagraph(runs, ParaStyle(leading=size * 1.4, rtl=self.rtl, align="center"))
        width = runs_width(runs, self.rtl) + 1.0  # one line, never wrapped
        para.wrapOn(self.canv, width, size * 3)
        left = {"center": x - width / 2, "left": x, "right": x - width}[align]
        para.drawOn(self.canv, left, y - 0.4 * size)

    # -- drawing -----------------------------------------------------------------------

    def draw(self) -> None:
        """Axes, then the chart's own marks, then the axis labels."""
        chart, canv = self.chart, self.canv
        x0, y0, x1, y1 = self._area()
        lo, hi = self._y_range()
        canv.saveState()
        canv.setStrokeColor(colors.HexColor("#DDDDDD"))
        canv.setLineWidth(0.4)
        step = self._y_step(lo, hi)
        value = lo
        while value <= hi + 1e-9:
            y = self._y(value, lo, hi)
            canv.line(x0, y, x1, y)
            self.text(_number(value), x0 - 4, y - TICK * 0.35, TICK, align="right")
            value += step
        if chart.kind == "histogram":
            self._histogram(lo, hi)
        else:
            self._scatter(lo, hi)
        canv.setStrokeColor(colors.HexColor("#555555"))
        canv.setLineWidth(0.8)
        canv.line(x0, y0, x1, y0)
        canv.line(x0, y0, x0, y1)
        self.text(chart.x_label, (x0 + x1) / 2, 6, LABEL)
        canv.saveState()
        canv.translate(10, (y0 + y1) / 2)
        canv.rotate(90)
        self.text(chart.y_label, 0, 0, LABEL)
        canv.restoreState()
        canv.restoreState()

    def _y_range(self) -> tuple[float, float]:
        if self.chart.kind == "histogram":
            top = max((n for _, n in self.chart.bars), default=0)
            step = max(1.0, nice_step(max(top, 1)))
            return 0.0, max(step, math.ceil(top / step) * step)
        return self.chart.y_range

    def _y_step(self, lo: float, hi: float) -> float:
        if self.chart.kind == "histogram":  # participants come whole
            return max(1.0, nice_step(hi - lo))
        return nice_step(hi - lo, 4)

    def _histogram(self, lo: float, hi: float) -> None:
        chart, canv = self.chart, self.canv
        x0, y0, x1, _ = self._area()
        band = (x1 - x0) / max(len(chart.bars), 1)
        canv.setFillColor(self.primary)
        for k, (label, count) in enumerate(chart.bars):
            left = x0 + k * band
            if count:
                top = self._y(count, lo, hi)
                canv.rect(left + 2, y0, band - 4, top - y0, stroke=0, fill=1)
                self.text(str(count), left + band / 2, top + 3, TICK, color="#1F1F1F")
            self.text(label, left + band / 2, y0 - 11, TICK)
        if chart.marker is not None:
            x = self._x(chart.marker)
            canv.setStrokeColor(self.secondary)
            canv.setLineWidth(1.6)
            canv.setDash(4, 3)
            canv.line(x, y0, x, self.height - PAD_TOP + 4)
            canv.setDash()
            self.text(chart.marker_label, x, self.height - PAD_TOP + 7, TICK, bold=True,
                      color="#7A5C00")

    def _scatter(self, lo: float, hi: float) -> None:
        chart, canv = self.chart, self.canv
        _, y0, _, _ = self._area()
        canv.saveState()  # the zones' transparency must not reach the labels
        canv.setFillColor(ZONE)
        for zx0, zy0, zx1, zy1 in chart.zones:
            left, right = self._x(zx0), self._x(zx1)
            bottom, top = self._y(zy0, lo, hi), self._y(zy1, lo, hi)
            if right > left and top > bottom:
                canv.rect(left, bottom, right - left, top - bottom, stroke=0, fill=1)
        canv.restoreState()
        x_lo, x_hi = chart.x_range
        step = nice_step(x_hi - x_lo)
        value = x_lo
        while value <= x_hi + 1e-9:
            self.text(_number(value), self._x(value), y0 - 11, TICK)
            value += step
        canv.setFillColor(self.primary)
        for x, y, label in chart.points:
            px, py = self._x(x), self._y(y, lo, hi)
            canv.circle(px, py, 2.6, stroke=0, fill=1)
            self.text(label, px + 4, py + 2, TICK - 1, align="left")


def _number(value: float) -> str:
    """A tick value without a needless decimal part."""
    return f"{value:g}"


def chart_flowables(chart: d.Chart, body: FontFamily, rtl: bool, primary: str,
                    secondary: str) -> list[Flowable]:
    """The chart's title (if it has one) and the chart, kept on one page."""
    drawn = ChartFlowable(chart, body, rtl, primary, secondary)
    if not d.plain_text(chart.title):
        return [drawn]
    title = RtlParagraph([Run(d.plain_text(chart.title), body.bold, TITLE, primary)],
                         ParaStyle(leading=TITLE * 1.6, rtl=rtl, space_before=6.0))
    return [KeepTogether([title, drawn])]
