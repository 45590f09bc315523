"""Embedded fonts: the theme's faces, subset to the characters used, obfuscated as Word does.

Word and LibreOffice read an embedded font from an obfuscated part under `word/fonts/`,
named by `w:embedRegular` (bold, italic, bold italic) in the font table with the GUID
whose bytes, reversed, were XORed over the font's first 32 bytes (ECMA-376 font
obfuscation). A subset (as Word's "embed only the characters used" makes) keeps a face
near 75 kB instead of 200 kB.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import fontpkg
import uharfbuzz as hb
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree
from lxml.etree import _Element

from course.document import Document
from generators.docx.oxml import el

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# What every embedded subset holds, whatever the document's text: Latin with French
# accents and punctuation, the Arabic letters, marks and punctuation of Arabic and its
# neighbours. LibreOffice keeps the first embedded font of a name for every document it
# opens in a session (a batch --convert-to too): subsets that differ by document would
# leave later documents short of glyphs, so all of them are made alike.
_BASE = frozenset([*range(0x20, 0x7F), *range(0xA0, 0x100), 0x152, 0x153, 0x178,
                   *range(0x2010, 0x2027), 0x2030, 0x2039, 0x203A, 0x20AC, 0x25CC,
                   0x60C, 0x61B, 0x61F, *range(0x621, 0x63B), *range(0x641, 0x656),
                   *range(0x660, 0x66E), 0x670, 0x671, 0x67E, 0x686, 0x698, 0x6A4, 0x6A9,
                   0x6AF, 0x6CC])
# Never the tatweel: LibreOffice justifies Arabic with kashidas only in a font that has
# one, and its PDFs extract those as '@@' or 'QQ' inside words. A tatweel of the text
# itself is drawn from a fallback font.
TATWEEL = 0x640
# fsType bit 1: "restricted license embedding", which forbids embedding.
_RESTRICTED = 0x0002
# Settings children that follow w:saveSubsetFonts (CT_Settings sequence, 17.15.1.78).
_AFTER_EMBED = {
    "saveFormsData", "mirrorMargins", "alignBordersAndEdges", "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors",
    "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate", "linkStyles",
    "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge",
    "revisionView", "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting",
    "documentProtection", "autoFormatOverride", "styleLockTheme", "styleLockQFSet",
    "defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone",
    "doNotHyphenateCaps", "showEnvelope", "summaryLength", "clickAndTypeStyle",
    "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
    "bookFoldPrintingSheets", "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
    "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema",
    "saveInvalidXml", "ignoreMixedContent", "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml", "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt",
    "showXMLTags", "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults",
    "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator",
}
# Font table slots in schema order, with the (weight, italic) each holds.
SLOTS = (("embedRegular", 400, False), ("embedBold", 700, False),
         ("embedItalic", 400, True), ("embedBoldItalic", 700, True))


@dataclass(frozen=True)
class Embedded:
    """One face ready to embed: its font table slot, obfuscation key and part bytes."""

    slot: str
    key: str  # "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}"
    data: bytes  # the obfuscated subset


def obfuscate(font: bytes, key: str) -> bytes:
    """The font with its first 32 bytes XORed with the key's bytes in reverse order."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ guid[i % 16] for i, b in enumerate(font[:32]))
    return head + font[32:]


def font_key(font: bytes) -> str:
    """A GUID from the font's bytes: the same subset always gets the same key."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(font).digest()[:16])).upper() + "}"


@lru_cache(maxsize=16)
def _hb_face(path: Path) -> hb.Face:
    return hb.Face(hb.Blob(path.read_bytes()))


def embeddable(face: hb.Face) -> bool:
    """Whether the font's licence bits (OS/2 fsType) allow embedding it in a document."""
    os2 = face.reference_table("OS/2").data
    return len(os2) < 10 or not struct.unpack(">H", bytes(os2[8:10]))[0] & _RESTRICTED


@lru_cache(maxsize=64)
def subset(path: Path, chars: frozenset[int]) -> bytes:
    """The font cut down to some characters, its layout tables (Arabic shaping) kept."""
    face = _hb_face(path)
    wanted = hb.SubsetInput()
    for code in sorted(chars):
        wanted.unicode_set.add(code)
    return bytes(hb.subset(face, wanted).blob.data)


