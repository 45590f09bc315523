"""Shaping with HarfBuzz: runs of words in one call, split into words at safe clusters.

A word is shaped as if alone (the layout, the cache and the bytes all depend on that),
but one HarfBuzz call per word costs more than the shaping itself. So a paragraph's
words not yet known are shaped together, one call per stretch of one font, direction
and script, and the glyphs split at each word's first cluster. HarfBuzz marks the
clusters where such a split is not safe (`UNSAFE_TO_BREAK`: the glyphs could differ
from shaping the parts apart); words at those are shaped again alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import uharfbuzz as hb

from generators.pdf import shape_cache
from generators.pdf.fonts import FontFace
from generators.pdf.wordlayout import Raw, Shaped, decode, encode, finish

Item = tuple[FontFace, str, bool, str]  # face, text, right to left, script hint

_FEATURES = {"kern": True, "liga": True}
_NO_SCRIPT = (None, "Zyyy", "Zinh", "Zzzz")
_UNSAFE = int(hb.GlyphFlags.UNSAFE_TO_BREAK)
_memory: dict[tuple[str, str, bool, str], Shaped] = {}  # by face name: a plain key
# A shaped word with what it needs to be drawn at its sizes is about 4 KB: a worker that
# writes a whole course's PDFs met 11,000 words (50 MB). The oldest half goes beyond this;
# the store on disk, also in memory, gives a word back without HarfBuzz.
MEMORY_WORDS = 6000
_scripts: dict[str, str | None] = {}
calls = 0  # HarfBuzz shaping calls made (tests count them)


def clear_memory() -> None:
    """Forget the shaped words held in memory (the stores on disk stay)."""
    _memory.clear()
    shape_cache.forget_loaded()


def shape(face: FontFace, text: str, rtl: bool, script: str = "") -> Shaped:
    """Glyphs of `text` in visual (left to right) order, cached: course words recur.

    `script` ("Latn", "Arab") applies when the text has no letter to tell its own.
    """
    return shape_all([(face, text, rtl, script)])[0]


def shape_all(items: Sequence[Item]) -> list[Shaped]:
    """Each item shaped as if alone, the unknown ones in as few HarfBuzz calls as safe."""
    out: list[Shaped | None] = []
    missing = False
    memory = _memory
    stores: dict[FontFace, shape_cache.Store | None] = {}
    for face, text, rtl, script in items:
        hit = memory.get((face.name, text, rtl, script))
        st = stores.get(face, stores)
        if st is stores:
            st = stores[face] = shape_cache.store(face.digest)
        if st is not None and (hit is None or hit.stored is not st):
            pkey = _key(text, rtl, script)
            if hit is None:
                hit = decode(face, st.get(pkey), rtl)
                if hit is not None:
                    memory[(face.name, text, rtl, script)] = hit
                    hit.stored = st
            elif pkey not in st:  # known here, not yet in this folder's store
                st.add(pkey, encode(hit))
                hit.stored = st
        out.append(hit)
        missing = missing or hit is None
    if missing:
        for span in _spans(items, out):
            _shape_span(items, span, out)
    if len(memory) > MEMORY_WORDS:
        for key in list(memory)[: len(memory) - MEMORY_WORDS // 2]:
            del memory[key]
    return out  # type: ignore[return-value]  # every slot is filled by now


def _key(text: str, rtl: bool, script: str) -> str:
    """A word's key in a font's store: direction, script hint, text."""
    return f"{'R' if rtl else 'L'}{script}|{text}"


def _script_of(char: str) -> str | None:
    """HarfBuzz's script of one character, None for common, inherited and unknown."""
    if char not in _scripts:
        buf = hb.Buffer()
        buf.add_str(char)
        buf.guess_segment_properties()
        _scripts[char] = None if buf.script in _NO_SCRIPT else buf.script
    return _scripts[char]


def _resolved(text: str, hint: str) -> str | None:
    """The script a buffer of `text` alone is shaped in: its first letter's, else the hint."""
    for char in text:
        found = _script_of(char)
        if found is not None:
            return found
    return hint or None


