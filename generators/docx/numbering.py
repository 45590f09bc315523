"""List numbering: our own abstract numbering definitions, RTL-aware, one w:num per list."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from lxml.etree import _Element

from generators.docx.oxml import el, props, put

# Model numbering name -> (w:numFmt, level text). Letters take ")" as the options do.
FORMATS: dict[str, tuple[str, str]] = {
    "decimal": ("decimal", "%{n}."),
    "abjad": ("arabicAbjad", "%{n})"),
    "alpha": ("lowerLetter", "%{n})"),
    "bullet": ("bullet", ""),
}
BULLETS = ("•", "–", "•", "–", "•", "–")
LEVELS = len(BULLETS)
STEP = 360  # twips of indent per level; the number hangs in the first step


class Numbering:
    """Adds abstract numbering definitions on first use and one w:num per list."""

    def __init__(self, document: DocxDocument, rtl: bool, font: str) -> None:
        self._root: _Element = document.part.numbering_part.element
        self._rtl = rtl
        self._font = font
        self._abstract: dict[str, int] = {}

    def _next_id(self, tag: str, attr: str) -> int:
        """One more than the highest id in use (0 when none), so reference docs keep theirs."""
        ids = [int(node.get(qn(attr))) for node in self._root.findall(qn(tag))]
        return max(ids, default=0) + 1

    def _abstract_id(self, numbering: str) -> int:
        """The abstract definition for a format, created the first time it is needed."""
        if numbering not in self._abstract:
            ident = self._next_id("w:abstractNum", "w:abstractNumId")
            node = self._abstract_num(ident, numbering)
            first_num = self._root.find(qn("w:num"))
            # Schema order: every w:abstractNum precedes every w:num.
            if first_num is not None:
                first_num.addprevious(node)
            else:
                self._root.append(node)
            self._abstract[numbering] = ident
        return self._abstract[numbering]

    def _abstract_num(self, ident: int, numbering: str) -> _Element:
        """A multilevel definition whose levels carry bidi and a growing indent."""
        fmt, text = FORMATS.get(numbering, FORMATS["decimal"])
        node = el("w:abstractNum", {"w:abstractNumId": str(ident)})
        # nsid is the definition's identity in Word; derive it from the id, never at random.
        node.append(el("w:nsid", {"w:val": f"{0x5C0E0000 + ident:08X}"}))
        node.append(el("w:multiLevelType", {"w:val": "hybridMultilevel"}))
        for level in range(LEVELS):
            lvl = el("w:lvl", {"w:ilvl": str(level)})
            lvl.append(el("w:start", {"w:val": "1"}))
            lvl.append(el("w:numFmt", {"w:val": fmt}))
            label = BULLETS[level] if fmt == "bullet" else text.format(n=level + 1)
            lvl.append(el("w:lvlText", {"w:val": label}))
            # lvlJc "left" is the leading side of a bidi paragraph, as Word itself writes it.
            lvl.append(el("w:lvlJc", {"w:val": "left"}))
            ppr = put(lvl, "w:pPr")
            if self._rtl:
                put(ppr, "w:bidi")
            indent = STEP * (level + 1) + (STEP if fmt != "bullet" else 0)
            put(ppr, "w:ind", {"w:left": str(indent), "w:hanging": str(STEP)})
            rpr = put(lvl, "w:rPr")
            put(rpr, "w:rFonts", {f"w:{a}": self._font for a in ("ascii", "hAnsi", "cs")})
            if self._rtl:
                put(rpr, "w:rtl")
            node.append(lvl)
        return node

    def new_list(self, numbering: str, start: int = 1) -> int:
        """A fresh w:num (so numbering restarts) for one list; returns its numId."""
        abstract = self._abstract_id(numbering)
        ident = self._next_id("w:num", "w:numId")
        num = el("w:num", {"w:numId": str(ident)})
        num.append(el("w:abstractNumId", {"w:val": str(abstract)}))
        override = el("w:lvlOverride", {"w:ilvl": "0"})
        override.append(el("w:startOverride", {"w:val": str(max(start, 1))}))
        num.append(override)
        self._root.append(num)
        return ident


def number_paragraph(p: _Element, num_id: int, level: int) -> None:
    """Attach a paragraph to list `num_id` at `level`."""
    numpr = put(props(p), "w:numPr")
    numpr.append(el("w:ilvl", {"w:val": str(min(level, LEVELS - 1))}))
    numpr.append(el("w:numId", {"w:val": str(num_id)}))


def continue_indent(level: int, numbered: bool) -> int:
    """Indent (twips) of an item's second paragraph, aligned with the item's text."""
    return STEP * (min(level, LEVELS - 1) + 1) + (STEP if numbered else 0)
