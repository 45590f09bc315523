"""A TrueType font embedded as one Type0 subset with two-byte codes and our ToUnicode map.

reportlab embeds TrueType fonts as simple fonts of 256 codes each. Shaped Arabic
needs many more glyph variants (contextual forms, mirrored brackets, widths), and a
word split over two subsets changes font mid-word, which makes poppler split the
word. One CID-keyed subset per face and document avoids that. This leans on
reportlab internals (TTFont.state, doc.delayedFonts, face.charToGlyph); the
tests fail loudly if a new reportlab changes them.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, TTFont

from generators.pdf import shape_cache
from generators.pdf.program import font_program


class _State:
    """One document's use of a font: CID -> character, and back."""

    def __init__(self) -> None:
        self.chars: list[int] = [0]  # CID 0 is .notdef
        self.cids: dict[str, int] = {}
        self.hexes: dict[str, str] = {}  # character -> its CID as a TJ string, "<0012>"
        self.internal: str | None = None

    def hex(self, char: str) -> str:
        """The CID of a character as written in a TJ array, assigned on first use."""
        found = self.hexes.get(char)
        if found is None:
            code = self.cids[char] = len(self.chars)
            self.chars.append(ord(char))
            found = self.hexes[char] = f"<{code:04X}>"
        return found


class CidFont(TTFont):
    """TTFont drawn with two-byte CIDs; `texts` gives ToUnicode text for private aliases."""

    def __init__(self, name: str, filename: str, texts: dict[int, str]) -> None:
        super().__init__(name, filename)
        self.texts = texts

    def _cid_state(self, doc: object) -> _State:
        st = self.state.get(doc)
        if not isinstance(st, _State):
            st = self.state[doc] = _State()
        return st

    def cid(self, char: str, doc: object) -> int:
        """The CID of a character in this document, assigned on first use."""
        st = self._cid_state(doc)
        st.hex(char)
        return st.cids[char]

    def codes(self, doc: object) -> _State:
        """This document's codes of the font (look it up once, then ask it per character)."""
        return self._cid_state(doc)

    def resource_name(self, doc) -> str:
        """The page resource name (/F3), registering the font for embedding once."""
        st = self._cid_state(doc)
        if st.internal is None:
            st.internal = f"FC{len(doc.fontMapping) + 1}"
            doc.fontMapping[self.fontName] = "/" + st.internal
            doc.delayedFonts.append(self)
        return "/" + st.internal

    def addObjects(self, doc) -> None:  # noqa: N802 (reportlab's name)
        """Embed the subset: Type0 font, CIDFontType2, CIDToGIDMap, widths, ToUnicode."""
        # The document is laid out: the words it shaped are all known, so keep them.
        shape_cache.save_all()
        st = self._cid_state(doc)
        face = self.face
        # A distinct tag per font of the document: two faces may share one file (a
        # variable font drawn regular and stroked bold) and must not share objects.
        assert st.internal is not None
        tag = SUBSETN(int(st.internal[2:]) - 1)
        base = (tag + b"+" + face.name + face.subfontNameX).decode("pdfdoc")
        # The font's own glyph ids: a merged pack can give its parts one shared program.
        gids = [face.charToGlyph.get(code, 0) for code in st.chars]
        descriptor = self._descriptor(doc, base, gids)
        cid_to_gid = pdfdoc.PDFStream(content=b"".join(g.to_bytes(2, "big") for g in gids))
        widths = pdfdoc.PDFArray([round(face.getCharWidth(c), 1) for c in st.chars])
        cid_font = pdfdoc.PDFDictionary({
            "Type": "/Font",
            "Subtype": "/CIDFontType2",
            "BaseFont": pdfdoc.PDFName(base),
            "CIDSystemInfo": pdfdoc.PDFDictionary({
                "Registry": pdfdoc.PDFString("Adobe"),
                "Ordering": pdfdoc.PDFString("Identity"),
                "Supplement": 0}),
            "FontDescriptor": descriptor,
            "W": pdfdoc.PDFArray([0, widths]),
            "CIDToGIDMap": doc.Reference(_compressed(doc, cid_to_gid)),
        })
        to_unicode = pdfdoc.PDFStream(content=self._cmap(base, st.chars))
        font = pdfdoc.PDFDictionary({
            "Type": "/Font",
            "Subtype": "/Type0",
            "BaseFont": pdfdoc.PDFName(base),
            "Encoding": "/Identity-H",
            "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font)]),
            "ToUnicode": doc.Reference(_compressed(doc, to_unicode)),
        })
        ref = doc.Reference(font, f"cidfont:{st.internal}")
        doc.idToObject["BasicFonts"].dict[st.internal] = ref

    def _descriptor(self, doc, base: str, gids: list[int]) -> pdfdoc.PDFObjectReference:
        """The FontDescriptor and its program: these glyphs at their original ids."""
        face = self.face
        program = pdfdoc.PDFStream(content=font_program(face.filename, gids))
        program.dictionary["Length1"] = len(program.content)
        descriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor",
            "Ascent": face.ascent,
            "CapHeight": face.capHeight,
            "Descent": face.descent,
            "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
            "FontBBox": pdfdoc.PDFArray(face.bbox),
            "FontName": pdfdoc.PDFName(base),
            "ItalicAngle": face.italicAngle,
            "StemV": face.stemV,
            "FontFile2": doc.Reference(_compressed(doc, program)),
            "MissingWidth": face.defaultWidth,
        })
        return doc.Reference(descriptor, f"fontDescriptor:{base}")

    def _cmap(self, name: str, chars: list[int]) -> str:
        """ToUnicode: each CID to the characters its glyph stands for."""
        entries = []
        for cid, code in enumerate(chars[1:], 1):
            text = self.texts.get(code, chr(code))
            entries.append(f"<{cid:04X}> <{text.encode('utf-16-be').hex().upper()}>")
        blocks = []
        for i in range(0, len(entries), 100):  # at most 100 entries a block (PDF spec)
            chunk = entries[i:i + 100]
            blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
        return "\n".join([
            "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            f"/CMapName /{name.replace('+', '-')}-UCS def", "/CMapType 2 def",
            "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
            *blocks, "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
        ])


def _compressed(doc, stream: pdfdoc.PDFStream) -> pdfdoc.PDFStream:
    if doc.compression:
        stream.filters = [pdfdoc.PDFZCompress]
    return stream
