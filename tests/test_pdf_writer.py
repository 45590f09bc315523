"""The PDF writer: measured word order, alignment, bold, page labels, fonts, same bytes."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from course.document import Callout, Cover, Heading, Paragraph, Text, Theme
from course.errors import WriterError
from generators.pdf.fonts import family
from generators.pdf.rtl import Run, break_lines, pieces_of
from generators.pdf.writer import PdfWriter
from tests.doc_samples import (
    AR_BOLD,
    AR_LATIN,
    AR_LONG,
    AR_NUMBERS,
    AR_PARENS,
    AR_THOUSANDS,
    SENTENCES,
    arabic_document,
    french_document,
)

A4_WIDTH = 595.2756
MARGIN = 56.6929  # 20 mm
AR_MARKS = "حدّ من فعالية هذه الصلاحيات، ولا تُفوَّض لأحد."  # shadda, damma, fatha
LTR_RUN = re.compile(r"[0-9A-Za-z]+(?:[.\-][0-9A-Za-z]+)*")


def write(document, tmp: Path, name: str) -> Path:
    path = tmp / name
    PdfWriter().write(document, path)
    return path


@pytest.fixture(scope="module")
def ar_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(arabic_document(), tmp_path_factory.mktemp("pdf"), "ar.pdf")


@pytest.fixture(scope="module")
def ar_lines(ar_pdf: Path) -> list[list[list]]:
    """Per page, per line: words as (logical text, x0, x1, chars), right to left."""
    with pdfplumber.open(ar_pdf) as pdf:
        return [page_lines(page) for page in pdf.pages]


def logical_word(chars: list[dict]) -> str:
    """A word's characters read right to left, runs of digits and Latin kept left to right."""
    text = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]))[::-1]
    # Reverse back each run of digits and Latin letters (with the . and - inside it only).
    return LTR_RUN.sub(lambda m: m.group(0)[::-1], text)


def page_lines(page, rtl: bool = True) -> list[list]:
    words = page.extract_words(return_chars=True)
    lines: dict[int, list] = {}
    for w in words:
        key = next((k for k in lines if abs(k - w["bottom"]) < 3), round(w["bottom"]))
        lines.setdefault(key, []).append(w)
    out = []
    for _, ws in sorted(lines.items()):
        ws.sort(key=lambda w: -w["x1"] if rtl else w["x0"])
        out.append([(logical_word(w["chars"]) if rtl else w["text"], w["x0"], w["x1"],
                     w["chars"]) for w in ws])
    return out


def line_text(line: list) -> str:
    return " ".join(w[0] for w in line)


def find_line(lines: list[list[list]], text: str) -> tuple[int, list]:
    for pageno, page in enumerate(lines, 1):
        for line in page:
            if line_text(line) == text:
                return pageno, line
    raise AssertionError(f"no line reads {text!r}")


def norm(text: str) -> str:
    return " ".join(text.split())


def pypdf_text(path: Path) -> str:
    return norm(" ".join(p.extract_text() for p in pypdf.PdfReader(path).pages))


@pytest.mark.parametrize("sentence", [AR_NUMBERS, AR_PARENS, AR_THOUSANDS, AR_LATIN])
def test_sentence_reads_right_to_left(ar_lines, sentence: str) -> None:
    find_line(ar_lines, sentence)


def test_wrapped_paragraph_reads_right_to_left_line_after_line(ar_lines) -> None:
    page = next(p for p in ar_lines if any(line_text(ln).startswith("وتكمن") for ln in p))
    start = next(i for i, ln in enumerate(page) if line_text(ln).startswith("وتكمن"))
    words, i = [], start
    while len(words) < len(AR_LONG.split()):
        words += line_text(page[i]).split()
        i += 1
    assert i - start >= 3  # really wrapped
    assert " ".join(words) == AR_LONG


def test_pypdf_returns_sentences_in_logical_order(ar_pdf: Path) -> None:
    text = pypdf_text(ar_pdf)
    for sentence in SENTENCES:
        assert norm(sentence) in text


def test_round_trip_headings_paragraphs_and_stems(ar_pdf: Path) -> None:
    text = pypdf_text(ar_pdf)
    for expected in ("الركائز الخمس للشرطة المجتمعية", "الأهداف", "نص طويل",
                     "ما الركيزة التي تعني أن الشرطة جزء من المجتمع لا في مواجهته؟",
                     "اذكر ركيزتين من ركائز الشرطة المجتمعية.",
                     "تعني الركيزة الأولى أن الشرطة جزء من المجتمع لا في مواجهته.",
                     "وهي فلسفة ومنهجية عمل."):
        assert expected in text


