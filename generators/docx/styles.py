"""Word styles and document defaults, carrying the Arabic (complex-script) properties."""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from lxml.etree import _Element

from course.document import Document
from generators.docx.fonts import embeds
from generators.docx.oxml import border, drop, el, put

PARA = WD_STYLE_TYPE.PARAGRAPH
CHAR = WD_STYLE_TYPE.CHARACTER
GREY = "595959"


@dataclass(frozen=True)
class Spec:
    """The look of one style; sizes are points added to the body size."""

    name: str
    based_on: str = "Normal"
    kind: WD_STYLE_TYPE = PARA
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    color: str = ""  # "primary", "secondary" or RRGGBB
    before: int = -1  # twips; -1 leaves it to the base style
    after: int = -1
    keep_next: bool = False
    center: bool = False
    heading_font: bool = False
    indent: int = 0  # twips on the leading side
    hanging: int = 0  # twips the first line starts before the indent (a hanging label)
    ragged: bool = False  # not justified: short lines ending in a line break stay unstretched
    rule: str = ""  # "bottom": a line under the paragraph; "lines": under each of a run
    underline: bool = False
    page_tab: bool = False  # a dotted tab stop at the far margin for page numbers


SPECS: tuple[Spec, ...] = (
    Spec("Normal", based_on="", after=120),
    Spec("Title", size=14, bold=True, color="primary", after=240, center=True,
         heading_font=True, rule="bottom"),
    Spec("Subtitle", size=3, color="secondary", after=60, center=True, heading_font=True),
    Spec("Title Meta", size=-1, color=GREY, after=40, center=True),
    Spec("Heading 1", size=6, bold=True, color="primary", before=360, after=120,
         keep_next=True, heading_font=True),
    Spec("Heading 2", size=3, bold=True, color="primary", before=240, after=80,
         keep_next=True, heading_font=True),
    Spec("Heading 3", size=1, bold=True, color="secondary", before=200, after=60,
         keep_next=True, heading_font=True),
    Spec("Lead", size=1.5, color="404040", after=160),
    Spec("Small", size=-2, color=GREY, after=80),
    Spec("List Bullet", after=60),
    Spec("List Number", after=60),
    Spec("List Continue", after=60),
    Spec("Table Text", size=-1, before=20, after=20),
    Spec("Table Heading", size=-1, bold=True, before=20, after=20, keep_next=True),
    Spec("Callout", after=60),
    Spec("Callout Title", bold=True, color="primary", after=60, keep_next=True),
    Spec("Question", bold=True, before=240, after=60, keep_next=True),
    Spec("Question Meta", size=-2, color=GREY, after=60, keep_next=True, ragged=True),
    Spec("Option", after=40, indent=1080, hanging=720, ragged=True),
    Spec("Answer Line", before=360, after=0, rule="lines"),
    Spec("Answer Number", bold=True, after=0, center=True),
    Spec("Answer Box", size=-2, color="808080", after=0, center=True),
    Spec("Notes Label", size=-1, bold=True, color="secondary", before=120, after=40,
         keep_next=True),
    Spec("Notes", size=-1, color="404040", after=60),
    Spec("TOC Heading", based_on="Heading 1", size=4, bold=True, color="primary", before=0,
         after=200, heading_font=True),
    Spec("toc 1", bold=True, after=60, page_tab=True),
    Spec("toc 2", after=40, indent=360, page_tab=True),
    Spec("toc 3", size=-1, after=20, indent=720, page_tab=True),
    Spec("Cover Title", based_on="Title", size=20, bold=True, color="primary", before=2400,
         after=480, center=True, heading_font=True),
    Spec("Cover Line", size=4, color="secondary", after=120, center=True),
    Spec("Header", size=-2, color=GREY, after=0, center=True),
    Spec("Footer", size=-2, color=GREY, after=0, center=True),
    Spec("Hyperlink", based_on="", kind=CHAR, color="primary", underline=True),
)


def body_size(document: Document) -> float:
    """Body text size in points; Amiri reads small, so Arabic gets a point more."""
    return 13.0 if document.direction == "rtl" else 11.0


def _hex(value: str) -> str:
    """`#1F4E79` -> `1F4E79`."""
    return value.lstrip("#").upper()


