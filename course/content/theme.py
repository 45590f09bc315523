"""Branding checks: the theme's logo, reference document and fonts must exist and fit."""

from __future__ import annotations

from pathlib import Path

from course.content.loader import COURSE_FILE, Project
from course.errors import Diagnostic

_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def check_theme(project: Project) -> list[Diagnostic]:
    """Located errors for a missing or foreign logo, bad reference documents, an unknown font."""
    theme = project.course.theme
    located = project.located[COURSE_FILE]
    found: list[Diagnostic] = []

    def error(key: str, message: str) -> None:
        line, col = located.where(("theme", key))
        found.append(Diagnostic(COURSE_FILE, line, col, "error", message))

    for key, kind in (("logo", "image"), ("reference_docx", "docx"), ("reference_pptx", "pptx")):
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
    if kind == "image":
        return _image_problem(path, value)
    if kind == "docx" and not (head.startswith(b"PK") and _opens_as_docx(path)):
        return f"'{value}' is not a .docx file; save the reference document as Word (.docx)"
    if kind == "pptx":
        return _presentation_problem(path, value)
    return None


def _opens_as_docx(path: Path) -> bool:
    """Whether python-docx (the writer's library) opens the file as a Word document."""
    try:
        import docx

        docx.Document(str(path))
    except Exception:  # python-docx raises many kinds for a foreign package
        return False
    return True


MAX_LOGO_PIXELS = 25_000_000  # 5000 x 5000: far more than any page prints


def _image_problem(path: Path, value: str) -> str | None:
    """A logo the writers could not draw: damaged, cut short, or enormous once decoded."""
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with reportlab; without it the writers say so
        return None
    too_large = (f"'{value}' is too large for a logo (more than {MAX_LOGO_PIXELS:,} pixels "
                 "once decoded); scale it down to a few hundred pixels wide")
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > MAX_LOGO_PIXELS:
                return too_large
            image.load()  # decodes it all: a damaged or cut-short file fails here
    except Image.DecompressionBombError:
        return too_large
    except Exception:  # Pillow raises many kinds for a damaged file
        return f"'{value}' is a damaged image that cannot be read; save or export it again"
    return None


_NOT_PPTX = ("'{}' is not a PowerPoint presentation; save the template as PowerPoint "
             "(.pptx or .potx)")
_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_DECK_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def _presentation_problem(path: Path, value: str) -> str | None:
    """A template that python-pptx cannot open, or without a title-and-body layout."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            files = {name: package.read(name) for name in package.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        return _NOT_PPTX.format(value)
    types = files.get("[Content_Types].xml", b"")
    # A .potx differs from a .pptx only in its main part's content type.
    files["[Content_Types].xml"] = types.replace(_TEMPLATE_TYPE, _DECK_TYPE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    try:
        from pptx import Presentation
        from pptx.enum.shapes import PP_PLACEHOLDER

        deck = Presentation(io.BytesIO(buffer.getvalue()))
    except Exception:  # python-pptx raises many kinds for a foreign package
        return _NOT_PPTX.format(value)
    bodies = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
    for master in deck.slide_masters:
        for layout in master.slide_layouts:
            # Vertical placeholders (orient="vert") are for East Asian text, not bullets.
            types_found = [ph.placeholder_format.type for ph in layout.placeholders
                           if ph._element.ph.get("orient") != "vert"]
            if PP_PLACEHOLDER.TITLE in types_found and \
                    sum(t in bodies for t in types_found) == 1:
                return None
    return (f"'{value}' has no slide layout with a title and one body placeholder; add a "
            "'Title and Content' layout to its slide master")


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
