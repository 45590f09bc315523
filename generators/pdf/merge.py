"""Merge PDF parts into one pack: bookmarks per part, one font program per face, links.

Each part embeds its own subset of a face under a tag unique within the part only, so a
plain merge named five different subsets `AAAAAB+Amiri-Regular` (the standard wants one
tag per subset) and carried the overlapping glyphs five times. Parts keep the font's
own glyph ids (see `program.py`), so here every part's font of a face points to one
program of the union of their glyphs, and every font gets a tag of its own. The pack
takes the front's language, page order and metadata, and its contents rows link to
the parts. qpdf (through pikepdf) copies the parts' objects and writes their streams
as they are, so the merge costs little per page: an edit to a 100-module course must
not cost much more than the same edit to a 5-module one.
"""

from __future__ import annotations

import hashlib
import sys
import zlib
from array import array
from decimal import Decimal
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

from course.errors import WriterError
from generators.pdf.contents import contents_rows
from generators.pdf.metadata import Info, xmp_packet
from generators.pdf.page import MARGIN_X
from generators.pdf.program import font_program, installed_fonts

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# The front's catalog entries a pack keeps: its language and page order (R2L).
_CATALOG = ("/Type", "/Pages", "/Lang", "/ViewerPreferences")


def page_count(path: Path) -> int:
    """The number of pages of a PDF."""
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def merge(front: Path, parts: list[tuple[str, Path]], target: Path, title: str) -> None:
    """The front, then each part under a bookmark of its title, written to `target`."""
    pack = _open(front)
    # qpdf reads a copied stream's data from its source file when writing: keep them open.
    sources = [pack]
    try:
        rows = contents_rows(pack)
        for key in [k for k in pack.Root.keys() if k not in _CATALOG]:
            del pack.Root[key]
        outline = pack.make_indirect(Dictionary(Type=Name.Outlines))
        items, starts = [], []
        for name, path in parts:
            part = _open(path)
            sources.append(part)
            starts.append(len(pack.pages))
            pack.pages.extend(part.pages)
            items.append(_bookmark(pack, part, name, starts[-1], outline))
        _chain(pack, outline, items)
        share_font_programs(pack)
        dedupe(pack)  # after the sharing: the programs no font points to are not written
        _link_contents(pack, rows, starts)
        _metadata(pack, title)
        # The streams are written as the parts wrote them: compressing again costs seconds.
        pack.save(target, deterministic_id=True, fix_metadata_version=False,
                  compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    except pikepdf.PdfError as exc:
        raise WriterError(f"cannot merge pack parts: {exc}") from None
    finally:
        for source in sources:
            source.close()


def _open(path: Path) -> Pdf:
    """A part, or the WriterError naming it when it cannot be read."""
    try:
        return pikepdf.open(path)
    except (OSError, pikepdf.PdfError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        reason = reason.removeprefix(f"{path}: ")
        raise WriterError(f"cannot merge pack parts: {path}: {reason}") from None


def _bookmark(pack: Pdf, part: Pdf, name: str, start: int, parent: Dictionary) -> Dictionary:
    """An outline item of the part's title over the part's own outline, open."""
    item = pack.make_indirect(Dictionary(
        Title=String(name), Parent=parent, Dest=Array([pack.pages[start].obj, Name.Fit])))
    marks = part.Root.get("/Outlines")
    if marks is None or "/First" not in marks:
        return item
    # The part's pages are already copied, so the copy's destinations name the pack's.
    copied = pack.copy_foreign(marks)
    count, child, seen = 0, copied.get("/First"), set()
    while child is not None and child.objgen not in seen:  # a looping chain ends too
        seen.add(child.objgen)
        child.Parent = item
        count += 1 + max(int(child.get("/Count", 0)), 0)  # an open child shows its own
        child = child.get("/Next")
    item.First, item.Last, item.Count = copied.First, copied.Last, count
    return item


def _chain(pack: Pdf, outline: Dictionary, items: list[Dictionary]) -> None:
    """The parts' outline items, in order, as the pack's outline."""
    if not items:
        return
    for before, after in zip(items, items[1:], strict=False):
        before.Next, after.Prev = after, before
    outline.First, outline.Last = items[0], items[-1]
    outline.Count = sum(1 + int(item.get("/Count", 0)) for item in items)
    pack.Root.Outlines = outline


def _tag(number: int) -> str:
    """The number-th subset tag: AAAAAA, AAAAAB, ..."""
    letters = []
    for _ in range(6):
        number, digit = divmod(number, 26)
        letters.append(_LETTERS[digit])
    return "".join(reversed(letters))


def _fonts(pdf: Pdf) -> list[Dictionary]:
    """Every Type0 font of the pages, once each, in page order."""
    seen: dict[tuple[int, int], Dictionary] = {}
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            if font.is_indirect and font.get("/Subtype") == Name.Type0:
                seen.setdefault(font.objgen, font)
    return list(seen.values())


def share_font_programs(pdf: Pdf) -> None:
    """A unique tag for every font, and one program per face holding all its glyphs."""
    by_face: dict[str, list[Dictionary]] = {}
    for number, font in enumerate(_fonts(pdf)):
        descendant = font.DescendantFonts[0]
        face = str(font.BaseFont).lstrip("/").split("+", 1)[-1]
        name = Name(f"/{_tag(number)}+{face}")
        font.BaseFont = descendant.BaseFont = descendant.FontDescriptor.FontName = name
        if isinstance(descendant.get("/CIDToGIDMap"), pikepdf.Stream):
            by_face.setdefault(face, []).append(descendant)
    files = installed_fonts()
    for face, descendants in by_face.items():
        if face not in files or len(descendants) < 2:
            continue
        glyphs: set[int] = set()
        for descendant in descendants:
            codes = array("H", descendant.CIDToGIDMap.read_bytes())
            if sys.byteorder == "little":
                codes.byteswap()  # the map holds big-endian glyph ids
            glyphs.update(codes)
        program = font_program(files[face], glyphs)
        shared = pdf.make_stream(zlib.compress(program, 6), Filter=Name.FlateDecode,
                                 Length1=len(program))
        for descendant in descendants:
            descendant.FontDescriptor.FontFile2 = shared


def dedupe(pdf: Pdf) -> None:
    """One object for each set of identical objects the pages draw with (fonts' maps, ...).

    Only what the pages' resources reach is looked at, children first, so a font whose
    maps were identical to another's is then compared with the other font as it is.
    """
    kept: dict[bytes, pikepdf.Object] = {}  # an object's digest -> the first one seen
    done: dict[tuple[int, int], pikepdf.Object] = {}  # an object -> the one to refer to
    unchanged: set[bytes] = set()

    def visit(obj: pikepdf.Object) -> pikepdf.Object:
        """The object to refer to instead of `obj`, after doing the same inside it."""
        indirect = obj.is_indirect
        if indirect:
            if obj.objgen in done:
                return done[obj.objgen]
            done[obj.objgen] = obj  # a cycle leads back here: it refers to itself
        stream = isinstance(obj, pikepdf.Stream)
        inner = obj.stream_dict if stream else obj
        text = inner.unparse(resolved=True)
        # Nothing inside can change without a reference, nor in a direct dictionary like
        # one already walked in vain (every page of a part has the same resources).
        if b" R" in text and text not in unchanged:
            changed = False
            for key, child in (inner.items() if isinstance(inner, Dictionary)
                               else enumerate(inner)):
                if isinstance(child, (Dictionary, Array, pikepdf.Stream)) and key != "/Parent":
                    new = visit(child)
                    if new.is_indirect and new.objgen != child.objgen:
                        inner[key], changed = new, True
            if changed:
                text = inner.unparse(resolved=True)
            elif not indirect:
                unchanged.add(text)
        if not indirect:
            return obj
        digest = hashlib.sha256(text)
        if stream:
            digest.update(b"stream")
            digest.update(obj.read_raw_bytes())
        done[obj.objgen] = kept.setdefault(digest.digest(), obj)
        return done[obj.objgen]

    # Not the pages' contents: each prints its page number, so no two are the same.
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        if isinstance(resources, Dictionary):
            new = visit(resources)
            if new.is_indirect and new.objgen != resources.objgen:
                page.obj.Resources = new


def _link_contents(pdf: Pdf, rows: list[tuple[int, int, float]], starts: list[int]) -> None:
    """A link over each contents row to the first page of its part.

    A row shows its part's first page number (1 for the first page of the pack): each
    part takes the next row, after the previous part's, that shows its number.
    """
    at = 0
    for start in starts:
        row = next((k for k in range(at, len(rows)) if rows[k][1] == start + 1), None)
        if row is None:
            continue
        index, _number, y = rows[row]
        page = pdf.pages[index]
        box = [float(v) for v in page.mediabox]
        rect = (MARGIN_X, y - 5, box[2] - box[0] - MARGIN_X, y + 13)  # the row's whole width
        link = pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Border=Array([0, 0, 0]), P=page.obj,
            Rect=Array([_real(v) for v in rect]), Dest=Array([pdf.pages[start].obj, Name.Fit])))
        if "/Annots" not in page.obj:
            page.obj.Annots = Array()
        page.obj.Annots.append(link)
        at = row + 1


def _real(value: float) -> Decimal:
    """A coordinate written with 4 decimals, as the same number on every run."""
    return Decimal(f"{value:.4f}")


def _metadata(pdf: Pdf, title: str) -> None:
    """The front's Info under the pack's title, its language and page order, and XMP."""
    info = pdf.docinfo
    info.Title = String(title)

    def entry(key: str, default: str = "") -> str:
        return str(info[key]) if key in info else default

    packet = xmp_packet(Info(title, entry("/Author"), entry("/Subject"), entry("/Creator"),
                             entry("/Producer"),
                             entry("/CreationDate", "D:19800101000000+00'00'"),
                             str(pdf.Root.get("/Lang", ""))))
    # qpdf never compresses a /Metadata /XML stream: the packet stays readable.
    pdf.Root.Metadata = pdf.make_stream(packet, Type=Name.Metadata, Subtype=Name.XML)
