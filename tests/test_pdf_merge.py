"""Merging a PDF pack's parts (qpdf, through pikepdf): outline, shared fonts, links, bytes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pikepdf
import pypdf
import pytest

from course.document import Cover, Heading, Table
from course.errors import WriterError
from generators.pdf.contents import contents_rows
from generators.pdf.merge import merge, page_count
from generators.pdf.page import MARGIN_X
from generators.pdf.program import font_program, installed_fonts
from generators.pdf.writer import PdfWriter
from tests.doc_samples import arabic_document, sample_meta, t

NAMES = ["الجزء الأول", "الجزء الثاني", "الجزء الثالث"]
TITLE = "ملف الدورة"


@dataclasses.dataclass(frozen=True)
class Pack:
    front: Path
    parts: list[Path]
    target: Path
    starts: list[int]  # the page index of each part's first page in the pack


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    """A front (cover and contents) and three small parts, merged as the PDF packs are."""
    tmp = tmp_path_factory.mktemp("merge")
    base = arabic_document()
    slices = (base.blocks[2:9], base.blocks[14:28], base.blocks[9:14])  # the second: 2 pages+
    parts, starts, offset = [], [], 2
    for n, blocks in enumerate(slices):
        meta = dataclasses.replace(sample_meta("ar"), page_offset=offset, title_block=False)
        path = tmp / f"part{n}.pdf"
        PdfWriter().write(dataclasses.replace(base, meta=meta, blocks=blocks), path)
        parts.append(path)
        starts.append(offset)
        offset += page_count(path)
    rows = tuple((t(name), t(str(start + 1))) for name, start in zip(NAMES, starts, strict=True))
    front = tmp / "front.pdf"
    PdfWriter().write(dataclasses.replace(base, title=TITLE, blocks=(
        Cover(t(TITLE), (t("الإصدار 1.0"),)), Heading(1, t("المحتويات"), "contents"),
        Table((), rows, (6.0, 1.0)))), front)
    assert page_count(front) == 2
    target = tmp / "pack.pdf"
    merge(front, list(zip(NAMES, parts, strict=True)), target, TITLE)
    return Pack(front, parts, target, starts)


def type0_fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every Type0 font the pages name, once each, in page order."""
    seen: dict[tuple[int, int], pikepdf.Dictionary] = {}
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            if font.Subtype == "/Type0":
                seen.setdefault(font.objgen, font)
    return list(seen.values())


