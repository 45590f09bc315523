"""Same inputs, same bytes: fixed core properties and a zip rewritten with fixed dates."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone

from pptx.presentation import Presentation

from course.document import Document
from generators.pptx.drawingml import language_tag

# The zip format cannot hold dates before 1980.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# Parts readers look for first; the rest follows in name order.
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def _naive_utc(moment: datetime) -> datetime:
    """The timestamp in UTC without tzinfo, as python-pptx writes it with a Z."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def set_core_properties(prs: Presentation, document: Document) -> None:
    """Title, author and dates from the model, never the clock; no revision churn."""
    core = prs.core_properties
    moment = _naive_utc(document.meta.timestamp)
    core.title = document.meta.module or document.title
    core.subject = document.meta.course
    core.author = document.meta.organisation
    core.last_modified_by = document.meta.organisation
    core.category = document.kind
    core.language = language_tag(document.lang)
    core.version = document.meta.version
    core.keywords = document.meta.course
    core.comments = ""
    core.revision = 1
    core.created = moment
    core.modified = moment
    core.last_printed = moment


def _zip_time(document: Document) -> tuple[int, int, int, int, int, int]:
    """The timestamp as a zip entry date, clamped to the zip epoch."""
    moment = _naive_utc(document.meta.timestamp)
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    return max(stamp, _ZIP_EPOCH)


def normalized_zip(data: bytes, document: Document) -> bytes:
    """The package rewritten with stable entry order, one date and fixed attributes."""
    when = _zip_time(document)
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    ordered = [n for n in _FIRST if n in names] + sorted(n for n in names if n not in _FIRST)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # the same on every platform
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()
