"""The build: check, plan, skip what is unchanged, render, write in parallel, record.

Everything is read and rendered before anything is written; every file is
written to a temporary name beside its target and renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from course.build.fingerprint import BuildRecord, Fingerprints
from course.build.plan import FORMATS, Job, Options, all_relpaths, plan_jobs
from course.build.writing import atomic_write_text, write_all

PACK_KINDS = ("course-pack", "trainer-pack")


@dataclass
class BuildResult:
    """What a build did."""

    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """The closing line of a build."""
        files = "file" if len(self.built) == 1 else "files"
        return (f"built {len(self.built)} {files}, {len(self.unchanged)} unchanged, "
                f"in {self.seconds:.1f} s")


def build(root: Path, out: Path, options: Options, *, force: bool = False, clean: bool = False,
          jobs: int | None = None,
          progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Build the project into `out`; raise ContentError (writing nothing) on bad input."""
    started = time.perf_counter()
    result = BuildResult()
    record = BuildRecord.load(out)
    prints = Fingerprints(root)
    # Step 1: nothing changed at all? Decide from file bytes before parsing anything.
    quick = prints.whole(options)
    if not force and not clean and record.quick == quick and record.all_present(out):
        result.unchanged = sorted(record.outputs)
        result.seconds = time.perf_counter() - started
        return result
    # Step 2: read and check everything.
    from course.build.check import checked_project

    project = checked_project(root)
    # Step 3: plan, and keep only the jobs whose inputs changed.
    planned = plan_jobs(project, options)
    todo: list[tuple[Job, str]] = []
    for job in planned:
        digest = prints.job(job, project, options)
        known = record.outputs.get(job.relpath()) == digest
        if not force and known and (out / job.relpath()).exists():
            result.unchanged.append(job.relpath())
        else:
            todo.append((job, digest))
    # Step 4: render every document before writing any file.
    from course.build.keys import kept_records, key_files
    from course.build.pdf_packs import write_pdf_pack
    from course.render.assemble import Assembler

    assembler = Assembler(project, options.seed, options.variants)
    packs = assembler.packs
    # PDF packs are merged from per-module parts (only changed parts are laid out again).
    merged = [(job, digest, packs.sections(job.lang, job.kind)) for job, digest in todo
              if job.kind in PACK_KINDS and job.fmt == "pdf"]
    # Documents are rendered here to check templates and compare, then dropped: the
    # process that writes a file renders it again, so memory stays flat.
    documents = ((job, digest, assembler.document(job)) for job, digest in todo
                 if not (job.kind in PACK_KINDS and job.fmt == "pdf"))
    extra_files = key_files(assembler, planned)
    salt = prints.code("pdf") + prints.fonts
    # Step 4b: an output whose inputs changed but whose rendered document did not (say,
    # the final exam after an edit to a question it does not draw) is not written again.
    documents = _changed(documents, record, out, prints, force, result)
    merged = _changed(merged, record, out, prints, force, result, keep=True)

    def write_packs() -> None:
        for job, _, sections, _ in merged:
            write_pdf_pack(packs, job.lang, job.kind, sections, out / job.relpath(), out, salt)

    # Step 5: write in parallel, each file atomically; packs in this process meanwhile.
    write_all([job for job, *_ in documents], assembler, root, options, out,
              jobs or os.cpu_count() or 1, progress, write_packs)
    # Papers handed out stay gradable: every distinct print record is kept under its
    # digest, never recorded as an output, so neither --clean nor --force removes one.
    for relpath, text in kept_records(assembler, planned).items():
        if not (out / relpath).exists():
            atomic_write_text(out / relpath, text)
    for relpath, text in extra_files.items():
        atomic_write_text(out / relpath, text)
        record.outputs[relpath] = "text"  # recorded so that --clean may remove it
    for job, digest, _, rendered in [*documents, *merged]:
        record.outputs[job.relpath()] = digest
        record.documents[job.relpath()] = rendered  # only once written
        result.built.append(job.relpath())
    # Step 6: outputs the record knows but the course no longer makes (whatever this run's
    # filters) are stale; --clean deletes them, and only them.
    everything = plan_jobs(project, Options(variants=options.variants, seed=options.seed))
    result.stale = sorted(set(record.outputs) - all_relpaths(everything))
    if clean:
        for relpath in result.stale:
            (out / relpath).unlink(missing_ok=True)
            record.outputs.pop(relpath)
            result.removed.append(relpath)
        result.stale = []
    # The whole-project hash vouches for every output only after an unfiltered build.
    unfiltered = Options(formats=options.formats, variants=options.variants, seed=options.seed)
    record.quick = prints.whole(options) if options == unfiltered and \
        sorted(options.formats) == sorted(FORMATS) and not result.stale else ""
    record.save(out)
    result.seconds = time.perf_counter() - started
    return result


def _changed(items: Iterable, record: BuildRecord, out: Path, prints: Fingerprints, force: bool,
             result: BuildResult, keep: bool = False) -> list:
    # Items are (job, input digest, document); kept ones gain their rendered digest.
    """The items whose rendered document differs from the one recorded for their output."""
    kept = []
    for job, digest, document in items:
        rendered = hashlib.sha256(prints.code(job.fmt) + prints.fonts +
                                  prints.theme_for(job.fmt) + repr(document).encode()).hexdigest()
        relpath = job.relpath()
        if not force and record.documents.get(relpath) == rendered and (out / relpath).exists():
            record.outputs[relpath] = digest
            result.unchanged.append(relpath)
        else:
            # The document itself is dropped (its writer renders it again) unless kept.
            kept.append((job, digest, document if keep else None, rendered))
    return kept
