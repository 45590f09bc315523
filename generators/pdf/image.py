"""Raster images (PNG) in the flow: charts and scan-review crops."""

from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from course import document as d
from generators.pdf.rtl import ParaStyle, RtlParagraph, Run


class ImageFlowable(Flowable):
    """A PNG scaled to a share of the text width, in the reading direction's alignment."""

    def __init__(self, image: d.Image, rtl: bool) -> None:
        super().__init__()
        self.reader = ImageReader(io.BytesIO(image.png))
        self.share = image.width
        self.hAlign = "RIGHT" if rtl else "LEFT"

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        """Width a share of the frame, height by the picture's aspect (never above `ah`)."""
        pw, ph = self.reader.getSize()
        width = max(1.0, min(1.0, self.share) * aw)
        height = width * ph / pw
        if height > ah > 0:  # a picture taller than the page is shrunk to fit it
            width, height = width * ah / height, ah
        self.width, self.height = width, height
        return width, height

    def draw(self) -> None:
        """Draw the picture at the flowable's origin."""
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height)


def image_flowables(image: d.Image, rtl: bool, caption: list[Run]) -> list[Flowable]:
    """The picture, then its caption (already styled runs) if it has one."""
    out: list[Flowable] = [ImageFlowable(image, rtl)]
    if caption:
        out.append(RtlParagraph(caption, ParaStyle(leading=17.5, rtl=rtl, align="center",
                                                   space_after=6.0)))
    return out
