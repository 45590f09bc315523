"""The shipped course: cited verbatim, checked clean, and complete as teaching material.

Anchors are verified against the report when ../shared/seeds/ is present; otherwise those
tests are skipped with a message saying so (`pytest -rs` lists it).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, SEED

from course.cli import cli
from course.content.citations import iter_sources, read_paragraphs
from course.content.loader import Project, load_project
from course.content.model import Module
from course.content.validate import iter_texts

SKIP_NO_SEED = f"the report ../shared/seeds/{SEED.name} is not present (shared/seeds not " \
    "present): the shipped anchors were NOT verified against their paragraphs"
MODULE_IDS = ["why-proximity", "five-pillars", "administrative-police",
              "security-communication", "civil-society"]


@pytest.fixture(scope="module")
def project() -> Project:
    """The shipped project, loaded; it must load without a single error."""
    loaded, problems = load_project(ROOT)
    assert loaded is not None, [p.format() for p in problems]
    assert [p.format() for p in problems if p.severity == "error"] == []
    return loaded


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    if not SEED.is_file():
        pytest.skip(SKIP_NO_SEED)
    return read_paragraphs(SEED)


def modules_of(project: Project) -> dict[str, Module]:
    return {m.id: m for m in project.modules}


def test_the_course_lists_the_five_shipped_modules(project: Project) -> None:
    assert project.course.modules == MODULE_IDS
    assert list(modules_of(project)) == MODULE_IDS
    on_disk = sorted(p.stem for p in (ROOT / "content" / "modules").glob("*.yaml"))
    assert on_disk == sorted(MODULE_IDS)


# --- citations ------------------------------------------------------------------------------

def test_every_anchor_is_verbatim_in_its_paragraph(project: Project,
                                                   paragraphs: list[str]) -> None:
    checked = 0
    wrong: list[str] = []
    for module in project.modules:
        for path, source in iter_sources(module):
            where = f"{module.id} {'.'.join(map(str, path))}"
            words = len(source.anchor.split())
            if not 3 <= words <= 12:
                wrong.append(f"{where}: anchor has {words} words")
            if not 1 <= source.para <= len(paragraphs):
                wrong.append(f"{where}: paragraph {source.para} out of 1..{len(paragraphs)}")
            elif source.anchor not in paragraphs[source.para - 1]:
                wrong.append(f"{where}: {source.anchor!r} not in paragraph {source.para}")
            checked += 1
    assert wrong == []
    assert checked >= 20 * len(MODULE_IDS)  # a real citation check, not an empty loop


def test_every_module_cites_several_paragraphs(project: Project) -> None:
    for module in project.modules:
        paras = {source.para for _, source in iter_sources(module)}
        assert len(paras) >= 3, module.id
        assert all(q.source for q in module.questions), module.id


def test_check_strict_with_the_report_exits_zero(paragraphs: list[str]) -> None:
    result = CliRunner().invoke(cli, ["check", "--project", str(ROOT), "--strict",
                                      "--source-text", str(SEED)])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.stderr.splitlines()


def test_check_strict_exits_zero(project: Project) -> None:
    """Without the report too (this one runs everywhere)."""
    result = CliRunner().invoke(cli, ["check", "--project", str(ROOT), "--strict"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == "0 errors, 0 warnings"


# --- teaching material ----------------------------------------------------------------------

@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_module_is_complete_teaching_material(project: Project, module_id: str) -> None:
    module = modules_of(project)[module_id]
    assert 3 <= len(module.objectives) <= 6
    assert len(module.questions) >= 15
    types = Counter(q.type for q in module.questions)
    assert len(types) >= 4, types
    assessed = Counter(q.objective for q in module.questions)
    for objective in module.objectives:
        assert assessed[objective.id] >= 2, f"objective {objective.id}: {assessed}"
    assert set(assessed) <= {o.id for o in module.objectives}
    assert any(a.kind in {"case_study", "role_play"} for a in module.activities)
    assert module.glossary
    assert module.discussion_questions
    assert all(d.expected_points for d in module.discussion_questions)


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_every_text_is_written_in_the_module_languages(project: Project,
                                                       module_id: str) -> None:
    module = modules_of(project)[module_id]
    langs = project.module_langs(module)
    for question in module.questions:
        for lang in langs:
            assert question.explanation.get(lang, "").strip(), f"{question.id} {lang}"
            assert question.stem.get(lang, "").strip(), f"{question.id} {lang}"
    for path, text in iter_texts(module):
        for lang in langs:
            where = ".".join(map(str, path))
            assert text.get(lang, "").strip(), f"{module_id} {where} {lang}"


def test_five_pillars_has_french_for_every_text(project: Project) -> None:
    module = modules_of(project)["five-pillars"]
    assert project.module_langs(module) == ["ar", "fr"]
    texts = list(iter_texts(module))
    assert len(texts) > 100
    missing = [".".join(map(str, path)) for path, text in texts
               if not text.get("fr", "").strip()]
    assert missing == []


# --- canonical spellings --------------------------------------------------------------------

ARABIC_LETTER = "[\u0620-\u064a\u066e-\u06d3]"
# The report's variant spellings (README, "Content notes"), which only anchors may keep.
VARIANTS = {
    "لحكومة قطاع": "لحوكمة قطاع",
    "مكيكة": "مكينة",
    "مكيفة": "مكينة",
    "مونتوكمري": "مونتغمري",
    "منتوغمري": "مونتغمري",
    "المحافظي": "الحافظي",
    "حافظي": "الحافظي",
}
# A variant is a whole word at its end (المحافظين, "the governors", is a different word);
# a joined و ب ل ف may come before it. «حافظي» alone must not be preceded by a letter.
VARIANT_PATTERNS = {
    variant: re.compile((f"(?<!{ARABIC_LETTER})" if variant == "حافظي" else "")
                        + re.escape(variant) + f"(?!{ARABIC_LETTER})")
    for variant in VARIANTS
}
CANONICAL = ["مركز جنيف لحوكمة قطاع الأمن", "كريمة مكينة", "مونتغمري", "إحسان الحافظي",
             "المديرية العامة للأمن الوطني"]
CONTENT_FILES = [ROOT / "content" / "course.yaml",
                 *sorted((ROOT / "content" / "modules").glob("*.yaml"))]


def strings_outside_anchors(node: Any, path: tuple[Any, ...] = ()
                            ) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every string in YAML data with its path, except the values of `anchor` keys."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "anchor":
                yield from strings_outside_anchors(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings_outside_anchors(value, path + (index,))
    elif isinstance(node, str):
        yield path, node


def test_the_variant_patterns_tell_names_from_other_words() -> None:
    assert VARIANT_PATTERNS["المحافظي"].search("اعتبر المحافظي أن")
    assert not VARIANT_PATTERNS["المحافظي"].search("يدعو المحافظين إلى")
    assert VARIANT_PATTERNS["حافظي"].search("اعتبر إحسان حافظي أن")
    assert not VARIANT_PATTERNS["حافظي"].search("إحسان الحافظي")
    assert VARIANT_PATTERNS["مكيكة"].search("الأستاذة مكيكة.")


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.name)
def test_canonical_spellings_outside_anchors(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = [f"{'.'.join(map(str, where))}: «{variant}» (write «{VARIANTS[variant]}»)"
             for where, text in strings_outside_anchors(data)
             for variant, pattern in VARIANT_PATTERNS.items() if pattern.search(text)]
    assert found == []


def test_canonical_spellings_are_used() -> None:
    texts = [text for path in CONTENT_FILES
             for _, text in strings_outside_anchors(
                 yaml.safe_load(path.read_text(encoding="utf-8")))]
    for name in CANONICAL:
        assert any(name in text for text in texts), name
