"""How a build's workers start: forked for a few tasks, lean (from a fork server, with a
copy of the checked project) for many, and what either writes is the same to the byte.
(That a worker of either kind ends with a killed build: test_build_integrity.)"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import load_sample

import course.build.check  # noqa: F401  (the build has it; a lean worker must not)
from course.build import workers, writing
from course.build.pipeline import build
from course.build.plan import Job, Options
from course.render.assemble import Assembler

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="forked and fork-server workers are both Linux's")

IMPORTED = "'course.build.check' in __import__('sys').modules"


@pytest.fixture
def pools(tmp_path: Path) -> Iterator[Callable[[int], workers.Pools]]:
    """Make the pools of a build of some number of tasks; all are shut down afterwards."""
    made: list[workers.Pools] = []
    workers.use(Assembler(load_sample()))

    def make(tasks: int) -> workers.Pools:
        made.append(workers.Pools(tasks, 2, Options(), tmp_path / "cache"))
        return made[-1]

    yield make
    for each in made:
        each.shutdown()
    workers.use(None)


def test_a_few_tasks_are_written_by_workers_forked_from_the_build(pools) -> None:
    few = pools(workers.LEAN_FROM - 1)
    assert few.limit == workers.LEAN_FROM - 1  # all at once, as a pool queues them
    for group in ("pack", "course", "module"):
        assert few.submit(group, os.getppid).result() == os.getpid()
        assert few.submit(group, eval, IMPORTED).result() is True
    assert list(few.shared) == ["module"] and not few.own  # one pool for everything


def test_many_tasks_are_written_by_lean_workers_a_pack_by_one_of_its_own(pools) -> None:
    many = pools(workers.LEAN_FROM)
    assert many.limit == 2
    pids: dict[str, set[int]] = {"course": set(), "module": set(), "pack": set()}
    for group in ("course", "module", "pack", "pack"):
        futures = [many.submit(group, os.getppid), many.submit(group, eval, IMPORTED),
                   many.submit(group, os.getpid)]
        parent, imported, pid = (future.result() for future in futures)
        for future in futures:
            many.done(future)
        # Started by the fork server, not by this process: none of its pages, none of
        # its modules but the writers'.
        assert parent != os.getpid() and imported is False
        pids[group].add(pid)
    assert sorted(many.shared) == ["course", "module"]
    # Each pack had a worker of its own (a pool of one), ended once its task was done.
    assert not many.own and len(pids["pack"]) == 2
    assert not pids["pack"] & (pids["course"] | pids["module"])
    assert not pids["course"] & pids["module"]


def test_a_lean_worker_renders_the_document_the_build_renders(pools, tmp_path: Path) -> None:
    job = Job("handout", "ar", "pdf", "sample")
    there = pools(workers.LEAN_FROM).submit(
        "module", writing._do, job, str(tmp_path / "lean.pdf"), str(tmp_path), "salt", None,
        None, False).result()
    here = writing._do(job, str(tmp_path / "here.pdf"), str(tmp_path), "salt", None, None,
                       False)
    assert there == here and there[1] is True
    assert (tmp_path / "lean.pdf").read_bytes() == (tmp_path / "here.pdf").read_bytes()


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".coursegen" not in p.relative_to(out).as_posix()}


def test_lean_and_forked_builds_write_the_same_bytes(two_modules: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    options = Options(formats=["pdf", "docx"], kinds=["handout", "quiz", "course-pack"])
    forked = build(two_modules, two_modules / "forked", options, jobs=2)
    monkeypatch.setattr(workers, "LEAN_FROM", 1)
    lean = build(two_modules, two_modules / "lean", options, jobs=2)
    assert sorted(lean.built) == sorted(forked.built)
    assert sorted(lean.built) == sorted(
        [f"{lang}/{module}/{stem}.{fmt}" for lang in ("ar", "fr") for fmt in ("pdf", "docx")
         for module in ("sample", "sample2") for stem in ("handout", "quiz", "quiz-B")]
        + [f"{lang}/course-pack.{fmt}" for lang in ("ar", "fr") for fmt in ("pdf", "docx")])
    assert _files(two_modules / "lean") == _files(two_modules / "forked")
