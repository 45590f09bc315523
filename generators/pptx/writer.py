"""The PPTX writer: a title slide, then each outline slide (split when long), with notes."""

from __future__ import annotations

import io
from pathlib import Path

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide as DeckSlide
from pptx.util import Emu

from course.document import (
    Document,
    Emph,
    Inlines,
    LineBreak,
    Link,
    Paragraph,
    Slide,
    Strong,
    Text,
)
from course.errors import WriterError
from generators.pptx import drawingml as dml
from generators.pptx.layout import (
    LINE_SPACING,
    SPACE_BEFORE,
    Box,
    Para,
    Run,
    fits,
    paginate,
    title_size,
)
from generators.pptx.package import normalized_zip, set_core_properties
from generators.pptx.template import BODIES, TITLES, Layouts, find_layouts, open_template

PT = dml.EMU_PER_PT
INSETS = (91440, 45720, 91440, 45720)  # left, top, right, bottom: DrawingML's defaults
BULLET = "•"
NOTES_SIZE = 14.0
INDENT = 27.0  # the bullets' hanging indent in points
COVER_SIZES = (28.0, 24.0, 20.0, 18.0)


def runs(inlines: Inlines, bold: bool = False, italic: bool = False) -> tuple[Run, ...]:
    """The runs of some inlines: weight and slant kept, links as their text."""
    found: list[Run] = []
    for node in inlines:
        if isinstance(node, Text):
            found.append(Run(node.text, bold, italic))
        elif isinstance(node, LineBreak):
            found.append(Run("\n", bold, italic))
        elif isinstance(node, Strong):
            found += runs(node.children, True, italic)
        elif isinstance(node, Emph):
            found += runs(node.children, bold, True)
        elif isinstance(node, Link):
            found += runs(node.children, bold, italic)
    return tuple(found)


Geometry = tuple[int, int, int, int]  # left, top, width, height in EMU


def text_box(geometry: Geometry, font: str) -> Box:
    """The text area of a shape in points (insets taken off)."""
    width = (geometry[2] - INSETS[0] - INSETS[2]) / PT
    height = (geometry[3] - INSETS[1] - INSETS[3]) / PT
    return Box(width, height, font)


class PptxWriter:
    """Writes a slides document as a 16:9 PowerPoint deck."""

    name = "pptx"
    suffix = ".pptx"

    def write(self, document: Document, path: Path) -> None:
        """Write `document` to exactly `path`."""
        if document.kind != "slides":
            raise WriterError(f"a {document.kind} document has no deck; pptx makes slides only")
        theme = document.theme
        template = theme.reference_pptx
        prs, default = open_template(template)
        layouts = find_layouts(prs, template or "the default template")
        deck = _Deck(document, prs, layouts, default)
        deck.cover()
        for block in document.blocks:
            if isinstance(block, Slide):
                deck.slide(block)
        set_core_properties(prs, document)
        buffer = io.BytesIO()
        prs.save(buffer)
        path.write_bytes(normalized_zip(buffer.getvalue(), document))


