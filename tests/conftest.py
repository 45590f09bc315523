"""Shared fixtures: copies of the small complete project to mutate."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from course.content.loader import Project, load_project

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED = ROOT.parent / "shared" / "seeds" / "000_745ddb9ae81f7e41.txt"

sys.path.insert(0, str(Path(__file__).parent))  # for doc_samples


def load_sample() -> Project:
    """The good fixture project, loaded (it has no errors)."""
    project, _ = load_project(FIXTURES / "good")
    assert project is not None
    return project


@pytest.fixture
def fresh_pdf_caches() -> Iterator[None]:
    """The test starts and ends with no cache folder and nothing shaped or laid out in
    memory (the PDF writer's caches are per process)."""
    from generators.pdf import shape_cache, shaping

    shape_cache.use_cache_dir(None)
    shaping.clear_memory()
    yield
    shape_cache.use_cache_dir(None)
    shaping.clear_memory()


@pytest.fixture
def good_project(tmp_path: Path) -> Path:
    """A fresh copy of the good fixture project."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "good", target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def add_module_copy(project: Path, new_id: str, change: Callable[[str], str] = str) -> None:
    """Add module `new_id` to a project: a copy of `sample`, changed by `change`."""
    modules = project / "content" / "modules"
    text = (modules / "sample.yaml").read_text(encoding="utf-8")
    (modules / f"{new_id}.yaml").write_text(
        change(text.replace("id: sample\n", f"id: {new_id}\n", 1)), encoding="utf-8")
    edit(project / "content" / "course.yaml", "modules: [sample]",
         f"modules: [sample, {new_id}]")


@pytest.fixture
def two_modules(tmp_path: Path) -> Path:
    """The good fixture with a second module, sample2, a copy of the first."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "good", project)
    add_module_copy(project, "sample2")
    return project


def spy(monkeypatch: pytest.MonkeyPatch, cls: type, name: str, note: Callable) -> list:
    """Record a note of every call of cls.name (a build with jobs=1 runs in this process)."""
    calls: list = []
    real = getattr(cls, name)

    def wrapper(self: object, *args: object, **kw: object) -> object:
        calls.append(note(*args))
        return real(self, *args, **kw)

    monkeypatch.setattr(cls, name, wrapper)
    return calls
