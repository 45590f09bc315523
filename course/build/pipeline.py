"""The build: check, plan, skip what is unchanged, render, write in parallel, record.

Everything is read and checked before anything is written; each document is rendered
once, where it is written, and compared with the digest recorded for its file; every file
is written to a temporary name beside its target and renamed into place.
"""

from __future__ import annotations

import gc
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from course.build.fingerprint import BuildRecord, Fingerprints
from course.build.plan import FORMATS, Job, Options, all_relpaths, plan_jobs
from course.build.writing import Task, atomic_write_text, write_all

if TYPE_CHECKING:
    from course.content.loader import Project
    from course.render.assemble import Assembler

PACK_KINDS = ("course-pack", "trainer-pack")
PACK_WRITERS = ("pdf", "docx")  # the formats whose packs are made from per-module parts
KEPT = re.compile(r"printed-[0-9a-f]{12}\.json$")  # a kept print record's name


@dataclass
class BuildResult:
    """What a build did."""

    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    laid_out: dict[str, list[str]] = field(default_factory=dict)  # pack -> its new parts
    seconds: float = 0.0

    def summary(self) -> str:
        """The closing line of a build."""
        files = "file" if len(self.built) == 1 else "files"
        return (f"built {len(self.built)} {files}, {len(self.unchanged)} unchanged, "
                f"in {self.seconds:.1f} s")


