"""What a build holds in memory stays bounded: print records, module sources, a pack's body."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from doc_samples import sample_meta  # noqa: E402

import course.render.assemble as assemble
from course.content.loader import load_project
from course.content.paths import COURSE_FILE
from course.document import Document
from course.render.assemble import Assembler
from generators.opc import stable_zip


def test_an_assembler_keeps_only_the_most_recent_print_records(
        two_modules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[tuple[str, str]] = []
    real = assemble.quiz_record

    def counted(items: object, quiz: str, lang: str, *rest: object) -> dict:
        made.append((quiz, lang))
        return real(items, quiz, lang, *rest)

    monkeypatch.setattr(assemble, "quiz_record", counted)
    monkeypatch.setattr(assemble, "RECORDS_KEPT", 2)
    project, _ = load_project(two_modules)
    assert project is not None
    assembler = Assembler(project)
    first = assembler.record("sample", "ar")
    assembler.record("sample", "fr")
    assert assembler.record("sample", "ar") is first  # still held: no second layout
    assembler.record("sample2", "ar")  # "sample"/"fr" is now the oldest: it goes
    assembler.record("sample", "fr")
    assert made == [("sample", "ar"), ("sample", "fr"), ("sample2", "ar"), ("sample", "fr")]
    assert list(assembler._records) == [("sample2", "ar"), ("sample", "fr")]
    assert assembler.record("sample", "ar")["digest"] == first["digest"]


def test_a_checked_project_can_let_its_module_sources_go(two_modules: Path) -> None:
    project, _ = load_project(two_modules)
    assert project is not None
    course_data = project.located[COURSE_FILE].data
    project.forget_module_sources()
    modules = [project.located[f"content/modules/{m}.yaml"] for m in ("sample", "sample2")]
    assert [(m.data, m.positions, m.key_positions) for m in modules] == [(None, {}, {})] * 2
    assert project.located[COURSE_FILE].data is course_data  # names and theme still read it
    assert [m.id for m in project.modules] == ["sample", "sample2"]


def test_a_member_given_in_chunks_is_stored_as_if_given_whole() -> None:
    document = Document(kind="handout", lang="ar", direction="rtl", title="t",
                        meta=sample_meta(), blocks=())
    body = "<w:body>نص عربي طويل</w:body>".encode() * 2000
    whole = stable_zip({"word/document.xml": body, "[Content_Types].xml": b"<T/>"}, document)
    chunks = [body[i:i + 999] for i in range(0, len(body), 999)]
    chunked = stable_zip({"word/document.xml": iter(chunks), "[Content_Types].xml": b"<T/>"},
                         document)
    assert chunked == whole
    names = zipfile.ZipFile(io.BytesIO(chunked)).namelist()
    assert names == ["[Content_Types].xml", "word/document.xml"]
    assert zipfile.ZipFile(io.BytesIO(chunked)).read("word/document.xml") == body
