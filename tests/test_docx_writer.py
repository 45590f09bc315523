"""The DOCX writer: read the file back and check the exact text and XML each feature needs."""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from lxml import etree

from course.document import (
    BulletList,
    Cover,
    Document,
    Emph,
    Heading,
    Link,
    OrderedList,
    Paragraph,
    QuestionBlock,
    Slide,
    Strong,
    Table,
    Text,
    Theme,
    plain_text,
)
from course.errors import WriterError
from generators import get_writer
from generators.docx.writer import DocxWriter

sys.path.insert(0, str(Path(__file__).parent))
from doc_samples import AR_BOLD, AR_LONG, arabic_document, french_document, t  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def w(name: str) -> str:
    """Clark name of a w: tag or attribute."""
    return f"{{{W}}}{name}"


def write(tmp_path: Path, document: Document, name: str = "out.docx") -> Path:
    """Write a document and return its path."""
    path = tmp_path / name
    DocxWriter().write(document, path)
    return path


def part(path: Path, name: str) -> etree._Element:
    """One XML part of the package, parsed."""
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def parts(path: Path, prefix: str) -> list[etree._Element]:
    """Every XML part whose name starts with `prefix` (headers, footers)."""
    with zipfile.ZipFile(path) as package:
        names = [n for n in package.namelist() if n.startswith(prefix) and n.endswith(".xml")]
        return [etree.fromstring(package.read(n)) for n in sorted(names)]


def text_of(node: etree._Element) -> str:
    """The visible text of an element (w:t only, fields' cached results included)."""
    return "".join(node.xpath(".//w:t/text()", namespaces=NS))


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample Arabic handout, written once."""
    return write(tmp_path_factory.mktemp("ar"), arabic_document())


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample French handout, written once."""
    return write(tmp_path_factory.mktemp("fr"), french_document())


def test_registry_gives_the_docx_writer() -> None:
    writer = get_writer("docx")
    assert isinstance(writer, DocxWriter)
    assert (writer.name, writer.suffix) == ("docx", ".docx")


def test_round_trip_headings_paragraphs_and_questions(arabic: Path) -> None:
    read = docx.Document(str(arabic))
    by_style: dict[str, list[str]] = {}
    for para in read.paragraphs:
        by_style.setdefault(para.style.name, []).append(para.text)
    model = arabic_document()
    headings = [plain_text(b.content) for b in model.blocks if isinstance(b, Heading)]
    assert by_style["Heading 1"] == [headings[0]]
    assert by_style["Heading 2"] == [*headings[1:], "1. لماذا شرطة القرب؟"]
    assert by_style["Cover Title"] == ["الشرطة المجتمعية"]
    assert by_style["Normal"].count(AR_LONG) == 12
    assert f"تعني الركيزة الأولى أن {AR_BOLD} لا في مواجهته." in by_style["Normal"]
    assert by_style["Question"] == [
        "1. ما الركيزة التي تعني أن الشرطة جزء من المجتمع لا في مواجهته؟",
        "2. اذكر ركيزتين من ركائز الشرطة المجتمعية.",
    ]
    assert by_style["Question Meta"] == ["نقطتان · اختر إجابة واحدة", "نقطة واحدة"]
    # The label hangs before a tab, clear of the choice's words.
    assert by_style["Option"] == ["أ)\tالتوجه الخارجي", "ب)\tحل المشكلات", "ج)\tالتمكين",
                                  "د)\tالشراكة"]
    assert by_style["Answer Line"] == ["", "", ""]
    assert by_style["List Bullet"] == ["التوجه الخارجي", "حل المشكلات", "القرب", "الوقاية"]
    assert by_style["List Number"] == ["التعليل", "الشراكة", "التمكين", "الوقاية"]
    assert by_style["Notes Label"] == ["ملاحظات المدرب"]
    table = read.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["الركيزة", "معناها"]
    assert [c.text for c in table.rows[2].cells] == ["الشراكة", "سنة 2015، تعززت الشراكات"]


