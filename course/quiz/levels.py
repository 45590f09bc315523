"""Cognitive levels (revised Bloom): how many questions each level has, and what objectives ask.

An objective's first verb says the level it asks for; the questions assessing it should
reach that level at least once. The verb table is printed in the README.
"""

from __future__ import annotations

from collections import Counter

from course.arabic import fold_word, words
from course.content.loader import Project
from course.content.model import Module
from course.content.validate import Reporter
from course.errors import Diagnostic

LEVELS = ("remember", "understand", "apply", "analyse", "evaluate", "create")
# Verbs that start objectives, by the level they ask for (Arabic present tense, French
# infinitive). Arabic verbs are compared folded, so hamza and taa marbuta variants match.
VERBS: dict[str, dict[str, tuple[str, ...]]] = {
    "remember": {"ar": ("يذكر", "يسرد", "يعدد", "يسمي", "يتذكر"),
                 "fr": ("citer", "énumérer", "nommer", "rappeler", "définir", "identifier")},
    "understand": {"ar": ("يشرح", "يلخص", "يوضح", "يفسر", "يصف", "يعرّف", "يبين"),
                   "fr": ("expliquer", "résumer", "décrire", "illustrer", "reformuler",
                          "situer")},
    "apply": {"ar": ("يطبق", "يحدد", "يستعمل", "يستخدم", "يقترح", "يختار"),
              "fr": ("appliquer", "reconnaître", "utiliser", "proposer", "choisir",
                     "déterminer")},
    "analyse": {"ar": ("يحلل", "يقارن", "يميز", "يصنف"),
                "fr": ("analyser", "comparer", "distinguer", "classer")},
    "evaluate": {"ar": ("يقيم", "يقوّم", "ينتقد", "يحكم", "يبرر", "يناقش"),
                 "fr": ("évaluer", "critiquer", "juger", "justifier", "discuter")},
    "create": {"ar": ("يصمم", "يضع", "يبتكر", "يخطط", "يصوغ"),
               "fr": ("concevoir", "élaborer", "planifier", "rédiger", "créer")},
}


def _verb_levels(lang: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for level, by_lang in VERBS.items():
        for verb in by_lang.get(lang, ()):
            table.setdefault(fold_word(verb), level)
    return table


def objective_level(text: str, lang: str) -> str | None:
    """The level an objective's leading verb asks for, if the verb is in the table."""
    found = words(text)
    return _verb_levels(lang).get(fold_word(found[0])) if found else None


def level_counts(module: Module) -> Counter[str]:
    """Questions per level (`unset` for questions without one)."""
    return Counter(q.level or "unset" for q in module.questions)


def counts_line(module: Module) -> str:
    """`module 'x' questions per level: remember 5, apply 8, ...` in level order."""
    counts = level_counts(module)
    parts = [f"{level} {counts[level]}" for level in (*LEVELS, "unset") if counts[level]]
    return f"module '{module.id}' questions per level: {', '.join(parts) or 'none'}"


def check_levels(project: Project) -> list[Diagnostic]:
    """Warnings: a module without levels; an objective asking more than its items assess."""
    found: list[Diagnostic] = []
    lang = project.main_lang
    for module in project.modules:
        report = Reporter(project, module)
        if module.questions and all(q.level is None for q in module.questions):
            report.warning(("questions",), f"module '{module.id}' gives no question a level; "
                           "add level: remember, understand, apply, analyse, evaluate or "
                           "create to each", key=True)
            found.extend(report.items)
            continue
        for index, objective in enumerate(module.objectives):
            asked = objective_level(objective.text.get(lang, ""), lang)
            levels = [q.level for q in module.questions
                      if q.objective == objective.id and q.level]
            if asked is None or not levels:
                continue
            highest = max(LEVELS.index(level) for level in levels)
            if highest < LEVELS.index(asked):
                report.warning(("objectives", index, "text"),
                               f"objective '{objective.id}' asks for {asked} but its questions "
                               f"assess at most {LEVELS[highest]}; add a question at level "
                               f"{asked} or above, or reword the objective")
        found.extend(report.items)
    return found
