"""Input fingerprints of outputs, and the build record that remembers them.

Fingerprints hash file bytes only, so the "nothing changed" check needs no YAML
parsing and no heavy import.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from dataclasses import dataclass, field
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


def file_digest(data: bytes) -> str:
    """The digest of one file's bytes, as fingerprints and the module cache take it."""
    return _digest(data)


# What _read gives for what it cannot read, in place of bytes.
MISSING, NOT_A_FILE = b"<missing>", b"<not a file>"
_NOT_READ = (MISSING, NOT_A_FILE)


def _read(path: Path) -> bytes:
    """A file's bytes; a folder, FIFO or device is never read (a FIFO would block)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return MISSING
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return NOT_A_FILE
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


class Fingerprints:
    """Hashes of a project's inputs, read once."""

    def __init__(self, root: Path, out: Path | None = None) -> None:
        from course.build.names import course_names

        self.root = root
        self.course = _read(root / "content" / "course.yaml")
        # The names as course.yaml says them (remembered in `out` for these bytes), read
        # from the same bytes, so the names kept are those of the bytes hashed.
        self.names = course_names(root, out, self.course)
        modules_dir = root / "content" / "modules"
        self.modules = {p.stem: _read(p) for p in sorted(modules_dir.glob("*.yaml"))}
        self.custom_templates = self._custom_templates()  # the folder course.yaml names
        self.template_dirs = [d for d in (self.custom_templates, PACKAGE_ROOT / "templates")
                              if d is not None]
        theme = self.names.theme if self.names else {}
        self._theme = [(key, _read(root / rel)) for key, rel in theme.items()]
        self.theme = b"".join(data for _, data in self._theme)
        self.fonts = ";".join(f"{p}={self._version(p)}" for p in FONT_PACKAGES).encode()
        self._code: dict[str, bytes] = {}
        self._code_digests: dict[str, bytes] = {}
        self._whole: dict[str, str] = {}
        self._drawn: dict[int, bytes] = {}
        self._shared_digests: dict[tuple[str, str], bytes] = {}
        self._module_digests: dict[str, bytes] = {}

    def _custom_templates(self) -> Path | None:
        folder = self.names.templates if self.names else None
        return self.root / folder if folder else None

    def theme_for(self, fmt: str) -> bytes:
        """The theme files a format's output depends on: the logo, and its own reference."""
        return b"".join(data for key, data in self._theme if key in ("logo", f"reference_{fmt}"))

    @staticmethod
    def _version(package: str) -> str:
        # The dist-info folder names carry the versions: cheaper than importlib.metadata.
        wanted = package.replace("-", "_").lower()
        for entry in sys.path:
            try:
                names = os.listdir(entry or ".")
            except OSError:
                continue
            for name in names:
                if name.endswith(".dist-info") and name.lower().startswith(wanted + "-"):
                    return name.removesuffix(".dist-info").split("-", 1)[1]
        return "absent"

    def template(self, name: str) -> bytes:
        """The bytes of the template that would be used (project's first)."""
        for folder in self.template_dirs:
            if (folder / name).is_file():
                return _read(folder / name)
        return MISSING

    def code(self, fmt: str) -> bytes:
        """The project's source files that a format's output depends on."""
        if fmt not in self._code:
            files = sorted((PACKAGE_ROOT / "course").rglob("*.py"))
            # The registry and what formats share (generators/*.py), then the format's own.
            files += sorted((PACKAGE_ROOT / "generators").glob("*.py"))
            files += sorted((PACKAGE_ROOT / "generators" / fmt).rglob("*.py"))
            self._code[fmt] = b"".join(_read(f) for f in files)
        return self._code[fmt]

    def code_digest(self, fmt: str) -> bytes:
        """The digest of a format's code, hashed once: every kind's inputs include it."""
        if fmt not in self._code_digests:
            self._code_digests[fmt] = _digest(self.code(fmt)).encode()
        return self._code_digests[fmt]

    def whole(self, options: Options) -> str:
        """One hash of everything: equal means no output can have changed."""
        # The files were read once, so the hash at a build's end is the one at its start.
        asked = repr(options)
        if asked not in self._whole:
            templates = b"".join(self.template(n) for n in
                                 sorted({t for ts in TEMPLATES.values() for t in ts}))
            modules = b"".join(k.encode() + self.module(k) for k in self.modules)
            # The code of every format asked for (the options are hashed too).
            code = b"".join(self.code_digest(fmt) for fmt in sorted(set(options.formats)))
            self._whole[asked] = _digest(self.course, modules, templates,
                                         self.template("labels.yaml"), code, self.theme,
                                         self.fonts, asked.encode())
        return self._whole[asked]

    def job(self, job: Job, project: Project, options: Options) -> str:
        """The hash of everything one output depends on."""
        if job.module:
            modules = self.module(job.module)
        elif job.kind.startswith("final-exam"):
            # The exam prints only the questions it draws: an edit elsewhere leaves it be.
            modules = self.drawn(project, options)
        else:
            modules = b"".join(self.module(m.id) for m in project.modules)
        settings = repr((job, options.variants, options.seed)).encode()
        return _digest(modules, self._shared(job.kind, job.fmt), settings)

    def _shared(self, kind: str, fmt: str) -> bytes:
        # What every job of a kind and format depends on, hashed once (the code is large).
        if (kind, fmt) not in self._shared_digests:
            templates = b"".join(self.template(n) for n in TEMPLATES[kind])
            self._shared_digests[kind, fmt] = _digest(
                self.course, templates, self.template("labels.yaml"), self.code_digest(fmt),
                self.theme_for(fmt), self.fonts).encode()
        return self._shared_digests[kind, fmt]

    def drawn(self, project: Project, options: Options) -> bytes:
        """The questions the final exam draws, as they were read."""
        from course.quiz.versions import draw_final

        seed = options.seed if options.seed is not None else project.course.quiz.seed
        if seed not in self._drawn:
            # pydantic's JSON of each question, not repr: half the time at 400 questions.
            self._drawn[seed] = b"".join(
                f"{module}\0{type(question).__name__}\0".encode()
                + question.model_dump_json().encode() + b"\n"
                for module, question in draw_final(project, seed))
        return self._drawn[seed]

    def module(self, module: str) -> bytes:
        """A module file's digest, hashed once: a large course has thousands of jobs."""
        if module not in self._module_digests:
            self._module_digests[module] = file_digest(self.modules.get(module, b"")).encode()
        return self._module_digests[module]

    def module_files(self) -> dict[str, str]:
        """Each module file read (a regular file): its display path -> its file_digest."""
        from course.content.paths import module_path

        return {module_path(stem): self.module(stem).decode()
                for stem, data in self.modules.items() if data not in _NOT_READ}

    def part(self, kind: str, lang: str, module: str, options: Options, fmt: str) -> str:
        """The hash of what one module's part of a pack is laid out from."""
        settings = repr((kind, lang, module, options.variants, options.seed)).encode()
        return _digest(self.module(module), self._shared(kind, fmt), settings)

    def checked(self) -> str:
        """What a module's check depends on besides its own file: course.yaml, every
        template file, the theme's files and the code that checks."""
        templates = b"".join(p.relative_to(folder).as_posix().encode() + b"\0" + _read(p)
                             for folder in self.template_dirs
                             for p in sorted(folder.rglob("*")) if p.is_file())
        code = b"".join(_read(f) for f in sorted((PACKAGE_ROOT / "course").rglob("*.py")))
        return _digest(self.course, templates, self.theme, code, self.fonts)

    def salt(self, fmt: str) -> str:
        """What a format's rendered documents are hashed with: its code, fonts and theme."""
        return _digest(self.code_digest(fmt), self.fonts, self.theme_for(fmt))


