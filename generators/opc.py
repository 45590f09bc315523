"""What the OOXML writers (DOCX, PPTX) share: fixed core properties and a stable zip.

Same inputs, same bytes: dates come from the model, never the clock, and the package is
rewritten with one entry order, one date and fixed attributes. It imports only the
document model.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from course.document import Document

# The zip format cannot hold dates before 1980.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# Parts readers look for first; the rest follows in name order.
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def naive_utc(moment: datetime) -> datetime:
    """The timestamp in UTC without tzinfo, as python-docx and python-pptx write it (Z)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def fill_core(core: Any, document: Document, title: str, subject: str, language: str) -> None:
    """Core properties from the model: title, author, language, version, fixed dates."""
    moment = naive_utc(document.meta.timestamp)
    core.title = title
    core.subject = subject
    core.author = document.meta.organisation
    core.last_modified_by = document.meta.organisation
    core.category = document.kind
    core.language = language
    core.version = document.meta.version
    core.keywords = document.meta.course
    core.comments = ""
    core.revision = 1
    core.created = moment
    core.modified = moment
    core.last_printed = moment


def _zip_time(document: Document) -> tuple[int, int, int, int, int, int]:
    """The timestamp as a zip entry date, clamped to the zip epoch."""
    moment = naive_utc(document.meta.timestamp)
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    return max(stamp, _ZIP_EPOCH)


def normalized_zip(data: bytes, document: Document) -> bytes:
    """The package rewritten with stable entry order, one date and fixed attributes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return stable_zip({name: source.read(name) for name in source.namelist()}, document)


# A DOCX body at level 3: a pack's (6.2 MB of XML at 100 modules) takes 0.04 s against
# 0.11 s at level 6, for 0.83 MB against 0.67 MB. Whether given whole or in chunks.
_LEVELS = {"word/document.xml": 3}


def stable_zip(members: dict[str, bytes | Iterable[bytes]], document: Document) -> bytes:
    """A package of `members` (bytes, or chunks of bytes written as they come, so a pack's
    large body is never joined in memory) with stable order, one date, fixed attributes."""
    when = _zip_time(document)
    ordered = [n for n in _FIRST if n in members] + sorted(n for n in members
                                                           if n not in _FIRST)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # the same on every platform
            info.external_attr = 0o644 << 16
            data = members[name]
            level = _LEVELS.get(name, 6)
            if isinstance(data, bytes):
                target.writestr(info, data, compresslevel=level)
                continue
            info.file_size = 0  # zipfile sets size and CRC after the last chunk
            setattr(info, "compress_level" if hasattr(info, "compress_level")  # 3.13 on
                    else "_compresslevel", level)
            with target.open(info, "w", force_zip64=False) as entry:
                for chunk in data:
                    entry.write(chunk)
    return out.getvalue()
