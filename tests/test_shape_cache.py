"""Shaped words: one HarfBuzz call per stretch, kept in memory and in a folder between runs."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.pdf import linecache, shape_cache, shaping
from generators.pdf.bidi import level_runs, levels
from generators.pdf.fonts import family
from generators.pdf.rtl import Run, pieces_of
from generators.pdf.writer import PdfWriter
from tests.doc_samples import AR_LATIN, AR_LONG, SENTENCES, arabic_document, french_document

# Each test starts and ends with no cache folder and nothing in memory.
pytestmark = pytest.mark.usefixtures("fresh_pdf_caches")


def files_under(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}


def write(path: Path, document=None) -> bytes:
    PdfWriter().write(document or arabic_document(), path)
    return path.read_bytes()


def test_a_second_run_on_a_filled_folder_calls_harfbuzz_for_no_word(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    shape_cache.use_cache_dir(tmp_path / "out" / ".coursegen-cache")
    first = write(tmp_path / "out" / "a.pdf")
    assert shaping.calls > 0
    shaping.clear_memory()  # as a new process: only the folder remembers
    before = shaping.calls
    assert write(tmp_path / "out" / "b.pdf") == first
    assert shaping.calls == before


def test_memory_alone_serves_a_second_run_and_writes_no_file(tmp_path: Path) -> None:
    first = write(tmp_path / "a.pdf")
    before = shaping.calls
    assert write(tmp_path / "b.pdf") == first
    assert shaping.calls == before
    assert files_under(tmp_path) == {Path("a.pdf"), Path("b.pdf")}


def test_a_folder_named_after_words_were_shaped_still_gets_them(tmp_path: Path) -> None:
    first = write(tmp_path / "a.pdf")  # in memory only
    shape_cache.use_cache_dir(tmp_path / "cache")
    assert write(tmp_path / "b.pdf") == first  # every word from memory, and into the folder
    shaping.clear_memory()
    before = shaping.calls
    assert write(tmp_path / "c.pdf") == first
    assert shaping.calls == before


def test_the_cache_is_written_only_inside_the_folder_given(tmp_path: Path) -> None:
    cache = tmp_path / "out" / ".coursegen-cache"
    (tmp_path / "out").mkdir()
    shape_cache.use_cache_dir(cache)
    write(tmp_path / "elsewhere.pdf")
    fam = family("Amiri")
    names = {Path("out/.coursegen-cache") / f"shapes-{face.digest[:32]}.bin"
             for face in (fam.regular, fam.bold, fam.italic, fam.bold_italic)}
    lines = Path("out/.coursegen-cache") / linecache.file_name(
        f"handout\0ar\0{arabic_document().title}\0elsewhere.pdf")
    written = files_under(tmp_path) - {Path("elsewhere.pdf")}
    assert lines in written
    assert written - {lines} <= names
    assert Path("out/.coursegen-cache") / f"shapes-{fam.regular.digest[:32]}.bin" in written


def test_a_missing_parent_folder_is_not_created(tmp_path: Path) -> None:
    shape_cache.use_cache_dir(tmp_path / "no" / "such" / ".coursegen-cache")
    first = write(tmp_path / "a.pdf")
    assert files_under(tmp_path) == {Path("a.pdf")}
    shape_cache.use_cache_dir(None)
    shaping.clear_memory()
    assert write(tmp_path / "b.pdf") == first


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "empty", "directory"])
def test_a_corrupt_store_is_ignored_then_rebuilt(tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    shape_cache.use_cache_dir(cache)
    first = write(tmp_path / "a.pdf")
    shaping.clear_memory()
    for store in cache.iterdir():
        data = store.read_bytes()
        if damage == "garbage":
            store.write_bytes(bytes(random.Random(1).randrange(256) for _ in range(5000)))
        elif damage == "truncated":
            store.write_bytes(data[: len(data) // 2])
        elif damage == "flipped":  # one byte of the compressed words: the checksum fails
            store.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
        elif damage == "empty":
            store.write_bytes(b"")
        else:
            store.unlink()
            store.mkdir()
    before = shaping.calls
    assert write(tmp_path / "b.pdf") == first
    assert shaping.calls > before  # nothing was read from the damaged stores
    shaping.clear_memory()
    before = shaping.calls
    assert write(tmp_path / "c.pdf") == first
    # Rebuilt where a file can be written again; a directory in the way stays a miss.
    assert (shaping.calls == before) == (damage != "directory")


def test_a_changed_font_misses_and_a_foreign_store_is_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    shape_cache.use_cache_dir(cache)
    first = write(tmp_path / "a.pdf")
    shaping.clear_memory()
    face = family("Amiri").regular
    real = face.digest
    # The same name, another file: its digest names another store, which is empty.
    face.digest = "0" * 64
    try:
        before = shaping.calls
        assert write(tmp_path / "b.pdf") == first
        assert shaping.calls > before
        shaping.clear_memory()
        # The other font's store copied under this digest's name is refused: its header
        # names the font it was made for.
        (cache / f"shapes-{'0' * 32}.bin").write_bytes(
            (cache / f"shapes-{real[:32]}.bin").read_bytes())
        before = shaping.calls
        write(tmp_path / "c.pdf")
        assert shaping.calls > before
    finally:
        face.digest = real


def test_workers_writing_one_store_keep_each_others_words(tmp_path: Path) -> None:
    face = family("Amiri").regular
    one, two = (shape_cache.Store(tmp_path, face.digest) for _ in range(2))
    one.add("Lx|a", (1.0, ()))
    two.add("Lx|b", (2.0, ()))
    one.save()
    two.save()  # read the file one wrote, then wrote both
    both = shape_cache.Store(tmp_path, face.digest)
    assert (both.get("Lx|a"), both.get("Lx|b"), len(both.entries)) == ((1.0, ()), (2.0, ()), 2)
    assert files_under(tmp_path) == {Path(f"shapes-{face.digest[:32]}.bin")}


def test_a_stretch_of_unknown_words_takes_one_call_and_shapes_as_words_alone() -> None:
    face = family("Amiri").regular
    runs = [Run(AR_LONG, face, 12.0)]
    before = shaping.calls
    together = [(p.text, p.shaped.glyphs, p.shaped.advance) for p in pieces_of(runs, True)]
    assert shaping.calls - before == 1
    assert len(together) == len(AR_LONG.split(" ")) * 2 - 1  # words and the spaces between
    shaping.clear_memory()
    for text, glyphs, advance in together:
        alone = shaping.shape(face, text, True, "Arab")
        assert (alone.glyphs, alone.advance) == (glyphs, advance), text


def test_words_whose_split_is_unsafe_are_shaped_again_alone() -> None:
    face = family("Amiri").regular
    # Piece boundaries inside a joining sequence (runs of one face, size and colour
    # joined nowhere else) are unsafe: HarfBuzz marks them, and the words go alone.
    runs = [Run("بـ", face, 12.0, "#000000"), Run("ـب", face, 12.0, "#111111")]
    before = shaping.calls
    pieces = [p for p in pieces_of(runs, True) if p is not None]
    assert [p.text for p in pieces] == ["بـ", "ـب"]
    assert shaping.calls - before == 3  # the stretch, then each word alone
    shaping.clear_memory()
    for p in pieces:
        assert shaping.shape(face, p.text, True, p.script).glyphs == p.shaped.glyphs


@pytest.mark.parametrize("sentence", SENTENCES + (AR_LATIN + "\n" + AR_LONG,))
def test_pieces_are_those_of_one_piece_per_character_run(sentence: str) -> None:
    face, bold = family("Amiri").regular, family("Amiri").bold
    cut = len(sentence) // 3
    runs = [Run(sentence[:cut], face, 12.0), Run(sentence[cut:], bold, 12.0)]
    got = [None if p is None else (p.text, p.level, p.script, p.run.face is bold)
           for p in pieces_of(runs, True)]
    assert got == reference_pieces(runs, True)


def reference_pieces(runs: list[Run], rtl: bool) -> list:
    """The pieces as the writer first made them: one character at a time."""
    text = "".join(r.text for r in runs)
    owner = [r for r in runs for _ in r.text]
    hints, last = [], ""
    for char in text:
        hints.append(last)
        last = _letter_script(char) or last
    following = "Arab" if rtl else "Latn"
    for k in range(len(text) - 1, -1, -1):
        following = _letter_script(text[k]) or following
        hints[k] = hints[k] or following
    out: list = []
    start = 0
    for k, segment in enumerate(text.split("\n")):
        if k:
            out.append(None)
        lv = reference_levels(segment, rtl)
        i = 0
        while i < len(segment):
            j = i + 1
            key = (owner[start + i], lv[i], segment[i] in " \t")
            while j < len(segment) and (owner[start + j], lv[j], segment[j] in " \t") == key:
                j += 1
            out.append((segment[i:j], lv[i], hints[start + i], owner[start + i] is runs[-1]))
            i = j
        start += len(segment) + 1
    return out


def _letter_script(char: str) -> str:
    import unicodedata

    if not unicodedata.category(char).startswith("L"):
        return ""
    o = ord(char)
    arabic = 0x0600 <= o <= 0x08FF or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF
    return "Arab" if arabic else "Latn"


def reference_levels(text: str, rtl: bool) -> list[int]:
    """UAX #9 levels as the writer first computed them, character by character."""
    from unicodedata import bidirectional

    neutral = {"B", "S", "WS", "ON", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI",
               "FSI", "PDI"}
    sos = "R" if rtl else "L"
    types = [bidirectional(c) or "L" for c in text]
    n = len(types)
    prev = sos
    for i, t in enumerate(types):
        if t == "NSM":
            types[i] = "ON" if prev in neutral else prev
        prev = types[i]
    last = sos
    for i, t in enumerate(types):
        if t in ("L", "R", "AL"):
            last = t
            if t == "AL":
                types[i] = "R"
        elif t == "EN" and last == "AL":
            types[i] = "AN"
    for i in range(1, n - 1):
        t, a, b = types[i], types[i - 1], types[i + 1]
        if t == "ES" and a == b == "EN":
            types[i] = "EN"
        elif t == "CS" and a == b and a in ("EN", "AN"):
            types[i] = a
    i = 0
    while i < n:
        if types[i] == "ET":
            j = i
            while j < n and types[j] == "ET":
                j += 1
            if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
                types[i:j] = ["EN"] * (j - i)
            i = j
        else:
            i += 1
    last = sos
    for i, t in enumerate(types):
        if t in ("ES", "ET", "CS"):
            types[i] = "ON"
        elif t in ("L", "R"):
            last = t
        elif t == "EN" and last == "L":
            types[i] = "L"

    def strong(t: str) -> str:
        return "R" if t in ("R", "AL", "EN", "AN") else "L"

    i = 0
    while i < n:
        if types[i] in neutral:
            j = i
            while j < n and types[j] in neutral:
                j += 1
            before = strong(types[i - 1]) if i > 0 else sos
            after = strong(types[j]) if j < n else sos
            types[i:j] = [before if before == after else sos] * (j - i)
            i = j
        else:
            i += 1
    if rtl:
        return [2 if t in ("L", "EN", "AN") else 1 for t in types]
    return [1 if t == "R" else 2 if t in ("AN", "EN") else 0 for t in types]


