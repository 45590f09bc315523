"""The course glossary merges every module's: a term two modules spell apart is listed twice."""

from __future__ import annotations

import unicodedata

from course.arabic import normalise, strip_article
from course.content.loader import Project
from course.errors import Diagnostic


def term_key(term: str) -> str:
    """A term folded as readers see it: hamza forms, case, accents and the article ignored."""
    text = "".join(c for c in unicodedata.normalize("NFD", normalise(term))
                   if not unicodedata.combining(c))
    return " ".join(strip_article(word) for word in text.split())


def check_glossaries(project: Project) -> list[Diagnostic]:
    """A warning where a module's term is another module's spelled otherwise: the course
    glossary would list it twice. (Defined otherwise, each handout prints its own, and the
    course glossary the first module's.)"""
    found: list[Diagnostic] = []
    for lang in project.course.languages:
        first: dict[str, tuple[str, str]] = {}  # key -> term, module
        for module in project.modules:
            located = project.located[project.files[module.id]]
            for index, entry in enumerate(module.glossary):
                term = entry.term.get(lang)
                if not term:
                    continue
                key = term_key(term)
                other, where = first.setdefault(key, (term, module.id))
                if where == module.id or other == term:
                    continue  # one module's own terms, or the same spelling
                message = (f"glossary term '{term}' is spelled '{other}' in module '{where}'; "
                           "spell it one way, or the course glossary lists it twice")
                line, col = located.where(("glossary", index, "term", lang))
                found.append(Diagnostic(project.files[module.id], line, col, "warning",
                                        message))
    return found
