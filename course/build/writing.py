"""Writing outputs: render each job again where it is written, over the machine's cores.

Workers have the project once (`workers.py` says how they start) and render their own
jobs, packs among them (a pack's parts are laid out by the worker that joins them), so no
process holds every document of a large course at once; every file goes to a temporary
name, then is renamed into place.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from course.build import workers
from course.build.plan import Job, Options
from course.errors import ContentError, WriterError

if TYPE_CHECKING:
    from concurrent.futures import Future

    from course.render.assemble import Assembler

CACHE = ".coursegen-cache"  # what writers keep between runs, inside the output folder


class _Failed(Exception):
    """A ContentError on its way back from a worker (its own pickling loses diagnostics)."""

    def __init__(self, diagnostics: list) -> None:
        super().__init__(diagnostics)
        self.diagnostics = diagnostics


def _render_and_write(job: Job, target: str, salt: str, known: str | None) -> tuple[str, bool]:
    """Render one job; unless it renders as recorded (`known`), write it through a
    temporary name and a rename. Return the rendered digest and whether it was written."""
    from generators import get_writer

    try:
        document = workers.current().document(job)
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

    writer = {"pdf": write_pdf_pack, "docx": write_docx_pack}[job.fmt]
    try:
        return writer(workers.current().packs, job.lang, job.kind, Path(target), Path(out), salt,
                      keys, known, fresh=fresh)
    except ContentError as exc:
        raise _Failed(exc.diagnostics) from None


def _do(job: Job, target: str, out: str, salt: str, known: str | None,
        keys: dict[str, str] | None, fresh: bool) -> tuple[str, bool, list[str]]:
    """One task in a worker: a document, or a pack (its parts' keys given)."""
    try:
        if keys is not None:
            return _write_pack(job, target, out, salt, known, keys, fresh)
        return (*_render_and_write(job, target, salt, known), [])
    finally:
        if job.module is None:
            # What a course-level task freed (a pack's merge: tens of MB). Not after every
            # task: the pages given back are faulted in again by the next, 10% of a build.
            workers.give_back_memory()


# A job, its format's salt, its recorded document digest, and a pack's part keys (else None).
Task = tuple[Job, str, "str | None", "dict[str, str] | None"]
Written = Callable[[Job, str, bool, list[str]], None]  # job, rendered, written, parts laid out


def write_all(tasks: list[Task], assembler: Assembler, options: Options, out: Path,
              processes: int, progress: Callable[[int, int], None] | None,
              written: Written = lambda job, rendered, wrote, laid_out: None,
              fresh: bool = False) -> None:
    """Write every task over `processes` processes; `written` hears of each file once it is
    in place (so a failure records only those). `fresh`: lay every pack part out again."""
    from concurrent.futures.process import BrokenProcessPool

    from generators import use_cache_dir

    try:
        _write_all(tasks, assembler, options, out, processes, progress, written, fresh)
    except _Failed as exc:
        raise ContentError(exc.diagnostics) from None
    except BrokenProcessPool:
        # A worker killed from outside (the system out of memory, a signal): the files
        # finished before it are recorded, the rest stay to do.
        raise WriterError("a writer process was killed before it finished (out of memory, "
                          "or a signal); the files written so far are kept: build again, "
                          "with --jobs 1 if memory is short") from None
    finally:
        use_cache_dir(None)  # this process's next build may name another folder


def _write_all(tasks: list[Task], assembler: Assembler, options: Options, out: Path,
               processes: int, progress: Callable[[int, int], None] | None,
               written: Written, fresh: bool) -> None:
    from generators import use_cache_dir

    total = len(tasks)
    use_cache_dir(out / CACHE)
    workers.use(assembler)  # forked workers inherit it; lean ones get a copy of its project
    args = [(job, str(out / job.relpath()), str(out), salt, known, keys, fresh)
            for job, salt, known, keys in tasks]
    if processes <= 1 or total <= 1:
        for done, task in enumerate(args, start=1):
            written(task[0], *_do(*task))
            if progress:
                progress(done, total)
        return
    from concurrent.futures import FIRST_COMPLETED, wait  # only when there is work

    pools = workers.Pools(total, processes, options, out / CACHE)
    upcoming = list(reversed(range(total)))  # task indexes, the next one last
    running: dict[Future, int] = {}
    submitted: dict[int, Future] = {}
    finished: dict[int, tuple[str, bool, list[str]]] = {}  # done, not yet told
    told = 0  # how many tasks, in order, `written` has heard of
    try:
        while told < total:
            while upcoming and len(running) < pools.limit:
                index = upcoming.pop()
                job, keys = args[index][0], args[index][5]
                group = "pack" if keys is not None else \
                    "course" if job.module is None else "module"
                running[future := pools.submit(group, _do, *args[index])] = index
                submitted[index] = future
            if upcoming:  # a slot is wanted: whichever task ends first
                ready = wait(running, return_when=FIRST_COMPLETED).done
            else:  # all submitted: the next one to tell (waiting on all costs each time)
                ready = {submitted[told]}
            for future in ready:
                pools.done(future)
                index = running.pop(future)
                del submitted[index]
                finished[index] = future.result()  # a worker's error: raised
            while told in finished:
                written(args[told][0], *finished.pop(told))
                told += 1
                if progress:
                    progress(told, total)
    finally:
        # On a failure, tasks not yet started are dropped; those that did finish are recorded.
        pools.shutdown()
        for future, index in running.items():
            if future.done() and not future.cancelled() and future.exception() is None:
                finished[index] = future.result()
        for index in sorted(finished):
            written(args[index][0], *finished[index])


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file through a temporary name and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)