def test_every_rtl_paragraph_has_bidi_and_every_run_rtl(arabic: Path) -> None:
    roots = [part(arabic, "word/document.xml"), *parts(arabic, "word/header"),
             *parts(arabic, "word/footer")]
    paragraphs = [p for root in roots for p in root.iter(w("p"))]
    runs = [r for root in roots for r in root.iter(w("r"))]
    assert len(paragraphs) > 60 and len(runs) > 60
    assert all(p.find("w:pPr/w:bidi", NS) is not None for p in paragraphs)
    assert all(r.find("w:rPr/w:rtl", NS) is not None for r in runs)


def test_no_right_or_end_justification_anywhere_in_rtl(arabic: Path) -> None:
    roots = [part(arabic, "word/document.xml"), part(arabic, "word/styles.xml"),
             *parts(arabic, "word/header"), *parts(arabic, "word/footer")]
    values = {jc.get(w("val")) for root in roots for jc in root.iter(w("jc"))
              if jc.getparent().tag == w("pPr")}
    # "left" is the start side under w:bidi (rtl.md): ragged lines stay on the right.
    assert values <= {"both", "center", "left"}
    assert {"both", "left"} <= values


def test_bold_and_italic_set_complex_script_flags(arabic: Path) -> None:
    body = part(arabic, "word/document.xml")
    bold = [r for r in body.iter(w("r")) if r.find("w:rPr/w:b", NS) is not None]
    assert bold and all(r.find("w:rPr/w:bCs", NS) is not None for r in bold)
    assert AR_BOLD in [text_of(r) for r in bold]
    italic = [r for r in body.iter(w("r")) if r.find("w:rPr/w:i", NS) is not None]
    assert [text_of(r) for r in italic] == ["فلسفة ومنهجية عمل"]
    assert italic[0].find("w:rPr/w:iCs", NS) is not None


def test_defaults_and_styles_carry_arabic_properties(arabic: Path) -> None:
    styles = part(arabic, "word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(w("cs")) == "Amiri"
    assert defaults.find("w:szCs", NS).get(w("val")) == "26"
    assert defaults.find("w:lang", NS).get(w("bidi")) == "ar-MA"
    assert styles.find("w:docDefaults/w:pPrDefault/w:pPr/w:bidi", NS) is not None
    theme_attrs = [a for f in styles.iter(w("rFonts")) for a in f.attrib if "heme" in a]
    assert theme_attrs == []
    for name in ("Normal", "Title", "heading 1", "heading 2", "heading 3", "List Bullet",
                 "List Number", "Small", "Lead", "Question", "Option", "Callout"):
        style = styles.xpath(f'w:style[w:name/@w:val="{name}"]', namespaces=NS)[0]
        assert style.find("w:pPr/w:bidi", NS) is not None, name
        assert style.find("w:rPr/w:rFonts", NS).get(w("cs")) == "Amiri", name
        assert style.find("w:rPr/w:lang", NS).get(w("bidi")) == "ar-MA", name
        if style.find("w:rPr/w:sz", NS) is not None:
            assert style.find("w:rPr/w:szCs", NS) is not None, name
        if style.find("w:rPr/w:b", NS) is not None:
            assert style.find("w:rPr/w:bCs", NS) is not None, name
    heading = styles.xpath('w:style[w:name/@w:val="heading 1"]', namespaces=NS)[0]
    assert heading.find("w:rPr/w:szCs", NS).get(w("val")) == "38"
    assert heading.find("w:rPr/w:bCs", NS) is not None


def test_lists_use_our_rtl_numbering(arabic: Path) -> None:
    numbering = part(arabic, "word/numbering.xml")
    tags = [etree.QName(c).localname for c in numbering if isinstance(c.tag, str)]
    assert tags.index("num") > max(i for i, t in enumerate(tags) if t == "abstractNum")
    body = part(arabic, "word/document.xml")

    def format_of(text: str) -> str:
        para = next(p for p in body.iter(w("p")) if text_of(p) == text)
        num_id = para.find("w:pPr/w:numPr/w:numId", NS).get(w("val"))
        num = numbering.xpath(f'w:num[@w:numId="{num_id}"]', namespaces=NS)[0]
        abstract_id = num.find("w:abstractNumId", NS).get(w("val"))
        abstract = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]',
                                   namespaces=NS)[0]
        levels = abstract.findall("w:lvl", NS)
        assert all(lvl.find("w:pPr/w:bidi", NS) is not None for lvl in levels)
        assert all(lvl.find("w:pPr/w:ind", NS) is not None for lvl in levels)
        return levels[0].find("w:numFmt", NS).get(w("val"))

    assert format_of("التوجه الخارجي") == "bullet"
    assert format_of("التعليل") == "decimal"
    assert format_of("التمكين") == "arabicAbjad"


