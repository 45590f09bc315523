"""A shaped word laid out for extraction: which glyph carries which character, how wide.

HarfBuzz gives glyphs and clusters; a PDF reader gives back text only through the
characters the glyphs are encoded as, and splits words where characters leave gaps or
overlap. So each cluster's characters are spread over its width, one PDF character
each, and marks without a character are drawn as paths.
"""

from __future__ import annotations

from generators.pdf.fonts import FontFace, alias, pdf_char

Raw = list[tuple[int, int, int, int, int]]  # glyph id, cluster, advance, x and y offsets

# One shaped glyph: (pdf char, advance, x offset, y offset, text, pdf width, glyph id),
# the numbers in 1/1000 em. `pdf char` is the character reportlab encodes (a real one,
# or a private alias of the glyph); `text` is the one source character copy and search
# give back for it. A glyph carrying no character (a mark, the second glyph of a
# cluster) has pdf char "" and is drawn as a path: as text it would split its word for
# poppler. A cluster of several characters adds blank glyphs carrying the others.
Glyph = tuple[str, float, float, float, str, float, int]


class Shaped:
    """A shaped word: its glyphs in visual order and its advance (1/1000 em)."""

    __slots__ = ("glyphs", "advance", "rtl", "drawn", "stored")

    def __init__(self, glyphs: tuple[Glyph, ...], advance: float, rtl: bool) -> None:
        self.glyphs, self.advance, self.rtl = glyphs, advance, rtl
        self.drawn: dict[float, object] = {}  # size -> what text.py precomputes to draw it
        self.stored: object = None  # the shape_cache.Store it was last put in


def finish(face: FontFace, text: str, rtl: bool, raw_glyphs: Raw) -> Shaped:
    """The glyphs of a word from HarfBuzz's output, laid out for extraction."""
    scale = face.scale
    if len(raw_glyphs) == len(text) == len({g[1] for g in raw_glyphs}):
        return _simple(face, text, rtl, raw_glyphs)  # one glyph per character: most words
    raw = []
    pen = 0.0
    for gid, cluster, x_advance, x_offset, y_offset in raw_glyphs:
        raw.append((gid, cluster, pen + x_offset * scale, x_advance * scale, x_offset * scale,
                    y_offset * scale))
        pen += x_advance * scale
    total = pen
    starts = sorted({g[1] for g in raw})
    ends = dict(zip(starts, starts[1:] + [len(text)], strict=True))
    # One glyph of each cluster anchors all its characters: the widest one, i.e. the base
    # letter rather than a zero-advance mark. The other glyphs (marks) carry none and are
    # drawn as paths: as text they would split the word for poppler, which ends a word at
    # a character starting within 0.1 em of the one before.
    carrier: dict[int, int] = {}
    for i, (_gid, cluster, _drawn, advance, *_) in enumerate(raw):
        if cluster not in carrier or advance > raw[carrier[cluster]][3]:
            carrier[cluster] = i
    anchors = [i for i, (_g, c, *_) in enumerate(raw) if carrier[c] == i]
    # A cluster of several characters (a letter and its marks, a ligature) gets one PDF
    # character per source character, in visual order: every extractor reads one
    # character per code, while a multi-character code keeps its inner order in pypdf
    # and is laid out left to right by poppler. The anchor glyph is drawn and carries
    # one of them; the others are blank glyphs placed 0.1 em or more apart.
    chars = []
    for i in anchors:
        cluster = raw[i][1]
        part = text[cluster:ends[cluster]]
        chars.append(part[::-1] if rtl else part)
    spread = _spread([raw[i][2] for i in anchors], [len(c) for c in chars], total)
    texts = {i: (list(zip(starts, cs, strict=True)), at)
             for i, (starts, at), cs in zip(anchors, spread, chars, strict=True)}
    # Each character's PDF width reaches to where the next one starts (the last one's to
    # the word's end): extractors (poppler, pdfminer) split words at gaps.
    flat = [x for starts, _at in spread for x in starts] + [total]
    reach = iter(flat[1:])
    blank = face.hb_font.get_nominal_glyph(0x20) or 0
    glyphs: list[Glyph] = []
    pen = 0.0
    for i, (gid, _cluster, _drawn, advance, dx, dy) in enumerate(raw):
        hit = texts.get(i)
        if hit is None:
            glyphs.append(("", advance, dx, dy, "", 0.0, gid))
            pen += advance
            continue
        parts, at = hit
        for k, (x, ch) in enumerate(parts):
            width = max(0.0, round(next(reach) - x))
            if k == at:  # the anchor: the glyph itself
                char, width = pdf_char(face, gid, ch, width)
                glyphs.append((char, advance, dx, dy, ch, width, gid))
                pen += advance
            else:
                char, width = pdf_char(face, blank, ch, width)
                glyphs.append((char, 0.0, x - pen, 0.0, ch, width, blank))
    return Shaped(tuple(glyphs), total, rtl)


