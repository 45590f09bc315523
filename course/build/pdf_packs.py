"""PDF course packs merged from per-module parts, so an edit lays out only its module's part.

Parts are kept in OUT/.coursegen-parts/<lang>/<kind>/, each with the key of its inputs
(the module's source bytes, templates, code, first page) and the digest of the document it
was laid out from. A part whose key is unchanged costs nothing: it is not even rendered.
Internal parts are named `_front` and `_glossary`; module ids never start with `_`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from course.build.part_index import PartIndex
from course.render.packs import Packs, collation_version

if TYPE_CHECKING:
    from course.document import Document

PARTS_DIR = ".coursegen-parts"
FRONT, CONTENTS = "_front", "_contents"  # the cover and contents, and its length alone


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class _Parts(PartIndex):
    """One PDF pack's folder of laid-out parts and its index."""

    def __init__(self, folder: Path, fresh: bool) -> None:
        from generators import get_writer

        super().__init__(folder, fresh)
        self.writer = get_writer("pdf")

    def get(self, name: str, key: str, make: Callable[[], Document], salt: str,
            keep: bool = True) -> dict[str, Any]:
        """A part's entry: reused when its key is known, else rendered, and laid out again
        only when its document changed."""
        path = self.folder / f"{name}.pdf"
        known = self.index.get(name, {})
        if known.get("key") == key and (path.exists() or not keep):
            return known
        document = make()
        digest = _hash(salt, repr(document))
        if known.get("digest") != digest or (keep and not path.exists()):
            # Forget the entry first: a crash mid-write must not leave it vouching for a file.
            self.index.pop(name, None)
            self.save()
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            try:
                self.writer.write(document, tmp)
                known = {"digest": digest, "pages": self.writer.page_count(tmp)}
                if keep:
                    os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
            self.laid_out.append(name)
        self.index[name] = {**known, "key": key}
        self.save()
        return self.index[name]

    def prune(self, names: list[str]) -> None:
        """Forget the parts of modules the pack no longer holds."""
        self.index = {k: v for k, v in self.index.items() if k in names}
        self.save()
        for path in self.folder.glob("*.pdf"):
            if path.stem not in names:
                path.unlink(missing_ok=True)


def write_pdf_pack(packs: Packs, lang: str, kind: str, target: Path, out: Path, salt: str,
                   keys: dict[str, str], known: str | None, fresh: bool = False
                   ) -> tuple[str, bool, list[str]]:
    """Lay out only the parts whose inputs changed, then merge them unless the pack is the
    one recorded (`known`). Return its digest, whether it was written, the parts laid out."""
    parts = _Parts(out / PARTS_DIR / lang / kind, fresh)
    modules = packs.modules(lang)
    glossary = packs.glossary(lang, kind, ordered=False)
    titles = [m.title[lang] for m in modules] + ([glossary.title] if glossary else [])
    # The front's length does not depend on its page numbers: count it with zeros.
    probe = packs.front(lang, kind, [(title, 0) for title in titles])
    offset = parts.get(CONTENTS, _hash(salt, repr(probe)), lambda: probe, salt,
                       keep=False)["pages"]
    entries, files, digests = [], [], []
    for module in modules:
        entry = parts.get(module.id, _hash(keys[module.id], str(offset)),
                          lambda m=module, o=offset: packs.part(
                              lang, kind, packs.section(lang, kind, m), o), salt)
        entries.append((module.title[lang], offset + 1))
        files.append((module.title[lang], parts.folder / f"{module.id}.pdf"))
        digests.append(entry["digest"])
        offset += entry["pages"]
    if glossary:
        # Keyed by the glossary as the modules give it: ordering it loads the collation
        # table, which only a changed glossary needs.
        probe = packs.part(lang, kind, glossary, offset)
        entry = parts.get(glossary.key, _hash(salt, collation_version(), repr(probe)),
                          lambda o=offset: packs.part(
                              lang, kind, packs.glossary(lang, kind) or glossary, o), salt)
        entries.append((glossary.title, offset + 1))
        files.append((glossary.title, parts.folder / f"{glossary.key}.pdf"))
        digests.append(entry["digest"])
    front = packs.front(lang, kind, entries)
    digests.append(parts.get(FRONT, _hash(salt, repr(front)), lambda: front, salt)["digest"])
    parts.prune([CONTENTS, FRONT, *(m.id for m in modules), *([glossary.key] if glossary else [])])
    digest = _hash(salt, *digests)
    if digest == known and target.exists():
        return digest, False, parts.laid_out
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        parts.writer.merge(parts.folder / f"{FRONT}.pdf", files, tmp,
                           title=packs.renderer.labels[lang][kind.replace("-", "_")])
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return digest, True, parts.laid_out
