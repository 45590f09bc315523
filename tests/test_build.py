"""The build: what it writes, same bytes twice, no answer leakage, safe writes, clean errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, edit
from pypdf import PdfReader

from course.build import pipeline as build_module
from course.build.pipeline import build
from course.build.plan import Options
from course.cli import cli
from course.content.loader import load_project

MOD = "content/modules/sample.yaml"


def run(*args: str) -> tuple[int, str]:
    """Run the CLI; return exit status and standard error."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stderr


def files_under(out: Path) -> dict[str, bytes]:
    """Every file of an output folder, by relative path."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The good fixture built once in both formats (shared by read-only tests)."""
    project = tmp_path_factory.mktemp("built") / "project"
    shutil.copytree(FIXTURES / "good", project)
    status, err = run("build", "--project", str(project), "--jobs", "2")
    assert status == 0, err
    return project / "output"


def text_of(path: Path) -> str:
    """All the text of a DOCX (paragraphs and tables) or a PDF (pypdf)."""
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_every_kind_in_both_formats_and_languages(built: Path) -> None:
    names = set(files_under(built))
    for lang in ("ar", "fr"):
        for kind in ("handout", "slides", "quiz", "quiz-B", "answer-key", "answer-key-B",
                     "answer-sheet", "answer-sheet-B", "trainer-guide"):
            for fmt in ("docx", "pdf"):
                assert f"{lang}/sample/{kind}.{fmt}" in names
        for kind in ("final-exam", "final-exam-B", "final-exam-answer-key",
                     "final-exam-answer-sheet", "course-pack", "trainer-pack"):
            for fmt in ("docx", "pdf"):
                assert f"{lang}/{kind}.{fmt}" in names
        assert f"{lang}/sample/keys.csv" in names
        assert f"{lang}/final-exam-keys.csv" in names
    assert not [n for n in names if ".tmp" in n]


