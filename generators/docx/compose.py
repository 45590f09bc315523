"""Composing a pack: a front, then parts (part.py) each on a new page, as one document.

Composing renumbers what must be unique across the file: bookmark ids, bookmark names
that would collide, numIds and hyperlink relationship ids. Alike list definitions are
shared, as in a document rendered whole; each list keeps its own w:num, so it restarts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from course.errors import WriterError
from generators.docx.oxml import el
from generators.docx.part import CLOSE, OPEN, VERSION, namespaces

NAME_LIMIT = 40  # Word truncates longer bookmark names
_MARKED = re.compile(f"{OPEN}([bknr])([^{CLOSE}]*){CLOSE}")
_BLOCK = re.compile(rb"<w:(?:p|tbl|sdt)[ >/]")  # a body block: a paragraph, table or control
_ABSTRACT_ATTR = re.compile(r' w:abstractNumId="(\d+)"')
_NSID = re.compile(r'<w:nsid w:val="[0-9A-Fa-f]*"/>')
_ID, _VAL = qn("w:id"), qn("w:val")
_ABSTRACT_ID, _NUM_ID = qn("w:abstractNumId"), qn("w:numId")


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
        self.abstracts: dict[str, str] = {}  # definition without its ids -> composed id
        self.bodies: list[bytes] = []

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

        # The part's text is dropped as its body is kept as bytes: at a hundred modules a
        # pack's body is tens of megabytes, and each copy of it held counted.
        self.bodies.append(_MARKED.sub(value, part.pop("body")).encode("utf-8"))

    def splice(self, xml: bytes) -> Iterator[bytes]:
        """document.xml with the parts' bodies before the body's closing section, in
        chunks (each body let go once given)."""
        at = xml.rfind(b"<w:sectPr")
        if at < 0 or _BLOCK.search(xml, at):  # no final section properties: before the end
            at = xml.rfind(b"</w:body>")
        yield xml[:at]
        bodies, self.bodies = self.bodies, []
        bodies.reverse()
        while bodies:
            yield bodies.pop()
        yield xml[at:]

    def _numbering(self, part: dict[str, Any]) -> dict[str, str]:
        """Add the part's list definitions; its numIds -> the file's. Alike definitions
        are shared, as in a document rendered whole; each list keeps its own w:num."""
        abstract_ids: dict[str, str] = {}
        for text in part["abstracts"]:
            old = _ABSTRACT_ATTR.search(text).group(1)  # type: ignore[union-attr]
            shape = _NSID.sub("", _ABSTRACT_ATTR.sub("", text, 1), 1)
            if shape not in self.abstracts:  # parsed only when new: alike ones recur
                node = etree.fromstring(text)
                ident = self.next_abstract
                self.next_abstract += 1
                node.set(_ABSTRACT_ID, str(ident))
                # nsid is the definition's identity in Word; derived from the id, as ours are.
                put_nsid = node.find(qn("w:nsid"))
                nsid = el("w:nsid", {"w:val": f"{0x5C0E0000 + ident:08X}"})
                if put_nsid is not None:
                    node.replace(put_nsid, nsid)
                else:
                    node.insert(0, nsid)
                if self.first_num is not None:
                    self.first_num.addprevious(node)
                else:
                    self.numbering.append(node)
                self.abstracts[shape] = str(ident)
            abstract_ids[old] = self.abstracts[shape]
        numbers: dict[str, str] = {}
        for node in list(etree.fromstring(part["nums"])):
            numbers[node.get(_NUM_ID)] = str(self.next_num)
            node.set(_NUM_ID, str(self.next_num))
            self.next_num += 1
            ref = node.find(qn("w:abstractNumId"))
            ref.set(_VAL, abstract_ids.get(ref.get(_VAL), ref.get(_VAL)))
            self.numbering.append(node)
            if self.first_num is None:
                self.first_num = node
        return numbers
