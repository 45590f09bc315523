"""A compact Unicode bidi algorithm (UAX #9) for plain text without explicit embeddings."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from unicodedata import bidirectional

_STRONG_AS_R = {"R", "AL", "EN", "AN"}  # for rule N1, numbers count as right-to-left
_NEUTRAL = {"B", "S", "WS", "ON", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI",
            "FSI", "PDI"}


@lru_cache(maxsize=4096)
def _bidi_class(char: str) -> str:
    return bidirectional(char) or "L"


def levels(text: str, rtl: bool) -> list[int]:
    """Embedding level of every character of one paragraph (0/2 = LTR, 1 = RTL)."""
    base = 1 if rtl else 0
    sos = "R" if rtl else "L"
    types = [_bidi_class(c) for c in text]
    n = len(types)
    # W1: a combining mark takes the type of the character before it.
    prev = sos
    for i, t in enumerate(types):
        if t == "NSM":
            types[i] = "ON" if prev in _NEUTRAL else prev
        prev = types[i]
    # W2 and W3: European digits after Arabic letters become Arabic numbers; AL becomes R.
    last_strong = sos
    for i, t in enumerate(types):
        if t in ("L", "R", "AL"):
            last_strong = t
            if t == "AL":
                types[i] = "R"
        elif t == "EN" and last_strong == "AL":
            types[i] = "AN"
    # W4: one separator between two numbers of the same kind joins them (145.000, 1,5).
    for i in range(1, n - 1):
        t, a, b = types[i], types[i - 1], types[i + 1]
        if t == "ES" and a == b == "EN":
            types[i] = "EN"
        elif t == "CS" and a == b and a in ("EN", "AN"):
            types[i] = a
    # W5: terminators (%, $, °) next to a European number join it.
    i = 0
    while i < n:
        if types[i] == "ET":
            j = i
            while j < n and types[j] == "ET":
                j += 1
            if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
                types[i:j] = ["EN"] * (j - i)
            i = j
        else:
            i += 1
    # W6 and W7: leftover separators are neutral; European numbers after L are L.
    last_strong = sos
    for i, t in enumerate(types):
        if t in ("ES", "ET", "CS"):
            types[i] = "ON"
        elif t in ("L", "R"):
            last_strong = t
        elif t == "EN" and last_strong == "L":
            types[i] = "L"
    # N1 and N2: neutrals between two equal directions take it, others the paragraph's.
    i = 0
    while i < n:
        if types[i] in _NEUTRAL:
            j = i
            while j < n and types[j] in _NEUTRAL:
                j += 1
            before = _strong(types[i - 1]) if i > 0 else sos
            after = _strong(types[j]) if j < n else sos
            fill = before if before == after else sos
            types[i:j] = [fill] * (j - i)
            i = j
        else:
            i += 1
    # I1 and I2: resolve levels.
    out = []
    for t in types:
        if base == 0:
            out.append(1 if t == "R" else 2 if t in ("AN", "EN") else 0)
        else:
            out.append(2 if t in ("L", "EN", "AN") else 1)
    return out


def _strong(t: str) -> str:
    return "R" if t in _STRONG_AS_R else "L"


def visual_order(item_levels: Sequence[int]) -> list[int]:
    """Indices of a line's items in left-to-right display order (rule L2)."""
    order = list(range(len(item_levels)))
    if not order:
        return order
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
