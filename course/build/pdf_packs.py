"""PDF course packs merged from per-module parts, so an edit lays out only its module's part.

Parts are kept in OUT/.coursegen-parts with a digest of the document each was laid out
from; a part whose document (or first page number) is unchanged is reused as it is.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from course.render.packs import Packs, Section

PARTS_DIR = ".coursegen-parts"


def write_pdf_pack(packs: Packs, lang: str, kind: str, sections: list[Section], target: Path,
                   out: Path, salt: bytes) -> None:
    """Lay out only the parts whose content or first page changed, then merge them."""
    from generators import get_writer

    writer = get_writer("pdf")
    folder = out / PARTS_DIR / lang / kind
    folder.mkdir(parents=True, exist_ok=True)
    index_path = folder / "index.json"
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    # The front's length does not depend on its page numbers: count it with zeros.
    probe = folder / "front.pdf"
    writer.write(packs.front(lang, kind, [(s.title, 0) for s in sections]), probe)
    offset = writer.page_count(probe)
    entries, parts, fresh = [], [], {}
    for section in sections:
        document = packs.part(lang, kind, section, offset)
        digest = hashlib.sha256(salt + repr(document).encode()).hexdigest()
        path = folder / f"{section.key}.pdf"
        known = index.get(section.key, {})
        if known.get("digest") != digest or not path.exists():
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            writer.write(document, tmp)
            os.replace(tmp, path)
            known = {"digest": digest, "pages": writer.page_count(path)}
        fresh[section.key] = known
        entries.append((section.title, offset + 1))
        parts.append((section.title, path))
        offset += known["pages"]
    writer.write(packs.front(lang, kind, entries), probe)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        writer.merge(probe, parts, tmp, title=packs.renderer.labels[lang][kind.replace("-", "_")])
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    index_path.write_text(json.dumps(fresh, indent=1, sort_keys=True), encoding="utf-8")
