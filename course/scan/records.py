"""Print records as the scanner needs them: found by digest, QR texts parsed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.quiz.record import RecordError, find_records, load_record

_QR = re.compile(r"coursegen:1:([^:]+):([^:]+):([A-Z]):(\d+):([0-9a-f]{12})")


@dataclass(frozen=True)
class PageId:
    """What a page's QR code says: quiz, language, version, page and record digest."""

    quiz: str
    lang: str
    version: str
    page: int
    digest: str  # the record digest's first 12 hex digits


def parse_qr(text: str) -> PageId | None:
    """The page a QR text names, or None when it is not one of ours."""
    found = _QR.fullmatch(text.strip())
    if not found:
        return None
    quiz, lang, version, page, digest = found.groups()
    return PageId(quiz, lang, version, int(page), digest)


class Records:
    """The records of one `--printed` folder, loaded when a page first names one."""

    def __init__(self, printed_dir: Path) -> None:
        self.folder = printed_dir
        self.paths = find_records(printed_dir) if printed_dir.is_dir() else {}
        self._loaded: dict[str, dict[str, Any]] = {}

    def get(self, digest: str) -> dict[str, Any] | None:
        """The record whose digest starts with `digest`, or None; a damaged one raises
        RecordError, whose message says what to do."""
        if digest not in self._loaded:
            path = self.paths.get(digest)
            if path is None:
                return None
            self._loaded[digest] = load_record(path)
        return self._loaded[digest]


__all__ = ["RecordError", "Records", "PageId", "parse_qr"]
