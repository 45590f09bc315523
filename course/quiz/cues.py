"""Cues across a quiz: one item answering another, absolute words, a fixed count of keys.

Thresholds (documented in the README): a keyed answer gives another item away when all
its content words, at least CUE_WORDS of them, appear in that item's stem or choices.
"""

from __future__ import annotations

import re
from collections import Counter

from course.arabic import fold_word, normalise, words
from course.content.model import Module, Question
from course.content.validate import Reporter

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")  # diacritics, tatweel
CONTENT_WORD = 4  # letters, article stripped, for a "content word"
CUE_WORDS = 2  # a one-word answer recurs too often to be a cue by itself
SAME_COUNT_MIN = 3  # multiple-answer questions needed before their key counts may not all match
# Function words that share nothing about the answer.
STOPWORDS = {normalise(w) for w in (
    "elle elles sont dans pour avec cette celle ceux leur leurs plus mais entre selon comme "
    "quel quelle quels quelles être fait faire this that with from which their there about "
    "عندما بينما كانت يكون تكون ضمن خلال حسب مثل لدى").split()}
# Specific determiners: a test-wise reader rules out a choice that says "only" or "never".
DETERMINERS = {
    "ar": {"فقط", "وحده", "وحدها", "وحدهم", "دائما", "ابدا", "كليا", "مطلقا", "جميع"},
    "fr": {normalise(w) for w in ("seulement", "uniquement", "toujours", "jamais",
                                   "totalement", "tous", "toutes")},
}


def _determiner_form(word: str) -> str:
    """An Arabic word lightly folded: marks and hamza go, but taa marbuta stays (وحدة, a
    unit, is not وحده, alone), and a joined wa or fa is dropped."""
    word = _MARKS.sub("", word).replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
    return word[1:] if len(word) > 3 and word[0] in "وف" and word[1:] in DETERMINERS["ar"] \
        else word


def plain(text: str) -> str:
    """A text without Markdown emphasis."""
    return text.replace("**", "").replace("__", "").strip()


def content_words(text: str) -> set[str]:
    """The folded words of a text that carry content."""
    return {w for w in (fold_word(x) for x in words(plain(text)))
            if len(w) >= CONTENT_WORD and w not in STOPWORDS}


def _keyed(q: Question, lang: str) -> list[str]:
    """The texts a question's key consists of: right choices, matched rights, answers."""
    if q.type in {"single", "multiple"}:
        return [c.text.get(lang, "") for c in q.choices or [] if c.correct]
    if q.type == "matching":
        return [f"{p.left.get(lang, '')} {p.right.get(lang, '')}" for p in q.pairs or []]
    if q.type == "short":
        return [a.get(lang, "") for a in q.accept or []]
    return []


def _shown(q: Question, lang: str) -> set[str]:
    """The content words a participant reads in a question: stem, choices, pairs, items."""
    texts = [q.stem.get(lang, "")]
    texts += [c.text.get(lang, "") for c in q.choices or []]
    texts += [f"{p.left.get(lang, '')} {p.right.get(lang, '')}" for p in q.pairs or []]
    texts += [t.get(lang, "") for t in q.sequence or []]
    return set().union(*(content_words(t) for t in texts))


def check_cues(module: Module, langs: list[str], report: Reporter) -> None:
    """Warn where one question's key is printed in another question of the same quiz."""
    for lang in langs[:1]:  # the main language; translations follow it
        shown = [_shown(q, lang) for q in module.questions]
        # Which questions show each word, in order: a key is compared only with the
        # questions that show its rarest word, so a long quiz is not checked pair by pair.
        holders: dict[str, list[int]] = {}
        for index, seen in enumerate(shown):
            for word in seen:
                holders.setdefault(word, []).append(index)
        for index, q in enumerate(module.questions):
            for text in _keyed(q, lang):
                needed = content_words(text)
                if len(needed) < CUE_WORDS:
                    continue
                rarest = min(needed, key=lambda w: len(holders.get(w, ())))
                for other in holders.get(rarest, ()):
                    if other != index and needed <= shown[other]:
                        giver = module.questions[other].id
                        report.warning(("questions", index), f"question '{q.id}': its answer "
                                       f"('{plain(text)[:60]}') is printed in question "
                                       f"'{giver}'; reword one so neither answers the other")
                        break


def check_determiners(q: Question, lang: str, path: tuple, report: Reporter) -> None:
    """Warn for a wrong choice with 'only', 'always', 'never'... that no right choice has."""
    table = DETERMINERS.get(lang)
    if not table or q.type not in {"single", "multiple"}:
        return
    fold = _determiner_form if lang == "ar" else normalise
    found = [[w for w in words(plain(c.text.get(lang, ""))) if fold(w) in table]
             for c in q.choices or []]
    if any(hits for hits, c in zip(found, q.choices or [], strict=True) if c.correct):
        return
    for i, (hits, choice) in enumerate(zip(found, q.choices or [], strict=True)):
        if hits and not choice.correct:
            report.warning(path + ("choices", i, "text"), f"question '{q.id}' choice {i + 1} "
                           f"says '{hits[0]}' but no right choice does; a test-wise "
                           "reader rules it out, so reword it")


def check_key_counts(module: Module, report: Reporter) -> None:
    """Warn when every multiple-answer question has the same number of right choices."""
    counts = Counter(sum(c.correct for c in q.choices or []) for q in module.questions
                     if q.type == "multiple")
    total = sum(counts.values())
    if total >= SAME_COUNT_MIN and len(counts) == 1:
        (count,) = counts
        report.warning(("questions",), f"module '{module.id}': all {total} multiple-answer "
                       f"questions have {count} right choices; vary the number so that "
                       "it gives nothing away", key=True)
