"""Raw WordprocessingML knowledge in one layer: ordered properties, bidi, runs, fields, links."""

from __future__ import annotations

import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml.etree import _Element

# Child order of the property elements we touch (ECMA-376 part 1, 17.3 / 17.4 / 17.6):
# Word rejects, and LibreOffice may ignore, properties written out of schema order.
SEQUENCES: dict[str, tuple[str, ...]] = {
    "w:pPr": (
        "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
        "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
        "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
        "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
        "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
        "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
        "w:pPrChange",
    ),
    "w:rPr": (
        "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
        "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
        "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
        "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
        "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
        "w:eastAsianLayout", "w:specVanish", "w:oMath",
    ),
    "w:sectPr": (
        "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type",
        "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType",
        "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
        "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
    ),
    "w:tblPr": (
        "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
        "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
        "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
        "w:tblCaption", "w:tblDescription",
    ),
    "w:trPr": ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore",
               "w:wAfter", "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing",
               "w:jc", "w:hidden"),
    "w:tcPr": (
        "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
        "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
    ),
    "w:style": (
        "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
        "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked",
        "w:personal", "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr",
        "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr",
    ),
    "w:lvl": ("w:start", "w:numFmt", "w:lvlRestart", "w:pStyle", "w:isLgl", "w:suff",
              "w:lvlText", "w:lvlPicBulletId", "w:legacy", "w:lvlJc", "w:pPr", "w:rPr"),
}
# Where each properties element sits inside its owner (w:p, w:r, w:tbl, w:tr, w:tc): first.
PROPERTY_OF = {"w:p": "w:pPr", "w:r": "w:rPr", "w:tbl": "w:tblPr", "w:tr": "w:trPr",
               "w:tc": "w:tcPr"}
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def el(tag: str, attrs: dict[str, str] | None = None, *children: _Element) -> _Element:
    """A new w: element with prefixed attribute names and children."""
    node = OxmlElement(tag)
    for key, value in (attrs or {}).items():
        node.set(qn(key), value)
    for child in children:
        node.append(child)
    return node


def _tag(node: _Element) -> str:
    """The element's tag as `w:name`."""
    return "w:" + node.tag.split("}", 1)[1]


def props(owner: _Element) -> _Element:
    """The properties element of a w:p, w:r, w:tbl, w:tr or w:tc, created as first child."""
    tag = PROPERTY_OF[_tag(owner)]
    found = owner.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        owner.insert(0, found)
    return found


def put(parent: _Element, tag: str, attrs: dict[str, str] | None = None) -> _Element:
    """Replace or add child `tag` of a properties element, keeping schema order."""
    old = parent.find(qn(tag))
    new = el(tag, attrs)
    if old is not None:
        parent.replace(old, new)
        return new
    order = SEQUENCES[_tag(parent)]
    later = set(order[order.index(tag) + 1:])
    for index, child in enumerate(parent):
        if isinstance(child.tag, str) and _tag(child) in later:
            parent.insert(index, new)
            return new
    parent.append(new)
    return new


def drop(parent: _Element, tag: str) -> None:
    """Remove every child `tag`."""
    for child in parent.findall(qn(tag)):
        parent.remove(child)


def set_bidi(p: _Element) -> None:
    """Make a paragraph right to left; `end`/`right` justification would push it left."""
    ppr = props(p)
    put(ppr, "w:bidi")
    jc = ppr.find(qn("w:jc"))
    if jc is not None and jc.get(qn("w:val")) in ("right", "end"):
        ppr.remove(jc)


def set_rtl(r: _Element) -> None:
    """Mark a run right to left, so Word shapes and sizes it with the complex-script font."""
    put(props(r), "w:rtl")


def set_keep_next(p: _Element, keep_lines: bool = True) -> None:
    """Keep a paragraph on the page of the next one (and in one piece)."""
    ppr = props(p)
    put(ppr, "w:keepNext")
    if keep_lines:
        put(ppr, "w:keepLines")