def _simple(face: FontFace, text: str, rtl: bool, raw_glyphs: Raw) -> Shaped:
    """`finish` for a word of one glyph per character, each its own anchor: a character's
    PDF width reaches to where the next glyph is drawn (the last one's to the end)."""
    scale = face.scale
    glyphs = []
    pen = 0.0
    prev = None
    for gid, cluster, x_advance, x_offset, y_offset in raw_glyphs:
        dx = x_offset * scale
        drawn = pen + dx
        if prev is not None:
            p_gid, p_cluster, p_drawn, p_advance, p_dx, p_dy = prev
            ch = text[p_cluster]
            char, width = pdf_char(face, p_gid, ch, max(0.0, round(drawn - p_drawn)))
            glyphs.append((char, p_advance, p_dx, p_dy, ch, width, p_gid))
        advance = x_advance * scale
        prev = (gid, cluster, drawn, advance, dx, y_offset * scale)
        pen += advance
    if prev is not None:
        p_gid, p_cluster, p_drawn, p_advance, p_dx, p_dy = prev
        ch = text[p_cluster]
        char, width = pdf_char(face, p_gid, ch, max(0.0, round(pen - p_drawn)))
        glyphs.append((char, p_advance, p_dx, p_dy, ch, width, p_gid))
    return Shaped(tuple(glyphs), pen, rtl)


# poppler starts a new word at a character beginning within 0.1 em of the one before
# (it takes that for fake-bold duplicates); 1/1000 em, with a margin for rounding.
_MIN_STEP = 105.0


def _spread(anchors: list[float], counts: list[int],
            end: float) -> list[tuple[list[float], int]]:
    """Starts of each cluster's characters: one at its anchor, others 0.1 em or more apart.

    Characters go right of the anchor while the cluster is wide enough, else some go
    left of it, into the room the previous character leaves. Returns each cluster's
    starts in visual order and the index of the anchor's among them.
    """
    out: list[tuple[list[float], int]] = []
    prev = None  # start of the previous character
    for n, (a, count) in enumerate(zip(anchors, counts, strict=True)):
        nxt = anchors[n + 1] if n + 1 < len(anchors) else end
        left_room = a - prev if prev is not None else _MIN_STEP * count
        left = 0
        while left < count - 1 and (nxt - a) < (count - left) * _MIN_STEP \
                and left_room >= (left + 2) * _MIN_STEP:
            left += 1
        right = count - 1 - left
        step_l = min(left_room / (left + 1), _MIN_STEP * 1.5) if left else 0.0
        step_r = (nxt - a) / (right + 1) if right else 0.0
        starts = [a - step_l * t for t in range(left, 0, -1)] + [a]
        starts += [a + step_r * t for t in range(1, right + 1)]
        out.append((starts, left))
        prev = starts[-1]
    return out


def encode(shaped: Shaped) -> tuple:
    """A shaped word as plain values to store: (advance, glyphs). A private alias (a PDF
    character that is not the glyph's own text) is numbered per process: `decode` finds
    each again."""
    return (shaped.advance, shaped.glyphs)


def decode(face: FontFace, entry: object, rtl: bool) -> Shaped | None:
    """A stored word back, or None when the entry is not one this code wrote.

    The store's checksum and versions vouch for what is inside; this checks the outline.
    """
    if type(entry) is not tuple or len(entry) != 2:
        return None
    advance, glyphs = entry
    if type(advance) is not float or type(glyphs) is not tuple:
        return None
    try:
        glyphs = tuple([g if not g[0] or g[0] == g[4] else
                        (alias(face, g[6], g[4], g[5]), *g[1:]) for g in glyphs])
    except (TypeError, IndexError):
        return None
    return Shaped(glyphs, advance, rtl)
