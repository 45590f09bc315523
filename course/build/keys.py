"""The files that go with the printed quizzes of a build: keys.csv and the print records.

Each is made once per quiz and language (not per printed job), and only for the quizzes a
build asks for: those with a job to write, or whose files are not as recorded.
"""

from __future__ import annotations

import csv
import io

from course.build.plan import Job, keys_relpath, record_relpath
from course.quiz.record import kept_name, record_text
from course.quiz.versions import draw_final, keys_csv_rows
from course.render.assemble import Assembler

Quiz = tuple[str, str]  # a module id or "final", and a language


def quiz_of(job: Job) -> Quiz | None:
    """The quiz a job prints (for keys.csv and printed.json), if it prints one."""
    return (job.module or "final", job.lang) if record_relpath(job) else None


def quiz_files(jobs: list[Job]) -> dict[Quiz, list[str]]:
    """Every quiz the jobs print, with the paths of its keys.csv and printed.json."""
    files: dict[Quiz, list[str]] = {}
    for job in jobs:
        quiz = quiz_of(job)
        if quiz:
            paths = files.setdefault(quiz, [])
            for rel in (keys_relpath(job), record_relpath(job)):
                if rel and rel not in paths:
                    paths.append(rel)
    return files


def key_files(assembler: Assembler, jobs: list[Job], only: set[Quiz]
              ) -> tuple[dict[str, str], dict[str, str]]:
    """keys.csv and printed.json of every quiz in `only` that the jobs print, and the kept
    copy of each print record (written once, never deleted), both by path.

    Each record is made once and only its text is held: a record lays out every answer
    sheet of its quiz, and a large course's records as data were 80 MB in the build."""
    files: dict[str, str] = {}
    kept: dict[str, str] = {}
    variants = max([ord(j.version) - ord("A") + 1 for j in jobs] + [1])
    for job in jobs:
        quiz = quiz_of(job)
        if quiz not in only:
            continue
        rel = keys_relpath(job)
        if rel and rel not in files:
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
            record = assembler.record(*quiz)
            files[rel] = record_text(record)
            kept[f"{job.lang}/{kept_name(quiz[0], record['digest'])}"] = files[rel]
    return files, kept
