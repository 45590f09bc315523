"""The worker processes that write a build's files, and the project each one renders from.

A build with few files to write forks its workers: they share the checked project's pages
and start at once. A build with many (a cold build of a large course) starts them lean
from a fork server, each with a pickled copy of the same checked project: a forked worker
carries every page the check left behind (about 190 MB at 100 modules) on top of its own.
Lean workers are grouped by what they write (`Pools`), so that what one kind of document
leaves in a worker is not carried into the next kind's.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from course.build.plan import Options

if TYPE_CHECKING:  # a build with nothing to write imports neither
    from collections.abc import Callable
    from concurrent.futures import Future, ProcessPoolExecutor
    from typing import Any

    from course.render.assemble import Assembler

# From this many tasks on (a course of a dozen modules or more, built whole), workers start
# lean: unpickling the project (about 0.1 s at 100 modules) and the fork server's start
# (about 1 s of CPU, beside the build) are then small beside the work, and a forked
# worker's share of the build's pages grows with the course.
LEAN_FROM = 500
# What the fork server imports once for all its workers: the writers and the renderer.
PRELOAD = ["course.build.writing", "course.build.pdf_packs", "course.build.docx_packs",
           "course.render.assemble", "generators.pdf.writer", "generators.docx",
           "generators.pptx"]

_ASSEMBLER: Assembler | None = None  # the renderer of this process's jobs


def current() -> Assembler:
    """This process's renderer: the build's own, or the one its worker start made."""
    assert _ASSEMBLER is not None, "no project: Pools or use() first"
    return _ASSEMBLER


def use(assembler: Assembler | None) -> None:
    """Render this process's jobs (and forked workers' jobs) with `assembler`."""
    global _ASSEMBLER
    _ASSEMBLER = assembler


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _end_with_parent(build: int) -> None:
    """Make this worker die with the build that started it, even one killed by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        # PR_SET_PDEATHSIG (1): the kernel sends SIGKILL when the parent goes (the build,
        # or the fork server, which ends when the build does).
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    parent = os.getppid()

    # A watchdog too: for other systems, and for a parent that died before prctl ran.
    def watch() -> None:
        while os.getppid() == parent and (parent == build or _exists(build)):
            threading.Event().wait(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _init_worker(options: Options, build: int, cache: Path, project: bytes | None) -> None:
    """Worker start: tie its life to the build's, then have the checked project once."""
    _end_with_parent(build)
    from generators import use_cache_dir

    use_cache_dir(cache)
    if project is None:
        return  # forked: the build's project and renderer, without reading a file again
    import pickle

    from course.render.assemble import Assembler

    use(Assembler(pickle.loads(project), options.seed, options.variants))
    gc.freeze()  # the project lives as long as the worker: never scan it again


def start_method(tasks: int) -> str:
    """How the workers of this many tasks start: forked, or lean (from a fork server, or
    spawned where there is none; also where nothing can fork)."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and (tasks < LEAN_FROM or "forkserver" not in methods):
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


class Pools:
    """Where a build's tasks run: one forked pool, or lean workers by what they write.

    Lean, a pack has a worker of its own (its layout and merge take a worker 110 to 130 MB
    above its start, and the next pack would start from there), the course's other
    documents (the final exam) a pool, and the modules' documents another. No more tasks
    run at once than `workers`, whatever the pools: the cores are not shared further.
    """

    def __init__(self, tasks: int, workers: int, options: Options, cache: Path) -> None:
        import multiprocessing
        import pickle

        self.workers, self.options, self.cache = workers, options, cache
        self.method = start_method(tasks)
        self.lean = self.method != "fork"
        self.limit = workers if self.lean else tasks
        self.own: dict[Future, ProcessPoolExecutor] = {}  # a pack's future -> its pool
        self.project: bytes | None = None
        if self.method == "forkserver":
            multiprocessing.get_context(self.method).set_forkserver_preload(PRELOAD)
        if self.lean:
            self.project = pickle.dumps(current().project, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared: dict[str, ProcessPoolExecutor] = {}  # "course" or "module" -> pool

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=workers,
                                   mp_context=multiprocessing.get_context(self.method),
                                   initializer=_init_worker,
                                   initargs=(self.options, os.getpid(), self.cache,
                                             self.project))

    def submit(self, group: str, fn: Callable[..., Any], *args: Any) -> Future:
        """Run fn(*args) where a task of `group` ("pack", "course", "module") runs."""
        if self.lean and group == "pack":
            pool = self._pool(1)
            future = pool.submit(fn, *args)
            self.own[future] = pool
            return future
        key = group if self.lean else "module"
        if key not in self.shared:
            self.shared[key] = self._pool(self.workers)
        return self.shared[key].submit(fn, *args)

    def done(self, future: Future) -> None:
        """A task is done: a worker of its own ends now."""
        pool = self.own.pop(future, None)
        if pool is not None:
            pool.shutdown(wait=True)

    def shutdown(self) -> None:
        """Drop the tasks not started; wait for those running."""
        for pool in [*self.own.values(), *self.shared.values()]:
            pool.shutdown(wait=True, cancel_futures=True)
        self.own.clear()


def give_back_memory() -> None:
    """Return the heap's free pages to the system (glibc keeps them for later otherwise)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):
            pass  # not glibc: nothing to ask