def outline(pdf: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every outline item, in order."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    found: list[tuple[int, str, int]] = []
    with pdf.open_outline() as tree:
        def walk(items: list, depth: int) -> None:
            for item in items:
                found.append((depth, item.title, pages[item.destination[0].objgen]))
                walk(item.children, depth + 1)
        walk(tree.root, 0)
    return found


def test_the_front_then_each_part_under_a_bookmark_of_its_title(pack: Pack) -> None:
    counts = [page_count(path) for path in pack.parts]
    assert page_count(pack.target) == 2 + sum(counts)
    expected = []
    for name, path, start in zip(NAMES, pack.parts, pack.starts, strict=True):
        expected.append((0, name, start))
        with pikepdf.open(path) as part:
            expected += [(depth + 1, title, start + page) for depth, title, page in outline(part)]
    with pikepdf.open(pack.target) as merged:
        assert outline(merged) == expected
        assert [title for depth, title, _ in outline(merged) if depth == 0] == NAMES
        assert merged.Root.Outlines.Count == len(expected)  # every item shown, open
    # The glyphs of every part survive: each page reads as it did in its document.
    pages = [p for path in (pack.front, *pack.parts) for p in pypdf.PdfReader(path).pages]
    merged_pages = pypdf.PdfReader(pack.target).pages
    assert [p.extract_text() for p in merged_pages] == [p.extract_text() for p in pages]


def test_one_font_program_per_face_shared_by_every_parts_font(pack: Pack) -> None:
    with pikepdf.open(pack.target) as merged:
        fonts = type0_fonts(merged)
        assert len(fonts) >= 6
        # A tag of its own for every font, given in page order.
        tags = [str(font.BaseFont)[1:].split("+")[0] for font in fonts]
        assert tags == ["AAAAA" + chr(ord("A") + n) for n in range(len(fonts))]
        programs: dict[str, set[tuple[int, int]]] = {}
        glyphs: dict[str, set[int]] = {}
        for font in fonts:
            descendant = font.DescendantFonts[0]
            descriptor = descendant.FontDescriptor
            assert descriptor.FontName == descendant.BaseFont == font.BaseFont
            face = str(font.BaseFont).split("+")[1]
            programs.setdefault(face, set()).add(descriptor.FontFile2.objgen)
            data = descendant.CIDToGIDMap.read_bytes()
            glyphs.setdefault(face, set()).update(
                int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
        assert {face: len(ids) for face, ids in programs.items()} == {
            "Amiri-Regular": 1, "Amiri-Bold": 1, "Amiri-Italic": 1}
        # Each shared program holds exactly the union of the glyphs its fonts draw.
        for face, ids in programs.items():
            program = merged.get_object(*ids.pop()).read_bytes()
            assert program == font_program(installed_fonts()[face], glyphs[face])
    # Every document's fonts of a face now point to that one program.
    faces_per_document = []
    for path in (pack.front, *pack.parts):
        with pikepdf.open(path) as document:
            faces_per_document.append(len(type0_fonts(document)))
    assert len(fonts) == sum(faces_per_document)


def test_contents_rows_link_to_the_parts_first_pages(pack: Pack) -> None:
    with pikepdf.open(pack.front) as front:
        rows = contents_rows(front)
    assert pack.starts == [2, 3, 5]  # the second part takes two pages
    # Top to bottom: the parts' first page numbers, then the footer's "page 2 of 2".
    assert [(page, number) for page, number, _ in rows] == [(1, 3), (1, 4), (1, 6), (1, 2), (1, 2)]
    assert [y for *_, y in rows] == sorted((y for *_, y in rows), reverse=True)
    rows = rows[:3]
    with pikepdf.open(pack.target) as merged:
        pages = {page.obj.objgen: index for index, page in enumerate(merged.pages)}
        contents = merged.pages[1]
        links = list(contents.obj.Annots)
        assert [pages[link.Dest[0].objgen] for link in links] == pack.starts
        assert [str(link.Dest[1]) for link in links] == ["/Fit"] * 3
        width = float(contents.mediabox[2])
        assert [[round(float(v), 2) for v in link.Rect] for link in links] == [
            [round(MARGIN_X, 2), round(y - 5, 2), round(width - MARGIN_X, 2), round(y + 13, 2)]
            for *_, y in rows]
        assert all("/Annots" not in page.obj for page in merged.pages[2:])


def test_the_pack_takes_the_fronts_language_order_and_metadata(pack: Pack) -> None:
    with pikepdf.open(pack.front) as front, pikepdf.open(pack.target) as merged:
        assert sorted(merged.Root.keys()) == [
            "/Lang", "/Metadata", "/Outlines", "/Pages", "/Type", "/ViewerPreferences"]
        assert (str(merged.Root.Lang), str(merged.Root.ViewerPreferences.Direction)) == (
            "ar", "/R2L")
        info = {k: str(v) for k, v in front.docinfo.items()} | {"/Title": TITLE}
        assert {k: str(v) for k, v in merged.docinfo.items()} == info
        xmp = merged.Root.Metadata
        assert "/Filter" not in xmp  # readable by any tool
        packet = xmp.read_bytes().decode("utf-8")
    assert f'<rdf:li xml:lang="x-default">{TITLE}</rdf:li>' in packet
    assert "<dc:language><rdf:Bag><rdf:li>ar</rdf:li></rdf:Bag></dc:language>" in packet
    assert "<xmp:CreateDate>2026-11-29T00:00:00+00:00</xmp:CreateDate>" in packet


def test_the_same_parts_give_the_same_bytes(pack: Pack, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    merge(pack.front, list(zip(NAMES, pack.parts, strict=True)), again, TITLE)
    assert again.read_bytes() == pack.target.read_bytes()


def test_identical_objects_are_written_once(pack: Pack, tmp_path: Path) -> None:
    twice = tmp_path / "twice.pdf"
    merge(pack.front, [(NAMES[0], pack.parts[0]), (NAMES[1], pack.parts[0])], twice, TITLE)
    with pikepdf.open(pack.parts[0]) as part:
        own = len(type0_fonts(part))
    with pikepdf.open(twice) as merged:
        fonts = type0_fonts(merged)
        first, second = fonts[-2 * own:-own], fonts[-own:]  # the part's fonts, then again
        for a, b in zip(first, second, strict=True):
            assert a.objgen != b.objgen  # two fonts, each with its own tag
            assert a.ToUnicode.objgen == b.ToUnicode.objgen
            assert a.DescendantFonts[0].CIDToGIDMap.objgen == \
                b.DescendantFonts[0].CIDToGIDMap.objgen


def test_an_unreadable_part_is_a_writer_error_naming_it(pack: Pack, tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(pack.parts[1].read_bytes()[:2000])  # cut short, as by a crash
    target = tmp_path / "pack.pdf"
    with pytest.raises(WriterError) as caught:
        merge(pack.front, [(NAMES[0], pack.parts[0]), (NAMES[1], broken)], target, TITLE)
    assert str(caught.value) == (f"cannot merge pack parts: {broken}: unable to find trailer "
                                 "dictionary while recovering damaged file")
    missing = tmp_path / "missing.pdf"
    with pytest.raises(WriterError) as caught:
        merge(pack.front, [(NAMES[0], missing)], target, TITLE)
    assert str(caught.value) == f"cannot merge pack parts: {missing}: No such file or directory"
    assert not target.exists()
