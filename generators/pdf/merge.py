"""Merge PDF parts into one pack: bookmarks per part, one font program per face, links.

Each part embeds its own subset of a face under a tag unique within the part only, so a
plain merge named five different subsets `AAAAAB+Amiri-Regular` (the standard wants one
tag per subset) and carried the overlapping glyphs five times. Parts keep the font's
own glyph ids (see `program.py`), so here every part's font of a face points to one
program of the union of their glyphs, and every font gets a tag of its own. The pack
takes the front's language, page order and metadata, and its contents rows link to
the parts.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from course.errors import WriterError
from generators.pdf.contents import contents_rows
from generators.pdf.metadata import Info, xmp_packet
from generators.pdf.page import MARGIN_X
from generators.pdf.program import font_program, installed_fonts

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def page_count(path: Path) -> int:
    """The number of pages of a PDF."""
    return len(PdfReader(path).pages)


def merge(front: Path, parts: list[tuple[str, Path]], target: Path, title: str) -> None:
    """The front, then each part under a bookmark of its title, written to `target`."""
    writer = PdfWriter()
    try:
        head = PdfReader(front)
        rows = contents_rows(head)
        writer.append(head, import_outline=False)
        starts = []
        for name, path in parts:
            starts.append(len(writer.pages))
            writer.append(str(path), outline_item=name)
    except (OSError, ValueError) as exc:
        raise WriterError(f"cannot merge pack parts: {exc}") from None
    share_font_programs(writer)
    _link_contents(writer, rows, starts)
    _metadata(writer, head, title)
    writer.compress_identical_objects()  # drops the programs no font points to any more
    with open(target, "wb") as handle:
        writer.write(handle)


def _tag(number: int) -> str:
    """The number-th subset tag: AAAAAA, AAAAAB, ..."""
    letters = []
    for _ in range(6):
        number, digit = divmod(number, 26)
        letters.append(_LETTERS[digit])
    return "".join(reversed(letters))


def _fonts(writer: PdfWriter) -> list[DictionaryObject]:
    """Every Type0 font of the pages, once each, in page order."""
    seen: dict[int, DictionaryObject] = {}
    for page in writer.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        for ref in (fonts.get_object().values() if fonts else ()):
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0" and isinstance(ref, IndirectObject):
                seen.setdefault(ref.idnum, font)
    return list(seen.values())


def share_font_programs(writer: PdfWriter) -> None:
    """A unique tag for every font, and one program per face holding all its glyphs."""
    by_face: dict[str, list[DictionaryObject]] = {}
    for number, font in enumerate(_fonts(writer)):
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        face = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
        name = NameObject(f"/{_tag(number)}+{face}")
        font[NameObject("/BaseFont")] = descendant[NameObject("/BaseFont")] = name
        descriptor[NameObject("/FontName")] = name
        if isinstance(descendant.get("/CIDToGIDMap"), IndirectObject):
            by_face.setdefault(face, []).append(descendant)
    files = installed_fonts()
    for face, descendants in by_face.items():
        if face not in files or len(descendants) < 2:
            continue
        glyphs: set[int] = set()
        for descendant in descendants:
            data = descendant["/CIDToGIDMap"].get_object().get_data()
            glyphs.update(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
        program = font_program(files[face], glyphs)
        stream = DecodedStreamObject()
        stream.set_data(program)
        stream[NameObject("/Length1")] = NumberObject(len(program))
        shared = writer._add_object(stream.flate_encode())
        for descendant in descendants:
            descendant["/FontDescriptor"].get_object()[NameObject("/FontFile2")] = shared


def _link_contents(writer: PdfWriter, rows: list[tuple[int, int, float]],
                   starts: list[int]) -> None:
    """A link over each contents row to the first page of its part.

    A row shows its part's first page number (1 for the first page of the pack): each
    part takes the next row, after the previous part's, that shows its number.
    """
    at = 0
    for start in starts:
        row = next((k for k in range(at, len(rows)) if rows[k][1] == start + 1), None)
        if row is None:
            continue
        page, _number, y = rows[row]
        width = float(writer.pages[page].mediabox.width)
        rect = (MARGIN_X, y - 5, width - MARGIN_X, y + 13)  # the row's whole width
        writer.add_annotation(page, Link(rect=rect, target_page_index=start))
        at = row + 1


def _metadata(writer: PdfWriter, head: PdfReader, title: str) -> None:
    """The front's Info under the pack's title, its language and page order, and XMP."""
    info = {str(k): str(v) for k, v in (head.metadata or {}).items()}
    info["/Title"] = title
    writer.add_metadata(info)
    root = writer._root_object
    source = head.trailer["/Root"]
    lang = str(source.get("/Lang", ""))
    for key in ("/Lang", "/ViewerPreferences"):
        if key in source:
            root[NameObject(key)] = source[key].get_object().clone(writer)
    packet = xmp_packet(Info(title, info.get("/Author", ""), info.get("/Subject", ""),
                             info.get("/Creator", ""), info.get("/Producer", ""),
                             info.get("/CreationDate", "D:19800101000000+00'00'"), lang))
    stream: StreamObject = DecodedStreamObject()
    stream.set_data(packet)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    root[NameObject("/Metadata")] = writer._add_object(stream)
