"""Best-effort writes of the build's caches: a cache that cannot be kept costs a later
build time, never an error."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def keep_text(path: Path, text: str) -> bool:
    """Write `text` to `path` through a temporary name and a rename (making its folder);
    whether it was kept. Never raises for the file system or the text."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        return True
    except (OSError, UnicodeError):
        with contextlib.suppress(OSError):  # the cache folder may be no folder at all
            tmp.unlink(missing_ok=True)
        return False
