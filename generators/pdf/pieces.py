"""A paragraph's text as shaped pieces: words and spaces of one run and one bidi level."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from generators.pdf import shape_cache
from generators.pdf.bidi import level_runs
from generators.pdf.charclass import Classifier
from generators.pdf.fonts import FontFace
from generators.pdf.shaping import shape, shape_all
from generators.pdf.wordlayout import Shaped

BREAKABLE = " \t"  # where lines may break


@dataclass(frozen=True)
class Run:
    """Text in one face, size and colour; `link` is a URL or `#anchor`."""

    text: str
    face: FontFace
    size: float
    color: str = "#000000"
    link: str | None = None


class Piece:
    """A shaped stretch of one run at one bidi level: a word, part of one, or a space."""

    __slots__ = ("run", "text", "level", "script", "space", "shaped", "width")

    def __init__(self, run: Run, text: str, level: int, script: str = "",
                 shaped: Shaped | None = None) -> None:
        self.run, self.text, self.level, self.space = run, text, level, text[0] in BREAKABLE
        self.script = script
        if shaped is None:
            shaped = shape(run.face, text, bool(level & 1), script)
        self.shaped = shaped
        self.width = shaped.advance * run.size / 1000

    def part(self, start: int, end: int | None = None) -> Piece:
        """The piece of some of these characters (reshaped)."""
        return Piece(self.run, self.text[start:end], self.level, self.script)


def _letter_script(char: str) -> str:
    if not unicodedata.category(char).startswith("L"):
        return ""
    o = ord(char)
    arabic = 0x0600 <= o <= 0x08FF or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF
    return "Arab" if arabic else "Latn"


def _letter_mark(char: str) -> str:
    """"A" for an Arabic letter, "L" for another letter, "-" for anything else."""
    found = _letter_script(char)
    return "A" if found == "Arab" else "L" if found else "-"


_letters = Classifier(_letter_mark)


class _Hints:
    """For an offset, the script of the nearest letter before it (else after it).

    Digits and punctuation belong to no script; a word made only of them ("20)." in
    French) takes its neighbours' script, else the font's default (Amiri's Arabic-style
    brackets and full stop) would print inside Latin text. Asked at rising offsets, it
    looks at each character once; a text of one script answers at once.
    """

    def __init__(self, text: str, rtl: bool) -> None:
        self.letters = _letters(text)
        arab, latin = self.letters.find("A"), self.letters.find("L")
        # Before any letter: the first letter's script (nothing before it has one).
        if arab < 0 and latin < 0:
            self.first = "Arab" if rtl else "Latn"
        else:
            self.first = "Arab" if latin < 0 or 0 <= arab < latin else "Latn"
        self.only = self.first if arab < 0 or latin < 0 else None  # every offset's hint
        self.last, self.seen = "", 0

    def at(self, k: int) -> str:
        """The hint of offset k (k never smaller than the one asked before)."""
        if self.only is not None:
            return self.only
        if k > self.seen:
            arab = self.letters.rfind("A", self.seen, k)
            latin = self.letters.rfind("L", self.seen, k)
            if arab >= 0 or latin >= 0:
                self.last = "Arab" if arab > latin else "Latn"
            self.seen = k
        return self.last or self.first


_TOKENS = re.compile(f"[{BREAKABLE}]+|[^{BREAKABLE}]+")


_PARAGRAPHS = 1024  # paragraphs remembered (running heads, labels, text met twice)
_paragraphs: dict[tuple[bool, tuple[Run, ...]], list[Piece | None]] = {}
_generation = [shape_cache.generation]


def pieces_of(runs: Sequence[Run], rtl: bool) -> list[Piece | None]:
    """Shaped pieces in logical order; None marks a hard line break.

    A piece is a longest stretch of one run, one bidi level, and spaces or not spaces.
    Pieces are never changed once made, so equal paragraphs share them.
    """
    if _generation[0] != shape_cache.generation or len(_paragraphs) >= _PARAGRAPHS:
        _paragraphs.clear()
        _generation[0] = shape_cache.generation
    key = (rtl, tuple(runs))
    found = _paragraphs.get(key)
    if found is None:
        found = _paragraphs[key] = _pieces(runs, rtl)
    return list(found)


def _pieces(runs: Sequence[Run], rtl: bool) -> list[Piece | None]:
    text = "".join(r.text for r in runs)
    hints = _Hints(text, rtl)
    owners: list[tuple[int, Run]] = []  # where each run starts (equal neighbours join)
    at = 0
    for r in runs:
        if r.text and not (owners and owners[-1][1] == r):
            owners.append((at, r))
        at += len(r.text)
    found: list[tuple[Run, int] | None] = []  # each piece's run and level, None at breaks
    items: list[tuple[FontFace, str, bool, str]] = []  # what shape_all needs of each piece
    start, owner = 0, 0
    for k, segment in enumerate(text.split("\n")):
        if k:
            found.append(None)
        end = start + len(segment)
        spans = level_runs(segment, rtl)
        # Stretches of one run and one level; within each, words and spaces alternate.
        bounds = sorted({start + e for _, e in spans} |
                        {o for o, _ in owners if start < o < end})
        a, lv = start, 0
        for b in bounds:
            while spans[lv][1] <= a - start:
                lv += 1
            while owner + 1 < len(owners) and owners[owner + 1][0] <= a:
                owner += 1
            run, level = owners[owner][1], spans[lv][0]
            face, odd = run.face, bool(level & 1)
            for m in _TOKENS.finditer(text, a, b):
                found.append((run, level))
                items.append((face, m.group(), odd, hints.at(m.start())))
            a = b
        start = end + 1
    # Shaped together: one HarfBuzz call per stretch of unknown words, not one per word.
    shaped = iter(zip(items, shape_all(items), strict=True))
    out: list[Piece | None] = []
    for f in found:
        if f is None:
            out.append(None)
        else:
            (_, piece_text, _, script), sh = next(shaped)
            out.append(Piece(f[0], piece_text, f[1], script, sh))
    return out
