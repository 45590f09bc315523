"""Content longer than a page lays out, whatever its length: every word printed once, in order.

Long texts are numbered words (French: mot0001 … mot1500) or a counted Arabic word, so
that a line lost or printed twice where a table row, a box or a paragraph is cut across
pages changes the sequence read back from the PDF.
"""

from __future__ import annotations

import io
import multiprocessing
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pypdf
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, edit
from doc_samples import AR_LONG, sample_meta, t
from PIL import Image as PILImage

from course import document as d
from course.cli import cli
from course.errors import WriterError
from generators.docx.writer import DocxWriter
from generators.pdf.fonts import family
from generators.pdf.rtl import ParaStyle, RtlParagraph, Run
from generators.pdf.tables import split_flowables
from generators.pdf.writer import render

WORDS = 1500
MOD = "content/modules/sample.yaml"
NEEDS_POPPLER = pytest.mark.skipif(not shutil.which("pdftotext"),
                                   reason="needs poppler (pdftotext) to read the PDF")
NEEDS_LO = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                              reason="needs LibreOffice (soffice) and poppler (pdftotext)")


def numbered(first: int = 1, last: int = WORDS) -> str:
    """mot0001 mot0002 … : a text whose every word says where it belongs."""
    return " ".join(f"mot{i:04d}" for i in range(first, last + 1))


def arabic(repeats: int = 30) -> str:
    """About 1,500 Arabic words ending in الختام (AR_LONG holds تفاقمها once)."""
    return " ".join([AR_LONG] * repeats) + " الختام"


def doc(lang: str, blocks: list[d.Block]) -> d.Document:
    """A handout of these blocks in one language."""
    rtl = lang == "ar"
    return d.Document("handout", lang, "rtl" if rtl else "ltr", "نص طويل" if rtl else "Long",
                      sample_meta(lang), tuple(blocks))


def pages_text(data: bytes, tmp: Path) -> list[str]:
    """Each page's text in logical order."""
    path = tmp / "out.pdf"
    path.write_bytes(data)
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def sequence(text: str) -> list[int]:
    """The numbers of the numbered words, in reading order."""
    return [int(n) for n in re.findall(r"mot(\d{4})", text)]


def p(text: str) -> d.Paragraph:
    """A body paragraph."""
    return d.Paragraph(t(text))


S = t("court")
# Each case puts the 1,500 numbered words (L) once into a block longer than a page.
CASES: dict[str, Callable[[str], list[d.Block]]] = {
    "table-second-column": lambda L: [d.Table((t("Terme"), t("Définition")),
                                              ((S, t(L)), (S, S)))],
    "table-first-column": lambda L: [d.Table((t("Terme"), t("Définition")), ((t(L), S),))],
    "table-middle-of-three": lambda L: [d.Table((t("a"), t("b"), t("c")), ((S, t(L), S),),
                                                (1.0, 3.0, 1.0))],
    "table-after-short-rows": lambda L: [d.Table((t("a"), t("b")),
                                                 ((S, S),) * 20 + ((S, t(L)),))],
    "table-without-header": lambda L: [d.Table((), ((S, t(L)),))],
    "table-header-longer-than-a-page": lambda L: [d.Table((t(L), S), ((S, S),))],
    "heading-then-table": lambda L: [d.Heading(2, t("Glossaire")),
                                     d.Table((t("a"), t("b")), ((S, t(L)),))],
    "paragraph": lambda L: [p(L)],
    "heading-then-paragraph": lambda L: [d.Heading(2, t("Titre")), p(L)],
    "list-item": lambda L: [d.BulletList(((p(L),), (p("fin"),)))],
    "numbered-item": lambda L: [d.OrderedList(((p("début"),), (p(L),)))],
    "callout": lambda L: [d.Callout("case", t("Cas"), (p("début"), p(L), p("fin")))],
    "heading-then-callout": lambda L: [d.Heading(2, t("Titre")), d.Callout("case", S, (p(L),))],
    "callout-holding-a-table": lambda L: [d.Callout("note", S, (d.Table((S, S), ((S, t(L)),)),))],
    "callout-holding-a-list": lambda L: [d.Callout("note", S, (d.BulletList(((p(L),),)),))],
    "callout-in-a-callout": lambda L: [d.Callout("case", S, (d.Callout("key", S, (p(L),)),))],
    "slide-bullet": lambda L: [d.Slide(1, S, (t(L),), ())],
    "question-stem": lambda L: [d.QuestionBlock(1, t(L), S, options=(d.Option("a", S),))],
    "answer-grid-note": lambda L: [d.AnswerGrid((d.AnswerRow(1, ("a", "b"), t(L)),), t("N°"))],
}


