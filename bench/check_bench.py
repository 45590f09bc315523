"""`coursegen check` cost on large modules: time, peak memory, linearity.

Run from the repository root, in the project's venv:  python bench/check_bench.py [--quick]
Not part of CI. Each project is generated in a temporary folder from the good test
fixture: one module whose questions are the fixture's six repeated, each with words of
its own (so that no cross-question check stops early), and one module whose first
section body is 10 MB. Every figure is a whole `coursegen check` run in a subprocess:
wall seconds and the process's peak RSS (os.wait4's ru_maxrss).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "good"
CLI = shutil.which("coursegen", path=str(Path(sys.executable).parent)) or "coursegen"
LETTERS = "تثجحخدذرزسشصضطظعغقمنهي"  # no ال article, no one-letter prefix و ب ف ك ل
QUESTIONS_LIMIT_S = 10.0
QUESTIONS_LIMIT_MB = 500.0
BODY_LIMIT_S = 3.0
LINEAR_LIMIT = 1.5  # seconds per question at the largest size over the smallest, at most


def word(n: int) -> str:
    """A distinct 5-letter Arabic pseudo-word for each number."""
    out = ""
    for _ in range(5):
        n, digit = divmod(n, len(LETTERS))
        out += LETTERS[digit]
    return out


def make_questions(target: Path, count: int) -> None:
    """A copy of the fixture whose module has `count` questions."""
    shutil.copytree(FIXTURE, target)
    module = target / "content" / "modules" / "sample.yaml"
    head, tail = module.read_text(encoding="utf-8").split("\nquestions:\n", 1)
    blocks = re.split(r"(?m)^(?=  - id: )", tail)[1:]
    out = [head, "\nquestions:\n"]
    for i in range(count):
        block = blocks[i % len(blocks)].replace(blocks[i % len(blocks)].split("\n", 1)[0],
                                                f"  - id: q{i + 1}", 1)
        # Each Arabic text gains a word of its own: "ar: text" -> "ar: text WORD".
        parts = re.split(r"(ar: [^\n,}]+)", block)
        out.append("".join(part + f" {word(i * 40 + n)}" if part.startswith("ar: ") else part
                           for n, part in enumerate(parts)))
    module.write_text("".join(out), encoding="utf-8")


def make_body(target: Path, megabytes: float) -> None:
    """A copy of the fixture whose first Arabic section body is `megabytes` long."""
    shutil.copytree(FIXTURE, target)
    module = target / "content" / "modules" / "sample.yaml"
    text = module.read_text(encoding="utf-8")
    sentence = "شرطة القرب منهجية وطريقة عمل تجعل الأجهزة الأمنية حاضرة وقريبة من المواطن. "
    paragraph = "        " + (sentence * 40).strip() + "\n\n"
    count = int(megabytes * 1e6 / len(paragraph.encode()))
    anchor = "        ترتكز على القرب"
    module.write_text(text.replace(anchor, paragraph * count + anchor, 1), encoding="utf-8")


def run_check(project: Path) -> tuple[float, float, str]:
    """One `coursegen check`: wall seconds, peak RSS in MB, its last line."""
    started = time.perf_counter()
    proc = subprocess.Popen([CLI, "check", "--project", str(project)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    lines = proc.stderr.read().splitlines()
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    counts = next((line for line in lines if line.endswith(("warnings", "warning"))), "?")
    return wall, usage.ru_maxrss / 1024, counts


def main() -> None:
    """Measure, then print every figure with its target and MET / NOT MET."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 2,000 questions only")
    args = parser.parse_args()
    sizes = [1000, 2000] if args.quick else [2500, 5000, 10000]
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    rows: list[tuple[str, str, str, str]] = []
    per_question: list[float] = []
    with tempfile.TemporaryDirectory(prefix="check-bench-") as tmp:
        for size in sizes:
            project = Path(tmp) / f"q{size}"
            make_questions(project, size)
            wall, mb, counts = run_check(project)
            per_question.append(wall / size)
            print(f"{size} questions: {wall:.2f} s, peak {mb:.0f} MB ({counts})")
            if size == 10000:
                rows.append(("check, 10,000 questions", f"{wall:.2f} s",
                             f"< {QUESTIONS_LIMIT_S:g} s", _met(wall < QUESTIONS_LIMIT_S)))
                rows.append(("check, 10,000 questions, peak RSS", f"{mb:.0f} MB",
                             f"< {QUESTIONS_LIMIT_MB:g} MB", _met(mb < QUESTIONS_LIMIT_MB)))
        ratio = per_question[-1] / per_question[0]
        rows.append((f"seconds per question, {sizes[-1]} over {sizes[0]}", f"{ratio:.2f}",
                     f"<= {LINEAR_LIMIT:g} (linear)", _met(ratio <= LINEAR_LIMIT)))
        project = Path(tmp) / "body"
        make_body(project, 10)
        wall, mb, counts = run_check(project)
        print(f"10 MB section body: {wall:.2f} s, peak {mb:.0f} MB ({counts})")
        rows.append(("check, 10 MB section body", f"{wall:.2f} s", f"< {BODY_LIMIT_S:g} s",
                     _met(wall < BODY_LIMIT_S)))
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    width = max(len(r[0]) for r in rows)
    for figure, value, target, status in rows:
        print(f"{figure:<{width}}  {value:>9}  {target:<18} {status}")


def _met(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


if __name__ == "__main__":
    main()
