"""Writing outputs: render each job again where it is written, over the machine's cores.

Workers load the project once and render their own jobs, so no process holds every
document of a large course at once; every file goes to a temporary name, then is
renamed into place.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from course.build.plan import Job, Options

if TYPE_CHECKING:
    from course.render.assemble import Assembler

_ASSEMBLER: Assembler | None = None  # the renderer of this process's jobs


def _init_worker(root: Path, options: Options) -> None:
    """Worker start: load the (already checked) project once."""
    global _ASSEMBLER
    from course.content.loader import load_project
    from course.render.assemble import Assembler

    project, _ = load_project(root)
    assert project is not None  # the main process checked it before any worker started
    _ASSEMBLER = Assembler(project, options.seed, options.variants)


def _render_and_write(job: Job, target: str) -> str:
    """Render one job and write it through a temporary name and a rename."""
    from generators import get_writer

    assert _ASSEMBLER is not None
    document = _ASSEMBLER.document(job)
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        get_writer(job.fmt).write(document, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def write_all(jobs: list[Job], assembler: Assembler, root: Path, options: Options, out: Path,
              workers: int, progress: Callable[[int, int], None] | None,
              meanwhile: Callable[[], None] = lambda: None) -> None:
    """Write every job, over `workers` processes, running `meanwhile` here as they work."""
    global _ASSEMBLER
    total = len(jobs)
    if workers <= 1 or total <= 1:
        _ASSEMBLER = assembler
        meanwhile()
        for done, job in enumerate(jobs, start=1):
            _render_and_write(job, str(out / job.relpath()))
            if progress:
                progress(done, total)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(root, options)) as pool:
        futures = [pool.submit(_render_and_write, job, str(out / job.relpath())) for job in jobs]
        meanwhile()
        for done, future in enumerate(futures, start=1):
            future.result()
            if progress:
                progress(done, total)


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file through a temporary name and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)
