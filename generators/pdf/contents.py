"""Find the rows of a pack front's contents: the page numbers printed below its heading."""

from __future__ import annotations

import re
from decimal import Decimal

import pikepdf

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Only what places and shows text; the rest of the stream is skipped by qpdf's parser.
_OPERATORS = "q Q cm BT ET Tf Tm Td TD T* Tj TJ"
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def contents_rows(pdf: pikepdf.Pdf) -> list[tuple[int, int, float]]:
    """(page index, number shown, baseline) of each number printed under the first heading.

    The front of a pack holds a cover, then the contents heading (its first bookmark) and
    a table of part titles and first pages: the numbers are what is read here, top to
    bottom, page after page.
    """
    mark = _first_mark(pdf)
    if mark is None:
        return []
    first, top = mark
    rows: list[tuple[int, int, float]] = []
    for index in range(first, len(pdf.pages)):
        found = [(y, int(text.strip())) for y, text in _texts(pdf.pages[index])
                 if text.strip().isdigit()]
        for y, number in sorted(found, key=lambda item: -item[0]):
            if index > first or y < top:
                rows.append((index, number, y))
    return rows


def _first_mark(pdf: pikepdf.Pdf) -> tuple[int, float] | None:
    """The page index and top of the first bookmark, if the document has one."""
    outlines = pdf.Root.get("/Outlines")
    item = outlines.get("/First") if outlines is not None else None
    dest = item.get("/Dest") if item is not None else None
    if item is not None and dest is None and item.get("/A") is not None:
        dest = item.A.get("/D")
    if not isinstance(dest, pikepdf.Array) or len(dest) == 0:
        return None
    target = dest[0].objgen
    index = next((k for k, page in enumerate(pdf.pages) if page.obj.objgen == target), None)
    if index is None:
        return None
    # [page /XYZ left top zoom]: a null top, or another kind of destination, is the page's top.
    top = dest[3] if len(dest) > 3 and dest[1] == pikepdf.Name.XYZ else None
    return index, float(top) if isinstance(top, (int, Decimal)) else float("inf")


def _times(m: Matrix, n: Matrix) -> Matrix:
    """The product m x n of two PDF matrices [a b c d e f]."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def _texts(page: pikepdf.Page) -> list[tuple[float, str]]:
    """(baseline, text) of each run of text the page shows from one text position."""
    fonts = page.obj.get("/Resources", {}).get("/Font", {})
    maps: dict[str, _Map] = {}
    ctm, stack = _IDENTITY, []
    line = _IDENTITY  # the text line matrix; our writer places every run with Tm
    font: _Map = _NO_MAP
    runs: list[tuple[float, list[str]]] = []
    fresh = True  # the next string starts a run

    for operands, operator in pikepdf.parse_content_stream(page, _OPERATORS):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _times(_matrix(operands), ctm)
        elif op == "Tf":
            name = str(operands[0])
            if name not in maps:
                maps[name] = _unicode_map(fonts.get(name))
            font = maps[name]
        elif op in ("Tj", "TJ"):
            if fresh:
                runs.append((line[4] * ctm[1] + line[5] * ctm[3] + ctm[5], []))
                fresh = False
            runs[-1][1].append(_decode(operands[0], font))
        else:  # BT, ET, Tm, Td, TD, T*: a new position ends the run
            fresh = True
            if op in ("BT", "ET"):
                line = _IDENTITY
            elif op == "Tm":
                line = _matrix(operands)
            elif op in ("Td", "TD"):
                line = _times((1.0, 0.0, 0.0, 1.0, float(operands[0]), float(operands[1])),
                              line)
    return [(y, "".join(texts)) for y, texts in runs]


def _matrix(operands: list[pikepdf.Object]) -> Matrix:
    a, b, c, d, e, f = (float(v) for v in operands)
    return a, b, c, d, e, f


# A font's code width in bytes and its codes' characters (none: read codes as Latin-1).
_Map = tuple[int, dict[bytes, str] | None]
_NO_MAP: _Map = (1, None)


def _decode(shown: pikepdf.Object, font: _Map) -> str:
    """The characters of a Tj string or a TJ array, through the font's ToUnicode map."""
    width, chars = font
    text = []
    for part in shown if isinstance(shown, pikepdf.Array) else [shown]:
        if not isinstance(part, pikepdf.String):
            continue  # a TJ kerning number
        data = bytes(part)
        if chars is None:
            text.append(data.decode("latin-1"))
        else:
            text.extend(chars.get(data[i:i + width], "") for i in range(0, len(data), width))
    return "".join(text)


def _unicode_map(font: pikepdf.Object | None) -> _Map:
    """Codes to characters from a font's ToUnicode CMap (its bfchar and bfrange entries)."""
    stream = font.get("/ToUnicode") if font is not None else None
    if not isinstance(stream, pikepdf.Stream):
        return _NO_MAP
    data = stream.read_bytes()
    chars: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, dest in _BFRANGE.findall(block):
            size, first = len(low) // 2, int(low, 16)
            targets = [bytes.fromhex(h.decode()) for h in _HEX.findall(dest)]
            for k in range(int(high, 16) - first + 1):
                if dest.startswith(b"["):  # one destination per code
                    target = targets[k] if k < len(targets) else b""
                else:  # the destination's last byte counts up with the code
                    target = targets[0][:-1] + bytes([(targets[0][-1] + k) & 0xFF])
                chars[(first + k).to_bytes(size, "big")] = target.decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, dest in _BFCHAR.findall(block):
            chars[bytes.fromhex(code.decode())] = bytes.fromhex(dest.decode()).decode(
                "utf-16-be", "replace")
    if not chars:
        return _NO_MAP
    return len(next(iter(chars))), chars
