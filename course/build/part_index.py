"""The folder of one pack's laid-out parts and its index, shared by both formats' packs."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from course.errors import WriterError


class PartIndex:
    """OUT/.coursegen-parts/<lang>/<kind>[-fmt]/index.json: each part's key and digest."""

    def __init__(self, folder: Path, fresh: bool) -> None:
        self.folder = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file where a folder goes, one the build cannot write
            raise WriterError(f"cannot keep the pack's parts in '{folder}' "
                              f"({exc.strerror or exc}); move away the file in its way, or "
                              "make the output folder writable") from None
        try:  # fresh (--force): every part is laid out again
            self.index: dict[str, Any] = {} if fresh else \
                json.loads((folder / "index.json").read_text("utf-8"))
        except (OSError, ValueError):
            self.index = {}
        if not isinstance(self.index, dict):
            self.index = {}  # a damaged index vouches for nothing
        self.laid_out: list[str] = []  # the parts this run laid out, in order

    def save(self) -> None:
        """Write the index atomically."""
        tmp = self.folder / f".index.json.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(self.index, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.folder / "index.json")