def test_lines_are_right_aligned_and_justified(ar_lines) -> None:
    _, line = find_line(ar_lines, AR_NUMBERS)
    assert line[0][2] == pytest.approx(A4_WIDTH - MARGIN, abs=1.5)
    assert line[-1][1] > MARGIN + 100  # a short line: flush right, not stretched
    page = next(p for p in ar_lines if any(line_text(ln).startswith("وتكمن") for ln in p))
    start = next(i for i, ln in enumerate(page) if line_text(ln).startswith("وتكمن"))
    full, last = page[start], page[start + 3]
    assert full[0][2] == pytest.approx(A4_WIDTH - MARGIN, abs=1.5)
    assert full[-1][1] == pytest.approx(MARGIN, abs=1.5)  # justified to both margins
    assert last[0][2] == pytest.approx(A4_WIDTH - MARGIN, abs=1.5)  # last line: right
    assert last[-1][1] > MARGIN + 50


@pytest.mark.parametrize(("item", "marker"), [("التوجه الخارجي", "•"), ("التعليل", "1."),
                                              ("الشراكة", "2."), ("التمكين", "أ."),
                                              ("الوقاية", "ب.")])
def test_list_marker_is_right_of_its_item(ar_lines, item: str, marker: str) -> None:
    _, line = find_line(ar_lines, f"{marker} {item}")
    assert line[0][0] == marker
    assert line[0][1] > line[1][2]


def test_first_table_column_is_on_the_right(ar_lines) -> None:
    _, header = find_line(ar_lines, "الركيزة معناها")
    assert header[0][1] > header[1][2] + 100
    _, row = find_line(ar_lines, "الشراكة سنة 2015، تعززت الشراكات")
    assert row[0][1] > row[1][2]


def test_strong_text_uses_the_bold_font(ar_lines) -> None:
    _, line = find_line(ar_lines, f"تعني الركيزة الأولى أن {AR_BOLD} لا في مواجهته.")
    fonts = {w[0]: {c["fontname"] for c in w[3]} for w in line}
    for word in AR_BOLD.split():
        assert all("Amiri-Bold" in f for f in fonts[word])
    assert all("Amiri-Regular" in f for f in fonts["تعني"])


def test_emph_uses_the_italic_font(ar_lines) -> None:
    _, line = find_line(ar_lines, "وهي فلسفة ومنهجية عمل.")
    assert all("Amiri-Italic" in c["fontname"] for c in line[1][3])


def test_footer_page_label_counts_all_pages(ar_pdf: Path, ar_lines) -> None:
    total = len(ar_lines)
    assert total >= 4
    for n in range(2, total + 1):  # page 1 is the cover, left bare
        footer = line_text(ar_lines[n - 1][-1])
        assert f"صفحة {n} من {total}" in footer
        assert footer.startswith("الركائز الخمس للشرطة المجتمعية")  # meta.footer on the right


def test_first_page_footer_without_cover(tmp_path: Path) -> None:
    doc = arabic_document()
    doc = dataclasses.replace(doc, blocks=doc.blocks[1:])
    assert not isinstance(doc.blocks[0], Cover)
    with pdfplumber.open(write(doc, tmp_path, "nocover.pdf")) as pdf:
        total = len(pdf.pages)
        first = page_lines(pdf.pages[0])
    assert f"صفحة 1 من {total}" in line_text(first[-1])
    assert line_text(first[1]) == doc.meta.organisation  # under the running header
    assert line_text(first[2]) == doc.title


def test_table_of_contents_has_real_page_numbers(ar_lines) -> None:
    page, _ = find_line(ar_lines, "نص طويل")  # the heading itself, later in the document
    heading_pages = [n for n, p in enumerate(ar_lines, 1)
                     for ln in p if line_text(ln) == "نص طويل"]
    _, entry = find_line(ar_lines, f"نص طويل {heading_pages[-1]}")
    assert entry[-1][0] == str(heading_pages[-1])


def test_question_stays_with_its_options(ar_lines) -> None:
    stem_page, _ = find_line(ar_lines, "1. ما الركيزة التي تعني أن الشرطة جزء من المجتمع لا في "
                                       "مواجهته؟")
    option_page, option = find_line(ar_lines, "د) الشراكة")
    assert stem_page == option_page
    assert option[0][1] > option[1][2]  # the label is on the right


