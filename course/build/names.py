"""The names course.yaml gives (languages, modules, templates folder, theme files), read
as written, and remembered in the output folder under the digest of course.yaml's bytes,
so a build with nothing to do needs no YAML parser."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from course.build.keep import keep_text
from course.content.paths import COURSE_FILE, module_path

NAMES_FILE = ".coursegen-cache/course-names.json"
THEME_KEYS = ("logo", "reference_docx", "reference_pptx")


@dataclass
class CourseNames:
    """The names a command line may use, read from course.yaml as written."""

    langs: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    templates: str | None = None
    theme: dict[str, str] = field(default_factory=dict)  # theme key -> file, as written

    @property
    def theme_files(self) -> list[str]:
        """The theme's files, relative to the project."""
        return list(self.theme.values())


def course_bytes(root: Path) -> bytes | None:
    """course.yaml's bytes, or None when it is no readable file."""
    try:
        return (root / COURSE_FILE).read_bytes()
    except OSError:
        return None


def course_names(root: Path, out: Path | None = None,
                 data: bytes | None = None) -> CourseNames | None:
    """The course's languages, modules and source files; None when course.yaml does not
    load (the command then reports its content errors). `out`: where they may be
    remembered from an earlier build of the same course.yaml; `data`: its bytes, when
    the caller has read them already."""
    data = course_bytes(root) if data is None else data
    if out is not None and data is not None:
        remembered = _remembered(out, data)
        if remembered is not None:
            return remembered
    from course.content.yamlsource import load_yaml  # only when not remembered: it is slow

    located, _ = load_yaml(root / COURSE_FILE, COURSE_FILE)
    if located is None or not isinstance(located.data, dict):
        return None
    data_ = located.data

    def texts(value: object) -> list[str]:
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    theme = data_.get("theme") if isinstance(data_.get("theme"), dict) else {}
    files = {k: theme[k] for k in THEME_KEYS if isinstance(theme.get(k), str)}
    templates = data_.get("templates") if isinstance(data_.get("templates"), str) else None
    return CourseNames(texts(data_.get("languages")), texts(data_.get("modules")), templates,
                       files)


def remember_names(out: Path, data: bytes, names: CourseNames) -> None:
    """Keep the names read from course.yaml's bytes `data` for the next build in `out`."""
    text = json.dumps({"course": _digest(data), **asdict(names)}, ensure_ascii=False)
    keep_text(out / NAMES_FILE, text)  # one that cannot be kept costs the next build a parse


def _remembered(out: Path, data: bytes) -> CourseNames | None:
    """The names kept for exactly these course.yaml bytes, or None (a damaged entry too)."""
    try:
        kept = json.loads((out / NAMES_FILE).read_text(encoding="utf-8"))
        names = CourseNames(kept["langs"], kept["modules"], kept["templates"], kept["theme"])
        texts = [*names.langs, *names.modules, *names.theme, *names.theme.values()]
        if kept["course"] != _digest(data) or not all(isinstance(t, str) for t in texts) \
                or not isinstance(names.templates, str | None):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return names


def module_langs(root: Path, module: str, names: CourseNames) -> list[str]:
    """The languages a module is written in, as its file says (else the main language)."""
    from course.content.yamlsource import load_yaml

    located, _ = load_yaml(root / module_path(module), module_path(module))
    main = names.langs[:1]
    if located is None or not isinstance(located.data, dict):
        return names.langs
    own = located.data.get("languages")
    wanted = [v for v in own if isinstance(v, str)] if isinstance(own, list) else main
    return [lang for lang in names.langs if lang in wanted]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
