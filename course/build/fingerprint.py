"""Input fingerprints of outputs, and the build record that remembers them.

Fingerprints hash file bytes only, so the "nothing changed" check needs no YAML
parsing and no heavy import.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from course.build.plan import Job, Options
    from course.content.loader import Project

RECORD = ".coursegen-build.json"
PACKAGE_ROOT = Path(__file__).resolve().parents[2]
FONT_PACKAGES = ("fontpkg-amiri", "fontpkg-noto-sans-arabic", "reportlab", "python-docx",
                 "python-pptx")

# The templates each kind renders with (labels.yaml is used by all).
TEMPLATES = {
    "handout": ("handout.md.j2", "macros.md.j2"),
    "slides": ("slides.md.j2",),
    "quiz": ("quiz.md.j2",),
    "answer-key": ("answer-key.md.j2",),
    "answer-sheet": ("answer-sheet.md.j2",),
    "trainer-guide": ("trainer-guide.md.j2", "macros.md.j2"),
    "final-exam": ("quiz.md.j2",),
    "final-exam-answer-key": ("answer-key.md.j2",),
    "final-exam-answer-sheet": ("answer-sheet.md.j2",),
    "course-pack": ("handout.md.j2", "macros.md.j2", "slides.md.j2", "quiz.md.j2"),
    "trainer-pack": ("trainer-guide.md.j2", "macros.md.j2", "answer-key.md.j2"),
}


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"<missing>"


class Fingerprints:
    """Hashes of a project's inputs, read once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.course = _read(root / "content" / "course.yaml")
        modules_dir = root / "content" / "modules"
        self.modules = {p.stem: p.read_bytes() for p in sorted(modules_dir.glob("*.yaml"))}
        self.template_dirs = [d for d in (self._custom_templates(), PACKAGE_ROOT / "templates")
                              if d is not None]
        self._theme = [(key, _read(root / rel)) for key, rel in self._theme_files()]
        self.theme = b"".join(data for _, data in self._theme)
        self.fonts = ";".join(f"{p}={self._version(p)}" for p in FONT_PACKAGES).encode()
        self._code: dict[str, bytes] = {}

    def _custom_templates(self) -> Path | None:
        match = re.search(rb"^templates:\s*['\"]?([^'\"\n#]+)", self.course, re.M)
        return self.root / match.group(1).decode().strip() if match else None

    def _theme_files(self) -> list[tuple[str, str]]:
        found = re.findall(rb"^\s+(logo|reference_docx|reference_pptx):\s*['\"]?([^'\"\n#]+)",
                           self.course, re.M)
        return [(key.decode(), f.decode().strip()) for key, f in found]

    def theme_for(self, fmt: str) -> bytes:
        """The theme files a format's output depends on: the logo, and its own reference."""
        return b"".join(data for key, data in self._theme if key in ("logo", f"reference_{fmt}"))

    @staticmethod
    def _version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "absent"

    def template(self, name: str) -> bytes:
        """The bytes of the template that would be used (project's first)."""
        for folder in self.template_dirs:
            if (folder / name).is_file():
                return (folder / name).read_bytes()
        return b"<missing>"

    def code(self, fmt: str) -> bytes:
        """The project's source files that a format's output depends on."""
        if fmt not in self._code:
            files = sorted((PACKAGE_ROOT / "course").rglob("*.py"))
            files.append(PACKAGE_ROOT / "generators" / "__init__.py")
            files += sorted((PACKAGE_ROOT / "generators" / fmt).rglob("*.py"))
            self._code[fmt] = b"".join(_read(f) for f in files)
        return self._code[fmt]

    def whole(self, options: Options) -> str:
        """One hash of everything: equal means no output can have changed."""
        templates = b"".join(self.template(n) for n in sorted({t for ts in TEMPLATES.values()
                                                                for t in ts}))
        modules = b"".join(k.encode() + v for k, v in self.modules.items())
        # The code of every format asked for (the options are hashed too).
        code = b"".join(self.code(fmt) for fmt in sorted(set(options.formats)))
        return _digest(self.course, modules, templates, self.template("labels.yaml"), code,
                       self.theme, self.fonts, repr(options).encode())

    def job(self, job: Job, project: Project, options: Options) -> str:
        """The hash of everything one output depends on."""
        if job.module:
            modules = self.modules.get(job.module, b"")
        else:
            modules = b"".join(self.modules.get(m.id, b"") for m in project.modules)
        templates = b"".join(self.template(n) for n in TEMPLATES[job.kind])
        settings = repr((job, options.variants, options.seed)).encode()
        return _digest(self.course, modules, templates, self.template("labels.yaml"),
                       self.code(job.fmt), self.theme_for(job.fmt), self.fonts, settings)


@dataclass
class BuildRecord:
    """OUT/.coursegen-build.json: each output's input hash and rendered-document hash, and
    the whole-project hash."""

    quick: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> BuildRecord:
        """The record of earlier builds, or an empty one."""
        try:
            data = json.loads((out / RECORD).read_text(encoding="utf-8"))
            return cls(str(data.get("quick", "")), dict(data.get("outputs", {})),
                       dict(data.get("documents", {})))
        except (OSError, ValueError, AttributeError):
            return cls()

    def all_present(self, out: Path) -> bool:
        """Whether every recorded output still exists."""
        return bool(self.outputs) and all((out / rel).exists() for rel in self.outputs)

    def save(self, out: Path) -> None:
        """Write the record atomically."""
        out.mkdir(parents=True, exist_ok=True)
        tmp = out / f".{RECORD}.{os.getpid()}.tmp"
        data = {"quick": self.quick, "outputs": dict(sorted(self.outputs.items())),
                "documents": dict(sorted(self.documents.items()))}
        tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, out / RECORD)