def build(root: Path, out: Path, options: Options, *, force: bool = False, clean: bool = False,
          jobs: int | None = None,
          progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Build the project into `out`; raise ContentError on bad content (writing nothing)
    or on a template failing as it renders (the record stays true for what was written)."""
    started = time.perf_counter()
    result = BuildResult()
    record = BuildRecord.load(out)
    result.warnings = list(record.warnings)
    prints = Fingerprints(root, out)
    # Step 1: nothing changed at all? Decide from file bytes and the outputs' sizes and
    # mtimes, before parsing anything or importing any writer.
    quick = prints.whole(options)
    if not force and not clean and not record.warnings and record.quick == quick and \
            record.all_intact(out):
        if record.dirty:
            record.save(out)
        result.unchanged = sorted(record.outputs)
        result.seconds = time.perf_counter() - started
        return result
    # Step 2: read and check everything.
    from course.build.check import checked_project
    from course.build.module_cache import ModuleCache
    from course.content.yamlsource import no_gc

    with no_gc():  # the check builds a large course's data: acyclic, millions of objects
        project = checked_project(root, ModuleCache(out, prints.checked(),
                                                    prints.module_files()))
        project.forget_module_sources()
        # The project lives as long as the build: the collector need not scan it again and
        # again (a large course is millions of objects), nor touch its pages in forked
        # workers. Frozen before the collector is on again, or its first pass walks them all.
        gc.freeze()
    try:
        return _build_checked(root, out, options, project, record, prints, result, started,
                              force=force, clean=clean, jobs=jobs, progress=progress)
    finally:
        gc.unfreeze()  # a watch's next build frees this project


def _build_checked(root: Path, out: Path, options: Options, project: Project,
                   record: BuildRecord, prints: Fingerprints, result: BuildResult,
                   started: float, *, force: bool, clean: bool, jobs: int | None,
                   progress: Callable[[int, int], None] | None) -> BuildResult:
    """Steps 3 to 6 of a build, on the checked project."""
    # Step 3: plan, and keep only the jobs whose inputs changed (or whose file was edited).
    planned = plan_jobs(project, options)
    todo: list[tuple[Job, str]] = []
    for job in planned:
        digest = prints.job(job, project, options)
        relpath = job.relpath()
        if not force and record.outputs.get(relpath) == digest and record.intact(out, relpath):
            result.unchanged.append(relpath)
        else:
            todo.append((job, digest))
    from course.build.keys import key_files, quiz_files, quiz_of
    from course.render.assemble import Assembler

    assembler = Assembler(project, options.seed, options.variants)
    # keys.csv and printed.json only of the quizzes with a job to do or a file not as
    # recorded: making every record lays out every answer sheet.
    quizzes = {quiz for job, _ in todo if (quiz := quiz_of(job))}
    quizzes |= {quiz for quiz, paths in quiz_files(planned).items()
                if any(record.outputs.get(rel) != "text" or not record.intact(out, rel)
                       for rel in paths)}
    extra_files, kept = key_files(assembler, planned, quizzes)
    from course.build.out_checks import BlockedOutputs, blocked_outputs

    blocked = blocked_outputs(out, [job.relpath() for job, _ in todo] + sorted(extra_files))
    if blocked:
        raise BlockedOutputs(blocked)
    # Step 4: the record first says that what is about to be written is current for no
    # input, so a build that fails part-way leaves it true (the next build redoes them).
    for job, _ in todo:
        record.pending(job.relpath())
    for relpath in extra_files:
        record.pending(relpath)
    record.save(out)
    try:
        _write(out, options, project, assembler, todo, record, prints, force, jobs,
               progress, result)
        # Papers handed out stay gradable: every distinct print record is kept under its
        # digest, never recorded as an output, so neither --clean nor --force removes one.
        for relpath, text in kept.items():
            if not (out / relpath).exists():
                atomic_write_text(out / relpath, text)
        for relpath, text in extra_files.items():
            atomic_write_text(out / relpath, text)
            record.outputs[relpath] = "text"  # recorded so that --clean may remove it
            record.note(out, relpath)
    except BaseException:
        record.save(out)  # what was written is recorded; the rest stays pending
        raise
    # Step 6: outputs the record knows but the course no longer makes (whatever this run's
    # filters) are stale; --clean deletes them, and only them.
    everything = plan_jobs(project, Options(variants=options.variants, seed=options.seed))
    result.stale = sorted(set(record.outputs) - all_relpaths(everything))
    if clean:
        for relpath in result.stale:
            path = out / relpath
            if not KEPT.search(relpath) and not path.is_dir():  # kept records stay
                path.unlink(missing_ok=True)
                result.removed.append(relpath)
            record.forget(relpath)
        result.stale = []
    # The whole-project hash vouches for every output only after an unfiltered build.
    unfiltered = Options(formats=options.formats, variants=options.variants, seed=options.seed)
    record.quick = prints.whole(options) if options == unfiltered and \
        sorted(options.formats) == sorted(FORMATS) and not result.stale else ""
    record.save(out)
    if prints.names is not None:
        from course.build.names import remember_names

        remember_names(out, prints.course, prints.names)
    result.seconds = time.perf_counter() - started
    return result


def _write(out: Path, options: Options, project: Project, assembler: Assembler,
           todo: list[tuple[Job, str]], record: BuildRecord, prints: Fingerprints,
           force: bool, jobs: int | None, progress: Callable[[int, int], None] | None,
           result: BuildResult) -> None:
    """Write the jobs to do (each renders once, where it is written) and record each."""
    salts = {fmt: prints.salt(fmt) for fmt in {job.fmt for job, _ in todo}}
    digests = dict((job.relpath(), digest) for job, digest in todo)

    def known(job: Job) -> str | None:
        # A recorded document digest vouches only for a file still as it was written.
        relpath = job.relpath()
        return None if force or not record.intact(out, relpath) else \
            record.documents.get(relpath)

    def written(job: Job, rendered: str, wrote: bool, laid_out: list[str]) -> None:
        relpath = job.relpath()
        record.outputs[relpath] = digests[relpath]
        record.documents[relpath] = rendered
        if job in packs:
            result.laid_out[relpath] = laid_out
        if wrote:
            record.note(out, relpath)
            result.built.append(relpath)
        else:  # rendered as recorded: the file is left as it is
            result.unchanged.append(relpath)

    # Packs are made from per-module parts (only changed parts are laid out), each by a
    # worker: they are the longest tasks, so they go first.
    packs = [job for job, _ in todo if job.kind in PACK_KINDS and job.fmt in PACK_WRITERS]
    tasks: list[Task] = [
        (job, salts[job.fmt], known(job),
         {m.id: prints.part(job.kind, job.lang, m.id, options, job.fmt)
          for m in assembler.packs.modules(job.lang)}) for job in packs]
    tasks += [(job, salts[job.fmt], known(job), None) for job, _ in todo if job not in packs]
    write_all(tasks, assembler, options, out, jobs or os.cpu_count() or 1, progress,
              written, fresh=force)
