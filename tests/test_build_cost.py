"""The work of an edit depends on what changed, not on the course's size."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, edit, spy

from course.build.pipeline import build
from course.build.plan import Options
from course.content.loader import load_project
from course.quiz.versions import draw_final
from course.render.assemble import Assembler
from course.render.packs import Packs

PACKS = Options(formats=["pdf"], kinds=["course-pack", "trainer-pack"], langs=["ar"])
FINAL = Options(formats=["docx"], kinds=["final-exam", "final-exam-answer-key"], langs=["ar"])


def test_an_edit_lays_out_only_that_modules_parts(two_modules: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = two_modules / "output"
    build(two_modules, out, PACKS, jobs=1)
    sections = spy(monkeypatch, Packs, "section", lambda lang, kind, module: (kind, module.id))
    edit(two_modules / "content" / "modules" / "sample2.yaml", "ترتكز على القرب",
         "وهي ترتكز على القرب")  # a handout's text: in the course pack, not the trainer's
    result = build(two_modules, out, PACKS, jobs=1)
    # sample's parts are not even rendered: their inputs' key is the one recorded.
    assert sections == [("course-pack", "sample2"), ("trainer-pack", "sample2")]
    assert result.laid_out == {"ar/course-pack.pdf": ["sample2"], "ar/trainer-pack.pdf": []}
    assert result.built == ["ar/course-pack.pdf"]
    assert result.unchanged == ["ar/trainer-pack.pdf"]


def test_a_forced_build_lays_out_every_part(two_modules: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = two_modules / "output"
    build(two_modules, out, PACKS, jobs=1)
    sections = spy(monkeypatch, Packs, "section", lambda lang, kind, module: (kind, module.id))
    result = build(two_modules, out, PACKS, jobs=1, force=True)
    assert sections == [("course-pack", "sample"), ("course-pack", "sample2"),
                        ("trainer-pack", "sample"), ("trainer-pack", "sample2")]
    assert result.laid_out["ar/course-pack.pdf"] == ["_contents", "sample", "sample2",
                                                     "_glossary", "_front"]


def undrawn_stem(project: Path, module: str) -> tuple[str, str]:
    """The Arabic stem of a question of `module` the final exam draws, and of one it does not."""
    loaded, _ = load_project(project)
    assert loaded is not None
    drawn = {q.id for m, q in draw_final(loaded, loaded.course.quiz.seed) if m == module}
    questions = next(m for m in loaded.modules if m.id == module).questions
    return (next(q.stem["ar"] for q in questions if q.id in drawn),
            next(q.stem["ar"] for q in questions if q.id not in drawn))


def test_the_final_exam_is_not_rendered_when_no_drawn_question_changed(
        two_modules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = two_modules / "output"
    build(two_modules, out, FINAL, jobs=1)
    drawn, undrawn = undrawn_stem(two_modules, "sample2")
    rendered = spy(monkeypatch, Assembler, "document", lambda job: job.relpath())
    edit(two_modules / "content" / "modules" / "sample2.yaml", undrawn, undrawn + " بإيجاز")
    result = build(two_modules, out, FINAL, jobs=1)
    assert rendered == [] and result.built == []
    # The near miss: a drawn question's edit renders each exam document once, and writes it.
    edit(two_modules / "content" / "modules" / "sample2.yaml", drawn, drawn + " بإيجاز")
    result = build(two_modules, out, FINAL, jobs=1)
    assert sorted(rendered) == sorted(result.built) == [
        "ar/final-exam-B.docx", "ar/final-exam-answer-key-B.docx",
        "ar/final-exam-answer-key.docx", "ar/final-exam.docx"]


NOOP = """
import sys
from course.cli import cli
try:
    cli(["build", "--project", sys.argv[1]])
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules
               if m.startswith(("reportlab", "docx", "pptx", "pypdf", "pydantic", "jinja2",
                                "yaml"))
               or (m.startswith("generators.") and m.endswith(".writer"))
               or m == "course.content.model")