def test_lists_restart_and_alpha_format(tmp_path: Path) -> None:
    items = ((Paragraph(t("un")),), (Paragraph(t("deux")),))
    doc = replace(french_document(), blocks=(OrderedList(items, "alpha", start=3),
                                             OrderedList(items, "decimal")))
    numbering = part(write(tmp_path, doc), "word/numbering.xml")
    assert numbering.xpath("w:abstractNum/w:lvl[@w:ilvl='0']/w:numFmt/@w:val",
                           namespaces=NS)[-2:] == ["lowerLetter", "decimal"]
    assert numbering.xpath("w:num/w:lvlOverride/w:startOverride/@w:val",
                           namespaces=NS)[-2:] == ["3", "1"]


def test_tables_run_right_to_left(arabic: Path) -> None:
    body = part(arabic, "word/document.xml")
    tables = list(body.iter(w("tbl")))
    assert len(tables) == 3  # content table, callout box, answer grid
    assert all(tbl.find("w:tblPr/w:bidiVisual", NS) is not None for tbl in tables)
    header = tables[0].find("w:tr", NS)
    assert header.find("w:trPr/w:tblHeader", NS) is not None
    assert header.find("w:tc/w:tcPr/w:shd", NS).get(w("fill")) == "D7DFE7"


def test_callout_is_a_shaded_framed_box_with_bold_title(arabic: Path) -> None:
    read = docx.Document(str(arabic))
    cell = read.tables[1].rows[0].cells[0]
    assert [p.text for p in cell.paragraphs] == [
        "دراسة حالة", "الخطاب الملكي حول المفهوم الجديد للسلطة (1999) يؤطر تجربة الانفتاح."]
    assert cell.paragraphs[0].style.name == "Callout Title"
    assert cell.paragraphs[0].style.font.bold is True
    assert cell._tc.find("w:tcPr/w:tcBorders/w:top", NS).get(w("color")) == "C9A227"


def test_answer_grid_shows_labels_in_boxes(arabic: Path) -> None:
    grid = docx.Document(str(arabic)).tables[2]
    assert [c.text for c in grid.rows[0].cells] == ["1", "أ", "ب", "ج", "د", ""]
    assert [c.text for c in grid.rows[1].cells] == ["2", "أ", "ب", "ج", "", "عدة إجابات"]
    box = grid.rows[0].cells[1]._tc
    assert box.find("w:tcPr/w:tcBorders/w:bottom", NS) is not None


def test_section_is_rtl_a4(arabic: Path) -> None:
    sect = part(arabic, "word/document.xml").find("w:body/w:sectPr", NS)
    assert sect.find("w:bidi", NS) is not None
    assert sect.find("w:rtlGutter", NS) is not None
    size = sect.find("w:pgSz", NS)
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")
    assert sect.find("w:titlePg", NS) is not None  # the cover page has no header


