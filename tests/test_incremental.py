"""Incremental builds: an edit rebuilds exactly what depends on it; --clean removes only stale files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, edit

from course.build.fingerprint import Fingerprints
from course.build.pipeline import build
from course.build.plan import Options, plan_jobs
from course.content.loader import load_project

DOCX = Options(formats=["docx"])


def expected(project: Path, keep: callable) -> set[str]:
    """The planned docx outputs that satisfy `keep`."""
    loaded, _ = load_project(project)
    assert loaded is not None
    return {j.relpath() for j in plan_jobs(loaded, DOCX) if keep(j)}


def test_nothing_changed_rebuilds_nothing(two_modules: Path) -> None:
    out = two_modules / "output"
    first = build(two_modules, out, DOCX, jobs=1)
    again = build(two_modules, out, DOCX, jobs=1)
    assert again.built == []
    assert sorted(again.unchanged) == sorted(first.built)


def test_editing_one_module_rebuilds_it_and_the_course_documents(two_modules: Path) -> None:
    out = two_modules / "output"
    build(two_modules, out, DOCX, jobs=1)
    edit(two_modules / "content" / "modules" / "sample2.yaml", "ما شرطة القرب؟",
         "ما شرطة القرب بإيجاز؟")
    result = build(two_modules, out, DOCX, jobs=1)
    # Only documents that print the edited stem are written again: sample2's quizzes and
    # answer keys in Arabic, the final exam that draws that question (not its answer sheet,
    # which prints no stems) and the trainer pack that holds the answer keys.
    assert sorted(result.built) == [
        "ar/final-exam-B.docx", "ar/final-exam-answer-key-B.docx",
        "ar/final-exam-answer-key.docx", "ar/final-exam.docx",
        "ar/sample2/answer-key-B.docx", "ar/sample2/answer-key.docx",
        "ar/sample2/quiz-B.docx", "ar/sample2/quiz.docx", "ar/trainer-pack.docx"]
    assert set(result.built) < expected(two_modules, lambda j: j.module in ("sample2", None))


def test_an_edit_that_prints_the_same_writes_nothing(two_modules: Path) -> None:
    out = two_modules / "output"
    build(two_modules, out, DOCX, jobs=1)
    edit(two_modules / "content" / "modules" / "sample2.yaml", "duration_minutes: 60",
         "duration_minutes:   60")
    result = build(two_modules, out, DOCX, jobs=1)
    assert result.built == []


def test_template_change_rebuilds_what_uses_it(two_modules: Path) -> None:
    out = two_modules / "output"
    custom = two_modules / "my-templates"
    custom.mkdir()
    shutil.copy(FIXTURES.parent.parent / "templates" / "answer-key.md.j2", custom)
    edit(two_modules / "content" / "course.yaml", "theme:", "templates: my-templates\ntheme:")
    build(two_modules, out, DOCX, jobs=1)
    (custom / "answer-key.md.j2").write_text(
        (custom / "answer-key.md.j2").read_text(encoding="utf-8") + "\nملاحظة للمدرب\n",
        encoding="utf-8")
    result = build(two_modules, out, DOCX, jobs=1)
    assert set(result.built) == expected(
        two_modules, lambda j: j.kind in ("answer-key", "final-exam-answer-key", "trainer-pack"))


def test_code_change_rebuilds_that_format(two_modules: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = two_modules / "output"
    build(two_modules, out, DOCX, jobs=1)
    original = Fingerprints.code
    monkeypatch.setattr(Fingerprints, "code",
                        lambda self, fmt: original(self, fmt) + (b"changed" if fmt == "docx"
                                                                 else b""))
    result = build(two_modules, out, DOCX, jobs=1)
    assert set(result.built) == expected(two_modules, lambda j: True)


def test_clean_removes_only_stale_outputs_it_wrote(two_modules: Path) -> None:
    out = two_modules / "output"
    build(two_modules, out, DOCX, jobs=1)
    mine = out / "ar" / "sample2" / "notes.txt"
    mine.write_text("my own notes", encoding="utf-8")
    edit(two_modules / "content" / "course.yaml", "modules: [sample, sample2]",
         "modules: [sample]")
    stale = build(two_modules, out, DOCX, jobs=1).stale
    assert stale and all(path.split("/")[1] == "sample2" for path in stale)
    assert "ar/sample2/keys.csv" in stale
    assert all((out / path).exists() for path in stale)
    result = build(two_modules, out, DOCX, clean=True, jobs=1)
    assert sorted(result.removed) == stale
    assert not any((out / path).exists() for path in stale)
    assert mine.read_text(encoding="utf-8") == "my own notes"
    assert (out / "ar" / "sample" / "handout.docx").exists()


def test_pdf_pack_lays_out_only_the_edited_module_again(two_modules: Path) -> None:
    from pypdf import PdfReader

    out = two_modules / "output"
    pack = Options(formats=["pdf"], kinds=["course-pack"], langs=["ar"])
    build(two_modules, out, pack, jobs=1)
    parts = out / ".coursegen-parts" / "ar" / "course-pack"
    before = {p.name: p.stat().st_mtime_ns for p in parts.glob("*.pdf")}
    assert set(before) == {"_front.pdf", "sample.pdf", "sample2.pdf", "_glossary.pdf"}
    edit(two_modules / "content" / "modules" / "sample2.yaml", "ترتكز على القرب",
         "وهي ترتكز على القرب")  # a handout's text: its part of the pack changes
    assert build(two_modules, out, pack, jobs=1).built == ["ar/course-pack.pdf"]
    after = {p.name: p.stat().st_mtime_ns for p in parts.glob("*.pdf")}
    assert after["sample.pdf"] == before["sample.pdf"]
    assert after["_glossary.pdf"] == before["_glossary.pdf"]
    assert after["sample2.pdf"] != before["sample2.pdf"]
    reader = PdfReader(out / "ar" / "course-pack.pdf")
    starts = [reader.get_destination_page_number(o) + 1 for o in reader.outline
              if not isinstance(o, list)]
    contents = reader.pages[1].extract_text()
    for page in starts:  # the contents page lists each part's first page
        assert str(page) in contents
    assert reader.pages[starts[1] - 1].extract_text().rstrip().endswith(f"صفحة {starts[1]}")


@pytest.mark.parametrize("theme", [
    '{primary_color: "#1F4E79", logo: brand/logo.png, reference_docx: brand/ref.docx}',
    '\n  "logo": "brand/logo.png"\n  ? reference_docx\n  : brand/ref.docx',
])
def test_theme_files_are_inputs_however_course_yaml_writes_them(good_project: Path,
                                                                 theme: str) -> None:
    brand = good_project / "brand"
    brand.mkdir()
    (brand / "logo.png").write_bytes(b"logo one")
    (brand / "ref.docx").write_bytes(b"reference")
    course = good_project / "content" / "course.yaml"
    text = course.read_text(encoding="utf-8")
    course.write_text(text[:text.index("theme:")] + f"theme: {theme}\n", encoding="utf-8")
    prints = Fingerprints(good_project)
    assert prints.theme_for("docx") == b"logo onereference"
    assert prints.theme_for("pdf") == b"logo one"
    before = prints.whole(DOCX)
    (brand / "logo.png").write_bytes(b"logo two")
    assert Fingerprints(good_project).theme_for("pdf") == b"logo two"
    after = Fingerprints(good_project).whole(DOCX)
    assert after != before
    # The near miss: a file the theme does not name is no input.
    (brand / "other.png").write_bytes(b"other")
    assert Fingerprints(good_project).whole(DOCX) == after


def test_the_names_remembered_in_the_output_are_only_for_the_same_course_yaml(
        good_project: Path) -> None:
    from course.build.names import CourseNames, course_names, remember_names

    out = good_project / "output"
    course = good_project / "content" / "course.yaml"
    planted = CourseNames(["xx"], ["planted"], None, {})
    remember_names(out, course.read_bytes(), planted)
    assert course_names(good_project, out) == planted  # kept for exactly these bytes
    edit(course, "version: \"1.0\"", "version: \"1.1\"")
    assert course_names(good_project, out) == CourseNames(["ar", "fr"], ["sample"], None, {})
    (out / ".coursegen-cache" / "course-names.json").write_text('{"course": 1}', "utf-8")
    assert course_names(good_project, out) == CourseNames(["ar", "fr"], ["sample"], None, {})


def test_a_glossary_is_put_in_order_only_when_it_changed(two_modules: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import course.render.packs as packs

    out = two_modules / "output"
    pack = Options(formats=["pdf", "docx"], kinds=["course-pack"], langs=["fr"])
    build(two_modules, out, pack, jobs=1)
    glossaries = [out / ".coursegen-parts" / "fr" / "course-pack" / "_glossary.pdf",
                  out / ".coursegen-parts" / "fr" / "course-pack-docx" / "_glossary.json"]
    before = [p.read_bytes() for p in glossaries]
    monkeypatch.setattr(packs, "_COLLATOR", None)  # as in a new worker: the table not loaded
    module = two_modules / "content" / "modules" / "sample2.yaml"
    edit(module, "une méthode de travail", "une vraie méthode de travail")
    assert sorted(build(two_modules, out, pack, jobs=1).built) == ["fr/course-pack.docx",
                                                                   "fr/course-pack.pdf"]
    assert packs._COLLATOR is None  # the glossary is as it was: not ordered again
    assert [p.read_bytes() for p in glossaries] == before
    # The first module's definition is the one the merged glossary keeps.
    edit(two_modules / "content" / "modules" / "sample.yaml",
         "les associations et les acteurs locaux", "les associations, les élus")
    build(two_modules, out, pack, jobs=1)
    assert packs._COLLATOR is not None
    assert [p.read_bytes() == b for p, b in zip(glossaries, before, strict=True)] == [False] * 2
