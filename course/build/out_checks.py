"""What the command line refuses before any work: unknown names, and `--out` paths that
would overwrite the project's sources or cannot be written."""

from __future__ import annotations

import os
import time
from pathlib import Path

from course.build.names import CourseNames
from course.errors import CoursegenError

PROTECTED = ("content", "templates")  # the project's source folders


def unknown(given: list[str], known: list[str], what: str) -> str | None:
    """'unknown language 'xx'; known languages: ar, fr', or None when all are known."""
    for name in given:
        if name not in known:
            return f"unknown {what} '{name}'; known {what}s: {', '.join(known) or 'none'}"
    return None


def out_folder_problem(root: Path, out: Path, names: CourseNames | None) -> str | None:
    """Why an output folder cannot be used, or None."""
    if out.exists() and not out.is_dir():
        return f"'{out}' is a file, not a folder; give the folder to write into"
    problem = _source_problem(root, out, names, folder=True)
    return problem or _unwritable(out)


def out_file_problem(root: Path, out: Path, names: CourseNames | None) -> str | None:
    """Why an output file cannot be written, or None."""
    if out.is_dir():
        return f"'{out}' is a folder; give the path of the file to write"
    problem = _source_problem(root, out, names, folder=False)
    return problem or _unwritable(out.parent)


def _source_problem(root: Path, out: Path, names: CourseNames | None,
                    folder: bool) -> str | None:
    """An output inside the project's sources (or holding them), or onto a source file."""
    target = _resolved(out)
    base = _resolved(root)
    folders = [base / name for name in PROTECTED]
    if names and names.templates:
        folders.append(_resolved(root / names.templates))
    for source in folders:
        if target == source or target.is_relative_to(source):
            return (f"'{out}' is inside {_shown(source, base)}/, the project's sources; "
                    "write outputs elsewhere, such as output/")
        if folder and source.is_relative_to(target) and source.exists():
            return (f"'{out}' holds {_shown(source, base)}/, the project's sources; give "
                    "the build a folder of its own, such as output/")
    for name in names.theme_files if names else []:
        if target == _resolved(root / name):
            return f"'{out}' is the theme file {name}; write outputs elsewhere"
    return None


def _unwritable(folder: Path) -> str | None:
    """Why nothing can be created in a folder (or where it would be made), or None."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        return f"'{folder}' cannot be made: '{probe}' is a file"
    try:  # the only true test, for root too: make something there, then remove it
        # A name of this process's own (tempfile would cost a no-op build its import).
        made = probe / f".coursegen-probe-{os.getpid()}-{time.monotonic_ns()}"
        os.mkdir(made, 0o700)
        os.rmdir(made)
    except OSError as exc:
        return f"'{folder}' cannot be written ({exc.strerror}); choose a folder you can write"
    return None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _shown(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


class BlockedOutputs(CoursegenError):
    """Output paths the build cannot write (a folder where a file goes, a file where a
    folder goes): every one, before anything is written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0])
        self.problems = problems


def blocked_outputs(out: Path, relpaths: list[str]) -> list[str]:
    """Why some outputs (or the build's record) cannot be written where they go, one line
    each."""
    from course.build.fingerprint import RECORD

    problems: list[str] = []
    if (out / RECORD).exists() and not (out / RECORD).is_file():
        problems.append(f"'{out / RECORD}' is a folder where the build keeps its record of "
                        "what it wrote; move it away")
    seen: set[Path] = set()
    for relpath in relpaths:
        path = out / relpath
        for parent in reversed(path.relative_to(out).parents[:-1]):
            folder = out / parent
            if folder not in seen and folder.exists() and not folder.is_dir():
                seen.add(folder)
                problems.append(f"'{folder}' is a file where the build makes a folder (for "
                                f"{relpath}); move it away")
        if path not in seen and path.exists() and not path.is_file():
            seen.add(path)
            problems.append(f"'{path}' is a folder where the build writes a file; move it "
                            "away")
    return problems
