"""Arabic text normalisation: folding for comparison, search and sorting."""

from __future__ import annotations

import re
import unicodedata

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",  # hamza and madda forms of alef
    "ة": "ه",  # taa marbuta and haa
    "ى": "ي",  # alef maqsura and yaa
    "ؤ": "و", "ئ": "ي",
})
_WORD = re.compile(r"[\w\u0600-\u06ff]+")
_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")
_ONE_LETTER = "وبفكل"


def normalise(text: str) -> str:
    """Fold a text for comparison: hamza forms, taa marbuta, alef maqsura, tatweel,
    diacritics, case and runs of spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_FOLD).casefold()
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """The words of a text (Arabic or Latin letters and digits)."""
    return _WORD.findall(text)


def strip_article(word: str) -> str:
    """A word without its article ال (and a joined preposition before it)."""
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix):]
    return word


def fold_word(word: str) -> str:
    """A word folded for matching: normalised, article and one-letter prefix removed."""
    word = normalise(word)
    stripped = strip_article(word)
    if stripped == word and len(word) > 3 and word[0] in _ONE_LETTER:
        stripped = strip_article(word[1:])
    return stripped


def sort_key(text: str) -> str:
    """Key for Arabic alphabetical order: article ignored, hamza forms folded."""
    return " ".join(strip_article(w) for w in normalise(text).split())
