"""The files that go with the printed quizzes of a build: keys.csv and the print records."""

from __future__ import annotations

import csv
import io

from course.build.plan import Job, keys_relpath, record_relpath
from course.quiz.record import kept_name, record_text
from course.quiz.versions import draw_final, keys_csv_rows
from course.render.assemble import Assembler


def key_files(assembler: Assembler, jobs: list[Job]) -> dict[str, str]:
    """keys.csv and printed.json of every module (and the final exam) the jobs print."""
    files: dict[str, str] = {}
    variants = max([ord(j.version) - ord("A") + 1 for j in jobs] + [1])
    for job in jobs:
        rel = keys_relpath(job)
        if rel and job.version == "A":
            if job.module:
                items: list = list(assembler.modules[job.module].questions)
            else:
                items = list(draw_final(assembler.project, assembler.seed))
            rows = keys_csv_rows(items, variants, assembler.seed, job.lang)
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(rows)
            files[rel] = buffer.getvalue()
        rel = record_relpath(job)
        if rel and rel not in files:
            files[rel] = record_text(assembler.record(job.module or "final", job.lang))
    return files


def kept_records(assembler: Assembler, jobs: list[Job]) -> dict[str, str]:
    """The kept copy of every record the jobs print, by path: written once, never deleted."""
    kept: dict[str, str] = {}
    for job in jobs:
        if record_relpath(job):
            quiz = job.module or "final"
            record = assembler.record(quiz, job.lang)
            kept[f"{job.lang}/{kept_name(quiz, record['digest'])}"] = record_text(record)
    return kept
