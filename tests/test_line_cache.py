"""Laid-out lines: a paragraph met before is drawn from its programs, in memory and per
document between runs, with the bytes a fresh layout gives."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from course.document import Paragraph
from generators.pdf import cachefile, linecache, rtl, shape_cache, shaping
from generators.pdf.writer import PdfWriter
from tests.doc_samples import AR_NUMBERS, arabic_document, french_document, t

ROOT = Path(__file__).resolve().parent.parent


# Each test starts and ends with no cache folder and nothing in memory.
pytestmark = pytest.mark.usefixtures("fresh_pdf_caches")


@pytest.fixture
def breaks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many paragraphs were broken into lines (laid out, not taken from the cache)."""
    count = [0]
    real = rtl.break_lines

    def counting(pieces, width):
        count[0] += 1
        return real(pieces, width)

    monkeypatch.setattr(rtl, "break_lines", counting)
    return count


def write(path: Path, document=None) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    PdfWriter().write(document or arabic_document(), path)
    return path.read_bytes()


def line_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("lines-*.bin"))


def test_a_rerun_on_the_filled_folder_lays_out_no_paragraph_and_shapes_no_word(
        tmp_path: Path, breaks: list[int]) -> None:
    (tmp_path / "out").mkdir()
    cache = tmp_path / "out" / ".coursegen-cache"
    shape_cache.use_cache_dir(cache)
    first = write(tmp_path / "out" / "a.pdf")
    laid_out = breaks[0]
    assert laid_out > 20
    shaping.clear_memory()  # as a new process: only the folder remembers
    calls = shaping.calls
    # The build writes through a temporary name: the lines are kept by the file's own.
    assert write(tmp_path / "out" / f".a.pdf.{os.getpid()}.tmp") == first
    assert breaks[0] == laid_out
    assert shaping.calls == calls
    assert len(line_files(cache)) == 1
    assert {p.name for p in tmp_path.rglob("*") if p.is_file()} == {
        "a.pdf", f".a.pdf.{os.getpid()}.tmp", line_files(cache)[0].name,
        *(p.name for p in cache.glob("shapes-*"))}


def test_memory_alone_serves_a_second_document_and_writes_no_file(
        tmp_path: Path, breaks: list[int]) -> None:
    first = write(tmp_path / "a.pdf")
    laid_out = breaks[0]
    assert write(tmp_path / "b.pdf") == first
    assert breaks[0] == laid_out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]


def test_an_edited_paragraph_alone_is_laid_out_again(tmp_path: Path, breaks: list[int]) -> None:
    shape_cache.use_cache_dir(tmp_path / "cache")
    document = arabic_document()
    write(tmp_path / "1" / "doc.pdf", document)
    shaping.clear_memory()
    at = next(i for i, b in enumerate(document.blocks) if isinstance(b, Paragraph))
    assert document.blocks[at] == Paragraph(t(AR_NUMBERS))
    edited = replace(document, blocks=(*document.blocks[:at],
                                       Paragraph(t(AR_NUMBERS.replace("2015", "2016"))),
                                       *document.blocks[at + 1:]))
    before = breaks[0]
    cached = write(tmp_path / "2" / "doc.pdf", edited)
    assert breaks[0] == before + 1
    shape_cache.use_cache_dir(None)
    shaping.clear_memory()
    assert write(tmp_path / "3" / "doc.pdf", edited) == cached  # as laid out with no cache at all


