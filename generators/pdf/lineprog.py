"""A line's program: its content-stream operators as a template, and the fields that
depend on the document it is played into (codes and font names, assigned there on first
use) and on its height. `text.py` records programs; `linecache.py` keeps them."""

from __future__ import annotations

from typing import Any

from generators.pdf.wordprep import fp


class Recorder:
    """The fields of a line's program, numbered in the order the line first asks for them:
    a character's code or a face's resource name (both assigned per document on first
    use, so playing asks in this same order) and heights above the baseline."""

    __slots__ = ("faces", "events", "_index", "_codes", "_at")

    def __init__(self, faces: list) -> None:
        self.faces = faces  # the faces the program names by index
        self.events: list[tuple[int, int, Any]] = []
        self._index: dict[tuple[int, Any, Any], str] = {}
        self._codes: dict[Any, dict[str, str]] = {}  # face -> character -> its field
        self._at: dict[Any, int] = {None: -1}  # face -> its index (a height names none)

    def _new(self, kind: int, face: Any, value: Any) -> str:
        at = self._at.get(face)
        if at is None:
            if face not in self.faces:
                self.faces.append(face)
            at = self._at[face] = self.faces.index(face)
        n = len(self.events)
        self.events.append((kind, at, value))
        return _FIELDS[n] if n < len(_FIELDS) else f"{{{n}}}"

    def _field(self, kind: int, face: Any, value: Any) -> str:
        key = (kind, face, value)
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = self._new(kind, face, value)
        return found

    def codes(self, face: Any) -> dict[str, str]:
        """The fields of the face's characters met so far (ask `code` for the others)."""
        found = self._codes.get(face)
        if found is None:
            found = self._codes[face] = {}
        return found

    def code(self, face: Any, char: str) -> str:
        """The field of a character's code in the face's subset."""
        found = self._codes[face][char] = self._new(CODE, face, char)
        return found

    def font(self, face: Any) -> str:
        """The field of the face's resource name (/FC1)."""
        return self._field(FONT, face, None)

    def height(self, dy: float) -> str:
        """The field of the baseline raised by dy."""
        return self._field(HEIGHT, None, dy)


_FIELDS = [f"{{{k}}}" for k in range(512)]
CODE, FONT, HEIGHT = 0, 1, 2
# What a line draws, whatever its document and height: (template, fields, state after).
# The template is str.format text of the line's content-stream operators; each field is
# (kind, face index, value). The state is pypdf's reading direction after the line
# (None: the line writes no text and leaves it as it was).
Program = tuple[str, tuple[tuple[int, int, Any], ...], bool | None]


def reading_state(canv) -> bool:
    """pypdf's reading direction where the next line starts (left to right on a new page)."""
    page, rtl_state = canv.__dict__.get("_cg_rtl", (0, False))
    return rtl_state if page == canv.getPageNumber() else False


def play(canv, faces: list, program: Program, y: float) -> None:
    """Write a line's program at baseline y, asking the document for its codes in order."""
    template, fields, end_state = program
    if not template:
        return
    doc = canv._doc
    states: dict[int, Any] = {}
    values = []
    for kind, k, value in fields:
        if kind == CODE:
            st = states.get(k)
            if st is None:
                st = states[k] = faces[k].ttf.codes(doc)
            values.append(st.hexes.get(value) or st.hex(value))
        elif kind == FONT:
            values.append(faces[k].ttf.resource_name(doc))
        else:
            values.append(fp(y + value))
    canv._code.append(template.format(*values))
    if end_state is not None:
        canv._cg_rtl = (canv.getPageNumber(), end_state)
