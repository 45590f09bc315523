"""A reportlab canvas that declares only the fonts drawn and carries the metadata readers need.

reportlab's canvas selects Helvetica in every page's preamble, so every PDF declared an
unembedded Helvetica that no text used and print preflight ("all fonts embedded")
failed. This canvas leaves the initial font out; a text drawn without our fonts would
still bring Helvetica in, as it should.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from course.document import Document
from generators.pdf.metadata import Info, xmp_packet


class BareCanvas(Canvas):
    """A canvas whose pages set no font until text asks for one."""

    def _make_preamble(self) -> None:
        # reportlab's preamble is the page's coordinate system, then an initial font.
        self._preamble = "1 0 0 1 0 0 cm" if self.bottomup else \
            f"1 0 0 -1 0 {self._pagesize[1]:g} cm"

    def set_metadata(self, document: Document, stamp: str) -> None:
        """Info entries, language, right-to-left page order for RTL, and the XMP packet."""
        meta = document.meta
        self.setDateFormatter(lambda *_: stamp)
        self.setTitle(document.title)
        self.setAuthor(meta.organisation)
        self.setSubject(meta.course)
        self.setCreator("coursegen")
        self._doc.Catalog.Lang = pdfdoc.PDFString(document.lang)
        if document.direction == "rtl":
            self.setViewerPreference("Direction", pdfdoc.PDFName("R2L"))
        self._doc.Catalog.Metadata = _xmp(document.lang, stamp)


def _xmp(lang: str, stamp: str) -> _XmpStream:
    """The XMP stream, written at save time from the Info entries as they then stand."""

    def packet(doc: pdfdoc.PDFDocument) -> bytes:
        info = doc.info
        return xmp_packet(Info(info.title, info.author, info.subject, info.creator,
                               info.producer, stamp, lang))

    return _XmpStream(packet)


class _XmpStream(pdfdoc.PDFObject):
    """A metadata stream left uncompressed, as the XMP specification asks: any tool finds it.

    (reportlab's XMP stream takes the document's compression, or writes "/Filter []".)
    """

    def __init__(self, make: Callable[[pdfdoc.PDFDocument], bytes]) -> None:
        self.make = make

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        """The stream object's bytes."""
        content = self.make(document)
        head = pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"),
                                     "Subtype": pdfdoc.PDFName("XML"), "Length": len(content)})
        return pdfdoc.format(head, document) + b"\nstream\n" + content + b"\nendstream\n"