def clean_text(text: str) -> str:
    """Text without the control characters XML cannot carry."""
    return _XML_UNSAFE.sub("", text)


def text_run(text: str, *, bold: bool = False, italic: bool = False, style: str = "") -> _Element:
    """A run of literal text; bold and italic set both the Latin and complex-script flags."""
    r = el("w:r")
    if style or bold or italic:
        rpr = props(r)
        if style:
            put(rpr, "w:rStyle", {"w:val": style})
        if bold:
            put(rpr, "w:b")
            put(rpr, "w:bCs")
        if italic:
            put(rpr, "w:i")
            put(rpr, "w:iCs")
    for index, piece in enumerate(clean_text(text).split("\n")):
        if index:
            r.append(el("w:br"))
        for jndex, chunk in enumerate(piece.split("\t")):
            if jndex:
                r.append(el("w:tab"))
            if chunk:
                t = el("w:t")
                t.text = chunk
                # Without this, Word and LibreOffice drop leading and trailing spaces.
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                r.append(t)
    return r


def break_run(kind: str = "") -> _Element:
    """A run holding a line break, or a page break with kind="page"."""
    return el("w:r", None, el("w:br", {"w:type": kind} if kind else None))


def tab_run() -> _Element:
    """A run holding one tab."""
    return el("w:r", None, el("w:tab"))


def field_runs(instruction: str, result: str, style: str = "") -> list[_Element]:
    """A complex field: begin, instruction, separate, cached result, end."""

    def char(kind: str) -> _Element:
        return el("w:r", None, el("w:fldChar", {"w:fldCharType": kind}))

    instr = el("w:instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return [char("begin"), el("w:r", None, instr), char("separate"),
            text_run(result, style=style), char("end")]


def bookmark(p: _Element, ident: int, name: str) -> None:
    """Wrap a paragraph's content in a bookmark (the target of links and PAGEREF)."""
    ppr = p.find(qn("w:pPr"))
    start = el("w:bookmarkStart", {"w:id": str(ident), "w:name": name})
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(el("w:bookmarkEnd", {"w:id": str(ident)}))


def bookmark_name(anchor: str, fallback: str) -> str:
    """A legal bookmark name: a letter first, word characters only, at most 40 characters."""
    name = re.sub(r"\W", "_", anchor.lstrip("#"))
    if not name or not name[0].isalpha():
        name = fallback + ("_" + name if name else "")
    return name[:40]


def internal_link(anchor: str, runs: list[_Element]) -> _Element:
    """A hyperlink to a bookmark of this document."""
    return el("w:hyperlink", {"w:anchor": anchor, "w:history": "1"}, *runs)


def external_link(rel_id: str, runs: list[_Element]) -> _Element:
    """A hyperlink to a URL held by relationship `rel_id`."""
    return el("w:hyperlink", {"r:id": rel_id, "w:history": "1"}, *runs)


def shading(fill: str) -> dict[str, str]:
    """Attributes of a solid background fill."""
    return {"w:val": "clear", "w:color": "auto", "w:fill": fill}


def border(color: str, size: int = 8) -> dict[str, str]:
    """Attributes of a single border line; size in eighths of a point."""
    return {"w:val": "single", "w:sz": str(size), "w:space": "0", "w:color": color}


def cell_borders(tc: _Element, color: str, size: int = 8, sides: str = "tlbr") -> None:
    """Draw a cell's own borders on the sides named by t, l, b, r."""
    names = {"t": "w:top", "l": "w:left", "b": "w:bottom", "r": "w:right"}
    box = put(props(tc), "w:tcBorders")
    for side in sides:
        box.append(el(names[side], border(color, size)))


def cell_shading(tc: _Element, fill: str) -> None:
    """Fill a table cell."""
    put(props(tc), "w:shd", shading(fill))