def _spans(items: Sequence[Item], out: list[Shaped | None]) -> list[list[int]]:
    """Stretches of items to shape in one call: one face, direction and script, holding
    unknown words and the spaces between them (known words end a stretch)."""
    spans: list[list[int]] = []
    current: list[int] = []
    key: tuple | None = None
    for k, (face, text, rtl, script) in enumerate(items):
        blank = not text.strip(" \t")
        if out[k] is not None and not blank:
            current, key = [], None
            continue
        this = (face, rtl, _resolved(text, script))
        if this != key or this[2] is None:
            current, key = [], this
            spans.append(current)
        current.append(k)
    return [s for s in spans if any(out[k] is None for k in s)]


def _hb(face: FontFace, text: str, rtl: bool, script: str | None) -> hb.Buffer:
    """One HarfBuzz call, set up exactly as for a word alone."""
    global calls
    calls += 1
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    if script and buf.script in _NO_SCRIPT:
        buf.script = script
    buf.direction = "rtl" if rtl else "ltr"
    # Grapheme clusters: a base letter and its marks (shadda, harakat, tanween) form one
    # cluster, so the marks never become extraction units of their own.
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_GRAPHEMES
    hb.shape(face.hb_font, buf, _FEATURES)
    return buf


def _shape_span(items: Sequence[Item], span: list[int], out: list[Shaped | None]) -> None:
    """Shape a stretch in one call and fill the unknown items; unsafe splits go alone."""
    face, _, rtl, hint = items[span[0]]
    texts = [items[k][1] for k in span]
    if len(span) == 1:
        raws, safe = [_alone(face, texts[0], rtl, hint)], [True]
    else:
        raws, safe = _split(face, texts, rtl, _resolved(texts[0], hint))
    for n, k in enumerate(span):
        if out[k] is not None:
            continue
        face, text, rtl, script = items[k]
        key = (face.name, text, rtl, script)
        hit = _memory.get(key)  # the same word earlier in this stretch
        if hit is None:
            hit = finish(face, text, rtl, raws[n] if safe[n] else _alone(face, text, rtl, script))
            _memory[key] = hit
            st = shape_cache.store(face.digest)
            if st is not None:
                st.add(_key(text, rtl, script), encode(hit))
                hit.stored = st
        out[k] = hit


def _alone(face: FontFace, text: str, rtl: bool, script: str) -> Raw:
    """HarfBuzz's glyphs of one word shaped by itself."""
    buf = _hb(face, text, rtl, script)
    return [(i.codepoint, i.cluster, p.position[2], p.position[0], p.position[1])
            for i, p in zip(buf.glyph_infos, buf.glyph_positions, strict=True)]



def _split(face: FontFace, texts: list[str], rtl: bool,
           script: str | None) -> tuple[list[Raw], list[bool]]:
    """Glyphs of the joined texts, per text (clusters made relative), and which are safe."""
    starts, at = [], 0
    for t in texts:
        starts.append(at)
        at += len(t)
    buf = _hb(face, "".join(texts), rtl, script)
    n = len(texts)
    raws: list[Raw] = [[] for _ in texts]
    opened = [False] * n  # a glyph of the text's first character was seen
    clean = [True] * n  # and none of those glyphs is unsafe to break at
    i = n - 1 if rtl else 0  # clusters fall right to left, rise left to right
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        c = info.cluster
        while i > 0 and c < starts[i]:
            i -= 1
        while i < n - 1 and c >= starts[i + 1]:
            i += 1
        base = starts[i]
        if c == base:
            opened[i] = True
            if int.__and__(info.flags, _UNSAFE):  # int's own: IntFlag's & is Python code
                clean[i] = False
        x_offset, y_offset, x_advance, _ = pos.position
        raws[i].append((info.codepoint, c - base, x_advance, x_offset, y_offset))
    safe = [True] * n
    for k in range(n):
        if not (opened[k] and (clean[k] or k == 0)):
            safe[k] = False
            if k:
                safe[k - 1] = False
    return raws, safe
