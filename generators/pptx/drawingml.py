"""Raw DrawingML that python-pptx has no API for: direction, alignment, language, fonts, bullets.

Everything here writes `a:` elements in schema order, so that PowerPoint and LibreOffice
read the same thing: `a:pPr` with `rtl="1" algn="r"` for Arabic (in a right-to-left
paragraph `marL` is the right margin), runs with `lang`, and the theme font as latin and
complex-script typeface (`a:cs`) so that Arabic letters never fall back to another font.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from pptx.oxml.ns import qn

EMU_PER_PT = 12700
LANGS = {"ar": "ar-MA", "fr": "fr-FR", "en": "en-GB"}


@dataclass(frozen=True)
class Style:
    """How the paragraphs of one frame are set."""

    rtl: bool
    lang: str  # BCP 47 tag, e.g. ar-MA
    font: str
    size: float  # points
    color: str | None = None  # RRGGBB, or None to keep the template's
    align: str | None = None  # "l", "r", "ctr"; None: by direction
    bullet: str | None = None  # the bullet character, or None for no bullet
    bullet_color: str | None = None
    indent: float = 0.0  # the bullet's hanging indent in points
    line_spacing: float = 1.0  # proportional: 1.0 is single


def language_tag(lang: str) -> str:
    """The language tag written on runs (Morocco's for Arabic)."""
    return LANGS.get(lang, lang)


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, qn(tag), {k: v for k, v in attrs.items()})


def _fill(parent: etree._Element, color: str) -> None:
    _sub(_sub(parent, "a:solidFill"), "a:srgbClr", val=color.upper())


def body_properties(txbody: etree._Element, insets: tuple[int, int, int, int],
                    anchor: str | None = None) -> None:
    """Wrapped text, fixed insets, and no autofit: our measuring already made it fit."""
    body = txbody.find(qn("a:bodyPr"))
    for child in list(body):
        if child.tag in (qn("a:noAutofit"), qn("a:normAutofit"), qn("a:spAutoFit")):
            body.remove(child)
    left, top, right, bottom = insets
    body.set("wrap", "square")
    body.set("lIns", str(left))
    body.set("tIns", str(top))
    body.set("rIns", str(right))
    body.set("bIns", str(bottom))
    body.set("rtlCol", "0")
    if anchor:
        body.set("anchor", anchor)
    # The autofit choice goes after a:prstTxWarp (never present here) and before a:scene3d.
    autofit = etree.Element(qn("a:noAutofit"))
    follower = next((c for c in body if c.tag in (qn("a:scene3d"), qn("a:sp3d"),
                                                  qn("a:flatTx"), qn("a:extLst"))), None)
    if follower is None:
        body.append(autofit)
    else:
        follower.addprevious(autofit)


def clear_paragraphs(txbody: etree._Element) -> None:
    """Remove every paragraph of a text body (one must be added back)."""
    for p in txbody.findall(qn("a:p")):
        txbody.remove(p)


def add_paragraph(txbody: etree._Element, style: Style, space_before: float = 0.0,
                  continued: bool = False) -> etree._Element:
    """A new `a:p` whose `a:pPr` carries direction, alignment, spacing and bullet."""
    p = _sub(txbody, "a:p")
    ppr = _sub(p, "a:pPr")
    if style.bullet is not None:
        ppr.set("marL", str(round(style.indent * EMU_PER_PT)))
        ppr.set("indent", "0" if continued else str(-round(style.indent * EMU_PER_PT)))
    else:
        ppr.set("marL", "0")
        ppr.set("indent", "0")
    ppr.set("algn", style.align or ("r" if style.rtl else "l"))
    ppr.set("rtl", "1" if style.rtl else "0")
    _sub(_sub(ppr, "a:lnSpc"), "a:spcPct", val=str(round(style.line_spacing * 100000)))
    _sub(_sub(ppr, "a:spcBef"), "a:spcPts", val=str(round(space_before * 100)))
    _sub(_sub(ppr, "a:spcAft"), "a:spcPts", val="0")
    if style.bullet is not None and not continued:
        if style.bullet_color:
            _sub(_sub(ppr, "a:buClr"), "a:srgbClr", val=style.bullet_color.upper())
        _sub(ppr, "a:buSzPct", val="100000")
        _sub(ppr, "a:buFont", typeface=style.font)
        _sub(ppr, "a:buChar", char=style.bullet)
    else:
        _sub(ppr, "a:buNone")
    return p


def add_run(p: etree._Element, text: str, style: Style, bold: bool = False,
            italic: bool = False) -> None:
    """A run with its language, size, weight, colour, and the font for Latin and Arabic."""
    if text == "\n":
        br = _sub(p, "a:br")
        _run_properties(br, style, bold, italic, "a:rPr")
        return
    r = _sub(p, "a:r")
    _run_properties(r, style, bold, italic, "a:rPr")
    _sub(r, "a:t").text = text


def end_paragraph(p: etree._Element, style: Style) -> None:
    """The properties of the paragraph mark, so an empty line has the same height."""
    _run_properties(p, style, False, False, "a:endParaRPr")


def _run_properties(parent: etree._Element, style: Style, bold: bool, italic: bool,
                    tag: str) -> None:
    # kern="0": kerning from any size on, as the font's shaping (and our measuring) wants.
    rpr = _sub(parent, tag, lang=style.lang, sz=str(round(style.size * 100)),
               b="1" if bold else "0", i="1" if italic else "0", kern="0", dirty="0")
    if style.color:
        _fill(rpr, style.color)
    _sub(rpr, "a:latin", typeface=style.font)
    _sub(rpr, "a:ea", typeface=style.font)
    _sub(rpr, "a:cs", typeface=style.font)
