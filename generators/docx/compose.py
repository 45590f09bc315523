"""Pack parts: one section laid out as body XML, and a file composed of a front and parts.

A part is a JSON text: the body children's XML, the list definitions (w:abstractNum,
w:num) it created, its external links' targets, its headings for the contents, the
characters and italic it uses (for font subsets) and the digest of the styles it was laid
out with. Composing renumbers what must be unique across one file: bookmark ids, bookmark
names that would collide, numIds and hyperlink relationship ids. A part holding anything
else that refers outside its body (a picture, a note, a section break) says so in
`unsupported`, and is never composed.

The body is kept as text with each value to renumber between two private-use marks
(`\ue000` kind value `\ue001`), so that composing a hundred parts is a few substitutions
and one join, never parsing 7 MB of XML again. A part whose own text holds those marks is
refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import nsmap, qn
from lxml import etree
from lxml.etree import _Element

from course.errors import WriterError
from generators.docx.flow import Anchors
from generators.docx.fonts import text_characters, uses_italic
from generators.docx.oxml import el, props, put, set_bidi

VERSION = 1  # of the part format: parts of another version are never composed
W = nsmap["w"]
R = nsmap["r"]
NAME_LIMIT = 40  # Word truncates longer bookmark names
OPEN, CLOSE = "\ue000", "\ue001"
_MARKED = re.compile(f"{OPEN}([bknr])([^{CLOSE}]*){CLOSE}")
_BLOCK = re.compile(rb"<w:(?:p|tbl|sdt)[ >/]")  # a body block: a paragraph, table or control
_FIELD_NAME = re.compile(r"^(\s*(?:PAGEREF|REF)\s+)(\S+)")
_ID, _NAME, _ANCHOR, _RID, _VAL = (qn("w:id"), qn("w:name"), qn("w:anchor"), qn("r:id"),
                                   qn("w:val"))
_ABSTRACT_ID, _NUM_ID = qn("w:abstractNumId"), qn("w:numId")
_BOOKMARKS = (qn("w:bookmarkStart"), qn("w:bookmarkEnd"))


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
                if attr == _ID and node.tag not in _BOOKMARKS:
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
    def name(value: str | None) -> str | None:
        return f"{OPEN}k{value}{CLOSE}" if value in own_names else value

    for child in children:
        for node in child.iter(*_BOOKMARKS, qn("w:hyperlink"), qn("w:numId"),
                               qn("w:instrText")):
            if node.tag in _BOOKMARKS:
                node.set(_ID, f"{OPEN}b{node.get(_ID)}{CLOSE}")
                if node.get(_NAME) is not None:
                    node.set(_NAME, name(node.get(_NAME)))
            elif node.tag == qn("w:hyperlink"):
                if node.get(_ANCHOR) is not None:
                    node.set(_ANCHOR, name(node.get(_ANCHOR)))
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
        "nums": [etree.tostring(n, encoding="unicode") for n in nums],
        "links": links,
        "headings": [list(entry) for entry in anchors.entries],
        "anchors": anchors.by_anchor,
        "bookmarks": bookmarks,
        "chars": chars,
        "italic": italic,
        "styles": styles,
    }


def _inner(body: _Element) -> str:
    """The XML of an element's children, under the prefixes its document declares."""
    text = etree.tostring(body, encoding="unicode")
    return text[text.index(">") + 1:text.rindex("</")]


def load(text: str) -> dict[str, Any]:
    """A part from its JSON text, refused when of another version or not composable."""
    try:
        part = json.loads(text)
    except ValueError as exc:
        raise WriterError(f"a pack part is not readable: {exc}") from None
    if not isinstance(part, dict) or part.get("version") != VERSION:
        raise WriterError("a pack part was laid out by another version of coursegen")
    if part["unsupported"]:
        raise WriterError(f"a pack part holds what parts cannot: {part['unsupported']}")
    return part


@dataclass
class Plan:
    """Bookmark names made unique across the file: each part's renames, and the headings."""

    renames: list[dict[str, str]] = field(default_factory=list)
    entries: list[tuple[int, str, str]] = field(default_factory=list)


