"""Saving a python-docx document as stable bytes, compressing it once.

python-docx deflates every part when it saves, and the stable zip (generators.opc)
deflates them again: at a hundred modules a pack's body is 7 MB, and the first
compression was a third of composing it. Here the parts are gathered uncompressed, and
a composed pack's body can be spliced into its document.xml as text.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from docx.document import Document as DocxDocument
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import PackageWriter

from course.document import Document
from course.errors import WriterError
from generators.docx.package import normalized_zip, set_core_properties
from generators.opc import stable_zip

BODY = "word/document.xml"


class _Gather:
    """Stands for python-docx's zip writer: keeps each member's bytes."""

    def __init__(self) -> None:
        self.members: dict[str, bytes] = {}

    def write(self, uri: PackURI, blob: bytes) -> None:
        self.members[uri.membername] = blob


def _members(base: DocxDocument) -> dict[str, bytes] | None:
    """Every member of the package, as python-docx would write it (None if it cannot say)."""
    package = base.part.package
    try:
        for part in package.parts:
            part.before_marshal()
        gather = _Gather()
        PackageWriter._write_content_types_stream(gather, package.parts)
        PackageWriter._write_pkg_rels(gather, package.rels)
        PackageWriter._write_parts(gather, package.parts)
    except AttributeError:  # another python-docx: its own save is the way
        return None
    return gather.members


def package(base: DocxDocument, document: Document,
            body: Callable[[bytes], Iterable[bytes]] | None = None) -> bytes:
    """The document's core properties set, saved as a stable zip; `body` rewrites the
    bytes of word/document.xml first (as chunks, written as they come)."""
    set_core_properties(base, document)
    members = _members(base)
    if members is None or BODY not in members:
        if body is not None:  # a pack's caller then renders it whole
            raise WriterError("this python-docx cannot save a composed pack")
        buffer = io.BytesIO()
        base.save(buffer)
        return normalized_zip(buffer.getvalue(), document)
    written: dict[str, bytes | Iterable[bytes]] = dict(members)
    if body is not None:
        written[BODY] = body(members.pop(BODY))
    return stable_zip(written, document)