def test_footer_has_page_fields_and_label(arabic: Path) -> None:
    footers = parts(arabic, "word/footer")
    texts = [text_of(f) for f in footers]
    assert "الركائز الخمس للشرطة المجتمعيةصفحة 1 من 1" in texts
    footer = footers[texts.index("الركائز الخمس للشرطة المجتمعيةصفحة 1 من 1")]
    instructions = [i.text for i in footer.iter(w("instrText"))]
    assert instructions == [" PAGE ", " NUMPAGES "]
    kinds = [c.get(w("fldCharType")) for c in footer.iter(w("fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    headers = [text_of(h) for h in parts(arabic, "word/header")]
    assert "الشرطة المجتمعية والحكامة الأمنية المحلية" in headers


def test_toc_lists_every_heading_with_link_and_pageref(arabic: Path) -> None:
    body = part(arabic, "word/document.xml")
    instructions = [i.text for i in body.iter(w("instrText"))]
    # No TOC field around the entries: LibreOffice would print its stored result, empty.
    assert [i for i in instructions if "TOC" in i] == []
    links = [h for h in body.iter(w("hyperlink")) if h.get(w("anchor"))]
    entries = [(h.get(w("anchor")), text_of(h)) for h in links]
    assert entries == [("pillars", "الركائز الخمس للشرطة المجتمعية"),
                       ("objectives", "الأهداف"), ("long", "نص طويل"),
                       ("h4", "1. لماذا شرطة القرب؟")]
    bookmarks = {b.get(w("name")): text_of(b.getparent()) for b in body.iter(w("bookmarkStart"))}
    for anchor, text in entries:
        assert bookmarks[anchor] == text
        link = next(h for h in links if h.get(w("anchor")) == anchor)
        assert [i.text for i in link.iter(w("instrText"))] == [f" PAGEREF {anchor} \\h "]
    settings = part(arabic, "word/settings.xml")
    assert settings.find("w:updateFields", NS).get(w("val")) == "true"


def test_contents_end_their_page_without_an_empty_line(arabic: Path) -> None:
    body = part(arabic, "word/document.xml")
    paragraphs = list(body.iter(w("p")))
    starts = [text_of(p) for p in paragraphs if p.find("w:pPr/w:pageBreakBefore", NS) is not None]
    # The first heading after the contents, and the slide after the PageBreak block.
    assert starts == ["الركائز الخمس للشرطة المجتمعية", "1. لماذا شرطة القرب؟"]
    breaks = [text_of(p) for p in paragraphs if p.find('.//w:br[@w:type="page"]', NS) is not None]
    assert breaks == [""]  # the cover's last line only


def test_question_keeps_with_its_options(arabic: Path) -> None:
    body = part(arabic, "word/document.xml")
    paragraphs = list(body.iter(w("p")))
    start = next(i for i, p in enumerate(paragraphs) if text_of(p).startswith("1. ما"))
    question = paragraphs[start:start + 6]  # stem, meta, four options
    assert text_of(question[-1]) == "د)الشراكة"  # w:t only: the tab is a w:tab
    keeps = [p.find("w:pPr/w:keepNext", NS) is not None for p in question]
    assert keeps == [True] * 5 + [False]
    second = paragraphs[start + 6:start + 11]  # stem, meta, three answer lines
    assert [p.find("w:pPr/w:keepNext", NS) is not None for p in second] == [True] * 4 + [False]


def test_french_is_left_to_right_without_bidi_markup(french: Path) -> None:
    for name in ("word/document.xml", "word/styles.xml", "word/numbering.xml"):
        root = part(french, name)
        for tag in ("bidi", "rtl", "bidiVisual", "rtlGutter"):
            assert list(root.iter(w(tag))) == [], (name, tag)
    body = part(french, "word/document.xml")
    assert {jc.get(w("val")) for jc in body.iter(w("jc"))} <= {"center"}
    read = docx.Document(str(french))
    assert [p.text for p in read.paragraphs[:6]] == [
        "Centre d'études des droits de l'homme et de la démocratie",
        "Police de proximité et gouvernance locale de la sécurité", "Les cinq piliers",
        "Les cinq piliers de la police communautaire", "Version 1.0", "2026-11-29"]
    assert read.paragraphs[7].runs[1].bold is True
    footer = text_of(parts(french, "word/footer")[0])
    assert footer == "Les cinq piliersPage 1 sur 1"


def test_same_input_same_bytes(tmp_path: Path) -> None:
    first = write(tmp_path, arabic_document(), "a.docx").read_bytes()
    second = write(tmp_path, arabic_document(), "b.docx").read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2026, 11, 29, 0, 0, 0)}
    core = docx.Document(io.BytesIO(first)).core_properties
    assert core.created.isoformat() == "2026-11-29T00:00:00+00:00"
    assert core.revision == 1


def test_text_is_literal_and_links_work(tmp_path: Path) -> None:
    blocks = (
        Heading(1, t("Titre"), anchor="titre"),
        Paragraph((Text("<b>x</b> {{ 7*7 }} & "), Emph((Strong(t("fort")),)),
                   Link(t("voir"), "#titre"), Link(t("site"), "https://example.org/a?b=1"))),
    )
    path = write(tmp_path, replace(french_document(), blocks=blocks))
    body = part(path, "word/document.xml")
    para = next(p for p in body.iter(w("p")) if "7*7" in text_of(p))
    assert text_of(para) == "<b>x</b> {{ 7*7 }} & fortvoirsite"
    strong = next(r for r in para.iter(w("r")) if text_of(r) == "fort")
    assert [etree.QName(c).localname for c in strong.find("w:rPr", NS)] == ["b", "bCs", "i",
                                                                          "iCs"]
    internal, external = para.findall("w:hyperlink", NS)
    assert internal.get(w("anchor")) == "titre"
    rel_id = external.get(f"{{{NS['r']}}}id")
    assert docx.Document(str(path)).part.rels[rel_id].target_ref == "https://example.org/a?b=1"


def test_slide_outline(tmp_path: Path) -> None:
    slide = Slide(3, t("Pourquoi ?"), (t("Proximité"),), (t("Dire ceci."),),
                  notes_label=t("Notes du formateur"))
    read = docx.Document(str(write(tmp_path, replace(french_document(), blocks=(slide,)))))
    assert [(p.style.name, p.text) for p in read.paragraphs[6:]] == [
        ("Heading 2", "3. Pourquoi ?"), ("List Bullet", "Proximité"),
        ("Notes Label", "Notes du formateur"), ("Notes", "Dire ceci.")]


def _png(path: Path) -> Path:
    """A 1x1 white PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(
        b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b"")
    path.write_bytes(data)
    return path


def test_cover_with_logo_is_deterministic(tmp_path: Path) -> None:
    logo = _png(tmp_path / "logo.png")
    doc = replace(arabic_document(), blocks=(Cover(t("غلاف"), (t("سطر"),), str(logo)),))
    first = write(tmp_path, doc, "a.docx").read_bytes()
    assert first == write(tmp_path, doc, "b.docx").read_bytes()
    read = docx.Document(io.BytesIO(first))
    assert len(read.inline_shapes) == 1
    assert [p.text for p in read.paragraphs[1:3]] == ["غلاف", "سطر"]


def test_unreadable_logo_is_a_writer_error(tmp_path: Path) -> None:
    doc = replace(arabic_document(), blocks=(Cover(t("غلاف"), (), "missing/logo.png"),))
    with pytest.raises(WriterError, match=r"^cannot read logo image 'missing/logo.png': "):
        write(tmp_path, doc)


def test_reference_docx_supplies_styles(tmp_path: Path) -> None:
    reference = docx.Document()
    reference.styles["Heading 1"].font.name = "Cairo"
    reference.add_paragraph("old content")
    ref_path = tmp_path / "ref.docx"
    reference.save(str(ref_path))
    doc = replace(arabic_document(), theme=Theme(reference_docx=str(ref_path), paper="Letter"))
    path = write(tmp_path, doc)
    read = docx.Document(str(path))
    assert "old content" not in [p.text for p in read.paragraphs]
    heading = read.styles["Heading 1"].element
    assert heading.find("w:rPr/w:rFonts", NS).get(w("ascii")) == "Cairo"
    assert heading.find("w:rPr/w:rFonts", NS).get(w("cs")) == "Cairo"
    assert heading.find("w:pPr/w:bidi", NS) is not None
    size = part(path, "word/document.xml").find("w:body/w:sectPr/w:pgSz", NS)
    assert (size.get(w("w")), size.get(w("h"))) == ("12240", "15840")


def test_unreadable_reference_docx_is_a_writer_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip")
    doc = replace(french_document(), theme=Theme(reference_docx=str(bad)))
    with pytest.raises(WriterError, match=r"^cannot read reference document '.*bad\.docx': "):
        write(tmp_path, doc)


def test_unknown_paper_is_a_writer_error(tmp_path: Path) -> None:
    doc = replace(french_document(), theme=Theme(paper="A5"))
    with pytest.raises(WriterError) as caught:
        write(tmp_path, doc)
    assert str(caught.value) == "unknown paper size 'A5'; use one of: A4, Letter"


def test_question_after_blocks_and_title_block(tmp_path: Path) -> None:
    question = QuestionBlock(4, t("Expliquez."), t("3 points"),
                             after=(Paragraph(t("Réponse : la proximité."), "small"),))
    read = docx.Document(str(write(tmp_path, replace(french_document(), blocks=(question,)))))
    assert [(p.style.name, p.text) for p in read.paragraphs] == [
        ("Title Meta", "Centre d'études des droits de l'homme et de la démocratie"),
        ("Subtitle", "Police de proximité et gouvernance locale de la sécurité"),
        ("Title", "Les cinq piliers"),
        ("Subtitle", "Les cinq piliers de la police communautaire"),
        ("Title Meta", "Version 1.0"), ("Title Meta", "2026-11-29"),
        ("Question", "4. Expliquez."), ("Question Meta", "3 points"),
        ("Small", "Réponse : la proximité."),
    ]


def test_nested_lists_and_continued_items(tmp_path: Path) -> None:
    inner = OrderedList(((Paragraph(t("a1")),), (Paragraph(t("a2")),)), "decimal")
    outer = BulletList(((Paragraph(t("un")), Paragraph(t("suite")), inner),))
    body = part(write(tmp_path, replace(french_document(), blocks=(outer,))),
                "word/document.xml")
    rows = [(text_of(p), p.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS),
             p.xpath("string(w:pPr/w:numPr/w:ilvl/@w:val)", namespaces=NS),
             p.xpath("string(w:pPr/w:ind/@w:left)", namespaces=NS))
            for p in body.iter(w("p"))][6:]
    assert rows == [("un", "ListBullet", "0", ""), ("suite", "ListContinue", "", "360"),
                    ("a1", "ListNumber", "1", ""), ("a2", "ListNumber", "1", "")]


def test_headings_have_outline_levels_for_word_toc(arabic: Path) -> None:
    styles = part(arabic, "word/styles.xml")
    levels = [styles.xpath(f'string(w:style[w:name/@w:val="{name}"]/w:pPr/w:outlineLvl/@w:val)',
                           namespaces=NS)
              for name in ("heading 1", "heading 2", "heading 3", "TOC Heading")]
    assert levels == ["0", "1", "2", "9"]


def test_empty_table_and_targetless_link_are_harmless(tmp_path: Path) -> None:
    blocks = (Table((), ()), Paragraph((Link(t("ici"), ""),)))
    read = docx.Document(str(write(tmp_path, replace(french_document(), blocks=blocks))))
    assert read.tables == []
    assert read.paragraphs[-1].text == "ici"


def test_theme_logo_and_organisation_reach_the_title_block(tmp_path: Path) -> None:
    from course.document import Theme

    logo = _png(tmp_path / "logo.png")
    doc = replace(french_document(), theme=Theme(logo=str(logo)))
    read = docx.Document(str(write(tmp_path, doc)))
    assert len(read.inline_shapes) == 1
    assert read.paragraphs[1].text == "Centre d'études des droits de l'homme et de la démocratie"


def _embedded(path: Path) -> dict[str, bytes]:
    """Slot name -> the de-obfuscated font of each face the font table embeds for Amiri."""
    from generators.docx.fonts import obfuscate

    table = part(path, "word/fontTable.xml")
    rels = part(path, "word/_rels/fontTable.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    types = part(path, "[Content_Types].xml")
    entry = table.xpath('w:font[@w:name="Amiri"]', namespaces=NS)[0]
    out = {}
    with zipfile.ZipFile(path) as package:
        for node in entry:
            if not node.tag.startswith(w("embed")):
                continue
            name = "word/" + targets[node.get(f"{{{NS['r']}}}id")]
            override = types.xpath(f'//*[@PartName="/{name}"]')[0]
            assert override.get("ContentType") == \
                "application/vnd.openxmlformats-officedocument.obfuscatedFont"
            assert node.get(w("subsetted")) == "1"
            hidden = package.read(name)
            # XOR is its own inverse: obfuscating again with the key gives the font back.
            font = obfuscate(hidden, node.get(w("fontKey")))
            assert font[:4] == b"\x00\x01\x00\x00" and hidden[:4] != font[:4]
            out[node.tag.split("}")[1]] = font
    return out


def test_fonts_are_embedded_as_word_does(arabic: Path) -> None:
    import uharfbuzz as hb

    fonts = _embedded(arabic)
    assert list(fonts) == ["embedRegular", "embedBold", "embedItalic", "embedBoldItalic"]
    body = part(arabic, "word/document.xml")
    used = {ord(c) for c in text_of(body)} | {ord(c) for c in "0123456789"}
    styles = {}
    for slot, font in fonts.items():
        face = hb.Face(font)
        styles[slot] = face.get_name(2)  # the subfamily: Regular, Bold, ...
        assert face.get_name(1) == "Amiri"
        assert used <= set(face.unicodes)
        assert len(font) < 150_000  # a subset: the whole face is over 400 kB
    assert styles == {"embedRegular": "Regular", "embedBold": "Bold",
                      "embedItalic": "Italic", "embedBoldItalic": "Bold Italic"}
    settings = [c.tag.split("}")[1] for c in part(arabic, "word/settings.xml")]
    assert settings[1:4] == ["embedTrueTypeFonts", "saveSubsetFonts", "proofState"]


def test_french_embeds_only_the_faces_it_uses(french: Path) -> None:
    assert list(_embedded(french)) == ["embedRegular", "embedBold"]


def test_a_font_we_cannot_embed_is_not_justified_with_kashidas(tmp_path: Path) -> None:
    document = replace(arabic_document(), theme=Theme(font="Arial", heading_font="Arial"))
    path = write(tmp_path, document)
    with zipfile.ZipFile(path) as package:
        assert [n for n in package.namelist() if n.startswith("word/fonts/")] == []
    styles = part(path, "word/styles.xml")
    normal = styles.xpath('w:style[w:name/@w:val="Normal"]', namespaces=NS)[0]
    # Word justifies lowKashida like "both"; LibreOffice reads it as start, unstretched.
    assert normal.find("w:pPr/w:jc", NS).get(w("val")) == "lowKashida"
    assert part(path, "word/settings.xml").find("w:embedTrueTypeFonts", NS) is None


def test_every_document_embeds_the_same_subset_and_never_the_tatweel(tmp_path: Path) -> None:
    # LibreOffice keeps one embedded font per name in a session; kashidas need a tatweel.
    quoting = Paragraph(t("بعض التأثير بـخصوص إشراك السكان، إجراءً ملموسا"))
    other = replace(arabic_document(), blocks=(quoting,))
    first = _embedded(write(tmp_path, arabic_document(), "a.docx"))["embedRegular"]
    second = _embedded(write(tmp_path, other, "b.docx"))["embedRegular"]
    import uharfbuzz as hb

    assert 0x640 not in hb.Face(second).unicodes
    assert first == second