@pytest.mark.parametrize("case", CASES)
def test_french_block_longer_than_a_page_prints_every_word_once(case: str, tmp_path: Path) -> None:
    pages = pages_text(render(doc("fr", CASES[case](numbered()))), tmp_path)
    assert sequence("".join(pages)) == list(range(1, WORDS + 1))
    assert len(pages) >= 4  # 1,500 words fill more than three pages in any of these


def test_arabic_table_cell_continues_under_a_repeated_header(tmp_path: Path) -> None:
    # The long cell in the first column, which RTL draws on the right.
    table = d.Table((t("المصطلح"), t("التعريف")), ((t(arabic()), t("قصير")), (t("آخر"), t("سطر"))))
    pages = pages_text(render(doc("ar", [table])), tmp_path)
    assert len(pages) >= 4
    assert [page.count("المصطلح") for page in pages] == [1] * len(pages)
    assert [page.count("التعريف") for page in pages] == [1] * len(pages)
    assert sum(page.count("تفاقمها") for page in pages) == 30
    assert "الختام" in pages[-1] and "الختام" not in "".join(pages[:-1])
    assert "آخر" in pages[-1]  # the next row follows the cut one


def test_a_row_that_fits_a_page_moves_whole_to_the_next(tmp_path: Path) -> None:
    # 150 words in half the width (about 0.85 page) after 150 words of text: not cut.
    blocks = [p(numbered(1, 150)), d.Table((t("a"), t("b")), ((S, t(numbered(151, 300))),))]
    pages = pages_text(render(doc("fr", blocks)), tmp_path)
    assert sequence(pages[0]) == list(range(1, 151))
    assert sequence(pages[1]) == list(range(151, 301))


def test_a_row_taller_than_a_page_starts_where_it_is(tmp_path: Path) -> None:
    # The near miss of the test above: 300 words, which no page holds, fill page 1 first.
    blocks = [p(numbered(1, 150)), d.Table((t("a"), t("b")), ((S, t(numbered(151, 450))),))]
    pages = pages_text(render(doc("fr", blocks)), tmp_path)
    first = sequence(pages[0])
    assert first[:151] == list(range(1, 152)) and first[-1] < 450
    assert sequence("".join(pages)) == list(range(1, 451))


def _render_pdf(document: d.Document, path: str) -> None:
    Path(path).write_bytes(render(document))


def test_page_break_inside_a_callout_continues_the_box_on_the_next_page(tmp_path: Path) -> None:
    box = d.Callout("case", t("Cas"), (p("avant la coupure"), d.PageBreak(), p("après la coupure")))
    out = tmp_path / "break.pdf"
    # In a process of its own: before, this document made the writer loop forever.
    worker = multiprocessing.get_context("spawn").Process(
        target=_render_pdf, args=(doc("fr", [box, p("ensuite")]), str(out)))
    worker.start()
    worker.join(300)
    if worker.is_alive():
        worker.kill()
        pytest.fail("the PDF writer did not finish")
    pages = [page.extract_text() for page in pypdf.PdfReader(out).pages]
    assert len(pages) == 2
    assert "avant la coupure" in pages[0] and "après la coupure" not in pages[0]
    assert "après la coupure" in pages[1] and "ensuite" in pages[1]


def tall_picture() -> d.Image:
    """A picture 200 times taller than wide: full width, it is far taller than a page."""
    out = io.BytesIO()
    PILImage.new("RGB", (10, 2000), "red").save(out, "PNG")
    return d.Image(out.getvalue(), 1.0, "tall")


