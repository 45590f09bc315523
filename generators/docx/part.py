"""A pack part: one section of a pack laid out as body XML, described in JSON.

The description holds the body children's XML, the list definitions (w:abstractNum,
w:num) the section created, its external links' targets, its headings for the contents,
the characters and italic it uses (for font subsets) and the digest of the styles it was
laid out with. A body holding anything else that refers outside itself (a picture, a
note, a section break) says so in `unsupported`, and is never composed (compose.py).

The body is kept as text with each value composing renumbers between two private-use
marks (`\ue000` kind value `\ue001`), so that composing a hundred parts is a few
substitutions and one join, never parsing 7 MB of XML again. A body whose own text holds
those marks is refused.
"""

from __future__ import annotations

import hashlib
import re
from copy import deepcopy
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml.ns import nsmap, qn
from lxml import etree
from lxml.etree import _Element

from generators.docx.flow import Anchors
from generators.docx.fonts import text_characters, uses_italic
from generators.docx.oxml import el, props, put, set_bidi

VERSION = 1  # of the part format: parts of another version are never composed
W = nsmap["w"]
R = nsmap["r"]
OPEN, CLOSE = "\ue000", "\ue001"
_FIELD_NAME = re.compile(r"^(\s*(?:PAGEREF|REF)\s+)(\S+)")
_ID, _NAME, _ANCHOR, _RID, _VAL = (qn("w:id"), qn("w:name"), qn("w:anchor"), qn("r:id"),
                                   qn("w:val"))
_ABSTRACT_ID, _NUM_ID = qn("w:abstractNumId"), qn("w:numId")
BOOKMARKS = (qn("w:bookmarkStart"), qn("w:bookmarkEnd"))


def styles_digest(docx: DocxDocument) -> str:
    """The digest of a document's styles: parts compose only into the styles they used."""
    return hashlib.sha256(etree.tostring(docx.styles.element)).hexdigest()


def namespaces(docx: DocxDocument) -> dict[str, str]:
    """The prefixes declared on the document: a part's text is spliced under them."""
    return {prefix or "": uri for prefix, uri in docx.element.nsmap.items()}


def unsupported(children: list[_Element], docx: DocxDocument) -> str:
    """Why the body cannot be composed as a part ("" when it can)."""
    for child in children:
        for node in child.iter():
            if not isinstance(node.tag, str):
                continue
            if not node.tag.startswith("{" + W + "}"):
                return f"element {node.tag} (a picture or drawing)"
            if node.tag == qn("w:sectPr"):
                return "a section break"
            for attr in node.attrib:
                if attr == _ID and node.tag not in BOOKMARKS:
                    return f"numbered element {node.tag}"
                if attr.startswith("{" + R + "}"):
                    rel = docx.part.rels.get(node.get(attr)) if attr == _RID else None
                    if node.tag != qn("w:hyperlink") or rel is None or not rel.is_external:
                        return f"relationship {attr} on {node.tag}"
    chars = text_characters(children) | {ord(c) for node in children
                                         for i in node.iter(qn("w:instrText"))
                                         for c in i.text or ""}
    if ord(OPEN) in chars or ord(CLOSE) in chars:
        return "the private-use characters U+E000 or U+E001 in its text"
    return ""


def _start_page(children: list[_Element], style: str, rtl: bool) -> list[_Element]:
    """The part's first paragraph starts a page (a line does, before a table)."""
    first = children[0]
    if first.tag != qn("w:p"):  # a table cannot start a page itself, as in Flow.table
        first = el("w:p")
        put(props(first), "w:pStyle", {"w:val": style})
        if rtl:
            set_bidi(first)
        children[0].addprevious(first)
        children = [first, *children]
    put(props(first), "w:pageBreakBefore")
    return children


def _mark(children: list[_Element], own_names: set[str], own_nums: set[str]) -> None:
    """Put the values composing renumbers between marks: bookmark ids (b) and names (k),
    links' relationship ids (r), the part's own numIds (n)."""
    def name(value: str) -> str:
        return f"{OPEN}k{value}{CLOSE}" if value in own_names else value

    for child in children:
        for node in child.iter(*BOOKMARKS, qn("w:hyperlink"), qn("w:numId"),
                               qn("w:instrText")):
            if node.tag in BOOKMARKS:
                node.set(_ID, f"{OPEN}b{node.get(_ID)}{CLOSE}")
                if node.get(_NAME) is not None:
                    node.set(_NAME, name(node.get(_NAME) or ""))
            elif node.tag == qn("w:hyperlink"):
                if node.get(_ANCHOR) is not None:
                    node.set(_ANCHOR, name(node.get(_ANCHOR) or ""))
                if node.get(_RID) is not None:
                    node.set(_RID, f"{OPEN}r{node.get(_RID)}{CLOSE}")
            elif node.tag == qn("w:numId"):
                if node.get(_VAL) in own_nums:
                    node.set(_VAL, f"{OPEN}n{node.get(_VAL)}{CLOSE}")
            elif node.text:  # a PAGEREF or REF field naming a bookmark of this part
                node.text = _FIELD_NAME.sub(lambda m: m.group(1) + name(m.group(2)), node.text)


def extract(docx: DocxDocument, anchors: Anchors, known_abstract: set[str],
            known_num: set[str], styles: str, rtl: bool) -> dict[str, Any]:
    """The part description of a rendered body (numbering ids in `known_*` were not its
    own), its first paragraph made to start a page, as every part of a pack does."""
    body = docx.element.body
    for child in body.findall(qn("w:sectPr")):
        body.remove(child)
    children = list(body)
    numbering = docx.part.numbering_part.element
    abstracts = [a for a in numbering.findall(qn("w:abstractNum"))
                 if a.get(_ABSTRACT_ID) not in known_abstract]
    nums = [n for n in numbering.findall(qn("w:num")) if n.get(_NUM_ID) not in known_num]
    roots = [*children, *abstracts]
    chars, italic = sorted(text_characters(roots)), uses_italic(roots)
    reason = unsupported(children, docx)
    links: dict[str, str] = {}
    bookmarks = [b.get(_NAME) for b in body.iter(qn("w:bookmarkStart"))]
    if not reason and children:
        for link in body.iter(qn("w:hyperlink")):
            if link.get(_RID):
                links[link.get(_RID)] = docx.part.rels[link.get(_RID)].target_ref
        children = _start_page(children, docx.styles["Small"].style_id, rtl)
        _mark(children, set(bookmarks), {n.get(_NUM_ID) for n in nums})
    return {
        "version": VERSION,
        "unsupported": reason,
        "ns": namespaces(docx),
        "body": _inner(body) if children else "",
        "abstracts": [etree.tostring(a, encoding="unicode") for a in abstracts],
        "nums": _wrapped(nums),
        "links": links,
        "headings": [list(entry) for entry in anchors.entries],
        "anchors": anchors.by_anchor,
        "bookmarks": bookmarks,
        "chars": chars,
        "italic": italic,
        "styles": styles,
    }


def _wrapped(nodes: list[_Element]) -> str:
    """Elements in one w:numbering declaring only w: each would declare the document's
    seventeen prefixes, and parsing those was most of the cost of a thousand lists."""
    wrapper = etree.Element(qn("w:numbering"), nsmap={"w": W})
    wrapper.extend(deepcopy(node) for node in nodes)
    return etree.tostring(wrapper, encoding="unicode")


def _inner(body: _Element) -> str:
    """The XML of an element's children, under the prefixes its document declares."""
    text = etree.tostring(body, encoding="unicode")
    return text[text.index(">") + 1:text.rindex("</")]