print(heavy)
"""


def test_a_no_op_build_imports_no_writer_nor_the_content_model_nor_yaml(
        tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "good", project)
    # One printed version: a whole build (every format) that stays short.
    edit(project / "content" / "course.yaml", "variants: 2", "variants: 1")
    build(project, project / "output", Options())

    def run() -> tuple[str, str]:
        done = subprocess.run([sys.executable, "-c", NOOP, str(project)], capture_output=True,
                              text=True, cwd=ROOT, check=True)
        return done.stdout.strip(), done.stderr.strip()

    imported, said = run()
    assert said.startswith("built 0 files, ")
    assert imported == "[]"
    # Without the names remembered from course.yaml's bytes, it is parsed: YAML, only.
    (project / "output" / ".coursegen-cache" / "course-names.json").unlink()
    imported, said = run()
    assert said.startswith("built 0 files, ")
    assert "'yaml.parser'" in imported
    assert [m for m in ast.literal_eval(imported) if not m.startswith("yaml")] == []
    # The near miss: once an output is gone, the same command imports its writer.
    record = json.loads((project / "output" / ".coursegen-build.json").read_text("utf-8"))
    assert "ar/sample/handout.docx" in record["files"]
    (project / "output" / "ar" / "sample" / "handout.docx").unlink()
    imported, said = run()
    assert said.startswith("built 1 file, ")
    assert "generators.docx.writer" in imported
    assert "course.content.model" in imported and "pydantic" in imported


DOCX_PACKS = Options(formats=["docx"], kinds=["course-pack", "trainer-pack"], langs=["ar"])


def test_an_edit_lays_out_only_that_modules_docx_parts(two_modules: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = two_modules / "output"
    build(two_modules, out, DOCX_PACKS, jobs=1)
    before = (out / "ar" / "trainer-pack.docx").read_bytes()
    sections = spy(monkeypatch, Packs, "section", lambda lang, kind, module: (kind, module.id))
    edit(two_modules / "content" / "modules" / "sample2.yaml", "ترتكز على القرب",
         "وهي ترتكز على القرب")
    result = build(two_modules, out, DOCX_PACKS, jobs=1)
    assert sections == [("course-pack", "sample2"), ("trainer-pack", "sample2")]
    assert result.laid_out == {"ar/course-pack.docx": ["sample2"], "ar/trainer-pack.docx": []}
    assert result.built == ["ar/course-pack.docx"]
    assert (out / "ar" / "trainer-pack.docx").read_bytes() == before
    # The composed pack holds the edit, once.
    with zipfile.ZipFile(out / "ar" / "course-pack.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert body.count("وهي ترتكز على القرب") == 1


def test_workers_read_no_module_again_and_shaped_words_stay_in_the_output(
        two_modules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import course.build.check  # binds the real load_project for the build's own check
    import course.content.loader

    def refuse(*args: object, **kw: object) -> None:
        raise AssertionError("a worker read the project again")

    # The build's own check is bound in course.build.check; only a worker would call this.
    monkeypatch.setattr(course.content.loader, "load_project", refuse)
    out = two_modules / "output"
    result = build(two_modules, out, Options(formats=["pdf"], kinds=["handout"]), jobs=2)
    assert sorted(result.built) == ["ar/sample/handout.pdf", "ar/sample2/handout.pdf",
                                    "fr/sample/handout.pdf", "fr/sample2/handout.pdf"]
    cache = out / ".coursegen-cache"
    kept = sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*")
                  if p.is_file() and not p.name.endswith(".json"))
    # Shaped words by font; laid-out lines by document kind, language, title and file name:
    # sample2 is a copy of sample (its title too), so one file per language.
    assert sum(p.startswith("shapes-") for p in kept) >= 1
    assert sum(p.startswith("lines-") for p in kept) == 2
    assert all(p.endswith(".bin") for p in kept)


def test_packs_are_laid_out_and_joined_by_the_workers(two_modules: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import course.build.writing as writing

    where = two_modules / "pids.txt"
    real = writing._write_pack

    def noted(job, *args, **kw):  # forked workers inherit this patch and append to the file
        with where.open("a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {job.relpath()}\n")
        return real(job, *args, **kw)

    monkeypatch.setattr(writing, "_write_pack", noted)
    result = build(two_modules, two_modules / "output", PACKS, jobs=2)
    # By the pack's path: two workers' pids may come in either order.
    lines = sorted(where.read_text(encoding="utf-8").splitlines(), key=lambda ln: ln.split()[1])
    assert [line.split()[1] for line in lines] == ["ar/course-pack.pdf", "ar/trainer-pack.pdf"]
    assert str(os.getpid()) not in {line.split()[0] for line in lines}
    assert sorted(result.laid_out) == ["ar/course-pack.pdf", "ar/trainer-pack.pdf"]
