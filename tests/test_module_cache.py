"""The build's cache of parsed and checked modules: it changes no result, only the work."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, add_module_copy, edit

from course.build.check import check
from course.build.fingerprint import Fingerprints
from course.build.module_cache import CACHE_DIR, WHERE, ModuleCache, _dump, _located
from course.content.yamlsource import parse_yaml

MODULE = "content/modules/sample.yaml"
UNUSED_TERM = """glossary:
  - term:
      ar: مصطلح غائب
      fr: Terme absent
    definition:
      ar: تعريف لا يرد مصطلحه في نص الوحدة.
      fr: Une définition dont le terme manque au texte.
    source: {para: 8, anchor: "لتحقيق الإنتاج المشترك للأمن"}
"""
WARNING = (f"{MODULE}:60:7: warning: glossary term 'مصطلح غائب' appears nowhere in the "
           "module's text; use it in a section or remove it")


@pytest.fixture
def two_modules(tmp_path: Path) -> Path:
    """The good fixture with a second module, sample2, whose glossary has an unused term."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "good", project)
    add_module_copy(project, "sample2", lambda text: text.replace("glossary:\n", UNUSED_TERM, 1))
    return project


def cached_check(project: Path) -> tuple[ModuleCache, list[str], object]:
    cache = ModuleCache(project / "output", Fingerprints(project).checked())
    result = check(project, cache=cache)
    return cache, [d.format() for d in result.diagnostics], result.project


def test_a_second_check_reads_no_module_and_says_the_same(two_modules: Path) -> None:
    plain = check(two_modules)
    first, said, _ = cached_check(two_modules)
    assert first.fresh == {MODULE, "content/modules/sample2.yaml"}
    again, said_again, project = cached_check(two_modules)
    assert again.fresh == set()
    assert said_again == said == [d.format() for d in plain.diagnostics]
    assert WARNING.replace("sample.yaml", "sample2.yaml") in said_again
    assert project.modules == plain.project.modules  # type: ignore[union-attr]
    assert len(list((two_modules / "output" / CACHE_DIR).glob("*.json"))) == 4  # and its positions


def test_an_edit_reads_and_checks_only_the_edited_module(two_modules: Path) -> None:
    cached_check(two_modules)
    edit(two_modules / MODULE, "glossary:\n", UNUSED_TERM)
    cache, said, project = cached_check(two_modules)
    assert cache.fresh == {MODULE}
    assert said == [d.format() for d in check(two_modules).diagnostics]
    assert WARNING in said
    # The entry of the module as it was is gone; one per module remains.
    assert len(list((two_modules / "output" / CACHE_DIR).glob("*.json"))) == 4  # and its positions


def test_the_builds_digests_find_the_entries_a_plain_read_made(
        two_modules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached_check(two_modules)  # entries kept by a cache that read and hashed each file
    prints = Fingerprints(two_modules)
    digests = prints.module_files()
    assert sorted(digests) == [MODULE, "content/modules/sample2.yaml"]
    read: list[Path] = []
    monkeypatch.setattr("course.build.module_cache.read_regular",
                        lambda path: read.append(path) or b"")
    cache = ModuleCache(two_modules / "output", prints.checked(), digests)
    check(two_modules, cache=cache)
    assert cache.fresh == set()
    assert read == []  # the bytes the build read were not read again


def test_numbers_keep_how_they_were_written_through_the_cache() -> None:
    located, problems = parse_yaml("a: 1.10\nb: 010\nc: .inf\nd: [true, 1]\n", "m.yaml")
    assert located is not None and problems == []
    texts = _dump(located, [])
    assert texts is not None
    back = _located(json.loads(texts[0]), Path("unused")).data
    assert (back["a"], back["a"].source) == (1.1, "1.10")
    assert (back["b"], back["b"].source) == (8, "010")
    assert back["c"] == math.inf and back["c"].source == ".inf"
    assert [type(v).__name__ for v in back["d"]] == ["bool", "SourceInt"]
    assert back["d"][1].source == "1"


def test_data_json_cannot_carry_is_not_kept() -> None:
    located, _ = parse_yaml("when: 2026-12-01\n", "m.yaml")
    assert located is not None and _dump(located, []) is None
    located, _ = parse_yaml("when: '2026-12-01'\n", "m.yaml")  # the near miss: text
    assert located is not None and _dump(located, []) is not None


def test_course_templates_or_code_inputs_change_the_key(two_modules: Path) -> None:
    cached_check(two_modules)
    edit(two_modules / "content" / "course.yaml", "modules: [sample, sample2]",
         "modules: [sample, sample2]  # reordered later")
    cache, _, _ = cached_check(two_modules)
    assert cache.fresh == {MODULE, "content/modules/sample2.yaml"}


def test_a_corrupt_or_planted_entry_is_a_miss(two_modules: Path) -> None:
    cached_check(two_modules)
    for path in (two_modules / "output" / CACHE_DIR).glob("*.json"):
        path.write_text('{"format": 2, "data": 1, "numbers": [[["x"], "int", 1, "1"]]}',
                        encoding="utf-8")
    cache, said, project = cached_check(two_modules)
    assert cache.fresh == {MODULE, "content/modules/sample2.yaml"}
    assert said == [d.format() for d in check(two_modules).diagnostics]
    assert project is not None and [m.id for m in project.modules] == ["sample", "sample2"]


def test_a_check_with_an_error_keeps_nothing(two_modules: Path) -> None:
    edit(two_modules / MODULE, "id: sample\n", "id: sample\nunknown_key: 1\n")
    cache, said, _ = cached_check(two_modules)
    assert any(": error: " in line for line in said)
    assert not (two_modules / "output" / CACHE_DIR).exists()


def test_a_warning_across_modules_follows_the_other_modules_edit(two_modules: Path) -> None:
    apart = "      ar: الانتاج المشترك للأمن\n"
    edit(two_modules / "content/modules/sample2.yaml", "      ar: الإنتاج المشترك للأمن\n",
         apart)
    spelt = ("content/modules/sample2.yaml:67:11: warning: glossary term 'الانتاج المشترك "
             "للأمن' is spelled 'الإنتاج المشترك للأمن' in module 'sample'; spell it one way, "
             "or the course glossary lists it twice")
    assert spelt in cached_check(two_modules)[1]
    # sample now spells it as sample2 does: sample2 is read from the cache, and the
    # warning, which came from comparing the two, is gone.
    edit(two_modules / MODULE, "      ar: الإنتاج المشترك للأمن\n", apart)
    cache, said, _ = cached_check(two_modules)
    assert cache.fresh == {MODULE}
    assert not any("is spelled" in line for line in said)
    assert said == [d.format() for d in check(two_modules).diagnostics]


def test_damaged_position_tables_cost_positions_not_a_crash(two_modules: Path) -> None:
    cached_check(two_modules)
    for path in (two_modules / "output" / CACHE_DIR).glob(f"*{WHERE}"):
        entry = json.loads(path.read_text(encoding="utf-8"))
        entry["positions"] = [[1], "x"]
        path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    cache, _, project = cached_check(two_modules)
    assert cache.fresh == set()
    located = project.located[MODULE]  # type: ignore[union-attr]
    assert located.where(("glossary", 0, "term")) == (1, 1)
    assert located.where(("glossary", 0, "term"), key=True) == (59, 5)  # its table is whole
