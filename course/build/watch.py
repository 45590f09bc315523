"""`coursegen watch`: rebuild on every save, report errors, keep watching."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from course.build.pipeline import build
from course.build.plan import Options
from course.errors import ContentError, CoursegenError, count_line


def watched_paths(root: Path) -> list[Path]:
    """The folders whose changes affect outputs: content, and the project's templates."""
    paths = [root / "content"]
    if (root / "templates").is_dir():
        paths.append(root / "templates")
    return [p for p in paths if p.exists()]


def rebuild_once(root: Path, out: Path, options: Options, echo: Callable[[str], None]) -> bool:
    """One build; print what it did or every error. Return whether it succeeded."""
    try:
        result = build(root, out, options)
    except ContentError as exc:
        for diagnostic in exc.diagnostics:
            echo(diagnostic.format())
        echo(count_line(exc.diagnostics))
        return False
    except CoursegenError as exc:
        echo(f"error: {exc}")
        return False
    for relpath in result.built:
        echo(f"rebuilt {relpath}")
    echo(result.summary())
    return True


def watch(root: Path, out: Path, options: Options, echo: Callable[[str], None],
          changes: Iterable[object] | None = None) -> None:
    """Build now, then again after every batch of changes, until interrupted."""
    if changes is None:
        import watchfiles

        changes = watchfiles.watch(*watched_paths(root))
    rebuild_once(root, out, options, echo)
    echo(f"watching {', '.join(str(p) for p in watched_paths(root))} (Ctrl+C stops)")
    for _ in changes:
        rebuild_once(root, out, options, echo)
