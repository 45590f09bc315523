"""Checks that span fields: ids, answers, objectives, languages, glossary use."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from course.arabic import fold_word, words
from course.content.loader import Project
from course.content.model import Module, Question
from course.errors import Diagnostic

LANG_NAMES = {"ar": "Arabic", "fr": "French", "en": "English"}

# Which answer fields each question type uses, and the least number of items.
_ANSWER_FIELDS = {
    "single": ("choices", 2),
    "multiple": ("choices", 2),
    "true_false": ("answer", 0),
    "matching": ("pairs", 2),
    "ordering": ("sequence", 2),
    "short": ("accept", 1),
}

# Choices, the right items of pairs and ordering items are printed with a letter each:
# Latin a..z, or the first 26 of the 28 abjad letters.
MAX_LETTERED = 26
_LETTERED = {"choices": "choices", "pairs": "pairs", "sequence": "items"}


class Reporter:
    """Collects diagnostics for one module file at model paths."""

    def __init__(self, project: Project, module: Module | None, file: str = "") -> None:
        self.file = project.files[module.id] if module else file
        self.located = project.located[self.file]
        self.items: list[Diagnostic] = []

    def error(self, path: tuple[Any, ...], message: str, key: bool = False) -> None:
        """Report an error at the YAML node of `path`."""
        self._add(path, "error", message, key)

    def warning(self, path: tuple[Any, ...], message: str, key: bool = False) -> None:
        """Report a warning at the YAML node of `path`."""
        self._add(path, "warning", message, key)

    def _add(self, path: tuple[Any, ...], severity: str, message: str, key: bool) -> None:
        line, col = self.located.where(path, key=key)
        self.items.append(Diagnostic(self.file, line, col, severity, message))  # type: ignore[arg-type]


def check_project(project: Project) -> list[Diagnostic]:
    """Every cross-field problem of every module, each module on its own (see
    course.build.check for the checks across modules)."""
    found: list[Diagnostic] = []
    for module in project.modules:
        report = Reporter(project, module)
        _check_languages(project, module, report)
        _check_unique_ids(module, report)
        objective_ids = [o.id for o in module.objectives]
        for index, question in enumerate(module.questions):
            _check_question(objective_ids, question, ("questions", index), report)
        _check_coverage(module, report)
        _check_glossary_use(project, module, report)
        found.extend(report.items)
    for partial in project.partials:  # modules with schema errors: still check their questions
        report = Reporter(project, None, partial.file)
        for index, question in partial.questions:
            _check_question(partial.objective_ids, question, ("questions", index), report)
        found.extend(report.items)
    return found


def _check_languages(project: Project, module: Module, report: Reporter) -> None:
    course_langs = project.course.languages
    for lang in module.languages or []:
        if lang not in course_langs:
            listed = ", ".join(course_langs)
            report.error(("languages",), f"module language '{lang}' is not one of the course's "
                         f"languages ({listed}); add it to course.yaml or remove it")
    for path, text in iter_texts(module):
        for lang in project.module_langs(module):
            if lang not in text:
                report.error(path, f"text lacks {LANG_NAMES[lang]} ('{lang}'), which module "
                             f"'{module.id}' is written in; add {lang}: ...")
        for lang, value in text.items():
            if lang not in course_langs:
                report.warning(path + (lang,), f"text in {LANG_NAMES.get(lang, lang)} "
                               f"('{lang}'), which the course is not written in: it is never "
                               f"printed; add {lang} to the course's languages or remove it",
                               key=True)
            if not value.strip():  # a template's **title** around nothing is a page break
                report.error(path + (lang,), "text is empty; write it, or remove the key if "
                             "it is optional")


def iter_texts(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], dict]]:
    """Every translatable text in a model, with its path."""
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            if name in {"source", "languages"}:
                continue
            yield from iter_texts(getattr(node, name), path + (name,))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from iter_texts(item, path + (index,))
    elif isinstance(node, dict):
        yield path, node


def _check_unique_ids(module: Module, report: Reporter) -> None:
    for collection in ("objectives", "sections", "questions", "activities"):
        items = getattr(module, collection)
        first: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.id in first:
                name = collection[:-1] if collection != "activities" else "activity"
                report.error((collection, index, "id"), f"duplicate {name} id '{item.id}' (also "
                             f"{name} {first[item.id] + 1}); give each {name} its own id")
            else:
                first[item.id] = index


def _check_question(objectives: list[str], q: Question, path: tuple[Any, ...],
                    report: Reporter) -> None:
    if q.objective not in objectives:
        report.error(path + ("objective",), f"question '{q.id}' assesses objective "
                     f"'{q.objective}', which this module does not define; use one of: "
                     f"{', '.join(objectives)}")
    needed, least = _ANSWER_FIELDS[q.type]
    for name in ("choices", "answer", "pairs", "sequence", "accept"):
        value = getattr(q, name)
        if name != needed and value is not None:
            report.error(path + (name,), f"question '{q.id}' is type {q.type}, which does not "
                         f"use '{name}'; remove it or use '{needed}'", key=True)
    value = getattr(q, needed)
    if value is None:
        report.error(path, f"question '{q.id}' is type {q.type} but has no '{needed}'; add it")
        return
    if needed != "answer" and len(value) < least:
        report.error(path + (needed,), f"question '{q.id}' needs at least {least} "
                     f"item(s) in '{needed}', it has {len(value)}")
    if needed in _LETTERED and len(value) > MAX_LETTERED:
        report.error(path + (needed, MAX_LETTERED), f"question '{q.id}' has {len(value)} "
                     f"{_LETTERED[needed]}, but papers letter them a to z: at most "
                     f"{MAX_LETTERED}; split it into two questions")
    if q.type in {"single", "multiple"}:
        _check_correct_count(q, path, report)
    if q.type == "matching":
        for side in ("left", "right"):
            first: dict[tuple, int] = {}
            for index, pair in enumerate(q.pairs or []):
                key = tuple(sorted(getattr(pair, side).items()))
                if key in first:
                    report.error(path + ("pairs", index, side),
                                 f"question '{q.id}' repeats the {side} item in pairs "
                                 f"{first[key] + 1} and {index + 1}; each {side} item must "
                                 "appear once")
                else:
                    first[key] = index


def _check_correct_count(q: Question, path: tuple[Any, ...], report: Reporter) -> None:
    correct = [i + 1 for i, c in enumerate(q.choices or []) if c.correct]
    if q.type == "single" and len(correct) == 0:
        report.error(path + ("choices",), f"question '{q.id}' is single-answer but no choice is "
                     "marked correct; mark one with correct: true")
    elif q.type == "single" and len(correct) > 1:
        listed = ", ".join(map(str, correct[:-1])) + f" and {correct[-1]}"
        quantity = "both" if len(correct) == 2 else "all"
        report.error(path + ("choices", correct[1] - 1, "correct"),
                     f"question '{q.id}' is single-answer but choices {listed} are {quantity} "
                     "marked correct; keep one, or make it type: multiple")
    elif q.type == "multiple" and not correct:
        report.error(path + ("choices",), f"question '{q.id}' is multiple-answer but no choice "
                     "is marked correct; mark at least one with correct: true")


def _check_coverage(module: Module, report: Reporter) -> None:
    assessed = Counter(q.objective for q in module.questions)
    for index, objective in enumerate(module.objectives):
        if assessed[objective.id] < 2:
            report.warning(("objectives", index, "id"), f"objective '{objective.id}' is "
                           f"assessed by {assessed[objective.id]} question(s); add questions "
                           "so that at least two assess it")
    if not any(a.kind in {"case_study", "role_play"} for a in module.activities):
        report.warning(("activities",) if module.activities else ("id",),
                       f"module '{module.id}' has no case study or role play; add an activity "
                       "with kind: case_study or role_play", key=True)


def _check_glossary_use(project: Project, module: Module, report: Reporter) -> None:
    lang = project.main_lang
    corpus: set[str] = set()
    seen: set[str] = set()  # words already folded: a long module repeats most of its words
    for path, text in iter_texts(module):
        if path[:1] != ("glossary",) and lang in text:
            fresh = set(words(text[lang])) - seen
            seen |= fresh
            corpus.update(fold_word(w) for w in fresh)
    for index, entry in enumerate(module.glossary):
        term = entry.term.get(lang, "")
        folded = [fold_word(w) for w in words(term)]
        if folded and not all(w in corpus for w in folded):
            report.warning(("glossary", index, "term"), f"glossary term '{term}' appears "
                           "nowhere in the module's text; use it in a section or remove it")