# Characters of every class the rules treat apart, and marks after each.
BIDI_POOL = "بسa Z19٣٤.,:-+%$°()«»\u064e\u0651\u200f\u200e\t،؟xé"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=BIDI_POOL, max_size=40), st.booleans())
def test_level_runs_equal_the_character_by_character_rules(text: str, rtl: bool) -> None:
    assert levels(text, rtl) == reference_levels(text, rtl)
    ends = [e for _, e in level_runs(text, rtl)]
    assert ends == sorted(set(ends)) and (not text or ends[-1] == len(text))


@pytest.mark.parametrize("text", ["plain ASCII, 2015", "عربي مع 2015 وé", "Ελληνικά ٣٤ ÉÀ", ""])
def test_character_classes_agree_on_every_path(text: str) -> None:
    from generators.pdf.charclass import Classifier

    classify = Classifier(lambda c: "A" if c.isalpha() else "D" if c.isdigit() else "-")
    assert classify(text) == "".join(classify.slow[ord(c)] for c in text)


def test_french_documents_use_the_cache_too(tmp_path: Path) -> None:
    shape_cache.use_cache_dir(tmp_path / "cache")
    first = write(tmp_path / "a.pdf", french_document())
    shaping.clear_memory()
    before = shaping.calls
    assert write(tmp_path / "b.pdf", french_document()) == first
    assert shaping.calls == before


def test_memory_keeps_at_most_its_bound_and_an_evicted_word_shapes_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shaping, "MEMORY_WORDS", 10)
    face = family("Amiri").regular
    first = shaping.shape(face, "الشرطة", True)
    glyphs = first.glyphs
    for n in range(10):
        shaping.shape(face, f"كلمة{n}", True)
    # The eleventh word passes the bound: the oldest six go, the newest five stay.
    assert len(shaping._memory) == 5
    assert (face.name, "الشرطة", True, "") not in shaping._memory
    calls = shaping.calls
    again = shaping.shape(face, "الشرطة", True)
    assert again is not first and again.glyphs == glyphs and shaping.calls == calls + 1
