"""Item-writing checks: the flaws that make a question test test-wiseness, not knowledge.

Each finding is a warning (an error under `check --strict`). Thresholds are
documented in the README.
"""

from __future__ import annotations

import re
from collections import Counter

from course.arabic import normalise
from course.content.loader import Project
from course.content.model import Module, Question
from course.content.validate import Reporter
from course.errors import Diagnostic
from course.quiz.cues import (
    check_cues,
    check_determiners,
    check_key_counts,
)
from course.quiz.cues import content_words as _content_words
from course.quiz.cues import plain as _plain

LENGTH_RATIO = 1.5  # a correct choice this many times the longest other one gives it away
POSITION_SHARE = 0.40  # the largest share of single answers one position may hold
POSITION_MIN_CHOICES = 4

ALL_NONE = {
    "ar": ("جميع ما سبق", "كل ما سبق", "لا شيء مما سبق"),
    "fr": ("toutes les réponses", "aucune des réponses"),
    "en": ("all of the above", "none of the above"),
}
NEGATIVE = {
    "ar": re.compile(r"(?<![\w\u0600-\u06ff])(ليس|لا يعد|غير(?! أن)|باستثناء|عدا)"
                     r"(?![\w\u0600-\u06ff])"),
    "fr": re.compile(r"\b(ne|n')\b.*?\bpas\b|\bsauf\b|\bn'[^ ]+ pas\b", re.IGNORECASE),
    "en": re.compile(r"\b(not|except)\b", re.IGNORECASE),
}
_BOLD = re.compile(r"\*\*.+?\*\*|__.+?__")


def check_items(project: Project) -> list[Diagnostic]:
    """Every item-writing warning of every module."""
    found: list[Diagnostic] = []
    for module in project.modules:
        report = Reporter(project, module)
        langs = project.module_langs(module)
        for index, question in enumerate(module.questions):
            path = ("questions", index)
            for lang in langs:
                _check_question(question, lang, path, report)
                check_determiners(question, lang, path, report)
        _check_positions(module, report)
        check_cues(module, langs, report)
        check_key_counts(module, report)
        found.extend(report.items)
    return found


def _check_question(q: Question, lang: str, path: tuple, report: Reporter) -> None:
    choices = q.choices or []
    texts = [c.text.get(lang, "") for c in choices]
    for i, text in enumerate(texts):
        folded = normalise(_plain(text))
        if any(normalise(p) in folded for p in ALL_NONE.get(lang, ())):
            report.warning(path + ("choices", i, "text"), f"question '{q.id}' choice {i + 1} is "
                           "an 'all/none of the above' choice; write a real alternative")
    stem = q.stem.get(lang, "")
    negative = NEGATIVE.get(lang)
    match = negative.search(_BOLD.sub(" ", stem)) if negative else None
    if match:
        report.warning(path + ("stem",), f"question '{q.id}' has a negative stem "
                       f"('{match.group(0)}') that is not in bold; write **{match.group(0)}** "
                       "or ask the question positively")
    seen: dict[str, int] = {}
    for i, text in enumerate(texts):
        key = normalise(_plain(text))
        if key in seen:
            report.warning(path + ("choices", i, "text"), f"question '{q.id}' choices "
                           f"{seen[key] + 1} and {i + 1} are the same; make them differ")
        else:
            seen[key] = i
    if q.type != "single" or len(choices) < 2:
        return
    right = [i for i, c in enumerate(choices) if c.correct]
    if len(right) != 1:
        return
    correct = right[0]
    others = [len(_plain(t)) for i, t in enumerate(texts) if i != correct]
    if others and len(_plain(texts[correct])) >= LENGTH_RATIO * max(others):
        report.warning(path + ("choices", correct, "text"), f"question '{q.id}': the correct "
                       f"choice is at least {LENGTH_RATIO:g} times as long as the longest other "
                       "choice; shorten it or lengthen the others")
    stem_words = _content_words(stem)
    shared = stem_words & _content_words(texts[correct])
    for i, text in enumerate(texts):
        if i != correct:
            shared -= _content_words(text)
    if shared:
        word = sorted(shared)[0]
        report.warning(path + ("stem",), f"question '{q.id}': the stem and only the correct "
                       f"choice share the word '{word}'; reword one so it gives nothing away")


def _check_positions(module: Module, report: Reporter) -> None:
    positions = [next(i for i, c in enumerate(q.choices or []) if c.correct)
                 for q in module.questions
                 if q.type == "single" and len(q.choices or []) >= POSITION_MIN_CHOICES
                 and sum(c.correct for c in q.choices or []) == 1]
    if len(positions) < 3:
        return
    position, count = Counter(positions).most_common(1)[0]
    if count / len(positions) > POSITION_SHARE:
        report.warning(("questions",), f"module '{module.id}': choice {position + 1} is the "
                       f"answer of {count} of {len(positions)} single-answer questions (over "
                       f"{POSITION_SHARE:.0%}); move some answers to other positions", key=True)
