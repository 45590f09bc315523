"""Real answer sheets built, marked, degraded and saved as scans; scans compared to truth."""

from __future__ import annotations

import csv
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from click.testing import CliRunner
from scan_marks import Sheet, degrade, mark_pages, render, simulate

from course.cli import cli

# Degradations as scanners and copiers make them; dpi first, the rest for `degrade`.
CONFIGS: list[dict[str, Any]] = [
    {"dpi": 150}, {"dpi": 150, "jpeg": 50, "noise": 8}, {"dpi": 200, "dark": 60, "blur": True},
    {"dpi": 150, "bw": True, "blur": True}, {"dpi": 200, "dark": 80, "jpeg": 50, "noise": 10},
    {"dpi": 150, "dark": 40, "noise": 12, "blur": True}, {"dpi": 300, "bw": True},
    {"dpi": 300, "jpeg": 50},
]


@dataclass(frozen=True)
class Printed:
    """One printed version of a quiz: its record and answer-sheet PDF."""

    lang: str
    quiz: str
    record: dict[str, Any]
    version: str
    pdf: Path


def build(project: Path, out: Path, *args: str) -> None:
    """Build a project's answer sheets (PDF) into `out`."""
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--out", str(out),
                                      "--format", "pdf", "--only",
                                      "answer-sheet,final-exam-answer-sheet", *args])
    assert result.exit_code == 0, result.output


def many_questions(project: Path, copies: int) -> None:
    """Repeat a fixture module's questions (new ids) so that its sheet needs more pages."""
    path = project / "content" / "modules" / "sample.yaml"
    head, body = path.read_text(encoding="utf-8").split("\nquestions:\n", 1)
    blocks = [b for b in re.split(r"(?m)^(?=  - id: q\d+\n)", body) if b.strip()]
    out, n = [], 0
    for _ in range(copies):
        for block in blocks:
            n += 1
            out.append(re.sub(r"^  - id: q\d+", f"  - id: q{n}", block))
    path.write_text(head + "\nquestions:\n" + "".join(out), encoding="utf-8")


def printed(out: Path) -> list[Printed]:
    """Every printed version under a build output, with its sheet."""
    found = []
    for lang_dir in sorted(p for p in out.iterdir() if p.is_dir()):
        pairs = [("final", lang_dir / "final-exam-printed.json",
                  lang_dir / "final-exam-answer-sheet")]
        pairs += [(d.name, d / "printed.json", d / "answer-sheet")
                  for d in sorted(lang_dir.iterdir()) if d.is_dir()]
        for quiz, record_path, stem in pairs:
            if not record_path.is_file():
                continue
            record = json.loads(record_path.read_text(encoding="utf-8"))
            for v in record["versions"]:
                pdf = Path(f"{stem}.pdf" if v == "A" else f"{stem}-{v}.pdf")
                found.append(Printed(lang_dir.name, quiz, record, v, pdf))
    return found


@dataclass
class Truth:
    """What was marked on every scanned sheet, by (lang, quiz, participant)."""

    sheets: dict[tuple[str, str, str], Sheet]
    pages: int = 0


class Pile:
    """Scans written to a folder, one image file per page, with the truth of each."""

    def __init__(self, folder: Path, seed: int) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.rng = random.Random(seed)
        self.truth = Truth({})
        self._renders: dict[tuple[Path, int], list[np.ndarray]] = {}

    def add(self, p: Printed, participant: str, config: dict[str, Any],
            skip_pages: tuple[int, ...] = ()) -> list[np.ndarray]:
        """Mark and degrade one participant's sheet; save its pages but `skip_pages`."""
        config = dict(config)
        dpi = config.pop("dpi")
        if (p.pdf, dpi) not in self._renders:
            self._renders[(p.pdf, dpi)] = render(str(p.pdf), dpi)
        # A black-and-white threshold drops a faint mark: no scanner could see it.
        sheet = simulate(p.record, p.version, self.rng, participant=participant,
                         light=not config.get("bw"))
        self.truth.sheets[(p.lang, p.quiz, participant)] = sheet
        pages = []
        for number, image in enumerate(mark_pages(self._renders[(p.pdf, dpi)], p.record,
                                                  sheet, dpi, self.rng), start=1):
            scan = degrade(image, self.rng, quarter=self.rng.randrange(4),
                           skew=self.rng.uniform(-5, 5), scale=self.rng.uniform(0.95, 1.05),
                           **config)
            pages.append(scan)
            if number not in skip_pages:
                name = f"{p.lang}-{p.quiz}-{participant}-{number}"
                ext = ".jpg" if config.get("jpeg") else ".png"
                # JPEG 50 was applied by `degrade`; the file adds no second loss worth a name.
                params = [cv2.IMWRITE_JPEG_QUALITY, 95] if ext == ".jpg" else []
                ok, data = cv2.imencode(ext, scan, params)
                (self.folder / f"{name}{ext}").write_bytes(data.tobytes())
                self.truth.pages += 1
        return pages


@dataclass
class Comparison:
    """A scan's cells against the truth."""

    misread: list[str]  # a cell read as something it is not: must never happen
    missed: list[str]  # an ambiguous cell not flagged
    flagged: list[str]  # an unambiguous cell flagged '?'
    unambiguous: int
    rows: int


def compare(out: Path, truth: Truth) -> Comparison:
    """Every responses.csv under `out` against what was marked."""
    result = Comparison([], [], [], 0, 0)
    for path in sorted(out.glob("*/*/responses.csv")):
        lang, quiz = path.parent.parent.name, path.parent.name
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                result.rows += 1
                sheet = truth.sheets.get((lang, quiz, row["participant"]))
                if sheet is None:
                    result.misread.append(f"{lang}/{quiz}: participant {row['participant']!r} "
                                          f"({row['source']}) was never marked")
                    continue
                assert row["version"] == sheet.version
                for number in (int(k) for k in row if k.isdigit()):
                    got = row[str(number)]
                    want = "?" if number in sheet.unsure else sheet.expected.get(number, "")
                    where = f"{lang}/{quiz} {row['participant']} q{number}: {got!r} for {want!r}"
                    result.unambiguous += want != "?"
                    if got == want:
                        continue
                    if got == "?":
                        result.flagged.append(where)
                    elif want == "?":
                        result.missed.append(where)
                    else:
                        result.misread.append(where)
    return result


def copy_project(source: Path, target: Path) -> Path:
    """A fresh copy of a fixture project."""
    shutil.copytree(source, target)
    return target
