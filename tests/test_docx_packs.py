"""DOCX packs composed from per-module parts: an edit lays out only its module's part."""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES, edit, spy
from lxml import etree

from course.build.docx_packs import PARTS_DIR, write_docx_pack
from course.build.fingerprint import Fingerprints
from course.build.plan import Options
from course.content.loader import load_project
from course.document import (
    Cover,
    Document,
    Heading,
    Image,
    Link,
    OrderedList,
    Paragraph,
    Slide,
    TableOfContents,
    Text,
)
from course.errors import WriterError
from course.render.assemble import Assembler
from course.render.packs import Packs
from generators.docx.compose import plan
from generators.docx.writer import DocxWriter

sys.path.insert(0, str(Path(__file__).parent))
from doc_samples import sample_meta, t  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W}
SECOND = "الوحدة الثانية للقرب"  # the title of sample2, unlike sample's
RARE = "ŵ"  # a letter of the font outside the subset every document gets


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The good fixture with a second module, sample2, titled and worded apart, and
    slide outlines in the course pack (slides have no anchor: their bookmarks collide)."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "good", root)
    modules = root / "content" / "modules"
    text = (modules / "sample.yaml").read_text(encoding="utf-8")
    text = text.replace("id: sample\n", "id: sample2\n", 1)
    text = text.replace("ar: شرطة القرب منهجية عمل", f"ar: {SECOND}", 1)
    text = text.replace("ترتكز على القرب", f"ترتكز {RARE} على القرب", 1)
    (modules / "sample2.yaml").write_text(text, encoding="utf-8")
    course = root / "content" / "course.yaml"
    edit(course, "modules: [sample]", "modules: [sample, sample2]")
    edit(course, "quiz:\n", "pack: {slides: true}\nquiz:\n")
    return root


def write(root: Path, kind: str = "course-pack", known: str | None = None,
          fresh: bool = False) -> tuple[str, bool, list[str]]:
    """Write the Arabic pack as pipeline._write does, into root/output."""
    loaded, _ = load_project(root)
    assert loaded is not None
    assembler = Assembler(loaded)
    prints = Fingerprints(root)
    options = Options(formats=["docx"], kinds=[kind], langs=["ar"])
    keys = {m.id: prints.part(kind, "ar", m.id, options, "docx")
            for m in assembler.packs.modules("ar")}
    out = root / "output"
    return write_docx_pack(assembler.packs, "ar", kind, out / "ar" / f"{kind}.docx", out,
                           prints.salt("docx"), keys, known, fresh)


def whole(root: Path, kind: str = "course-pack") -> bytes:
    """The pack rendered whole, as before parts."""
    loaded, _ = load_project(root)
    assert loaded is not None
    return DocxWriter().render(Assembler(loaded).packs.whole("ar", kind))


def body(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name)