def test_answer_grid_reads_right_to_left(ar_lines) -> None:
    _, row = find_line(ar_lines, "2. أ ب ج عدة إجابات")
    assert [w[0] for w in row][:4] == ["2.", "أ", "ب", "ج"]


def test_fonts_are_embedded_subsets(ar_pdf: Path) -> None:
    reader = pypdf.PdfReader(ar_pdf)
    fonts = reader.pages[2]["/Resources"]["/Font"]
    used = [f.get_object() for f in fonts.values() if f.get_object()["/Subtype"] == "/Type0"]
    assert len(used) >= 2
    for font in used:
        descendant = font["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]
        assert re.fullmatch(r"/[A-Z]{6}\+Amiri-\w+", font["/BaseFont"])
        assert "/ToUnicode" in font


def test_outline_has_the_headings(ar_pdf: Path) -> None:
    outline = pypdf.PdfReader(ar_pdf).outline
    titles = [o.title for o in outline if not isinstance(o, list)]
    assert titles[0] == "الركائز الخمس للشرطة المجتمعية"


def test_french_document_is_left_aligned(tmp_path: Path) -> None:
    path = write(french_document(), tmp_path, "fr.pdf")
    with pdfplumber.open(path) as pdf:
        lines = page_lines(pdf.pages[0], rtl=False)
    item = next(ln for ln in lines if line_text(ln) == "• Orientation externe")
    assert item[0][2] < item[1][1]  # bullet left of its text
    para = next(ln for ln in lines if line_text(ln) == "La police fait partie de la société.")
    assert para[0][1] == pytest.approx(MARGIN, abs=1)
    assert {c["fontname"].split("+")[1] for c in para[3][3]} == {"Amiri-Bold"}  # "partie"
    assert "Pilier Sens" in [line_text(ln) for ln in lines]
    assert "Page 1 sur 1" in pypdf_text(path)


def test_same_document_same_bytes(tmp_path: Path) -> None:
    a = write(arabic_document(), tmp_path, "a.pdf").read_bytes()
    b = write(arabic_document(), tmp_path, "b.pdf").read_bytes()
    assert a == b
    assert b"D:20261129000000+00'00'" in a


def test_markup_in_text_prints_literally(tmp_path: Path) -> None:
    doc = dataclasses.replace(french_document(), blocks=(Paragraph((Text("<b>gras</b> & co"),)),))
    assert "<b>gras</b> & co" in pypdf_text(write(doc, tmp_path, "m.pdf"))


def test_unknown_font_is_a_writer_error(tmp_path: Path) -> None:
    doc = dataclasses.replace(arabic_document(), theme=Theme(font="Nope Sans"))
    with pytest.raises(WriterError, match=r"^unknown font 'Nope Sans': installed font families "
                                          r"are .*Amiri"):
        PdfWriter().write(doc, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_unreadable_logo_is_a_writer_error(tmp_path: Path) -> None:
    doc = arabic_document()
    cover = dataclasses.replace(doc.blocks[0], logo=str(tmp_path / "missing.png"))
    doc = dataclasses.replace(doc, blocks=(cover, *doc.blocks[1:]))
    with pytest.raises(WriterError, match=r"^cannot read cover logo .*missing\.png"):
        PdfWriter().write(doc, tmp_path / "x.pdf")


def one_paragraph(tmp: Path, name: str, *inlines) -> Path:
    doc = dataclasses.replace(arabic_document(), blocks=(Paragraph(tuple(inlines)),))
    return write(doc, tmp, name)


def test_words_with_marks_extract_as_whole_words(tmp_path: Path) -> None:
    path = one_paragraph(tmp_path, "marks.pdf", Text(AR_MARKS))
    with pdfplumber.open(path) as pdf:
        _, line = find_line([page_lines(pdf.pages[0])], AR_MARKS)
    assert [w[0] for w in line] == ["حدّ", "من", "فعالية", "هذه", "الصلاحيات،", "ولا", "تُفوَّض",
                                    "لأحد."]
    # poppler ends a word at a character starting within 0.1 em of the one before.
    for word in line:
        starts = sorted(c["x0"] for c in word[3])
        assert all(b - a >= 0.1 * 12 for a, b in zip(starts, starts[1:], strict=False))
    assert AR_MARKS in pypdf_text(path)


def test_contents_page_numbers_match_the_bookmarks(ar_pdf: Path, ar_lines) -> None:
    reader = pypdf.PdfReader(ar_pdf)
    flat = [o for item in reader.outline for o in (item if isinstance(item, list) else [item])]
    marks = [(o.title, reader.get_destination_page_number(o) + 1) for o in flat]
    assert marks == [("الركائز الخمس للشرطة المجتمعية", 2), ("الأهداف", 2), ("نص طويل", 3)]
    for (title, page), mark in zip(marks, flat, strict=True):
        find_line(ar_lines[1:2], f"{title} {page}")  # the contents entry, on page 2
        heading = next(ln for ln in ar_lines[page - 1] if line_text(ln) == title
                       and ln[0][3][0]["size"] > 13)
        # The bookmark opens the page at the heading (XYZ), not at the top of the page.
        top = float(reader.pages[page - 1].mediabox.top) - heading[0][3][0]["top"]
        assert mark.typ == "/XYZ"
        assert 0 < float(mark.top) - top < 20


LONG_TOKEN = "ABCDEFGHIJ" * 12
URL = ("https://www.example.org/ressources/police-de-proximite/guide-du-formateur/module-5/"
       "annexes?version=2026&lang=ar")


def assert_inside_margins(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[0].chars
    assert min(c["x0"] for c in chars) >= MARGIN - 0.01
    assert max(c["x1"] for c in chars) <= A4_WIDTH - MARGIN + 0.01


def test_word_wider_than_the_line_is_cut_between_characters(tmp_path: Path) -> None:
    doc = dataclasses.replace(french_document(),
                              blocks=(Paragraph((Text(f"Voir le code {LONG_TOKEN} avant."),)),))
    path = write(doc, tmp_path, "token.pdf")
    with pdfplumber.open(path) as pdf:
        lines = [line_text(ln) for ln in page_lines(pdf.pages[0], rtl=False)]
    assert lines[7:9] == [f"Voir le code {LONG_TOKEN[:61]}", f"{LONG_TOKEN[61:]} avant."]
    assert_inside_margins(path)


def test_url_in_arabic_text_is_cut_to_fit_the_line(tmp_path: Path) -> None:
    path = one_paragraph(tmp_path, "url.pdf", Text(f"راجع الدليل في {URL} قبل الجلسة."))
    text = pypdf.PdfReader(path).pages[0].extract_text()
    assert f"راجع الدليل في {URL[:81]}\n{URL[81:]} قبل الجلسة." in text
    assert URL[:81].endswith("module-")
    assert_inside_margins(path)


def test_break_lines_cuts_only_words_wider_than_a_line() -> None:
    face = family("Amiri").regular
    lines = break_lines(pieces_of([Run("xx ABCDEFGH", face, 12)], False), 40)
    assert [([p.text for p in ln], last) for ln, last in lines] == [
        (["xx", " ", "ABC"], False), (["DEFGH"], True)]
    # A line narrower than one letter: one letter a line, overflowing, never none.
    lines = break_lines(pieces_of([Run("AB", face, 12)], False), 5)
    assert [[p.text for p in ln] for ln, _ in lines] == [["A"], ["B"]]
    # A mark stays with its letter.
    lines = break_lines(pieces_of([Run("حدّد", face, 12)], True), 8)
    assert [[p.text for p in ln] for ln, _ in lines] == [["ح"], ["دّ"], ["د"]]


def test_option_labels_align_at_the_margin_and_hang_clear_of_their_text(ar_lines) -> None:
    gaps = []
    for label, text in (("أ)", "التوجه الخارجي"), ("ب)", "حل المشكلات"), ("ج)", "التمكين"),
                        ("د)", "الشراكة")):
        _, line = find_line(ar_lines, f"{label} {text}")
        assert line[0][0] == label  # one word: pdftotext and pdfplumber keep it whole
        assert line[0][2] == pytest.approx(A4_WIDTH - MARGIN, abs=0.5)  # flush right
        gaps.append(line[0][1] - line[1][2])
    # The widest label hangs 16 pt from its text, the others more (no label overflows).
    assert min(gaps) == pytest.approx(16, abs=0.5)


def test_line_left_short_by_a_long_word_is_not_stretched(tmp_path: Path) -> None:
    token = LONG_TOKEN[:65]  # fits a line alone, not after the three words before it
    path = one_paragraph(tmp_path, "short.pdf", Text(f"راجع الدليل في {token} قبل الجلسة."))
    with pdfplumber.open(path) as pdf:
        lines = page_lines(pdf.pages[0])[6:9]
    assert [line_text(ln) for ln in lines] == ["راجع الدليل في", f"{token} قبل", "الجلسة."]
    first = lines[0]
    assert first[0][2] == pytest.approx(A4_WIDTH - MARGIN, abs=0.5)  # flush right
    assert max(a[1] - b[2] for a, b in zip(first, first[1:], strict=False)) < 4  # plain spaces


def test_digits_and_punctuation_take_the_script_of_their_neighbours(tmp_path: Path) -> None:
    doc = dataclasses.replace(french_document(),
                              blocks=(Paragraph((Text("Voir (paragraphe 21)."),)),))
    with pdfplumber.open(write(doc, tmp_path, "fr-punct.pdf")) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["top"] > 150 and c["top"] < 250]
    widths = {c["text"]: round(c["x1"] - c["x0"], 2) for c in chars}
    # Amiri's Latin bracket and full stop, not its Arabic-style ones (5.5 and 3.8 pt).
    assert (widths["("], widths[")"], widths["."]) == (3.06, 3.06, 2.42)


def test_heading_goes_to_the_next_page_with_the_box_that_follows(tmp_path: Path) -> None:
    filler = tuple(Paragraph((Text("سطر قصير"),)) for _ in range(17))
    box = Callout("case", (Text("دراسة حالة"),), (Paragraph((Text(AR_LONG),)),) * 3)
    doc = dataclasses.replace(arabic_document(),
                              blocks=(*filler, Heading(2, (Text("الأنشطة"),)), box))
    with pdfplumber.open(write(doc, tmp_path, "keep.pdf")) as pdf:
        pages = [[line_text(ln) for ln in page_lines(p)] for p in pdf.pages]
    # The box does not fit below the filler; the heading must not stay there alone.
    assert [n for n, p in enumerate(pages, 1) if "الأنشطة" in p] == [2]
    assert [n for n, p in enumerate(pages, 1) if "دراسة حالة" in p] == [2]


def test_theme_logo_reaches_the_title_block(tmp_path: Path) -> None:
    from PIL import Image as PILImage

    from course.document import Theme

    logo = tmp_path / "logo.png"
    PILImage.new("RGB", (40, 20), "navy").save(logo)
    doc = dataclasses.replace(french_document(), theme=Theme(logo=str(logo)))
    reader = pypdf.PdfReader(write(doc, tmp_path, "logo.pdf"))
    assert len(reader.pages[0].images) == 1


def fonts_of(reader: pypdf.PdfReader) -> list[pypdf.generic.DictionaryObject]:
    """Every font dictionary the pages name, once each."""
    seen = {}
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            seen.setdefault(ref.idnum, ref.get_object())
    return list(seen.values())


def test_only_embedded_fonts_are_declared(ar_pdf: Path, tmp_path: Path) -> None:
    # reportlab declared an unembedded Helvetica on every page, used by no text.
    for path in (ar_pdf, write(french_document(), tmp_path, "fr.pdf")):
        fonts = fonts_of(pypdf.PdfReader(path))
        assert [f["/BaseFont"] for f in fonts if f["/Subtype"] != "/Type0"] == []
        for font in fonts:
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"]


def xmp_fields(reader: pypdf.PdfReader) -> dict[str, str]:
    """The XMP packet's entries by local name (first text of each element)."""
    from xml.etree import ElementTree

    stream = reader.trailer["/Root"]["/Metadata"].get_object()
    assert stream["/Subtype"] == "/XML" and "/Filter" not in stream  # readable by any tool
    root = ElementTree.fromstring(stream.get_data())
    return {node.tag.split("}")[1]: "".join(node.itertext()).strip()
            for node in root.iter() if node.tag.split("}")[0] != "{http://www.w3.org/1999/02/22-rdf-syntax-ns#"}


def test_language_page_order_and_xmp_agree_with_the_info(ar_pdf: Path, tmp_path: Path) -> None:
    reader = pypdf.PdfReader(ar_pdf)
    root, info = reader.trailer["/Root"], reader.metadata
    assert root["/Lang"] == "ar"
    assert root["/ViewerPreferences"]["/Direction"] == "/R2L"
    xmp = xmp_fields(reader)
    assert (xmp["title"], xmp["creator"], xmp["description"]) == (
        info["/Title"], info["/Author"], info["/Subject"])
    assert (info["/Title"], info["/Author"]) == (
        "الركائز الخمس للشرطة المجتمعية", "مركز دراسات حقوق الإنسان والديمقراطية")
    assert (xmp["language"], xmp["CreatorTool"], xmp["Producer"]) == (
        "ar", info["/Creator"], info["/Producer"])
    assert info["/Creator"] == "coursegen"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20261129000000+00'00'"
    assert xmp["CreateDate"] == xmp["ModifyDate"] == "2026-11-29T00:00:00+00:00"
    french = pypdf.PdfReader(write(french_document(), tmp_path, "fr.pdf"))
    assert french.trailer["/Root"]["/Lang"] == "fr"
    assert "/ViewerPreferences" not in french.trailer["/Root"]
    assert xmp_fields(french)["language"] == "fr"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], Path]:
    """A front (cover and contents) and two parts, merged as the PDF packs are."""
    from course.document import Table
    from tests.doc_samples import sample_meta, t

    tmp = tmp_path_factory.mktemp("pack")
    base = arabic_document()
    one = dataclasses.replace(base, blocks=base.blocks[2:12])
    two = dataclasses.replace(base, blocks=base.blocks[12:18])
    meta = sample_meta("ar")
    part_paths = []
    offset = 2
    for n, doc in enumerate((one, two)):
        doc = dataclasses.replace(doc, meta=dataclasses.replace(
            meta, page_offset=offset, title_block=False))
        part_paths.append(write(doc, tmp, f"part{n}.pdf"))
        offset += len(pypdf.PdfReader(part_paths[-1]).pages)
    rows = ((t("الجزء الأول"), t("3")),
            (t("الجزء الثاني"), t(str(3 + len(pypdf.PdfReader(part_paths[0]).pages)))))
    front = dataclasses.replace(base, title="ملف الدورة", blocks=(
        Cover(t("ملف الدورة"), (t("الإصدار 1.0"),)), Heading(1, t("المحتويات"), "contents"),
        Table((), rows, (6.0, 1.0))))
    front_path = write(front, tmp, "front.pdf")
    assert len(pypdf.PdfReader(front_path).pages) == 2
    target = tmp / "pack.pdf"
    PdfWriter().merge(front_path, [("الجزء الأول", part_paths[0]),
                                   ("الجزء الثاني", part_paths[1])], target, "ملف الدورة")
    return front_path, part_paths, target


