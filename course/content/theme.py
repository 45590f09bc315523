"""Branding checks: the theme's logo, reference document and fonts must exist and fit."""

from __future__ import annotations

from pathlib import Path

from course.content.loader import COURSE_FILE, Project
from course.errors import Diagnostic

_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def check_theme(project: Project) -> list[Diagnostic]:
    """Located errors for a missing or foreign logo, a bad reference docx, an unknown font."""
    theme = project.course.theme
    located = project.located[COURSE_FILE]
    found: list[Diagnostic] = []

    def error(key: str, message: str) -> None:
        line, col = located.where(("theme", key))
        found.append(Diagnostic(COURSE_FILE, line, col, "error", message))

    for key, kind in (("logo", "image"), ("reference_docx", "docx")):
        value = getattr(theme, key)
        if value is None:
            continue
        problem = _file_problem(project.root, value, kind)
        if problem:
            error(key, problem)
    installed = _installed_fonts()
    for key in ("font", "heading_font"):
        name = getattr(theme, key)
        if installed is not None and name.casefold() not in installed:
            error(key, f"font '{name}' is not installed; use one of: "
                  f"{', '.join(sorted(set(installed.values())))} (fonts come as fontpkg wheels)")
    return found


def _file_problem(root: Path, value: str, kind: str) -> str | None:
    try:
        return _path_problem(root, value, kind)
    except (OSError, ValueError):  # a NUL byte, a name too long for the file system, ...
        return f"'{value[:60]}' is not a usable file path; give the path of a file in the project"


def _path_problem(root: Path, value: str, kind: str) -> str | None:
    path = (root / value).resolve()
    if not path.is_relative_to(root.resolve()):
        return f"'{value}' is outside the project; copy it into the project folder"
    if not path.is_file():
        return f"'{value}' does not exist in the project; check the path"
    with path.open("rb") as handle:
        head = handle.read(8)
    if kind == "image" and not any(head.startswith(m) for m in _IMAGE_MAGIC):
        return f"'{value}' is not a PNG or JPEG image; convert it to PNG"
    if kind == "docx" and not head.startswith(b"PK"):
        return f"'{value}' is not a .docx file; save the reference document as Word (.docx)"
    return None


def _installed_fonts() -> dict[str, str] | None:
    """Installed font families, by folded name (None when fontpkg is unavailable)."""
    try:
        import fontpkg
    except ImportError:
        return None
    names: dict[str, str] = {}
    for slug in fontpkg.families():
        family = fontpkg.family(slug)
        names[family.name.casefold()] = family.name
        names[slug.casefold()] = family.name
    return names
