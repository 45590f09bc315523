"""`coursegen watch`: rebuild on every save, report errors, keep watching."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from course.build.fingerprint import Fingerprints
from course.build.pipeline import build
from course.build.plan import Options
from course.errors import ContentError, CoursegenError, count_line


def watched_paths(root: Path) -> list[Path]:
    """The folders whose changes affect outputs: content, the project's templates, and the
    custom templates folder course.yaml names."""
    paths = [root / "content", root / "templates"]
    custom = Fingerprints(root).custom_templates
    if custom is not None and custom.resolve() not in [p.resolve() for p in paths]:
        paths.append(custom)
    return [p for p in paths if p.is_dir()]


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
    except Exception as exc:  # a writer's bug must not end the watch: say it, go on
        echo(f"internal error: {type(exc).__name__}: {exc}; please report this")
        return False
    for warning in result.warnings:
        echo(f"warning: {warning}")
    for relpath in result.built:
        echo(f"rebuilt {relpath}")
    echo(result.summary())
    return True


def watch(root: Path, out: Path, options: Options, echo: Callable[[str], None],
          changes: Iterable[object] | None = None) -> None:
    """Build now, then again after every batch of changes, until interrupted."""
    paths = watched_paths(root)
    if changes is None:
        import watchfiles

        changes = watchfiles.watch(*paths)
    rebuild_once(root, out, options, echo)
    echo(f"watching {', '.join(str(p) for p in paths)} (Ctrl+C stops)")
    for _ in changes:
        rebuild_once(root, out, options, echo)
