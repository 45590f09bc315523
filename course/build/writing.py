"""Writing outputs: render each job again where it is written, over the machine's cores.

Workers have the project once (forked from the build, or read again where processes are
spawned) and render their own jobs, so no process holds every document of a large course
at once; every file goes to a temporary name, then is
renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from course.build.plan import Job, Options
from course.errors import ContentError

if TYPE_CHECKING:
    from course.render.assemble import Assembler

_ASSEMBLER: Assembler | None = None  # the renderer of this process's jobs


def _end_with_parent(parent: int) -> None:
    """Make this worker die with the build that started it, even one killed by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:  # PR_SET_PDEATHSIG (1): the kernel sends SIGKILL when the parent goes
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    # A watchdog too: for other systems, and for a parent that died before prctl ran.
    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


CACHE = ".coursegen-cache"  # what writers keep between runs, inside the output folder


def _init_worker(root: Path, options: Options, parent: int, cache: Path) -> None:
    """Worker start: tie its life to the parent's, then have the (checked) project once."""
    global _ASSEMBLER
    _end_with_parent(parent)
    from generators import use_cache_dir

    use_cache_dir(cache)
    if _ASSEMBLER is not None:
        return  # forked: the parent's project and renderer, without reading a file again
    from course.content.loader import load_project
    from course.render.assemble import Assembler

    project, _ = load_project(root)
    assert project is not None  # the main process checked it before any worker started
    _ASSEMBLER = Assembler(project, options.seed, options.variants)


class _Failed(Exception):
    """A ContentError on its way back from a worker (its own pickling loses diagnostics)."""

    def __init__(self, diagnostics: list) -> None:
        super().__init__(diagnostics)
        self.diagnostics = diagnostics


def _render_and_write(job: Job, target: str, salt: str, known: str | None) -> tuple[str, bool]:
    """Render one job; unless it renders as recorded (`known`), write it through a
    temporary name and a rename. Return the rendered digest and whether it was written."""
    from generators import get_writer

    assert _ASSEMBLER is not None
    try:
        document = _ASSEMBLER.document(job)
    except ContentError as exc:
        raise _Failed(exc.diagnostics) from None
    rendered = hashlib.sha256(salt.encode() + repr(document).encode()).hexdigest()
    if rendered == known:
        return rendered, False
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        get_writer(job.fmt).write(document, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return rendered, True


Task = tuple[Job, str, "str | None"]  # a job, its format's salt, its recorded document digest


def write_all(tasks: list[Task], assembler: Assembler, root: Path, options: Options, out: Path,
              workers: int, progress: Callable[[int, int], None] | None,
              meanwhile: Callable[[], None] = lambda: None,
              written: Callable[[Job, str, bool], None] = lambda job, rendered, wrote: None
              ) -> None:
    """Write every task, over `workers` processes, running `meanwhile` here as they work;
    `written` hears of each file once it is in place (so a failure records only those)."""
    from generators import use_cache_dir

    try:
        _write_all(tasks, assembler, root, options, out, workers, progress, meanwhile, written)
    except _Failed as exc:
        raise ContentError(exc.diagnostics) from None
    finally:
        use_cache_dir(None)  # this process's next build may name another folder


def _write_all(tasks: list[Task], assembler: Assembler, root: Path, options: Options,
               out: Path, workers: int, progress: Callable[[int, int], None] | None,
               meanwhile: Callable[[], None], written: Callable[[Job, str, bool], None]
               ) -> None:
    global _ASSEMBLER
    from generators import use_cache_dir

    total = len(tasks)
    use_cache_dir(out / CACHE)
    _ASSEMBLER = assembler  # forked workers inherit it
    if workers <= 1 or total <= 1:
        meanwhile()
        for done, (job, salt, known) in enumerate(tasks, start=1):
            written(job, *_render_and_write(job, str(out / job.relpath()), salt, known))
            if progress:
                progress(done, total)
        return
    from concurrent.futures import ProcessPoolExecutor  # only when there is work

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                               initargs=(root, options, os.getpid(), out / CACHE))
    futures: list = []
    told = 0  # how many of the futures `written` has heard of, in order
    try:
        futures = [pool.submit(_render_and_write, job, str(out / job.relpath()), salt, known)
                   for job, salt, known in tasks]
        meanwhile()
        for (job, _, _), future in zip(tasks, futures, strict=True):
            result = future.result()
            told += 1
            written(job, *result)
            if progress:
                progress(told, total)
    finally:
        # On a failure, jobs not yet started are dropped; those that did finish are recorded.
        pool.shutdown(wait=True, cancel_futures=True)
        for (job, _, _), future in zip(tasks[told:], futures[told:], strict=False):
            if future.done() and not future.cancelled() and future.exception() is None:
                written(job, *future.result())


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file through a temporary name and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)