class _Deck:
    """One deck being written: its styles, layouts and the slides so far."""

    def __init__(self, document: Document, prs: Deck, layouts: Layouts, default: bool) -> None:
        self.doc, self.prs, self.layouts, self.default = document, prs, layouts, default
        self.rtl = document.direction == "rtl"
        self.lang = dml.language_tag(document.lang)
        theme = document.theme
        self.font, self.heading_font = theme.font, theme.heading_font
        # The academy's template keeps its own colours; the default one takes the theme's.
        self.primary = theme.primary_color.lstrip("#") if default else None
        self.secondary = theme.secondary_color.lstrip("#") if default else None
        self._geometries: dict[tuple[str, int], Geometry] = {}

    def geometry(self, shape: object, layout: str) -> Geometry:
        """A placeholder's box, inherited from its layout; looked up once per layout."""
        # python-pptx walks the layout and master for every inherited value: slow.
        key = (layout, shape.placeholder_format.idx)  # type: ignore[attr-defined]
        if key not in self._geometries:
            self._geometries[key] = (shape.left, shape.top,  # type: ignore[attr-defined]
                                     shape.width, shape.height)  # type: ignore[attr-defined]
        return self._geometries[key]

    def style(self, size: float, font: str | None = None, **extra: object) -> dml.Style:
        """A paragraph style in the document's direction and language."""
        return dml.Style(self.rtl, self.lang, font or self.font, size,  # type: ignore[arg-type]
                         line_spacing=LINE_SPACING, **extra)

    def _fill(self, shape: object, paras: list[Para], style: dml.Style) -> None:
        txbody = shape.text_frame._txBody  # type: ignore[attr-defined]
        dml.body_properties(txbody, INSETS)
        _write(txbody, paras, style)

    def _notes(self, slide: DeckSlide, paras: list[Para]) -> None:
        if paras:
            _write(slide.notes_slide.notes_text_frame._txBody, paras, self.style(NOTES_SIZE))

    def _placeholders(self, slide: DeckSlide) -> tuple[object, object | None]:
        title = next(s for s in slide.placeholders if s.placeholder_format.type in TITLES)
        body = next((s for s in slide.placeholders if s.placeholder_format.type in BODIES
                     or s.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE), None)
        return title, body

    def _prune(self, slide: DeckSlide, keep: list[object]) -> None:
        """Remove the placeholders left empty, which would show 'Click to add text'."""
        for shape in list(slide.placeholders):
            if shape not in keep:
                shape._element.getparent().remove(shape._element)

    def _title(self, shape: object, layout: str, text: Para, font: str,
               align: str | None = None) -> None:
        box = text_box(self.geometry(shape, layout), font)
        size = title_size(text, box)
        self._fill(shape, [text], self.style(size, font, color=self.primary, align=align))

    def _accent(self, slide: DeckSlide, under: Geometry) -> None:
        """A thin bar in the secondary colour under the title (default template only)."""
        if not self.secondary:
            return
        left, top, width, height = under
        # 4 pt below the title's box, so a two-line title never touches it.
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top + height + 4 * PT, width,
                                     Emu(4 * PT))
        bar.fill.solid()
        bar.fill.fore_color.rgb = RGBColor.from_string(self.secondary.upper())
        bar.line.fill.background()
        bar.name = "Accent"

    def cover(self) -> None:
        """The title slide: module title; course, organisation, version and date; logo."""
        meta = self.doc.meta
        slide = self.prs.slides.add_slide(self.layouts.title)
        title, body = self._placeholders(slide)
        self._title(title, "cover", Para((Run(meta.module or self.doc.title),)),
                    self.heading_font, "ctr" if self.layouts.title_has_subtitle else None)
        lines = [meta.course, meta.organisation, _labelled(meta.title_lines, meta.version),
                 _labelled(meta.title_lines, meta.date)]
        paras = [Para((Run(line),)) for line in lines if line]
        keep = [title]
        if body is not None:
            box = text_box(self.geometry(body, "cover"), self.font)
            size = next((s for s in COVER_SIZES if fits(paras, box, s)), None)
            if size is None:
                raise WriterError("the title slide's lines do not fit its subtitle box; "
                                  "shorten the course or organisation name")
            self._fill(body, paras, self.style(size, align="ctr"
                                               if self.layouts.title_has_subtitle else None))
            keep.append(body)
        self._prune(slide, keep)
        self._logo(slide, self.geometry(title, "cover"))
        lead = [Para(runs(b.content)) for b in self.doc.blocks
                if isinstance(b, Paragraph) and b.style == "lead"]
        self._notes(slide, lead)

    def _logo(self, slide: DeckSlide, title: Geometry) -> None:
        logo = self.doc.theme.logo
        if not logo:
            return
        # Centred above the title, never taller than the room left above it.
        room = title[1]
        height = min(Emu(round(1.1 * 914400)), Emu(round(room * 0.8)))
        if height <= 0:
            return
        try:
            picture = slide.shapes.add_picture(logo, 0, round(room * 0.1), height=height)
        except (OSError, ValueError) as exc:
            raise WriterError(f"logo '{logo}' could not be read: {exc}") from None
        picture.left = (self.prs.slide_width - picture.width) // 2
        picture.name = "Logo"

    def slide(self, block: Slide) -> None:
        """One outline slide, or several when its bullets do not fit one."""
        bullets = [Para(runs(b)) for b in block.bullets]
        notes = [Para(runs(n)) for n in block.notes]
        probe = self.prs.slides.add_slide(self.layouts.content)
        title, body = self._placeholders(probe)
        if body is None:  # find_layouts guarantees one; keep mypy and readers sure
            raise WriterError("the content layout lost its body placeholder")
        # The bullet's hanging indent (its marL) narrows every line.
        box = text_box(self.geometry(body, "content"), self.font)
        box = Box(box.width - INDENT, box.height, box.family)
        groups, size = paginate(bullets, box) if bullets else ([[]], 0.0)
        for number, group in enumerate(groups, start=1):
            slide = probe if number == 1 else self.prs.slides.add_slide(self.layouts.content)
            title, body = self._placeholders(slide)
            suffix = f" ({number}/{len(groups)})" if len(groups) > 1 else ""
            self._title(title, "content", Para((*runs(block.title), Run(suffix)) if suffix
                                               else runs(block.title)), self.heading_font)
            keep = [title]
            if group and body is not None:
                style = self.style(size, bullet=BULLET, bullet_color=self.secondary,
                                   indent=INDENT)
                self._fill(body, group, style)
                keep.append(body)
            self._prune(slide, keep)
            self._accent(slide, self.geometry(title, "content"))
            self._notes(slide, notes)


def _labelled(lines: tuple[str, ...], value: str) -> str:
    """The title line that prints `value` with its label ("Version 1.0"), else the value."""
    return next((line for line in lines if line.split()[-1:] == [value]), value)


def _write(txbody: object, paras: list[Para], style: dml.Style) -> None:
    """Replace a text body's paragraphs with these, in one style."""
    dml.clear_paragraphs(txbody)  # type: ignore[arg-type]
    for number, para in enumerate(paras or [Para(())]):
        # Space goes between bullets only: renderers differ on space above the first.
        space = SPACE_BEFORE * style.size if number and style.bullet else 0.0
        p = dml.add_paragraph(txbody, style, space, para.continued)  # type: ignore[arg-type]
        for run in para.runs:
            dml.add_run(p, run.text, style, run.bold, run.italic)
        dml.end_paragraph(p, style)
