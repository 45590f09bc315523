"""Our DOCX as LibreOffice prints it: clean Arabic text, contents with page numbers, our fonts.

One pack-like Arabic document is converted once by `soffice --convert-to pdf` and read
back with poppler; the tests skip where LibreOffice or poppler is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.document import (
    Cover,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Strong,
    TableOfContents,
    Text,
)
from generators.docx.writer import DocxWriter

sys.path.insert(0, str(Path(__file__).parent))
from doc_samples import AR_LONG, AR_NUMBERS, AR_PARENS, sample_meta, t  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="needs LibreOffice (soffice) and poppler (pdftotext, pdffonts) to render the DOCX")

# Unique section titles (the running header and footer hold other words), and how many
# long paragraphs each section's two parts hold, so that headings fall on varied pages.
SECTIONS = (("محور القرب", "الشراكة المحلية", 5, 3),
            ("محور الوقاية", "حل المشكلات", 9, 2),
            ("محور التقييم", "المؤشرات", 2, 6))
ARABIC = re.compile(r"[\u0620-\u064A\u0671-\u06D3]")
CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def pack_document() -> Document:
    """Cover, contents, then three sections separated by page breaks."""
    blocks: list = [Cover(t("الشرطة المجتمعية"), (t("الإصدار 1.0"),)),
                    TableOfContents(t("المحتويات"))]
    for n, (title, sub, first, second) in enumerate(SECTIONS):
        if n:
            blocks.append(PageBreak())
        blocks += [Heading(1, t(title), anchor=f"s{n}"), Paragraph(t(AR_NUMBERS)),
                   *[Paragraph(t(AR_LONG)) for _ in range(first)],
                   Heading(2, t(sub), anchor=f"s{n}-sub"),
                   Paragraph((Text("تعني الركيزة "), Strong(t(AR_PARENS)))),
                   *[Paragraph(t(AR_LONG)) for _ in range(second)]]
    return Document("course-pack", "ar", "rtl", "الشرطة المجتمعية", sample_meta("ar"),
                    tuple(blocks))


# A second document converted in the same LibreOffice session: one that quotes a tatweel
# and other characters. LibreOffice keeps the first embedded font of a name for the
# session, so different subsets per document would leave the other one short of glyphs.
QUOTING = "بعض التأثير بـخصوص إشراك السكان، فكان ذلك إجراءً ملموسا. "


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """LibreOffice's PDFs of the pack document and of the quoting one, one session."""
    folder = tmp_path_factory.mktemp("lo")
    sources = [folder / "a-quoting.docx", folder / "pack.docx"]
    quoting = Document("handout", "ar", "rtl", "اقتباس", sample_meta("ar"),
                       tuple(Paragraph(t(QUOTING * 4 + AR_LONG)) for _ in range(6)))
    DocxWriter().write(quoting, sources[0])
    DocxWriter().write(pack_document(), sources[1])
    profile = (folder / "profile").as_uri()  # its own profile: other runs may be open
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, sources)],
                   check=True, capture_output=True, timeout=240)
    return folder / "pack.pdf", folder / "a-quoting.pdf"


@pytest.fixture(scope="module")
def lo_pdf(converted: tuple[Path, Path]) -> Path:
    """LibreOffice's PDF of the pack document (converted after the quoting one)."""
    return converted[0]


def pages(pdf: Path) -> list[list[str]]:
    """Each page's lines as poppler reads them, bidi marks removed."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout.translate(CONTROLS)
    return [[line.strip() for line in page.splitlines() if line.strip()]
            for page in text.split("\f")[:-1]]


def test_justified_arabic_extracts_without_stray_characters(lo_pdf: Path) -> None:
    words = [w for page in pages(lo_pdf) for line in page for w in line.split()]
    arabic = [w for w in words if ARABIC.search(w)]
    assert len(arabic) > 1500
    # Kashida stretching of a substitute font left '@@', 'QQ' or digits inside words.
    inside = re.compile(r"[\u0620-\u064A][^\u0600-\u06FF]+[\u0620-\u064A]")
    assert [w for w in arabic if inside.search(w)] == []
    meta = sample_meta("ar")
    texts = [AR_LONG, AR_NUMBERS, AR_PARENS, "تعني الركيزة المحتويات الإصدار صفحة من",
             meta.header, meta.footer, *(title for s in SECTIONS for title in s[:2])]
    vocabulary = {w.strip(".،؟()0123456789") for text in texts for w in text.split()}
    assert sorted({w for w in arabic if w.strip(".،؟()0123456789") not in vocabulary}) == []


def test_contents_show_libreoffice_page_numbers(lo_pdf: Path) -> None:
    read = pages(lo_pdf)
    contents = next(n for n, page in enumerate(read, 1) if "المحتويات" in page)
    titles = [title for section in SECTIONS for title in section[:2]]
    shown = {}
    for line in read[contents - 1]:
        for title in titles:
            if title in line:
                digits = re.sub(r"\D", "", line.replace(title, ""))
                shown[title] = int(digits) if digits else None  # None: printed without one
    actual = {title: next(n for n, page in enumerate(read, 1) if n > contents and title in page)
              for title in titles}
    assert shown == actual
    assert len(set(actual.values())) >= 5  # the headings do fall on different pages


def test_first_part_starts_the_page_after_the_contents(lo_pdf: Path) -> None:
    read = pages(lo_pdf)
    contents = next(n for n, page in enumerate(read, 1) if "المحتويات" in page)
    assert contents == 2  # after the cover
    # The contents page holds the title and the six entries (and the running lines) only.
    assert not any(AR_NUMBERS in line for line in read[contents - 1])
    first = next(n for n, page in enumerate(read, 1) if n > contents and SECTIONS[0][0] in page)
    assert first == contents + 1


def test_libreoffice_draws_the_embedded_fonts(lo_pdf: Path) -> None:
    listing = subprocess.run(["pdffonts", str(lo_pdf)], check=True, capture_output=True,
                             text=True).stdout.splitlines()[2:]
    names = sorted({line.split()[0].split("+")[-1] for line in listing})
    # Where Amiri is not installed (as here), only the DOCX's own copy gives these names.
    assert names == ["Amiri-Bold", "Amiri-Regular"]


def test_a_document_quoting_a_tatweel_is_not_stretched_either(converted) -> None:
    words = [w for page in pages(converted[1]) for line in page for w in line.split()]
    inside = re.compile(r"[\u0620-\u064A][^\u0600-\u06FF]+[\u0620-\u064A]")
    assert len(words) > 600
    assert [w for w in words if inside.search(w)] == []
    # The text's own tatweel is kept (drawn from a fallback font), no other is added.
    text = "".join(line for page in pages(converted[1]) for line in page)
    assert text.count("\u0640") == QUOTING.count("\u0640") * 4 * 6