@dataclass
class BuildRecord:
    """OUT/.coursegen-build.json: each output's input hash, rendered-document hash and written
    file (size, mtime, sha256), and the whole-project hash."""

    quick: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)
    files: dict[str, list] = field(default_factory=dict)  # relpath -> [size, mtime_ns, sha256]
    warnings: list[str] = field(default_factory=list)
    dirty: bool = False  # a checked file's mtime was refreshed: worth saving

    @classmethod
    def load(cls, out: Path) -> BuildRecord:
        """The record of earlier builds, or an empty one; entries outside `out` are dropped."""
        try:
            data = json.loads((out / RECORD).read_text(encoding="utf-8"))
            record = cls(str(data.get("quick", "")), dict(data.get("outputs", {})),
                         dict(data.get("documents", {})), dict(data.get("files", {})))
        except (OSError, ValueError, AttributeError, TypeError):
            return cls()
        folders: dict[str, frozenset[str] | None] = {}
        folder = os.fspath(out)
        for relpath in list(record.outputs):
            if not inside(folder, relpath, folders):
                record.warnings.append(f"{out / RECORD} lists '{relpath}', which is outside "
                                       "the output folder; ignored")
                record.forget(relpath)
        return record

    def forget(self, relpath: str) -> None:
        """Drop every trace of one output."""
        for table in (self.outputs, self.documents, self.files):
            table.pop(relpath, None)

    def pending(self, relpath: str) -> None:
        """An output about to be written: listed (so --clean knows it), current for no input.

        Its rendered digest and file entry stay: they vouch only for a file still as it was.
        """
        self.outputs[relpath] = ""
        self.quick = ""

    def note(self, out: Path, relpath: str) -> None:
        """Remember the file just written: its size, mtime and digest."""
        path = out / relpath
        stat = path.stat()
        self.files[relpath] = [stat.st_size, stat.st_mtime_ns, _file_digest(path)]

    def intact(self, out: Path, relpath: str) -> bool:
        """Whether an output is the file this record wrote: size and mtime first, the digest
        only when the mtime moved (a touch or a copy keeps the bytes)."""
        known = self.files.get(relpath)
        if not known:
            return False
        path = os.path.join(out, relpath)  # not pathlib: thousands of outputs, each build
        try:
            stat = os.stat(path)
        except OSError:
            return False
        if stat.st_size != known[0]:
            return False
        if stat.st_mtime_ns == known[1]:
            return True
        if _file_digest(Path(path)) != known[2]:
            return False
        known[1], self.dirty = stat.st_mtime_ns, True
        return True

    def all_intact(self, out: Path) -> bool:
        """Whether every recorded output is still the file written."""
        return bool(self.outputs) and all(self.intact(out, rel) for rel in self.outputs)

    def save(self, out: Path) -> None:
        """Write the record atomically."""
        out.mkdir(parents=True, exist_ok=True)
        tmp = out / f".{RECORD}.{os.getpid()}.tmp"
        data = {"quick": self.quick, "outputs": dict(sorted(self.outputs.items())),
                "documents": dict(sorted(self.documents.items())),
                "files": dict(sorted(self.files.items()))}
        # No indent: json's C encoder writes only compact text (a large course's record
        # is megabytes, and the pure-Python one took a second on each save).
        tmp.write_text(json.dumps(data) + "\n", encoding="utf-8")
        os.replace(tmp, out / RECORD)
        self.dirty = False


