"""French typography: a no-break space before : ; ! ? » and after «, so that no printed line
starts with that punctuation; no-break spaces an author typed are kept."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import edit

from course.cli import cli
from course.render.markdown import escape_block_start
from course.render.typography import french

MOD = "content/modules/sample.yaml"
BODY_FR = "        La police de proximité est **une méthode de travail** qui rend"


@pytest.mark.parametrize(("written", "printed"), [
    ("réciproque ; les habitants", "réciproque\u00a0; les habitants"),
    ("Qu'est-ce que ?", "Qu'est-ce que\u00a0?"),
    ("une police « intégrée », au", "une police «\u00a0intégrée\u00a0», au"),
    ("«mot»", "«\u00a0mot\u00a0»"),
    ("Complétez: selon", "Complétez\u00a0: selon"),
    ("Note : fin :", "Note\u00a0: fin\u00a0:"),
    ("quoi?! non", "quoi\u00a0?! non"),
    ("mot   ;", "mot\u00a0;"),
    ("a\u202f; b", "a\u202f; b"),  # a thin no-break space an author typed stays thin
])
def test_french_binds_the_space_before_high_punctuation(written: str, printed: str) -> None:
    assert french(written) == printed
    assert french(printed) == printed  # set once is set


@pytest.mark.parametrize("text", ["à 10:30", "voir http://x.fr/a?b=1", "a:b", "page?id=3",
                                  "Rien à signaler.", "(?)"])
def test_colons_and_marks_inside_words_and_numbers_are_kept(text: str) -> None:
    assert french(text) == text


def test_inline_texts_keep_no_break_spaces_and_fold_the_others() -> None:
    assert escape_block_start(" 10\u00a0%  de\t\nla\u202f»\u2028x ") == "10\u00a0% de la\u202f» x"


def build(project: Path, *extra: str) -> None:
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--jobs", "1",
                                      "--variants", "1", "--lang", "fr", "--only", "handout",
                                      *extra])
    assert result.exit_code == 0, result.stderr


def docx_text(path: Path) -> str:
    return re.sub(r"<[^>]+>", "", zipfile.ZipFile(path).read("word/document.xml").decode())


def test_french_documents_bind_and_arabic_ones_are_untouched(good_project: Path) -> None:
    edit(good_project / MOD, BODY_FR, "        Une police « proche » ; pourquoi ?\n\n" + BODY_FR)
    build(good_project, "--format", "docx", "--lang", "ar,fr")
    fr = docx_text(good_project / "output/fr/sample/handout.docx")
    # Content, and a label of labels.yaml, as they were written with plain spaces.
    assert "Une police «\u00a0proche\u00a0»\u00a0; pourquoi\u00a0?" in fr
    assert "ce support\u00a0:" in fr
    assert not re.search(r" [:;!?»]|« ", fr)
    ar = docx_text(good_project / "output/ar/sample/handout.docx")
    assert "\u00a0" not in ar


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) "
                    "is not installed")
def test_no_french_pdf_line_starts_with_high_punctuation(good_project: Path) -> None:
    # A paragraph with a break opportunity before a mark every few words: with plain
    # spaces, some lines of it start with ; or » (this test fails without the binding).
    filler = " ".join(f"mot{i} « cité » ; autre{i} ? fin{i} ! note{i} :" for i in range(60))
    edit(good_project / MOD, BODY_FR, f"        {filler}\n\n{BODY_FR}")
    build(good_project, "--format", "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(good_project /
                           "output/fr/sample/handout.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "mot59" in text
    assert [line for line in text.splitlines() if re.match(r"\s*[:;!?»]", line)] == []
    assert [line for line in text.splitlines() if re.search(r"«\s*$", line)] == []


def test_the_course_packs_glossary_is_set_in_french_typography(good_project: Path) -> None:
    edit(good_project / MOD, "      fr: La sécurité produite avec les citoyens,",
         "      fr: La sécurité produite ensemble ; avec les citoyens,")
    result = CliRunner().invoke(cli, ["build", "--project", str(good_project), "--lang", "fr",
                                      "--format", "docx", "--only", "course-pack"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(good_project / "output" / "fr" / "course-pack.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    # Once in the module's handout, once in the course glossary made by the pack itself.
    assert xml.count("produite ensemble\u00a0; avec") == 2
    assert "produite ensemble ; avec" not in xml
