"""Shared fixtures: copies of the small complete project to mutate."""

from __future__ import annotations

import shutil
import sys
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
