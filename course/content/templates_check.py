"""The course's `templates:` folder and its labels.yaml: checked where they are named."""

from __future__ import annotations

import difflib
import string
from pathlib import Path
from typing import Any

from course.content.loader import COURSE_FILE, Project
from course.content.yamlsource import Located, file_kind, load_yaml
from course.errors import Diagnostic, Severity

LANGS = ("ar", "fr", "en")
DIRECTIONS = ("rtl", "ltr")


def check_templates(project: Project, shipped_labels: Path) -> list[Diagnostic]:
    """A `templates:` folder that is missing, outside the project or not a folder; its
    labels.yaml, checked against the shipped one."""
    name = project.course.templates
    if name is None:
        return []
    line, col = project.located[COURSE_FILE].where(("templates",))

    def error(message: str) -> list[Diagnostic]:
        return [Diagnostic(COURSE_FILE, line, col, "error", message)]

    root = project.root.resolve()
    try:
        folder = (project.root / name).resolve()
    except (OSError, ValueError):  # a NUL byte, a name too long for the file system
        return error(f"templates: '{name[:60]}' is not a usable folder name; name a folder "
                     "in the project")
    if not folder.is_relative_to(root):
        return error(f"templates folder '{name}' is outside the project; copy it into the "
                     "project folder and name it relative to it")
    kind = file_kind(folder)
    if kind is None and not folder.exists():
        return error(f"templates folder '{name}' does not exist in the project"
                     f"{_did_you_mean(name, project.root)}")
    if kind != "a folder":
        return error(f"templates: '{name}' is {kind or 'a file'}, not a folder; name the "
                     "folder that holds your templates")
    own = folder / "labels.yaml"
    if not own.exists():
        return []
    shipped, _ = load_labels(shipped_labels, "labels.yaml")
    return load_labels(own, str(own.relative_to(root)), shipped)[1]


def _did_you_mean(name: str, root: Path) -> str:
    folders = [p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    close = difflib.get_close_matches(name.strip("/"), folders, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else "; check the name"


def load_labels(path: Path, display: str, shipped: dict[str, dict[str, Any]] | None = None
                ) -> tuple[dict[str, dict[str, Any]], list[Diagnostic]]:
    """The labels of a labels.yaml by language, and its problems (against `shipped`)."""
    located, problems = load_yaml(path, display)
    if located is None:
        return {}, problems
    labels: dict[str, dict[str, Any]] = {}
    for lang, table in located.data.items():
        if lang not in LANGS:
            _add(problems, located, (lang,), f"unknown language '{lang}' in labels; use "
                 f"{', '.join(LANGS)}", key=True)
            continue
        if not isinstance(table, dict):
            _add(problems, located, (lang,), f"the labels of '{lang}' must be a mapping of "
                 "name: text")
            continue
        model = (shipped or {}).get(lang) or (shipped or {}).get("en") or {}
        labels[lang] = {}
        for key, value in table.items():
            problem = _label_problem(key, value, model.get(key))
            if problem:
                _add(problems, located, (lang, key), problem)
                continue
            labels[lang][key] = value
            close = difflib.get_close_matches(key, list(model), n=1, cutoff=0.8) \
                if model and key not in model else []
            if close:  # a label of one's own is fine; one a letter off a shipped one is a typo
                _add(problems, located, (lang, key), f"label '{key}' is not a shipped label, "
                     f"so it replaces none; did you mean '{close[0]}'?", key=True,
                     severity="warning")
    return labels, problems


def _label_problem(key: str, value: Any, model: Any) -> str | None:
    """What is wrong with one label, compared with the shipped label of that name."""
    if isinstance(model, list) or key == "letters":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            return f"label '{key}' must be a list of texts, such as [a, b, c]"
        twice = next((v for i, v in enumerate(value) if v in value[:i]), None)
        if key == "letters" and twice is not None:
            return (f"label 'letters' has '{twice}' twice, so two choices would print the "
                    "same letter; give each letter once")
        return None
    if not isinstance(value, str):
        return f"label '{key}' must be text, not {value!r}; put it in quotes"
    if key == "direction" and value not in DIRECTIONS:
        return f"label 'direction' is '{value}'; use rtl or ltr"
    if not isinstance(model, str) or "{" not in model:
        return None  # printed as written
    wanted = _fields(model) or set()
    found = _fields(value)
    if found is None:
        return (f"label '{key}' has an unmatched '{{' or '}}'; write the placeholders as in the "
                f"shipped label: {model}")
    extra = sorted(found - wanted)
    if extra:
        return (f"label '{key}' uses {{{extra[0]}}}, which is not filled in; use only "
                f"{', '.join('{' + f + '}' for f in sorted(wanted))}")
    try:
        value.format(**{name: 1 for name in wanted})
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        return f"label '{key}' cannot be filled in ({exc}); write it like the shipped {model!r}"
    return None


def _fields(text: str) -> set[str] | None:
    """The {placeholders} of a format string, or None when it is malformed."""
    try:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError:
        return None


def _add(problems: list[Diagnostic], located: Located, path: tuple[Any, ...], message: str,
         key: bool = False, severity: Severity = "error") -> None:
    line, col = located.where(path, key=key)
    problems.append(Diagnostic(located.file, line, col, severity, message))
