"""Writing outputs: render each job again where it is written, over the machine's cores.

Workers have the project once (forked from the build, or read again where processes are
spawned) and render their own jobs, packs among them (a pack's parts are laid out by the
worker that joins them), so no process holds every document of a large course at once;
every file goes to a temporary name, then is renamed into place.
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


def _write_pack(job: Job, target: str, out: str, salt: str, known: str | None,
                keys: dict[str, str], fresh: bool) -> tuple[str, bool, list[str]]:
    """Lay out a pack's changed parts and join them (each format's pack module says how)."""
    from course.build.docx_packs import write_docx_pack
    from course.build.pdf_packs import write_pdf_pack

    assert _ASSEMBLER is not None
    writer = {"pdf": write_pdf_pack, "docx": write_docx_pack}[job.fmt]
    try:
        return writer(_ASSEMBLER.packs, job.lang, job.kind, Path(target), Path(out), salt,
                      keys, known, fresh=fresh)
    except ContentError as exc:
        raise _Failed(exc.diagnostics) from None


def _do(job: Job, target: str, out: str, salt: str, known: str | None,
        keys: dict[str, str] | None, fresh: bool) -> tuple[str, bool, list[str]]:
    """One task in a worker: a document, or a pack (its parts' keys given)."""
    if keys is not None:
        return _write_pack(job, target, out, salt, known, keys, fresh)
    return (*_render_and_write(job, target, salt, known), [])


# A job, its format's salt, its recorded document digest, and a pack's part keys (else None).
Task = tuple[Job, str, "str | None", "dict[str, str] | None"]
Written = Callable[[Job, str, bool, list[str]], None]  # job, rendered, written, parts laid out


def write_all(tasks: list[Task], assembler: Assembler, root: Path, options: Options, out: Path,
              workers: int, progress: Callable[[int, int], None] | None,
              written: Written = lambda job, rendered, wrote, laid_out: None,
              fresh: bool = False) -> None:
    """Write every task over `workers` processes; `written` hears of each file once it is
    in place (so a failure records only those). `fresh`: lay every pack part out again."""
    from generators import use_cache_dir

    try:
        _write_all(tasks, assembler, root, options, out, workers, progress, written, fresh)
    except _Failed as exc:
        raise ContentError(exc.diagnostics) from None
    finally:
        use_cache_dir(None)  # this process's next build may name another folder


def _write_all(tasks: list[Task], assembler: Assembler, root: Path, options: Options,
               out: Path, workers: int, progress: Callable[[int, int], None] | None,
               written: Written, fresh: bool) -> None:
    global _ASSEMBLER
    from generators import use_cache_dir

    total = len(tasks)
    use_cache_dir(out / CACHE)
    _ASSEMBLER = assembler  # forked workers inherit it
    args = [(job, str(out / job.relpath()), str(out), salt, known, keys, fresh)
            for job, salt, known, keys in tasks]
    if workers <= 1 or total <= 1:
        for done, task in enumerate(args, start=1):
            written(task[0], *_do(*task))
            if progress:
                progress(done, total)
        return
    from concurrent.futures import ProcessPoolExecutor  # only when there is work

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                               initargs=(root, options, os.getpid(), out / CACHE))
    futures: list = []
    told = 0  # how many of the futures `written` has heard of, in order
    try:
        futures = [pool.submit(_do, *task) for task in args]
        for task, future in zip(args, futures, strict=True):
            result = future.result()
            told += 1
            written(task[0], *result)
            if progress:
                progress(told, total)
    finally:
        # On a failure, jobs not yet started are dropped; those that did finish are recorded.
        pool.shutdown(wait=True, cancel_futures=True)
        for task, future in zip(args[told:], futures[told:], strict=False):
            if future.done() and not future.cancelled() and future.exception() is None:
                written(task[0], *future.result())


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file through a temporary name and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)