def test_each_document_keeps_its_own_file_and_only_what_it_drew(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    shape_cache.use_cache_dir(cache)
    write(tmp_path / "1" / "doc.pdf")
    (ar_file,) = line_files(cache)
    ar_bytes = ar_file.read_bytes()
    write(tmp_path / "1" / "fr.pdf", french_document())
    assert len(line_files(cache)) == 2
    assert ar_file.read_bytes() == ar_bytes
    # Drawn again with a paragraph fewer: the file forgets it.
    document = arabic_document()
    shorter = replace(document, blocks=tuple(b for b in document.blocks
                                             if not (isinstance(b, Paragraph) and
                                                     "Aix-en-Provence" in str(b))))
    assert len(shorter.blocks) == len(document.blocks) - 1
    write(tmp_path / "2" / "doc.pdf", shorter)
    assert len(ar_file.read_bytes()) < len(ar_bytes)


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "other code"])
def test_a_damaged_or_foreign_file_is_laid_out_afresh_and_rewritten(
        tmp_path: Path, breaks: list[int], damage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    shape_cache.use_cache_dir(cache)
    first = write(tmp_path / "1" / "doc.pdf")
    (stored,) = line_files(cache)
    blob = stored.read_bytes()
    if damage == "other code":
        monkeypatch.setattr(linecache, "_code", ["another version of the code"])
    else:
        stored.write_bytes({"truncated": blob[: len(blob) // 2],
                            "flipped": blob[:-10] + bytes(b ^ 0xFF for b in blob[-10:]),
                            "empty": b""}[damage])
    shaping.clear_memory()
    laid_out = breaks[0]
    assert write(tmp_path / "2" / "doc.pdf") == first
    assert breaks[0] == 2 * laid_out  # every paragraph again: nothing was taken from it
    shaping.clear_memory()
    assert write(tmp_path / "3" / "doc.pdf") == first
    assert breaks[0] == 2 * laid_out  # and the file rewritten serves the next run whole


_ALIAS_SHIFT = """
import sys
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, {root!r})
from course.document import Paragraph
from generators.pdf import rtl, shape_cache
from generators.pdf.writer import PdfWriter
from tests.doc_samples import AR_LONG, arabic_document, t
shape_cache.use_cache_dir(Path({cache!r}))
if {shift}:  # other words first: this process numbers its private glyph aliases otherwise
    other = replace(arabic_document("quiz"), blocks=(Paragraph(t(AR_LONG[::-1])),))
    PdfWriter().write(other, Path({out!r}) / "other.pdf")
count = [0]
real = rtl.break_lines
rtl.break_lines = lambda pieces, width: count.__setitem__(0, count[0] + 1) or real(pieces, width)
(Path({out!r}) / {name!r}).mkdir()
PdfWriter().write(arabic_document(), Path({out!r}) / {name!r} / "handout.pdf")
print(count[0])
"""


def test_a_file_written_by_another_process_gives_the_same_bytes(tmp_path: Path) -> None:
    """A private alias is numbered per process: the file names what it stands for."""
    cache = tmp_path / "cache"

    def run(name: str, shift: bool) -> tuple[bytes, int]:
        code = _ALIAS_SHIFT.format(root=str(ROOT), cache=str(cache), out=str(tmp_path),
                                   shift=shift, name=name)
        done = subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                              capture_output=True, text=True)
        return (tmp_path / name / "handout.pdf").read_bytes(), int(done.stdout.split()[-1])

    # The same file name in two folders, as two builds write it.
    first, laid_out = run("first", shift=False)
    assert laid_out > 20
    shifted, again = run("shifted", shift=True)
    assert again == 0  # every line from the file, its aliases found again
    assert shifted == first
    shape_cache.use_cache_dir(None)
    assert write(tmp_path / "fresh.pdf") == first  # and both as laid out with no cache


def _forged(entry: bytes, how: str) -> bytes:
    """A stored paragraph changed in one way a damaged checksum would not show (a line
    with no text has no field: its template is what changes then)."""
    layouts = marshal.loads(entry)
    at, lines = next(iter(layouts.items()))
    programs, links, last = lines[0]
    state, (template, fields, end) = next(iter(programs.items()))
    if not fields and how not in ("state", "missing field"):
        how = "template"
    kind, k, value = fields[0] if fields else (None, None, None)
    program = {"template": (7, fields, end),
               "field kind": (template, ((9, k, value), *fields[1:]), end),
               "face index": (template, ((kind, 99, value), *fields[1:]), end),
               "missing field": (template + " {999}", fields, end),
               "height as text": (template, (*fields, (2, -1, "up")), end),
               "state": None}[how]
    if how == "state":
        programs = {"rtl": programs[state]}
    else:
        programs = {**programs, state: program}
    return marshal.dumps({**layouts, at: ((programs, links, last), *lines[1:])})


@pytest.mark.parametrize("how", ["template", "field kind", "face index", "missing field",
                                 "height as text", "state"])
def test_a_file_made_to_pass_the_checksum_is_laid_out_afresh(
        tmp_path: Path, breaks: list[int], how: str) -> None:
    cache = tmp_path / "cache"
    shape_cache.use_cache_dir(cache)
    first = write(tmp_path / "1" / "doc.pdf")
    laid_out = breaks[0]
    (stored,) = line_files(cache)
    head = linecache._header()
    data, _ = cachefile.read(stored, head)
    assert data  # every paragraph and list label the document drew, each forged below
    cachefile.write(stored, head, {key: _forged(entry, how) for key, entry in data.items()})
    shaping.clear_memory()
    assert write(tmp_path / "2" / "doc.pdf") == first
    assert breaks[0] == 2 * laid_out
