"""A compact Unicode bidi algorithm (UAX #9) for plain text without explicit embeddings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from unicodedata import bidirectional

from generators.pdf.charclass import Classifier

_STRONG_AS_R = {"R", "a", "E", "N"}  # for rule N1, numbers count as right-to-left
# Bidi classes as one letter each: L, R, AL (a), EN (E), AN (N), ES (s), ET (t), CS (c),
# NSM (m); every other class is neutral here (O), as rules W1 and N1 treat them alike.
_LETTER = {"L": "L", "R": "R", "AL": "a", "EN": "E", "AN": "N", "ES": "s", "ET": "t",
           "CS": "c", "NSM": "m"}
_RUN = re.compile(r"(.)\1*", re.S)


def _classify(char: str) -> str:
    return _LETTER.get(bidirectional(char) or "L", "O")


_classes = Classifier(_classify)


def levels(text: str, rtl: bool) -> list[int]:
    """Embedding level of every character of one paragraph (0/2 = LTR, 1 = RTL)."""
    out: list[int] = []
    start = 0
    for level, end in level_runs(text, rtl):
        out += [level] * (end - start)
        start = end
    return out


def level_runs(text: str, rtl: bool) -> list[tuple[int, int]]:
    """The paragraph's levels as runs: (level, end offset), rules W1 to I2 of UAX #9.

    The rules are applied to runs of one class rather than character by character:
    each rule looks only at a run's class and at its neighbours' (and W4 at its length).
    """
    n = len(text)
    if not n:
        return []
    classes = _classes(text)
    if rtl and not any(c in classes for c in "LEN"):
        return [(1, n)]  # nothing left-to-right: the common Arabic paragraph
    if not rtl and not any(c in classes for c in "RaN"):
        return [(0, n)]
    sos = "R" if rtl else "L"
    runs = [[m.group(1), m.end() - m.start()] for m in _RUN.finditer(classes)]
    # W1: a combining mark takes the class of the character before it.
    prev = sos
    for run in runs:
        if run[0] == "m":
            run[0] = "O" if prev == "O" else prev
        prev = run[0]
    # W2 and W3: European digits after Arabic letters become Arabic numbers; AL becomes R.
    last = sos
    for run in runs:
        t = run[0]
        if t in "LRa":
            last = t
            if t == "a":
                run[0] = "R"
        elif t == "E" and last == "a":
            run[0] = "N"
    # W4: one separator between two numbers of the same kind joins them (145.000, 1,5).
    for k in range(1, len(runs) - 1):
        t, length = runs[k]
        a, b = runs[k - 1][0], runs[k + 1][0]
        if length == 1 and ((t == "s" and a == b == "E") or (t == "c" and a == b in "EN")):
            runs[k][0] = a
    # W5: terminators (%, $, °) next to a European number join it.
    runs = _merged(runs)
    for k, run in enumerate(runs):
        if run[0] == "t" and ((k and runs[k - 1][0] == "E") or
                              (k + 1 < len(runs) and runs[k + 1][0] == "E")):
            run[0] = "E"
    # W6 and W7: leftover separators are neutral; European numbers after L are L.
    last = sos
    for run in runs:
        t = run[0]
        if t in "stc":
            run[0] = "O"
        elif t in "LR":
            last = t
        elif t == "E" and last == "L":
            run[0] = "L"
    # N1 and N2: neutrals between two equal directions take it, others the paragraph's.
    runs = _merged(runs)
    for k, run in enumerate(runs):
        if run[0] == "O":
            before = _strong(runs[k - 1][0]) if k else sos
            after = _strong(runs[k + 1][0]) if k + 1 < len(runs) else sos
            run[0] = before if before == after else sos
    # I1 and I2: resolve levels.
    if rtl:
        table = {"L": 2, "E": 2, "N": 2, "R": 1}
    else:
        table = {"R": 1, "N": 2, "E": 2, "L": 0}
    out: list[tuple[int, int]] = []
    end = 0
    for t, length in runs:
        end += length
        level = table[t]
        if out and out[-1][0] == level:
            out[-1] = (level, end)
        else:
            out.append((level, end))
    return out


def _merged(runs: list[list]) -> list[list]:
    """Adjacent runs of one class as one run."""
    out: list[list] = []
    for run in runs:
        if out and out[-1][0] == run[0]:
            out[-1][1] += run[1]
        else:
            out.append(run)
    return out


def _strong(t: str) -> str:
    return "R" if t in _STRONG_AS_R else "L"


def visual_order(item_levels: Sequence[int]) -> list[int]:
    """Indices of a line's items in left-to-right display order (rule L2)."""
    order = list(range(len(item_levels)))
    if not order:
        return order
    low, high = min(item_levels), max(item_levels)
    if low == high:  # one level (a line of one direction): reversed that many times
        return order[::-1] if low & 1 else order
    # Down to level 1 even when the line holds no odd level, so an all-LTR line of an
    # RTL paragraph (levels 2) is reversed twice, i.e. left in order.
    for level in range(max(item_levels), 0, -1):
        i = 0
        while i < len(order):
            if item_levels[order[i]] >= level:
                j = i
                while j < len(order) and item_levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order
