"""Load a project: read every YAML file, validate it, collect every problem."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from course.content.model import Course, Module, Question
from course.content.paths import COURSE_FILE, MODULES_DIR, module_path
from course.content.pydantic_errors import diagnostics_from
from course.content.yamlsource import Located, file_kind, load_yaml, no_gc
from course.errors import Diagnostic

MODULE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


@dataclass
class PartialModule:
    """What could still be checked of a module that failed validation: its valid questions."""

    file: str
    module_id: str
    objective_ids: list[str]
    questions: list[tuple[int, Question]]


@dataclass
class Project:
    """A loaded project: the course, its modules in course order, where they came from."""

    root: Path
    course: Course
    modules: list[Module]
    files: dict[str, str] = field(default_factory=dict)  # module id -> display path
    located: dict[str, Located] = field(default_factory=dict)  # display path -> data
    partials: list[PartialModule] = field(default_factory=list)

    @property
    def main_lang(self) -> str:
        """The course's main language, the first it lists."""
        return self.course.languages[0]

    def forget_module_sources(self) -> None:
        """Drop the modules' YAML data and positions once they are checked: rendering reads
        the models alone, and a large course's sources were most of its memory (and that of
        every worker forked from the build)."""
        for display in self.files.values():
            self.located[display] = Located(display, None)

    def module_langs(self, module: Module) -> list[str]:
        """The languages a module is written in, in course order."""
        own = module.languages or [self.main_lang]
        return [lang for lang in self.course.languages if lang in own]


def _validate(model: type[BaseModel], located: Located, main_lang: str,
              problems: list[Diagnostic]) -> Any:
    try:
        with no_gc():
            return model.model_validate(located.data, context={"main_lang": main_lang})
    except ValidationError as exc:
        problems.extend(diagnostics_from(exc, model, located))
        return None


YamlReader = Callable[[Path, str], tuple[Located | None, list[Diagnostic]]]


def load_project(root: Path, read_module: YamlReader = load_yaml
                 ) -> tuple[Project | None, list[Diagnostic]]:
    """Read and validate course and modules; return what validated and every problem.

    `read_module` reads one module file (the build passes one that reuses earlier parses).
    """
    problems: list[Diagnostic] = []
    if not os.path.lexists(root / COURSE_FILE):
        return None, [Diagnostic(COURSE_FILE, 1, 1, "error", f"'{root}' holds no {COURSE_FILE}, "
                                 "so it is no course folder; run coursegen in the course's "
                                 "folder, or give it with --project")]
    course_located, found = load_yaml(root / COURSE_FILE, COURSE_FILE)
    problems.extend(found)
    if course_located is None:
        return None, problems
    langs = course_located.data.get("languages")
    main_lang = langs[0] if isinstance(langs, list) and langs and isinstance(langs[0], str) \
        else "ar"
    course = _validate(Course, course_located, main_lang, problems)
    module_ids = course.modules if course else _listed_modules(course_located)
    modules: list[Module] = []
    files: dict[str, str] = {}
    located_all = {COURSE_FILE: course_located}
    seen: dict[str, int] = {}
    partials: list[PartialModule] = []
    for index, module_id in enumerate(module_ids):
        line, col = course_located.where(("modules", index))
        if module_id in seen:
            msg = (f"module '{module_id}' is listed twice in modules (items {seen[module_id] + 1}"
                   f" and {index + 1}); keep one")
            problems.append(Diagnostic(COURSE_FILE, line, col, "error", msg))
            continue
        seen[module_id] = index
        if not MODULE_ID.fullmatch(module_id):
            shown = module_id if len(module_id) <= 40 else module_id[:40] + "…"
            msg = (f"module id '{shown}' must be 1 to 64 lowercase letters, digits, '-' or "
                   "'_' (it names the file content/modules/<id>.yaml)")
            problems.append(Diagnostic(COURSE_FILE, line, col, "error", msg))
            continue
        display = module_path(module_id)
        kind = file_kind(root / display)
        if kind is not None:
            msg = (f"module '{module_id}' is listed but {display} is {kind}, not a file; "
                   "replace it with the module's YAML file")
            problems.append(Diagnostic(COURSE_FILE, line, col, "error", msg))
            continue
        if not (root / display).is_file():
            msg = (f"module '{module_id}' is listed but {display} does not exist; "
                   "create it or remove it from modules")
            problems.append(Diagnostic(COURSE_FILE, line, col, "error", msg))
            continue
        located, found = read_module(root / display, display)
        problems.extend(found)
        if located is None:
            continue
        located_all[display] = located
        module = _validate(Module, located, main_lang, problems)
        if module is None:
            partials.append(_partial(display, module_id, located, main_lang))
            continue
        if module.id != module_id:
            mline, mcol = located.where(("id",))
            msg = (f"module id '{module.id}' does not match its file name '{module_id}.yaml'; "
                   f"rename one so they agree")
            problems.append(Diagnostic(display, mline, mcol, "error", msg))
        modules.append(module)
        files[module.id] = display
    problems.extend(skipped_entries(root, set(module_ids)))
    if course is None:
        return None, problems
    # Modules that failed validation are left out; their errors are in `problems`.
    return Project(root, course, modules, files, located_all, partials), problems


def skipped_entries(root: Path, listed: set[str]) -> list[Diagnostic]:
    """A warning for each unlisted `*.yaml` in content/modules that is not a regular file
    (a folder, a FIFO): never read, and said so."""
    found = []
    try:
        entries = sorted(os.scandir(root / MODULES_DIR), key=lambda e: e.name)
    except OSError:
        return []
    for entry in entries:
        stem = entry.name.removesuffix(".yaml")
        if entry.name.endswith(".yaml") and stem not in listed:
            kind = file_kind(Path(entry.path))
            if kind is not None:
                found.append(Diagnostic(module_path(stem), 1, 1, "warning", f"skipped: it is "
                                        f"{kind}, not a module file; remove or rename it"))
    return found


def _partial(display: str, module_id: str, located: Located, main_lang: str) -> PartialModule:
    """The questions of a failed module that validate on their own, for the cross checks."""
    data = located.data if isinstance(located.data, dict) else {}
    objectives = data.get("objectives") if isinstance(data.get("objectives"), list) else []
    ids = [o["id"] for o in objectives if isinstance(o, dict) and isinstance(o.get("id"), str)]
    questions: list[tuple[int, Question]] = []
    raw = data.get("questions") if isinstance(data.get("questions"), list) else []
    for index, item in enumerate(raw):
        try:
            questions.append((index, Question.model_validate(
                item, context={"main_lang": main_lang})))
        except ValidationError:
            continue  # its own errors are already reported
    return PartialModule(display, module_id, ids, questions)


def _listed_modules(located: Located) -> list[str]:
    """Module ids from a course file that failed validation, to keep checking them."""
    listed = located.data.get("modules")
    if not isinstance(listed, list):
        return []
    return [m for m in listed if isinstance(m, str)]
