"""A DOCX pack spliced from parts, as LibreOffice prints it: contents with the right page
numbers, every part's text once, in order, with its own numbered list starting at 1."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from test_lo_docx import CONTROLS, SECTIONS, pack_document

from course.document import Document, OrderedList, Paragraph, Text
from generators.docx.writer import DocxWriter

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="needs LibreOffice (soffice) and poppler (pdftotext) to render the DOCX")

STEPS = ("خطوة أولى للتجربة", "خطوة ثانية للتجربة")


@pytest.fixture(scope="module")
def composed(tmp_path_factory: pytest.TempPathFactory) -> list[list[list[str]]]:
    """The lines of each page of LibreOffice's PDF of the pack spliced from three parts,
    as poppler reads them, then in its layout mode."""
    whole = pack_document()
    cut = [i for i, b in enumerate(whole.blocks) if type(b).__name__ == "PageBreak"]
    front, first = whole.blocks[:2], whole.blocks[2:cut[0]]
    sections = [first, whole.blocks[cut[0] + 1:cut[1]], whole.blocks[cut[1] + 1:]]
    steps = OrderedList(tuple((Paragraph((Text(step),)),) for step in STEPS))
    writer = DocxWriter()
    parts = [writer.render_part(Document("course-pack", "ar", "rtl", whole.title, whole.meta,
                                         (*blocks, steps))) for blocks in sections]
    folder = tmp_path_factory.mktemp("lo-packs")
    source = folder / "spliced.docx"
    source.write_bytes(writer.compose(Document("course-pack", "ar", "rtl", whole.title,
                                               whole.meta, front), parts))
    profile = (folder / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=240)
    pages = []
    for layout in ([], ["-layout"]):  # the numbers of a list item stay on its line
        text = subprocess.run(["pdftotext", *layout, str(folder / "spliced.pdf"), "-"],
                              check=True, capture_output=True, text=True).stdout
        pages.append([[line.strip() for line in page.translate(CONTROLS).splitlines()
                       if line.strip()] for page in text.split("\f")[:-1]])
    return pages


def test_the_contents_give_each_parts_headings_their_pages(
        composed: list[list[list[str]]]) -> None:
    composed = composed[0]
    contents = next(n for n, page in enumerate(composed, 1) if "المحتويات" in page)
    assert contents == 2
    titles = [title for section in SECTIONS for title in section[:2]]
    shown = {}
    for line in composed[contents - 1]:
        for title in titles:
            if title in line:
                digits = "".join(c for c in line.replace(title, "") if c.isdigit())
                shown[title] = int(digits) if digits else None
    actual = {title: next(n for n, page in enumerate(composed, 1)
                          if n > contents and title in page) for title in titles}
    assert shown == actual
    assert actual[SECTIONS[0][0]] == contents + 1


def test_each_parts_list_starts_at_one_and_every_part_prints_once(
        composed: list[list[list[str]]]) -> None:
    lines = [line for page in composed[0] for line in page]
    laid = [line for page in composed[1] for line in page]
    for step, number in zip(STEPS, ("1", "2"), strict=True):
        found = [line for line in laid if step in line]
        assert [line.replace(step, "").strip(" .") for line in found] == [number] * 3
    order = [next(i for i, line in enumerate(lines) if line == title)
             for title, *_ in SECTIONS]
    assert order == sorted(order)
