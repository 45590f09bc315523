"""The grade report's charts: data from the grades, drawn in the PDF, pictured in the DOCX."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pdfplumber
import pypdf
import pytest
from conftest import load_sample
from lxml import etree
from PIL import Image as PilImage

from course.build.charts import alt_text, charts_as_images
from course.document import Chart, Document, Image, Table, Text
from course.quiz.grading import GradeResult, grade_responses
from course.quiz.report import report_document
from course.render.renderer import Renderer
from generators import get_writer

PROJECT = load_sample()
CSV = ("participant,version,1,2,3,4,5,6\n"
       "p1,A,a,T,ab,1b 2a,b c a,الشعور بانعدام الأمن\n"
       "p3,B,b,أ,الامن,صح,1a 2b,c b a\n"
       "p4,A,,,,,,\n"
       "p5,A,a,F,a,1a 2b,a b c,\n")
PRIMARY = (0x1F, 0x4E, 0x79)  # the theme's primary colour: the bars and points


@pytest.fixture(scope="module")
def result() -> GradeResult:
    """Four participants of the sample quiz (100, 26.19, 0 and 35.71 %), pass mark 60."""
    graded = grade_responses(CSV.encode(), "r.csv", PROJECT.modules[0].questions,
                             PROJECT.course.quiz)
    return replace(graded, settings=(("pass_mark", "60"),))


def report(result: GradeResult, lang: str) -> Document:
    """The report document in one language."""
    renderer = Renderer(PROJECT)
    labels = renderer.labels[lang]
    return report_document(result, "اختبار", lang, labels["direction"], labels,
                           renderer.meta(lang, PROJECT.modules[0], labels["grade_report"]),
                           renderer.theme())


def charts_of(document: Document) -> list[Chart]:
    return [b for b in document.blocks if isinstance(b, Chart)]


def test_the_report_charts_the_scores_and_the_items(result: GradeResult) -> None:
    histogram, scatter = charts_of(report(result, "ar"))
    assert histogram.kind == "histogram" and (histogram.x_label, histogram.y_label) == (
        "النسبة المئوية", "العدد")
    assert [n for _, n in histogram.bars] == [1, 0, 1, 1, 0, 0, 0, 0, 0, 1]
    assert histogram.bars[0][0] == "0–10"
    assert (histogram.marker, histogram.marker_label) == (60.0, "عتبة النجاح 60")
    assert (scatter.x_label, scatter.y_label) == ("معامل السهولة", "معامل التمييز")
    assert [(label, round(x, 2), round(y, 2)) for x, y, label in scatter.points] == [
        ("q1", 50.0, 47.08), ("q2", 50.0, 47.09), ("q3", 50.0, 94.87), ("q4", 25.0, 90.71),
        ("q5", 33.33, 87.83), ("q6", 25.0, 90.71)]
    # Flagged: facility over 90, under 20, discrimination under 20.
    assert scatter.zones == ((90.0, 0.0, 100.0, 100.0), (0.0, 0.0, 20.0, 100.0),
                             (0.0, 0.0, 100.0, 20.0))
    assert not any(isinstance(b, Table) and len(b.header) == 3 for b in report(result, "ar").blocks)


@pytest.fixture(scope="module")
def pdf(result: GradeResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    get_writer("pdf").write(report(result, "ar"), path)
    return path


def test_pdf_draws_bars_marker_and_zones_with_our_text(pdf: Path) -> None:
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    for label in ("النسبة المئوية", "العدد", "عتبة النجاح 60", "معامل السهولة", "معامل التمييز"):
        assert label in text  # shaped Arabic, in logical order
    with pdfplumber.open(pdf) as doc:
        rects = [r for page in doc.pages for r in page.rects]
        words = [w["text"] for page in doc.pages for w in page.extract_words()]
    primary = tuple(round(c / 255, 3) for c in PRIMARY)
    bars = [r for r in rects if tuple(round(c, 3) for c in r["non_stroking_color"]) == primary]
    assert len(bars) == 4  # the four bands someone scored in
    # Bars of one participant are equally high, the axis scaled to whole participants.
    assert len({round(r["height"], 1) for r in bars}) == 1
    zones = [r for r in rects if tuple(round(c, 2) for c in r["non_stroking_color"]) ==
             (0.85, 0.2, 0.15)]
    assert len(zones) == 3
    assert "q3" in words and "100" in words
    fonts = {f.get_object()["/BaseFont"].split("+")[1] for page in pypdf.PdfReader(pdf).pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts == {"Amiri-Regular", "Amiri-Bold"}  # no Helvetica for the labels


def test_charts_become_pictures_for_the_docx(result: GradeResult) -> None:
    document = report(result, "ar")
    pictured = charts_as_images(document)
    images = [b for b in pictured.blocks if isinstance(b, Image)]
    assert charts_of(pictured) == [] and len(images) == 2
    assert [b for b in pictured.blocks if not isinstance(b, Image)] == \
        [b for b in document.blocks if not isinstance(b, Chart)]
    histogram, scatter = (PilImage.open(io.BytesIO(i.png)).convert("RGB") for i in images)
    assert images[0].png.startswith(b"\x89PNG\r\n\x1a\n") and images[0].width == 1.0
    # The chart spans the text width (481.9 pt at 200 dpi), cut to what was drawn.
    text_width = 481.9 * 200 / 72
    assert 0.95 * text_width < histogram.width <= text_width + 12
    bars = (np.asarray(histogram) == PRIMARY).all(axis=2).sum()
    assert bars > 10_000  # four bars of the primary colour
    r, g, b = np.moveaxis(np.asarray(scatter).astype(int), 2, 0)
    assert ((r > 220) & (r - g > 20) & (abs(g - b) < 12)).sum() > 10_000  # the pale red zones
    assert images[0].alt == alt_text(charts_of(document)[0])
    assert images[0].alt.startswith("النسبة المئوية / العدد: 0–10: 1; 10–20: 0; 20–30: 1;")
    assert charts_as_images(document) == pictured  # same data, same bytes


def test_docx_embeds_the_pictures_with_their_alt_text(result: GradeResult,
                                                      tmp_path: Path) -> None:
    pictured = charts_as_images(report(result, "ar"))
    path = tmp_path / "report.docx"
    get_writer("docx").write(pictured, path)
    images = [b for b in pictured.blocks if isinstance(b, Image)]
    with zipfile.ZipFile(path) as package:
        media = sorted(n for n in package.namelist() if n.startswith("word/media/"))
        assert [package.read(n) for n in media] == [i.png for i in images]
        body = etree.fromstring(package.read("word/document.xml"))
    ns = {"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
    assert [d.get("descr") for d in body.iterfind(".//wp:docPr", ns)] == [i.alt for i in images]
    widths = {int(e.get("cx")) for e in body.iterfind(".//wp:extent", ns)}
    assert widths == {(11906 - 2 * 1247) * 635}  # the whole text width, in EMU


def test_docx_without_pictures_lists_the_chart_data(result: GradeResult, tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    get_writer("docx").write(report(result, "fr"), path)
    import docx

    tables = docx.Document(str(path)).tables
    cells = [[c.text for c in row.cells] for row in tables[1].rows]
    assert cells[:3] == [["Pourcentage", "Effectif"], ["0–10", "1"], ["10–20", "0"]]
    assert [[c.text for c in row.cells] for row in tables[2].rows][1] == ["q1", "50", "47.0757"]


def test_chart_alt_text_of_a_scatter() -> None:
    chart = Chart("scatter", (Text("Items"),), "facility", "discrimination",
                  points=((50.0, 47.5, "q1"), (25.0, -10.0, "q2")))
    assert alt_text(chart) == "Items: facility / discrimination: q1: 50, 47.5; q2: 25, -10"