class Styler:
    """Defines the styles a document uses, complete with complex-script properties."""

    def __init__(self, docx: DocxDocument, document: Document, from_reference: bool,
                 text_width: int) -> None:
        self._docx = docx
        self._width = text_width
        self._doc = document
        self._rtl = document.direction == "rtl"
        self._full = not from_reference  # a reference document keeps its own look
        theme = document.theme
        self._colors = {"primary": _hex(theme.primary_color),
                        "secondary": _hex(theme.secondary_color)}
        self._lang = _lang_tag(document.lang)

    def apply(self) -> None:
        """Document defaults, then every style of SPECS, then theme fonts everywhere removed."""
        root = self._docx.styles.element
        self._defaults(root)
        for spec in SPECS:
            self._style(spec)
        self._table_grid()
        # Theme fonts win over explicit ones: strip them from every rFonts in the styles.
        theme = self._doc.theme
        for fonts in root.iter(qn("w:rFonts")):
            for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                if fonts.get(qn(f"w:{attr}")) is not None:
                    del fonts.attrib[qn(f"w:{attr}")]
                    key = {"asciiTheme": "ascii", "hAnsiTheme": "hAnsi",
                           "eastAsiaTheme": "eastAsia", "cstheme": "cs"}[attr]
                    if fonts.get(qn(f"w:{key}")) is None:
                        fonts.set(qn(f"w:{key}"), theme.font)

    def _table_grid(self) -> None:
        """The Table Grid style (thin borders everywhere), when a reference lacks it."""
        try:
            self._docx.styles["Table Grid"]
            return
        except KeyError:
            pass
        style = self._docx.styles.add_style("Table Grid", WD_STYLE_TYPE.TABLE)
        tblpr = put(style.element, "w:tblPr")
        borders = put(tblpr, "w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(el(f"w:{side}", border("auto", 4)))

    def _defaults(self, root: _Element) -> None:
        """docDefaults: font for all scripts, sizes, languages, and bidi for RTL."""
        defaults = root.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = el("w:docDefaults")
            root.insert(0, defaults)
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = el("w:rPrDefault")
            defaults.insert(0, rpr_default)
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = el("w:rPr")
            rpr_default.append(rpr)
        self._fonts(rpr, self._doc.theme.font)
        half_points = str(round(body_size(self._doc) * 2))
        put(rpr, "w:sz", {"w:val": half_points})
        put(rpr, "w:szCs", {"w:val": half_points})
        put(rpr, "w:lang", {"w:val": self._lang, "w:eastAsia": "en-US", "w:bidi": "ar-MA"})
        if self._rtl:
            ppr_default = defaults.find(qn("w:pPrDefault"))
            if ppr_default is None:
                ppr_default = el("w:pPrDefault")
                defaults.append(ppr_default)
            ppr = ppr_default.find(qn("w:pPr"))
            if ppr is None:
                ppr = el("w:pPr")
                ppr_default.append(ppr)
            put(ppr, "w:bidi")

    def _fonts(self, rpr: _Element, font: str) -> None:
        """One explicit font for Latin, East Asian and complex scripts, no theme fonts."""
        put(rpr, "w:rFonts", {"w:ascii": font, "w:hAnsi": font, "w:eastAsia": font,
                              "w:cs": font})

    def _get(self, spec: Spec) -> tuple[BaseStyle, bool]:
        """The style, added when missing; the flag says whether it was just created."""
        styles = self._docx.styles
        try:
            return styles[spec.name], False
        except KeyError:
            style = styles.add_style(spec.name, spec.kind)
            if spec.based_on:
                style.base_style = styles[spec.based_on]
            if spec.name.startswith("toc"):
                put(style.element, "w:uiPriority", {"w:val": "39"})
            return style, True

    def _style(self, spec: Spec) -> None:
        """Give one style its look (when ours) and its Arabic properties (always)."""
        style, created = self._get(spec)
        node: _Element = style.element
        full = self._full or created
        rpr = node.find(qn("w:rPr"))
        if rpr is None:
            rpr = put(node, "w:rPr")
        if spec.kind == PARA:
            ppr = node.find(qn("w:pPr"))
            if ppr is None:
                ppr = put(node, "w:pPr")
            if full:
                self._paragraph(ppr, spec)
            if self._rtl:
                put(ppr, "w:bidi")
                jc = ppr.find(qn("w:jc"))
                if jc is not None and jc.get(qn("w:val")) in ("right", "end"):
                    ppr.remove(jc)
        if full:
            self._run(rpr, spec)
        self._complex(rpr)

    def _paragraph(self, ppr: _Element, spec: Spec) -> None:
        """Spacing, keeping, alignment, indent and rule of a paragraph style."""
        # Our lists number paragraphs directly; a style's own numbering would leak in.
        drop(ppr, "w:numPr")
        drop(ppr, "w:tabs")
        if spec.page_tab:
            # Under bidi Word and LibreOffice mirror tab stops: "right" lands on the left.
            put(ppr, "w:tabs").append(el("w:tab", {"w:val": "right", "w:leader": "dot",
                                                   "w:pos": str(self._width)}))
        if spec.keep_next:
            put(ppr, "w:keepNext")
            put(ppr, "w:keepLines")
        if spec.rule:
            box = put(ppr, "w:pBdr")
            # "between" rules each of several consecutive paragraphs sharing the border;
            # a bottom border alone is drawn once, under the last of them.
            for side in ("bottom", "between") if spec.rule == "lines" else (spec.rule,):
                color = self._colors["primary"] if spec.rule == "bottom" else "808080"
                box.append(el(f"w:{side}", {**border(color, 6), "w:space": "4"}))
        else:
            drop(ppr, "w:pBdr")
        spacing = {}
        if spec.before >= 0:
            spacing["w:before"] = str(spec.before)
        if spec.after >= 0:
            spacing["w:after"] = str(spec.after)
        if spacing:
            put(ppr, "w:spacing", spacing)
        if spec.indent:
            ind = {"w:left": str(spec.indent)}
            if spec.hanging:
                ind["w:hanging"] = str(spec.hanging)
            put(ppr, "w:ind", ind)
        if spec.name.startswith("Heading "):
            # Word's TOC field (\o) collects paragraphs by outline level.
            put(ppr, "w:outlineLvl", {"w:val": str(int(spec.name[-1]) - 1)})
        elif spec.name == "TOC Heading":
            put(ppr, "w:outlineLvl", {"w:val": "9"})  # body text: never listed in the TOC
        if spec.center:
            put(ppr, "w:jc", {"w:val": "center"})
        elif spec.ragged:
            # "left" is the start side under bidi (text on the right), never "right" or "end".
            put(ppr, "w:jc", {"w:val": "left"})
        elif spec.name == "Normal" and self._rtl:
            # Justified Arabic, last line at the start (right); never jc right under bidi.
            # LibreOffice justifies the embedded Amiri by widening spaces, but stretches a
            # substitute font with kashidas that its PDFs extract as '@@' or 'QQ' inside
            # words; so a font we cannot embed gets lowKashida, which Word justifies as it
            # does "both" (ECMA-376 17.18.44) and LibreOffice 7.4 reads as start.
            justify = "both" if embeds(self._doc.theme.font) else "lowKashida"
            put(ppr, "w:jc", {"w:val": justify})

    def _run(self, rpr: _Element, spec: Spec) -> None:
        """Font, weight, colour and size of a style."""
        theme = self._doc.theme
        self._fonts(rpr, theme.heading_font if spec.heading_font else theme.font)
        # Letter spacing and kerning of the template's Title/Subtitle tear Arabic joins apart.
        drop(rpr, "w:spacing")
        drop(rpr, "w:kern")
        for flag, tags in ((spec.bold, ("w:b", "w:bCs")), (spec.italic, ("w:i", "w:iCs"))):
            for tag in tags:
                if flag:
                    put(rpr, tag)
                else:
                    drop(rpr, tag)
        if spec.color:
            put(rpr, "w:color", {"w:val": self._colors.get(spec.color, spec.color)})
        if spec.size and spec.kind == PARA:
            half_points = str(round((body_size(self._doc) + spec.size) * 2))
            put(rpr, "w:sz", {"w:val": half_points})
            put(rpr, "w:szCs", {"w:val": half_points})
        if spec.underline:
            put(rpr, "w:u", {"w:val": "single"})

    def _complex(self, rpr: _Element) -> None:
        """Complex-script twins of the Latin properties: cs font, szCs, bCs, iCs, bidi lang."""
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            self._fonts(rpr, self._doc.theme.font)
        elif fonts.get(qn("w:cs")) is None:
            fonts.set(qn("w:cs"), fonts.get(qn("w:ascii")) or self._doc.theme.font)
        size = rpr.find(qn("w:sz"))
        if size is not None:
            put(rpr, "w:szCs", {"w:val": size.get(qn("w:val"))})
        for latin, complex_ in (("w:b", "w:bCs"), ("w:i", "w:iCs")):
            if rpr.find(qn(latin)) is not None and rpr.find(qn(complex_)) is None:
                put(rpr, complex_)
        color = rpr.find(qn("w:color"))
        if color is not None:  # a theme colour would override the explicit one
            for attr in ("themeColor", "themeShade", "themeTint"):
                color.attrib.pop(qn(f"w:{attr}"), None)
        put(rpr, "w:lang", {"w:val": self._lang, "w:bidi": "ar-MA"})


def _lang_tag(lang: str) -> str:
    """A BCP 47 tag for Word's w:lang from the model's language code."""
    return {"ar": "ar-MA", "fr": "fr-FR", "en": "en-GB"}.get(lang, lang)