def paragraphs(root: etree._Element) -> list[tuple[str, str]]:
    """(style, text) of every paragraph of the body, in order."""
    out = []
    for p in root.iter(f"{{{W}}}p"):
        style = p.find("w:pPr/w:pStyle", NS)
        out.append((style.get(f"{{{W}}}val") if style is not None else "",
                    "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))))
    return out


def parts_dir(root: Path, kind: str = "course-pack") -> Path:
    return root / "output" / PARTS_DIR / "ar" / f"{kind}-docx"


def test_an_edit_lays_out_only_that_modules_part(project: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    digest, wrote, laid_out = write(project)
    assert wrote and laid_out == ["sample", "sample2", "_glossary"]
    target = project / "output" / "ar" / "course-pack.docx"
    sections = spy(monkeypatch, Packs, "section", lambda lang, kind, module: (kind, module.id))
    # Nothing changed: no section is rendered, nothing laid out, the file is left be.
    assert write(project, known=digest) == (digest, False, [])
    assert sections == []
    edit(project / "content" / "modules" / "sample2.yaml", "ترتكز", "وهي ترتكز")
    second, wrote, laid_out = write(project, known=digest)
    assert sections == [("course-pack", "sample2")]
    assert (wrote, laid_out) == (True, ["sample2"]) and second != digest
    assert "وهي ترتكز" in "".join(text for _, text in paragraphs(body(target.read_bytes())))
    # The PDF parts' folder is another.
    assert sorted(p.name for p in parts_dir(project).iterdir()) == [
        "_glossary.json", "index.json", "sample.json", "sample2.json"]


def test_the_composed_pack_is_one_document(project: Path) -> None:
    write(project)
    data = (project / "output" / "ar" / "course-pack.docx").read_bytes()
    root = body(data)
    starts = root.findall(".//w:bookmarkStart", NS)
    ids = [b.get(f"{{{W}}}id") for b in starts]
    names = [b.get(f"{{{W}}}name") for b in starts]
    assert len(set(ids)) == len(ids) == len(names) == len(set(names))
    assert sorted(b.get(f"{{{W}}}id") for b in root.findall(".//w:bookmarkEnd", NS)) == \
        sorted(ids)
    # The slides' fallback names collided between the parts: the second part's were renamed.
    assert {"h9", "h10", "h9_2", "h10_2"} <= set(names)
    links = [h.get(f"{{{W}}}anchor") for h in root.findall(".//w:hyperlink", NS)
             if h.get(f"{{{W}}}anchor")]
    assert links and set(links) <= set(names)
    fields = [re.match(r"\s*PAGEREF (\S+)", i.text) for i in root.iter(f"{{{W}}}instrText")]
    pagerefs = [m.group(1) for m in fields if m]
    assert pagerefs and set(pagerefs) <= set(names)
    # The contents list every heading of levels 1 and 2 once, in order, linked to it.
    contents = [(p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val"),
                 p.find("w:hyperlink", NS).get(f"{{{W}}}anchor"))
                for p in root.iter(f"{{{W}}}p") if p.find("w:hyperlink", NS) is not None
                and p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val").startswith("toc")]
    headings = [(f"toc{b.getparent().find('w:pPr/w:pStyle', NS).get(f'{{{W}}}val')[-1]}",
                 b.get(f"{{{W}}}name")) for b in starts
                if b.getparent().find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val")
                in ("Heading1", "Heading2")]
    assert contents == headings and len(contents) > 10
    # Same paragraphs, styles and text, in the same order, as the pack rendered whole.
    assert paragraphs(root) == paragraphs(body(whole(project)))
    # Each module once, in course order: its title heads its part, its words are in it.
    laid = paragraphs(root)
    titles = [text for style, text in laid if style == "Heading1"]
    assert titles[:2] == ["شرطة القرب منهجية عمل", SECOND] and len(titles) == 3
    start = laid.index(("Heading1", SECOND))
    own = [i for i, (_, text) in enumerate(laid) if "ترتكز على القرب" in text]
    other = [i for i, (_, text) in enumerate(laid) if f"ترتكز {RARE} على القرب" in text]
    assert own and other and max(own) < start < min(other) and len(own) == len(other)


def test_a_list_in_the_second_part_starts_its_own_numbering(project: Path) -> None:
    write(project, "trainer-pack")
    data = (project / "output" / "ar" / "trainer-pack.docx").read_bytes()
    root, numbering = body(data), etree.fromstring(member(data, "word/numbering.xml"))
    blocks = list(root.find("w:body", NS))
    breaks = [i for i, b in enumerate(blocks) if b.find("w:pPr/w:pageBreakBefore", NS)
              is not None]
    second = blocks[breaks[-1]:]  # the trainer pack has no glossary: sample2 is last

    def lists(part: list) -> list[str]:
        return list(dict.fromkeys(n.get(f"{{{W}}}val") for b in part
                                  for n in b.iter(f"{{{W}}}numId")))

    first_lists, second_lists = lists(blocks[:breaks[-1]]), lists(second)
    assert second_lists and not set(first_lists) & set(second_lists)
    for num_id in second_lists:
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        start = num.find("w:lvlOverride/w:startOverride", NS).get(f"{{{W}}}val")
        assert start == "1"
        abstract = num.find("w:abstractNumId", NS).get(f"{{{W}}}val")
        assert numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract}']", NS) is not None
    # Alike list definitions are shared across parts; every numId is defined once.
    all_ids = [n.get(f"{{{W}}}numId") for n in numbering.findall("w:num", NS)]
    assert len(all_ids) == len(set(all_ids))
    assert paragraphs(root) == paragraphs(body(whole(project, "trainer-pack")))


def test_fonts_hold_every_character_and_the_same_input_gives_the_same_bytes(
        project: Path, tmp_path: Path) -> None:
    write(project)
    data = (project / "output" / "ar" / "course-pack.docx").read_bytes()
    reference = whole(project)
    fonts = sorted(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
                   if n.startswith("word/fonts/"))
    assert fonts and all(member(data, n) == member(reference, n) for n in fonts)
    regular = member(data, fonts[0])
    assert regular != member(whole_without_rare(project, tmp_path), fonts[0])
    # A fresh build of the same inputs, parts and all, gives the same bytes.
    write(project, fresh=True)
    assert (project / "output" / "ar" / "course-pack.docx").read_bytes() == data


def whole_without_rare(project: Path, tmp_path: Path) -> bytes:
    """The whole pack of a copy whose only rare letter is gone (its font subset differs)."""
    other = tmp_path / "other"
    shutil.copytree(project / "content", other / "content")
    edit(other / "content" / "modules" / "sample2.yaml", f"ترتكز {RARE} على", "ترتكز على")
    return whole(other)


def test_a_part_holding_a_picture_makes_the_pack_render_whole(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _tiny_png()
    real = Packs.section

    def with_picture(self: Packs, lang: str, kind: str, module: object) -> object:
        section = real(self, lang, kind, module)
        if section.key == "sample2":
            section = replace(section, blocks=(*section.blocks, Image(data, 0.5, "صورة")))
        return section

    monkeypatch.setattr(Packs, "section", with_picture)
    composed = spy(monkeypatch, DocxWriter, "compose", lambda front, parts: len(parts))
    rendered = spy(monkeypatch, DocxWriter, "render", lambda document: document.kind)
    _, wrote, laid_out = write(project)
    assert wrote and laid_out == ["sample", "sample2", "_glossary"]
    assert composed == [] and rendered == ["course-pack"]
    index = json.loads((parts_dir(project) / "index.json").read_text("utf-8"))
    assert index["sample"]["unsupported"] == ""
    assert index["sample2"]["unsupported"].startswith("element {")
    pack = (project / "output" / "ar" / "course-pack.docx").read_bytes()
    assert [n for n in zipfile.ZipFile(io.BytesIO(pack)).namelist()
            if n.startswith("word/media/")]


def _tiny_png() -> bytes:
    """A 1x1 white PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(
            ">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def test_a_deleted_or_altered_part_is_laid_out_again(project: Path) -> None:
    digest, _, _ = write(project)
    target = project / "output" / "ar" / "course-pack.docx"
    before = target.read_bytes()
    (parts_dir(project) / "sample.json").unlink()
    target.unlink()
    assert write(project, known=digest) == (digest, True, ["sample"])
    assert target.read_bytes() == before
    # A part file not as written (its digest is in the index) is laid out again too.
    altered = parts_dir(project) / "sample2.json"
    altered.write_text(altered.read_text("utf-8").replace("ترتكز", "ترتكزX"), "utf-8")
    target.unlink()
    assert write(project, known=digest) == (digest, True, ["sample2"])
    assert target.read_bytes() == before


def test_the_index_never_vouches_for_a_part_not_written(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project)
    edit(project / "content" / "modules" / "sample2.yaml", "ترتكز", "وهي ترتكز")

    def broken(self: DocxWriter, document: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(DocxWriter, "render_part", broken)
    with pytest.raises(OSError):
        write(project)
    index = json.loads((parts_dir(project) / "index.json").read_text("utf-8"))
    assert sorted(index) == ["_glossary", "sample"]
    monkeypatch.undo()
    assert write(project)[2] == ["sample2"]


def test_a_module_gone_is_pruned(project: Path) -> None:
    write(project)
    edit(project / "content" / "course.yaml", "modules: [sample, sample2]", "modules: [sample]")
    (project / "content" / "modules" / "sample2.yaml").unlink()
    _, wrote, laid_out = write(project)
    assert wrote and laid_out == []  # sample2's glossary is sample's: it reads the same
    assert sorted(p.name for p in parts_dir(project).iterdir()) == [
        "_glossary.json", "index.json", "sample.json"]
    index = json.loads((parts_dir(project) / "index.json").read_text("utf-8"))
    assert sorted(index) == ["_glossary", "sample"]


def section_document(title: str, url: str) -> Document:
    """A small part: a heading, a link to `url`, a list, a slide (no anchor)."""
    blocks = (Heading(1, t(title), anchor=f"{title}-top"),
              Paragraph((Text("انظر "), Link(t("الموقع"), url), Link(t("الأعلى"), f"#{title}-top"))),
              OrderedList(((Paragraph(t("أولا")),), (Paragraph(t("ثانيا")),))),
              Slide(1, t("شريحة"), (t("نقطة"),), ()))
    meta = replace(sample_meta("ar"), title_block=False)
    return Document("course-pack", "ar", "rtl", title, meta, blocks)


def test_compose_renumbers_links_lists_and_names() -> None:
    writer = DocxWriter()
    front = Document("course-pack", "ar", "rtl", "ملف", sample_meta("ar"),
                     (Cover(t("ملف الدورة"), ()), TableOfContents(t("المحتويات"), depth=2)))
    parts = [writer.render_part(section_document(f"m{n}", f"https://example.org/{n}"))
             for n in (1, 2)]
    data = writer.compose(front, parts)
    root = body(data)
    rels = etree.fromstring(member(data, "word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    links = [targets[h.get(f"{{{RNS}}}id")] for h in root.iter(f"{{{W}}}hyperlink")
             if h.get(f"{{{RNS}}}id")]
    assert links == ["https://example.org/1", "https://example.org/2"]
    # Each part's link to its own heading follows it; the slide's fallback name is renamed.
    names = [b.get(f"{{{W}}}name") for b in root.iter(f"{{{W}}}bookmarkStart")]
    assert names == ["m1_top", "h2", "m2_top", "h2_2"]
    anchors = [h.get(f"{{{W}}}anchor") for h in root.iter(f"{{{W}}}hyperlink")
               if h.get(f"{{{W}}}anchor")]
    assert anchors == ["m1_top", "h2", "m2_top", "h2_2", "m1_top", "m2_top"]
    ids = [b.get(f"{{{W}}}id") for b in root.iter(f"{{{W}}}bookmarkStart")]
    assert ids == ["1", "2", "3", "4"]
    # Two lists, two w:num, one shared definition; both start at 1; paragraphs numbered.
    numbering = etree.fromstring(member(data, "word/numbering.xml"))
    used = [n.get(f"{{{W}}}val") for n in root.iter(f"{{{W}}}numId")]
    ours = [n for n in numbering.findall("w:num", NS) if n.get(f"{{{W}}}numId") in used]
    assert len(set(used)) == 4 and len(ours) == 4  # a numbered list and the slide's bullets
    assert {n.find("w:lvlOverride/w:startOverride", NS).get(f"{{{W}}}val") for n in ours} == {"1"}
    assert len({n.find("w:abstractNumId", NS).get(f"{{{W}}}val") for n in ours}) == 2
    # The same parts compose to the same bytes.
    assert writer.compose(front, parts) == data == DocxWriter().compose(front, parts)


def test_names_cut_at_forty_characters_are_kept_apart() -> None:
    long = "a" * 40
    parts = [{"bookmarks": [long, "h1"], "headings": [[1, "x", long]]},
             {"bookmarks": [long, "h1", "h1_2"], "headings": [[1, "y", long]]}]
    result = plan([], parts)
    assert result.renames == [{}, {long: "a" * 38 + "_2", "h1": "h1_2_1"}]
    assert result.entries == [(1, "x", long), (1, "y", "a" * 38 + "_2")]


def test_a_part_of_another_version_or_with_a_picture_is_refused() -> None:
    writer = DocxWriter()
    front = Document("course-pack", "ar", "rtl", "ملف", sample_meta("ar"), ())
    good = json.loads(writer.render_part(section_document("m1", "https://example.org")))
    with pytest.raises(WriterError, match="another version"):
        writer.compose(front, [json.dumps({**good, "version": 0})])
    picture = replace(section_document("m2", "https://example.org"),
                      blocks=(Image(_tiny_png(), 0.5, "صورة"),))
    refused = json.loads(writer.render_part(picture))
    assert refused["unsupported"].startswith("element {")
    with pytest.raises(WriterError, match="holds what parts cannot"):
        writer.compose(front, [json.dumps(refused)])