def faces_of(family: str, italic: bool) -> list[tuple[str, Path]]:
    """(slot, file) of each face a family has; none when fontpkg does not know it."""
    try:
        files = fontpkg.family(family).files
    except fontpkg.FontpkgError:
        return []
    static = {((f.weight or 400), f.style == "italic"): f.path for f in files if not f.variable}
    if not static:  # a variable font: its default instance, Word makes bold itself
        return [("embedRegular", files[0].path)] if files else []
    return [(slot, static[(weight, slant)]) for slot, weight, slant in SLOTS
            if (weight, slant) in static and (italic or not slant)]


def embeds(family: str) -> bool:
    """Whether the writer embeds a family: fontpkg has it and its licence allows it."""
    return any(embeddable(_hb_face(path)) for _slot, path in faces_of(family, False))


def text_characters(roots: list[_Element]) -> set[int]:
    """Every character of the text (w:t) and list labels (w:lvlText) under some elements."""
    chars: set[int] = set()
    for root in roots:
        for node in root.iter(qn("w:t"), qn("w:lvlText")):
            chars.update(ord(c) for c in (node.text or node.get(qn("w:val")) or ""))
    return chars


def used_characters(roots: list[_Element], extra: frozenset[int] = frozenset()
                    ) -> frozenset[int]:
    """The base set, with any other character of the text parts (and `extra`: those of
    parts composed into the document), never the tatweel."""
    chars = set(_BASE) | text_characters(roots) | extra
    chars.discard(TATWEEL)
    return frozenset(chars)


def uses_italic(roots: list[_Element]) -> bool:
    """Whether any run or style is italic (else the italic faces stay out)."""
    return any(True for root in roots for _ in root.iter(qn("w:i"), qn("w:iCs")))


def embed_fonts(docx: DocxDocument, document: Document, roots: list[_Element],
                extra: frozenset[int] = frozenset(), italic: bool = False) -> None:
    """Embed the body and heading families, subset to the characters the document uses
    (`extra` and `italic`: what parts composed into it use besides `roots`)."""
    chars = used_characters(roots, extra)
    italic = italic or uses_italic(roots)
    families = list(dict.fromkeys((document.theme.font, document.theme.heading_font)))
    embedded: dict[str, list[Embedded]] = {}
    for family in families:
        faces = []
        for slot, path in faces_of(family, italic):
            if not embeddable(_hb_face(path)):
                continue
            font = subset(path, chars)
            key = font_key(font)
            faces.append(Embedded(slot, key, obfuscate(font, key)))
        if faces:
            embedded[family] = faces
    if embedded:
        _write(docx, embedded)


def _write(docx: DocxDocument, embedded: dict[str, list[Embedded]]) -> None:
    """Font parts related from the font table, its w:font entries, and the settings flags."""
    table = docx.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(table.blob)
    package = docx.part.package
    count = 0
    for family, faces in embedded.items():
        entry = _font_entry(root, family)
        for face in faces:
            count += 1
            name = PackURI(f"/word/fonts/font{count}.odttf")
            rel_id = table.relate_to(Part(name, OBFUSCATED_FONT, face.data, package), RT.FONT)
            entry.append(el(f"w:{face.slot}", {"r:id": rel_id, "w:fontKey": face.key,
                                               "w:subsetted": "1"}))
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                 standalone=True)
    _settings(docx)


def _font_entry(root: _Element, family: str) -> _Element:
    """The font table's w:font of a family (added when missing), without old embeddings."""
    for entry in root.findall(qn("w:font")):
        if entry.get(qn("w:name")) == family:
            for slot, _weight, _italic in SLOTS:
                for old in entry.findall(qn(f"w:{slot}")):
                    entry.remove(old)
            return entry
    entry = el("w:font", {"w:name": family})
    entry.append(el("w:charset", {"w:val": "00"}))
    entry.append(el("w:family", {"w:val": "auto"}))
    entry.append(el("w:pitch", {"w:val": "variable"}))
    root.append(entry)
    return entry


def _settings(docx: DocxDocument) -> None:
    """w:embedTrueTypeFonts and w:saveSubsetFonts, in their place in the settings."""
    settings = docx.settings.element
    for tag in ("w:embedTrueTypeFonts", "w:saveSubsetFonts"):
        if settings.find(qn(tag)) is not None:
            continue
        node = el(tag)
        later = _AFTER_EMBED if tag == "w:saveSubsetFonts" else _AFTER_EMBED | {
            "embedSystemFonts", "saveSubsetFonts"}
        for child in settings:
            if isinstance(child.tag, str) and child.tag.split("}")[-1] in later:
                child.addprevious(node)
                break
        else:
            settings.append(node)