def inside(out: Path | str, relpath: str,
           folders: dict[str, frozenset[str] | None] | None = None) -> bool:
    """Whether a recorded path names a file inside the output folder (no `..`, not absolute,
    not through a link that leads out); `folders` caches what each folder says: None for
    one that leads out, else the names of the links in it."""
    # Plain strings, not pathlib: a large course's record lists thousands of paths.
    if not relpath or relpath.startswith("/") or "\\" in relpath or ":" in relpath or \
            any(part in ("..", "", ".") for part in relpath.split("/")):
        return False
    folders = {} if folders is None else folders
    parent, _, name = relpath.rpartition("/")
    parent = parent or "."
    if parent not in folders:
        folders[parent] = _links_in(out, parent)
    links = folders[parent]
    return links is not None and name not in links


def _links_in(out: Path | str, parent: str) -> frozenset[str] | None:
    """None when `parent` leads out of `out`; else the names of the links in it, from one
    listing (the entries' types come with it), not an lstat per recorded file."""
    try:
        (Path(out) / parent).resolve().relative_to(Path(out).resolve())
    except (ValueError, OSError):
        return None
    try:
        with os.scandir(os.path.join(out, parent)) as entries:
            return frozenset(entry.name for entry in entries if entry.is_symlink())
    except OSError:
        return frozenset()  # no folder there: no link in it


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
