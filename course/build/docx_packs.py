"""DOCX course packs composed from per-module parts, so an edit lays out only its module's part.

Parts are kept in OUT/.coursegen-parts/<lang>/<kind>-docx/ (beside the PDF parts, never
among them), each a JSON text made by the DOCX writer's `render_part`, with the key of its
inputs and the digest of the document it was laid out from. A part whose key is unchanged
is not even rendered. The cover, contents and merged glossary are course-level and cheap:
the writer's `compose` lays out the front on every write. A part holding what parts
cannot (a picture) makes the pack be rendered whole, as before parts.
Internal parts are named `_glossary`; module ids never start with `_`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from course.build.part_index import PartIndex
from course.document import Document
from course.errors import WriterError
from course.render.packs import Packs, collation_version

if TYPE_CHECKING:
    from course.render.packs import Section

PARTS_DIR = ".coursegen-parts"


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class _Parts(PartIndex):
    """One DOCX pack's folder of laid-out parts and its index."""

    def __init__(self, folder: Path, writer: Any, fresh: bool) -> None:
        super().__init__(folder, fresh)
        self.writer = writer
        self.makers: dict[str, Callable[[], Document]] = {}

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def get(self, name: str, key: str, make: Callable[[], Document], salt: str,
            relay: bool = False) -> dict[str, Any]:
        """A part's entry: reused when its key is known and its file is there, else
        rendered, and laid out again only when its document changed (or `relay`)."""
        self.makers[name] = make
        known = self.index.get(name, {})
        exists = self.path(name).exists()
        if not relay and known.get("key") == key and exists:
            return known
        document = make()
        digest = _hash(salt, repr(document))
        if relay or known.get("digest") != digest or not exists:
            # Forget the entry first: a crash mid-write must not leave it vouching for a file.
            self.index.pop(name, None)
            self.save()
            text = self.writer.render_part(document)
            path = self.path(name)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            try:
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
            known = {"digest": digest, "sha": _hash(text),
                     "unsupported": json.loads(text)["unsupported"]}
            self.laid_out.append(name)
        self.index[name] = {**known, "key": key}
        self.save()
        return self.index[name]

    def text(self, name: str, salt: str) -> str:
        """A part's JSON text, laid out again if its file is gone or not as written."""
        try:
            text = self.path(name).read_text("utf-8")
            if _hash(text) == self.index[name]["sha"]:
                return text
        except (OSError, UnicodeError, KeyError):
            pass
        key = self.index.get(name, {}).get("key", "")
        self.get(name, key, self.makers[name], salt, relay=True)
        return self.path(name).read_text("utf-8")

    def prune(self, names: list[str]) -> None:
        """Forget the parts of modules the pack no longer holds."""
        self.index = {k: v for k, v in self.index.items() if k in names}
        self.save()
        for path in self.folder.glob("*.json"):
            if path.stem not in names and path.name != "index.json":
                path.unlink(missing_ok=True)


def write_docx_pack(packs: Packs, lang: str, kind: str, target: Path, out: Path, salt: str,
                    keys: dict[str, str], known: str | None, fresh: bool = False
                    ) -> tuple[str, bool, list[str]]:
    """Lay out only the parts whose inputs changed, then compose the pack unless it is the
    one recorded (`known`). Return its digest, whether it was written, the parts laid out."""
    from generators import get_writer

    writer = get_writer("docx")
    parts = _Parts(out / PARTS_DIR / lang / f"{kind}-docx", writer, fresh)

    def document(section: Section) -> Document:
        return packs.part(lang, kind, section, 0)

    modules = packs.modules(lang)
    names, digests, whole = [], [], False
    for module in modules:
        # The salt holds the DOCX code and theme, which keys made for PDF parts do not.
        entry = parts.get(module.id, _hash(salt, keys[module.id]),
                          lambda m=module: document(packs.section(lang, kind, m)), salt)
        names.append(module.id)
        digests.append(entry["digest"])
        whole = whole or bool(entry["unsupported"])
    glossary = packs.glossary(lang, kind, ordered=False)
    if glossary:
        # Keyed by the glossary as the modules give it: ordering it loads the collation
        # table, which only a changed glossary needs.
        entry = parts.get(glossary.key,
                          _hash(salt, collation_version(), repr(document(glossary))),
                          lambda: document(packs.glossary(lang, kind) or glossary), salt)
        names.append(glossary.key)
        digests.append(entry["digest"])
        whole = whole or bool(entry["unsupported"])
    front = packs.opening_document(lang, kind)
    parts.prune(names)
    digest = _hash(salt, repr(front), *names, *digests)
    if digest == known and target.exists():
        return digest, False, parts.laid_out
    data = None
    if names and not whole:
        try:
            data = writer.compose(front, (parts.text(name, salt) for name in names))
        except WriterError:  # a part it cannot take: the whole render says what is wrong
            data = None
    if data is None:
        data = writer.render(packs.whole(lang, kind))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return digest, True, parts.laid_out
