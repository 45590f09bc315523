"""One letter per character of a text (its bidi class, its script), in C speed where possible.

`str.translate` looks each character up in a dict, through a new int object: the
writer's slowest step on Arabic text. Most course text fits a single-byte code page
(Windows Arabic for Arabic with French, Windows Latin 1 for French), and a byte string
is translated through a 256-byte table at C speed. Text outside both pages takes the
dict path; the answer is the same either way.
"""

from __future__ import annotations

from collections.abc import Callable

_CODECS = ("cp1256", "cp1252")


class _Table(dict):
    """str.translate table: character -> its class letter, worked out as met."""

    def __init__(self, classify: Callable[[str], str]) -> None:
        super().__init__()
        self.classify = classify

    def __missing__(self, code: int) -> str:
        found = self[code] = self.classify(chr(code))
        return found


class Classifier:
    """The class letters of texts, by one function from a character to an ASCII letter."""

    def __init__(self, classify: Callable[[str], str]) -> None:
        self.slow = _Table(classify)
        self.bytes: list[tuple[str, bytes]] = []
        for codec in _CODECS:
            chars = bytes(range(256)).decode(codec, errors="replace")
            # A byte the code page leaves undefined decodes to U+FFFD; no text encodes to it.
            self.bytes.append((codec, "".join(classify(c) for c in chars).encode("ascii")))

    def __call__(self, text: str) -> str:
        """One class letter per character of `text`."""
        if text.isascii():
            return text.encode("ascii").translate(self.bytes[0][1]).decode("ascii")
        for codec, table in self.bytes:
            try:
                return text.encode(codec).translate(table).decode("ascii")
            except UnicodeEncodeError:
                continue
        return text.translate(self.slow)