def test_keys_csv_lists_every_version(built: Path) -> None:
    rows = (built / "ar" / "sample" / "keys.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "version,number,question,type,answer,points"
    assert rows[1] == "A,1,q1,single,a,2"
    assert len(rows) == 1 + 2 * 6  # six questions, versions A and B


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_no_answer_leaks_into_participant_documents(built: Path, lang: str) -> None:
    project, _ = load_project(FIXTURES / "good")
    assert project is not None
    module = project.modules[0]
    secrets = [q.explanation[lang] for q in module.questions]
    secrets += [c.feedback[lang] for q in module.questions for c in q.choices or [] if c.feedback]
    secrets += [{"ar": "التعليل", "fr": "Explication"}[lang]]
    for kind in ("quiz", "quiz-B", "answer-sheet", "handout", "slides"):
        for fmt in ("docx", "pdf"):
            text = text_of(built / lang / "sample" / f"{kind}.{fmt}")
            for secret in secrets:
                assert secret not in text, (kind, fmt, secret)
    key = text_of(built / lang / "sample" / "answer-key.docx")
    assert all(s in key for s in secrets[:len(module.questions)])


def test_same_inputs_same_bytes(built: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "good", project)
    status, err = run("build", "--project", str(project), "--jobs", "1")
    assert status == 0, err
    # The caches hold what each process happened to shape first: they are not outputs.
    again = {k: v for k, v in files_under(project / "output").items()
             if not k.startswith(".coursegen-cache/")}
    first = {k: v for k, v in files_under(built).items()
             if not k.startswith(".coursegen-cache/")}
    assert again.keys() == first.keys()
    assert ".coursegen-parts/ar/course-pack/index.json" in first
    for name in first:
        if name != ".coursegen-build.json":
            assert again[name] == first[name], name


def test_content_errors_change_nothing_in_output(good_project: Path) -> None:
    status, _ = run("build", "--project", str(good_project), "--format", "docx",
                    "--only", "handout")
    assert status == 0
    before = files_under(good_project / "output")
    edit(good_project / MOD, "    points: 2\n", "    points: two\n")
    status, err = run("build", "--project", str(good_project), "--format", "docx")
    assert status == 1
    assert err.splitlines() == [
        f"{MOD}:93:13: error: 'points' in question 'q1' must be a number, not 'two'",
        "1 error, 0 warnings"]
    assert files_under(good_project / "output") == before


def test_interrupted_write_keeps_the_previous_file(good_project: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = good_project / "output"
    assert run("build", "--project", str(good_project), "--format", "docx", "--only",
               "handout", "--lang", "ar")[0] == 0
    target = out / "ar" / "sample" / "handout.docx"
    good_bytes = target.read_bytes()

    class Crashing:
        name, suffix = "docx", ".docx"

        def write(self, document: object, path: Path) -> None:
            path.write_bytes(b"PK\x03\x04 half a file")
            raise KeyboardInterrupt

    monkeypatch.setattr("generators.get_writer", lambda name: Crashing())
    with pytest.raises(KeyboardInterrupt):
        build(good_project, out, Options(langs=["ar"], formats=["docx"], kinds=["handout"]),
              force=True, jobs=1)
    assert target.read_bytes() == good_bytes
    assert [p.name for p in target.parent.iterdir() if ".tmp" in p.name] == []


def test_content_is_data_and_markdown_is_rendered(good_project: Path) -> None:
    edit(good_project / MOD, "ترتكز على القرب والوقاية والشراكة",
         "ترتكز {{ 7*7 }} و<b>x</b> على القرب والوقاية والشراكة")
    status, err = run("build", "--project", str(good_project), "--format", "docx",
                      "--only", "handout", "--lang", "ar")
    assert status == 0, err
    document = docx.Document(str(good_project / "output" / "ar" / "sample" / "handout.docx"))
    texts = [p.text for p in document.paragraphs]
    assert any("ترتكز {{ 7*7 }} و<b>x</b> على القرب" in t for t in texts)
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "منهجية وطريقة عمل" in bold  # from **منهجية وطريقة عمل** in the body


def custom_handout(project: Path, template: str) -> None:
    """Give the project its own templates folder holding one handout template."""
    custom = project / "my-templates"
    custom.mkdir()
    (custom / "handout.md.j2").write_text(template, encoding="utf-8")
    edit(project / "content" / "course.yaml", "theme:", "templates: my-templates\ntheme:")


def test_template_error_names_the_template_and_line(good_project: Path) -> None:
    custom_handout(good_project, "# {{ m.title }}\n\n{{ m.summary }}\n\n{{ nope }}\n")
    status, err = run("build", "--project", str(good_project), "--format", "docx",
                      "--only", "handout")
    assert status == 1
    assert err.splitlines()[0].endswith(
        "my-templates/handout.md.j2:5:1: error: template error: 'nope' is undefined; "
        "check the name")


def test_custom_template_overrides_the_shipped_one(good_project: Path) -> None:
    custom_handout(good_project, "# {{ m.title }}\n\nنسخة الأكاديمية\n")
    assert run("build", "--project", str(good_project), "--format", "docx", "--only",
               "handout,quiz", "--lang", "ar")[0] == 0
    out = good_project / "output" / "ar" / "sample"
    handout = [p.text for p in docx.Document(str(out / "handout.docx")).paragraphs]
    assert "نسخة الأكاديمية" in handout
    assert "نسخة الأكاديمية" not in text_of(out / "quiz.docx")


def test_build_record_lists_outputs(built: Path) -> None:
    import json

    record = json.loads((built / ".coursegen-build.json").read_text(encoding="utf-8"))
    assert "ar/sample/handout.pdf" in record["outputs"]
    # 68 documents, 2 decks, 4 keys.csv and 4 printed.json files
    assert len(record["outputs"]) == 68 + 2 + 4 + 4


def test_unknown_format_lists_known_ones(good_project: Path) -> None:
    status, _ = run("build", "--project", str(good_project), "--format", "odt")
    assert status == 2
    result = CliRunner().invoke(cli, ["build", "--project", str(good_project), "--format", "odt"])
    assert "unknown format 'odt'; known formats: docx, pdf" in result.stderr


def test_writer_registry_error() -> None:
    from generators import UnknownFormatError, get_writer

    with pytest.raises(UnknownFormatError, match="unknown format 'odt'; known formats: docx, pdf"):
        get_writer("odt")


def test_atomic_text_write_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a" / "keys.csv"
    build_module.atomic_write_text(target, "x\n")
    assert target.read_text(encoding="utf-8") == "x\n"
    assert [p.name for p in target.parent.iterdir()] == ["keys.csv"]