def test_pack_gives_every_subset_its_own_tag_and_one_program_per_face(pack) -> None:
    front, parts, target = pack
    fonts = fonts_of(pypdf.PdfReader(target))
    names = [str(f["/BaseFont"]) for f in fonts]
    assert len(names) == len(set(names)) >= 6  # three files' fonts, each tag once
    programs: dict[str, set[int]] = {}
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert descriptor["/FontName"] == font["/BaseFont"]
        face = names[fonts.index(font)].split("+")[1]
        programs.setdefault(face, set()).add(descriptor.raw_get("/FontFile2").idnum)
    assert {face: len(ids) for face, ids in programs.items()} == {
        "Amiri-Regular": 1, "Amiri-Bold": 1, "Amiri-Italic": 1}
    # The glyphs of every part survive: each page reads as it did in its part.
    pages = [p for path in (front, *parts) for p in pypdf.PdfReader(path).pages]
    merged = pypdf.PdfReader(target).pages
    assert [p.extract_text() for p in merged] == [p.extract_text() for p in pages]
    sizes = sum(path.stat().st_size for path in (front, *parts))
    assert target.stat().st_size < 0.75 * sizes  # the parts' shared glyphs counted once
    again = target.with_name("again.pdf")
    PdfWriter().merge(front, [("الجزء الأول", parts[0]), ("الجزء الثاني", parts[1])], again,
                      "ملف الدورة")
    assert again.read_bytes() == target.read_bytes()


def test_pack_contents_rows_link_to_their_parts(pack) -> None:
    front, parts, target = pack
    reader = pypdf.PdfReader(target)
    links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    first = 2 + len(pypdf.PdfReader(parts[0]).pages)
    assert [reader.get_page_number(link["/Dest"][0].get_object()) for link in links] == [2, first]
    tops = [float(link["/Rect"][3]) for link in links]
    assert tops[0] > tops[1]  # the first row's link above the second's
    root = reader.trailer["/Root"]
    assert (root["/Lang"], root["/ViewerPreferences"]["/Direction"]) == ("ar", "/R2L")
    assert xmp_fields(reader)["title"] == reader.metadata["/Title"] == "ملف الدورة"
