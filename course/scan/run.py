"""The `scan` command: read every page, join them, write responses, review and store."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from course.errors import CoursegenError, Diagnostic
from course.quiz.csv_safe import safe_rows
from course.scan import corrections
from course.scan.collate import Item, Quiz, Row, collate, duplicate_items, mark_items
from course.scan.inputs import collect, pages
from course.scan.read import PageReading, read_page
from course.scan.records import Records

STORE = "pages.json"  # every page read so far: a second pile merges with the first


@dataclass
class ScanResult:
    """What a run did: its closing line, exit status, and lines said before it."""

    summary: str
    status: int
    notes: list[str] = field(default_factory=list)


def _plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def scan(paths: list[Path], printed: Path, out: Path, display: Callable[[Path], str],
         progress: Callable[[int, int], None] | None = None) -> ScanResult:
    """Read the scans, merge with earlier runs into `out`, and say what needs a person."""
    files = collect(paths, display)
    total = sum(f.pages for f in files)
    if not total:
        raise CoursegenError("no scan found in " + ", ".join(display(p) for p in paths)
                             + "; give PDF, PNG, JPEG or TIFF files or folders of them")
    records = Records(printed)
    if not records.paths:
        raise CoursegenError(f"no print record in {display(printed)}; build the quizzes "
                             "first (coursegen build) or give --printed the build's output")
    fresh: list[PageReading] = []
    done = 0
    for scan_file in files:
        for number, image in pages(scan_file):
            fresh.append(read_page(image, f"{scan_file.display}:{number}", records))
            done += 1
            if progress is not None:
                progress(done, total)
    notes = [f"unreadable: {r.source}: {r.problem}" for r in fresh if r.problem]
    read = [r for r in fresh if r.problem is None]
    if not read:
        failed = CoursegenError("nothing was read")
        failed.problems = [n.removeprefix("unreadable: ") for n in notes] + [  # type: ignore
            ("the page could not" if total == 1 else f"none of the {total} pages could")
            + " be read; nothing was written"]
        raise failed
    out.mkdir(parents=True, exist_ok=True)
    readings = _merge(out / STORE, fresh)
    rows, items = collate(readings, records)
    fixes = out / "corrections.csv"
    corrections.ensure(fixes)
    warnings: list[Diagnostic] = corrections.apply(fixes, display(fixes), rows)
    notes += [w.format() for w in warnings]
    items = [i for i in items if _open(i)] + duplicate_items(rows) + mark_items(rows)
    for quiz, quiz_rows in rows.items():
        _write_csv(out / quiz[0] / quiz[1] / "responses.csv", quiz_rows)
    quizzes = len({(r.lang, r.quiz) for r in read})
    n_pages = sum(1 for i in items if i.kind == "page")
    n_marks = len(items) - n_pages
    review = out / "review.pdf"
    head = f"read {len(read)} of {_plural(total, 'page')} of {_plural(quizzes, 'quiz', 'quizzes')}"
    if items:
        summary = (f"{head}; {_plural(n_pages, 'page')} and {_plural(n_marks, 'mark')} to "
                   f"review: {display(review)}")
    else:
        summary = f"{head}; nothing to review"
    from course.scan.review import write_review

    write_review(_ordered(items), summary, review)
    return ScanResult(summary, 3 if items else 0, notes)


def _open(item: Item) -> bool:
    """A page item still open: unreadable, or a missing or conflicting page left '?'."""
    if item.row is None or not item.numbers:
        return True
    return any(item.row.cells.get(n) == "?" for n in item.numbers)


def _ordered(items: list[Item]) -> list[Item]:
    return [i for i in items if i.kind == "page"] + [i for i in items if i.kind == "mark"]


def _merge(store: Path, fresh: list[PageReading]) -> list[PageReading]:
    """Earlier readings (less those of sources read again) and this run's, kept on disk."""
    earlier: list[PageReading] = []
    if store.is_file():
        try:
            earlier = [PageReading.from_json(d) for d in json.loads(store.read_text("utf-8"))]
        except (ValueError, TypeError, KeyError):
            raise CoursegenError(f"{store}: the store of earlier readings is damaged; remove "
                                 "it and scan every pile again") from None
    again = {r.source for r in fresh}
    readings = [r for r in earlier if r.source not in again] + fresh
    tmp = store.with_name(f".{store.name}.tmp")
    tmp.write_text(json.dumps([r.as_json() for r in readings], ensure_ascii=False),
                   encoding="utf-8")
    tmp.replace(store)
    return readings


def _write_csv(path: Path, rows: list[Row]) -> None:
    """responses.csv as grade reads it: participant, version, record, source, 1..n."""
    count = max(r.count for r in rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["participant", "version", "record", "source",
                     *map(str, range(1, count + 1))])
    for row in rows:
        # A scan's file name is text a spreadsheet must not run (=HYPERLINK(...).png).
        writer.writerow(safe_rows([[row.participant, row.version, row.record,
                                    "; ".join(row.sources),
                                    *(row.cells.get(n, "") for n in range(1, count + 1))]])[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    tmp.replace(path)


__all__ = ["Quiz", "ScanResult", "scan"]
