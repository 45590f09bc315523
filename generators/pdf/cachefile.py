"""One cache file: a header naming what made it, a checksum, a compressed marshal dict.

Nothing here raises for a missing, damaged or foreign file (it reads as empty) or for a
file that cannot be written (the cache is only slower then). Writes go through a
temporary name and a rename; nothing is made outside the file's own folder.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import zlib
from pathlib import Path
from typing import Any


def header(magic: bytes, **fields: Any) -> bytes:
    """The first line of a file: its kind, then what made it (sorted JSON)."""
    return magic + json.dumps({**fields, "marshal": marshal.version},
                              sort_keys=True).encode("ascii") + b"\n"


def read(path: Path, head: bytes) -> tuple[dict | None, tuple[int, int] | None]:
    """The file's dict (None when missing, damaged or made by something else) and its
    (mtime_ns, size) as read."""
    try:
        stat = path.stat()
        blob = path.read_bytes()
    except OSError:
        return None, None
    seen = (stat.st_mtime_ns, stat.st_size)
    body = blob[len(head) + 32:]
    # The checksum comes before any parsing: marshal is only fed what this code wrote.
    if not blob.startswith(head) or blob[len(head):len(head) + 32] != _sum(body):
        return None, seen
    try:
        data = marshal.loads(zlib.decompress(body))
    except (ValueError, EOFError, TypeError, zlib.error):
        return None, seen
    return (data if type(data) is dict else None), seen


def write(path: Path, head: bytes, data: dict, level: int = 1) -> tuple[int, int] | None:
    """Write `data` under `head`; the (mtime_ns, size) written, or None when it could not."""
    body = zlib.compress(marshal.dumps(data), level)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)  # the folder given, never its parents
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(head + _sum(body) + body)
        os.replace(tmp, path)
        stat = path.stat()
        return stat.st_mtime_ns, stat.st_size
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return None


def _sum(body: bytes) -> bytes:
    return hashlib.sha256(body).digest()