def _unique(name: str, taken: set[str], number: int) -> str:
    """A name not taken: the part's number appended (the name cut to fit 40 characters)."""
    count = 0
    while True:
        suffix = f"_{number}" if not count else f"_{number}_{count}"
        candidate = name[:NAME_LIMIT - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        count += 1


def plan(front: list[tuple[int, str, str]], parts: list[dict[str, Any]]) -> Plan:
    """Keep each bookmark's name unless an earlier part (or the front) has it already.

    A part's fallback names (`h<index>`, by position: slides have no anchor) repeat in
    every part; anchored names repeat only when cut at 40 characters. The renamed ones
    take the part's number, and the part's links, fields and contents entries follow.
    """
    result = Plan(entries=list(front))
    taken = {name for _, _, name in front}
    for number, part in enumerate(parts, 1):
        own = set(part["bookmarks"])
        renames: dict[str, str] = {}
        for name in part["bookmarks"]:
            if name in taken:
                renames[name] = _unique(name, taken | own, number)
            taken.add(renames.get(name, name))
        result.renames.append(renames)
        result.entries.extend((level, text, renames.get(name, name))
                              for level, text, name in part["headings"])
    return result


class Splicer:
    """Makes parts' bodies one document's: ids, names, lists and links renumbered."""

    def __init__(self, docx: DocxDocument) -> None:
        self.docx = docx
        self.ns = namespaces(docx)
        body = docx.element.body
        self.numbering = docx.part.numbering_part.element
        self.bookmark = max((int(b.get(_ID)) for b in body.iter(qn("w:bookmarkStart"))),
                            default=0)
        self.next_abstract = 1 + max((int(a.get(_ABSTRACT_ID)) for a in
                                      self.numbering.iter(qn("w:abstractNum"))), default=-1)
        self.next_num = 1 + max((int(n.get(_NUM_ID)) for n in
                                 self.numbering.iter(qn("w:num"))), default=0)
        self.first_num = self.numbering.find(qn("w:num"))
        self.abstracts: dict[bytes, str] = {}  # definition without its ids -> composed id
        self.bodies: list[str] = []

    def add(self, part: dict[str, Any], renames: dict[str, str]) -> None:
        """Take one part: its lists and links join the document, its body waits to be spliced."""
        if part["ns"] != self.ns:
            raise WriterError("a pack part was laid out under other XML prefixes")
        numbers = self._numbering(part)
        links = {old: self.docx.part.relate_to(target, RT.HYPERLINK, is_external=True)
                 for old, target in part["links"].items()}
        ids: dict[str, str] = {}

        def value(match: re.Match[str]) -> str:
            kind, old = match.group(1), match.group(2)
            if kind == "b":
                if old not in ids:
                    self.bookmark += 1
                    ids[old] = str(self.bookmark)
                return ids[old]
            if kind == "k":
                return renames.get(old, old)
            return numbers[old] if kind == "n" else links[old]

        self.bodies.append(_MARKED.sub(value, part["body"]))

    def splice(self, xml: bytes) -> bytes:
        """document.xml with the parts' bodies before the body's closing section."""
        at = xml.rfind(b"<w:sectPr")
        if at < 0 or _BLOCK.search(xml, at):  # no final section properties: before the end
            at = xml.rfind(b"</w:body>")
        return xml[:at] + "".join(self.bodies).encode("utf-8") + xml[at:]

    def _numbering(self, part: dict[str, Any]) -> dict[str, str]:
        """Add the part's list definitions; its numIds -> the file's. Alike definitions
        are shared, as in a document rendered whole; each list keeps its own w:num."""
        abstract_ids: dict[str, str] = {}
        for text in part["abstracts"]:
            node = etree.fromstring(text)
            old = node.get(_ABSTRACT_ID)
            nsid = node.find(qn("w:nsid"))
            if nsid is not None:
                node.remove(nsid)
            del node.attrib[_ABSTRACT_ID]
            shape = etree.tostring(node)
            if shape not in self.abstracts:
                ident = self.next_abstract
                self.next_abstract += 1
                node.set(_ABSTRACT_ID, str(ident))
                # nsid is the definition's identity in Word; derived from the id, as ours are.
                node.insert(0, el("w:nsid", {"w:val": f"{0x5C0E0000 + ident:08X}"}))
                if self.first_num is not None:
                    self.first_num.addprevious(node)
                else:
                    self.numbering.append(node)
                self.abstracts[shape] = str(ident)
            abstract_ids[old] = self.abstracts[shape]
        numbers: dict[str, str] = {}
        for text in part["nums"]:
            node = etree.fromstring(text)
            numbers[node.get(_NUM_ID)] = str(self.next_num)
            node.set(_NUM_ID, str(self.next_num))
            self.next_num += 1
            ref = node.find(qn("w:abstractNumId"))
            ref.set(_VAL, abstract_ids.get(ref.get(_VAL), ref.get(_VAL)))
            self.numbering.append(node)
            if self.first_num is None:
                self.first_num = node
        return numbers
