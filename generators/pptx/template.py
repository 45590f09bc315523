"""The deck's template: the academy's own (by placeholder types, never names) or a 16:9 default."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation as Deck
from pptx.slide import SlideLayout

from course.errors import WriterError

TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
BODIES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_DECK_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"

# The default deck, 16:9 (13.333 x 7.5 in), boxes in EMU: left, top, width, height.
WIDE = (12192000, 6858000)
_TITLE_BOX = (457200, 320040, 11277600, 1234440)
_BODY_BOX = (457200, 1737360, 11277600, 4754880)
_COVER_TITLE_BOX = (914400, 2103120, 10363200, 1645920)
_COVER_SUB_BOX = (914400, 3931920, 10363200, 2468880)


@dataclass(frozen=True)
class Layouts:
    """The layouts a deck uses: one for the title slide, one for title and bullets."""

    title: SlideLayout
    content: SlideLayout
    title_has_subtitle: bool


def _placeholder_types(layout: SlideLayout) -> list[PP_PLACEHOLDER]:
    # Vertical placeholders (orient="vert") are for East Asian text, not bullets.
    return [ph.placeholder_format.type for ph in layout.placeholders
            if ph._element.ph.get("orient") != "vert"]


def all_layouts(prs: Deck) -> Iterator[SlideLayout]:
    """Every layout of every slide master, in order."""
    for master in prs.slide_masters:
        yield from master.slide_layouts


def _area(layout: SlideLayout) -> int:
    return sum((ph.width or 0) * (ph.height or 0) for ph in layout.placeholders
               if ph.placeholder_format.type in BODIES)


def find_layouts(prs: Deck, source: str) -> Layouts:
    """The layouts by placeholder type: a title and exactly one body, and a title slide."""
    content = [lay for lay in all_layouts(prs) if PP_PLACEHOLDER.TITLE in _placeholder_types(lay)
               and sum(t in BODIES for t in _placeholder_types(lay)) == 1]
    if not content:
        raise WriterError(f"{source}: no slide layout has a title and one body placeholder; "
                          "add a 'Title and Content' layout to its slide master")
    # The roomiest body wins: a caption layout has a small one.
    chosen = max(content, key=_area)
    covers = [lay for lay in all_layouts(prs)
              if PP_PLACEHOLDER.CENTER_TITLE in _placeholder_types(lay)]
    with_sub = [lay for lay in covers if PP_PLACEHOLDER.SUBTITLE in _placeholder_types(lay)]
    if with_sub:
        return Layouts(with_sub[0], chosen, True)
    return Layouts(covers[0] if covers else chosen, chosen, False)


def _as_presentation(data: bytes) -> bytes:
    """A template (.potx) with its main part typed as a presentation, which python-pptx opens."""
    source = zipfile.ZipFile(io.BytesIO(data))
    types = source.read("[Content_Types].xml")
    if _TEMPLATE_TYPE not in types:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                body = body.replace(_TEMPLATE_TYPE, _DECK_TYPE)
            target.writestr(info, body)
    return out.getvalue()


def _drop_slides(prs: Deck) -> None:
    """Remove the template's own slides: the deck holds only ours."""
    ids = prs.slides._sldIdLst  # python-pptx has no public way to delete a slide
    for sld_id in list(ids):
        prs.part.drop_rel(sld_id.rId)
        ids.remove(sld_id)


def open_template(path: str | None) -> tuple[Deck, bool]:
    """The template's presentation without its slides; True when it is the default."""
    if path is None:
        return Presentation(io.BytesIO(_default_bytes())), True
    try:
        prs = Presentation(io.BytesIO(_as_presentation(Path(path).read_bytes())))
    except Exception as exc:  # python-pptx raises many kinds for a foreign file
        raise WriterError(f"{path}: not a PowerPoint presentation ({exc}); save it as .pptx"
                          ) from None
    _drop_slides(prs)
    return prs, False


@cache
def _default_bytes() -> bytes:
    """python-pptx's default template made 16:9, saved once per process (it takes a while)."""
    prs = Presentation()
    _widescreen(prs)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _place(shape: object, box: tuple[int, int, int, int]) -> None:
    shape.left, shape.top, shape.width, shape.height = box  # type: ignore[attr-defined]


def _widescreen(prs: Deck) -> None:
    """python-pptx's 4:3 default made 16:9: every box widened, title and body placed anew."""
    scale = WIDE[0] / prs.slide_width
    prs.slide_width, prs.slide_height = WIDE
    for part in [prs.slide_master, *prs.slide_layouts]:
        for shape in part.shapes:
            if shape.left is not None and shape.width is not None:
                shape.left, shape.width = round(shape.left * scale), round(shape.width * scale)
    boxes = {PP_PLACEHOLDER.TITLE: _TITLE_BOX, PP_PLACEHOLDER.BODY: _BODY_BOX,
             PP_PLACEHOLDER.OBJECT: _BODY_BOX, PP_PLACEHOLDER.CENTER_TITLE: _COVER_TITLE_BOX,
             PP_PLACEHOLDER.SUBTITLE: _COVER_SUB_BOX}
    for part in [prs.slide_master, prs.slide_layouts[0], prs.slide_layouts[1]]:
        for ph in part.placeholders:
            box = boxes.get(ph.placeholder_format.type)
            if box:
                _place(ph, box)