def test_what_no_page_can_hold_is_refused_with_a_message(tmp_path: Path) -> None:
    # A picture cannot be cut; in a box (a table cell) it is not shrunk to the page either.
    box = d.Callout("case", t("Cas"), (tall_picture(),))
    with pytest.raises(WriterError, match=r"^cannot lay out 'Long' on A4 pages: a block is "
                       r"taller than a page and cannot be split \(page \d+\)$"):
        render(doc("fr", [box]))
    # The near miss: the same picture in the flow is shrunk to what is left of page 1.
    assert len(pages_text(render(doc("fr", [tall_picture()])), tmp_path)) == 1


def test_split_flowables_cuts_a_paragraph_between_lines() -> None:
    face = family("Amiri").regular
    para = RtlParagraph([Run(numbered(1, 200), face, 12)], ParaStyle(leading=21, rtl=False))
    _, height = para.wrap(300, 10_000)
    head, rest, used = split_flowables([para], 300, 63)
    assert used == 63 and len(head) == 1 and head[0].height == 63  # three lines of 21
    assert rest[0].wrap(300, 10_000)[1] == height - 63
    head, rest, used = split_flowables([para], 300, 62.9)  # the near miss: two lines
    assert used == 42 and rest[0].wrap(300, 10_000)[1] == height - 42
    head, rest, used = split_flowables([para], 300, 20)  # not one line: nothing taken
    assert (head, rest, used) == ([], [para], 0.0)


def test_docx_keeps_short_rows_whole_and_lets_long_ones_split(tmp_path: Path) -> None:
    table = d.Table((t("Terme"), t("Définition")), ((S, t(numbered())), (S, t(numbered(1, 30)))))
    grid = d.AnswerGrid((d.AnswerRow(1, ("a", "b"), t(numbered())), d.AnswerRow(2, ("a",), S)))
    path = tmp_path / "long.docx"
    DocxWriter().write(doc("fr", [table, grid]), path)
    tables = docx.Document(path).tables
    kept = [[row._tr.trPr is not None and row._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit"))
             is not None for row in table.rows] for table in tables]
    assert kept == [[True, False, True], [False, True]]
    header = tables[0].rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader"))
    assert header is not None


@pytest.fixture(scope="module")
def long_glossary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The good fixture whose glossary definition is 1,500 words, handouts built."""
    project = tmp_path_factory.mktemp("long") / "project"
    shutil.copytree(FIXTURES / "good", project)
    edit(project / MOD, "أن يشارك المواطنون والجمعيات والفاعلون المحليون الشرطة في صنع الأمن.",
         arabic())
    edit(project / MOD, "La sécurité produite avec les citoyens, les associations et les "
         "acteurs locaux.", numbered())
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--only", "handout",
                                      "--format", "pdf,docx"])
    assert result.exit_code == 0, result.stderr
    return project / "output"


@NEEDS_POPPLER
@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_built_handout_prints_the_whole_glossary_definition(long_glossary: Path,
                                                            lang: str) -> None:
    pdf = long_glossary / lang / "sample" / "handout.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    if lang == "fr":
        assert sequence(text) == list(range(1, WORDS + 1))
    else:
        assert text.count("تفاقمها") == 30 and text.count("الختام") == 1


@NEEDS_LO
def test_libreoffice_prints_the_whole_glossary_definition_of_the_docx(long_glossary: Path,
                                                                      tmp_path: Path) -> None:
    sources = [long_glossary / lang / "sample" / "handout.docx" for lang in ("ar", "fr")]
    for lang, source in zip(("ar", "fr"), sources, strict=True):
        shutil.copy(source, tmp_path / f"{lang}.docx")
    profile = (tmp_path / "profile").as_uri()  # its own profile: other runs may be open
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "ar.docx"),
                    str(tmp_path / "fr.docx")], check=True, capture_output=True, timeout=240)
    ar, fr = (subprocess.run(["pdftotext", str(tmp_path / f"{lang}.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
              for lang in ("ar", "fr"))
    # Kept whole, the row was clipped at the foot of its last page: الختام was lost.
    assert ar.count("تفاقمها") == 30 and ar.count("الختام") == 1
    assert sequence(fr) == list(range(1, WORDS + 1))
