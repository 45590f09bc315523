"""Greedy line breaking at spaces, cutting only words wider than a whole line."""

from __future__ import annotations

import unicodedata

from generators.pdf.pieces import Piece


def _fit(piece: Piece, room: float) -> tuple[Piece, Piece | None] | None:
    """The longest head of a piece that fits in `room`, cut between characters, and the rest.

    None when not even one character fits. Marks stay with their letter.
    """
    text = piece.text
    cuts = [i for i in range(1, len(text)) if not unicodedata.combining(text[i])]
    lo, hi = 0, len(cuts)  # cuts[:lo] fit; find the last that does
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if piece.part(0, cuts[mid - 1]).width <= room + 0.01:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return None
    cut = cuts[lo - 1]
    return piece.part(0, cut), piece.part(cut)


def _first_char(piece: Piece) -> tuple[Piece, Piece | None]:
    """A piece's first character (with its marks) and the rest."""
    text = piece.text
    cut = next((i for i in range(1, len(text)) if not unicodedata.combining(text[i])), len(text))
    return piece.part(0, cut), piece.part(cut) if cut < len(text) else None


def _split_word(word: list[Piece], room: float, width: float) -> list[list[Piece]]:
    """A word wider than a line in chunks: the first fills `room` (it may be empty), the
    others a whole `width` each."""
    chunks: list[list[Piece]] = [[]]
    todo = list(word)
    while todo:
        p = todo.pop(0)
        if p.width <= room + 0.01:
            chunks[-1].append(p)
            room -= p.width
            continue
        fit = _fit(p, room)
        if fit is None:
            if chunks[-1] or room < width:  # try again on a fresh line
                chunks.append([])
                room = width
                todo.insert(0, p)
                continue
            fit = _first_char(p)  # not one character fits a line: it overflows alone
        head, rest = fit
        chunks[-1].append(head)
        chunks.append([])
        room = width
        if rest is not None:
            todo.insert(0, rest)
    if len(chunks) > 1 and not chunks[-1]:
        chunks.pop()
    return chunks


def break_lines(pieces: list[Piece | None], width: float) -> list[tuple[list[Piece], bool]]:
    """Greedy breaking at spaces; each line is (pieces, ends_paragraph_or_hard_break).

    A word wider than a whole line (a URL, a long token) is cut between characters as a
    last resort, its first part filling what is left of the current line.
    """
    lines: list[tuple[list[Piece], bool]] = []
    line: list[Piece] = []
    used = 0.0
    spaces: list[Piece] = []
    word: list[Piece] = []

    def flush_word() -> None:
        nonlocal line, used, spaces, word
        if not word:
            return
        wide = sum(p.width for p in word)
        gap = sum(p.width for p in spaces)
        if wide > width + 0.01:
            room = width - used - gap if line else width
            chunks = _split_word(word, max(room, 0.0), width)
            if not chunks[0]:  # nothing fitted on the current line
                if line:
                    lines.append((line, False))
                line, used = [], 0.0
                chunks.pop(0)
            elif line:
                line += spaces
                used += gap
            for chunk in chunks[:-1]:
                lines.append((line + chunk, False))
                line, used = [], 0.0
            line = line + chunks[-1]
            used += sum(p.width for p in chunks[-1])
            spaces, word = [], []
            return
        if line and used + gap + wide > width + 0.01:
            lines.append((line, False))
            line, used = list(word), wide
        else:
            line += spaces + word
            used += gap + wide
        spaces, word = [], []

    for p in pieces:
        if p is None:
            flush_word()
            lines.append((line, True))
            line, used, spaces = [], 0.0, []
        elif p.space:
            flush_word()
            if line:
                spaces.append(p)
        else:
            word.append(p)
    flush_word()
    lines.append((line, True))
    return lines
