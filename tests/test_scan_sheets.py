"""Scanning the project's own sheets: rendered, marked in code, degraded, then read back."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import cv2
import pytest
from click.testing import CliRunner
from conftest import FIXTURES
from scan_pile import CONFIGS, Pile, build, compare, copy_project, many_questions, printed

from course.cli import cli


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The good project built with three versions, both languages: (project, output)."""
    root = tmp_path_factory.mktemp("scan-built")
    project = copy_project(FIXTURES / "good", root / "project")
    build(project, root / "output", "--variants", "3")
    return project, root / "output"


@pytest.fixture(scope="module")
def built_seed11(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The module quiz printed with a seed and versions course.yaml does not have (7, 2)."""
    root = tmp_path_factory.mktemp("scan-seed11")
    project = copy_project(FIXTURES / "good", root / "project")
    build(project, root / "output", "--variants", "3", "--seed", "11", "--module", "sample")
    return project, root / "output"


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A module of 84 questions, whose sheet takes two pages: (project, output)."""
    root = tmp_path_factory.mktemp("scan-two-pages")
    project = copy_project(FIXTURES / "good", root / "project")
    many_questions(project, 14)
    build(project, root / "output", "--variants", "3", "--lang", "fr", "--module", "sample")
    return project, root / "output"


def run_scan(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["scan", *map(str, args)])
    return result.exit_code, result.output


def closing(out: Path, pages: int, total: int, quizzes: int, page_items: int,
            marks: int) -> str:
    def n(count: int, word: str, many: str = "") -> str:
        return f"{count} {word}" if count == 1 else f"{count} {many or word + 's'}"

    head = f"read {pages} of {n(total, 'page')} of {n(quizzes, 'quiz', 'quizzes')}"
    if not page_items and not marks:
        return f"{head}; nothing to review\n"
    return (f"{head}; {n(page_items, 'page')} and {n(marks, 'mark')} to review: "
            f"{out / 'review.pdf'}\n")


def test_108_sheets_read_exactly_as_marked(built: tuple[Path, Path], tmp_path: Path) -> None:
    project, output = built
    sheets = printed(output)
    assert sorted({(p.lang, p.quiz, p.version) for p in sheets}) == [
        (lang, quiz, v) for lang in ("ar", "fr") for quiz in ("final", "sample") for v in "ABC"]
    pile = Pile(tmp_path / "scans", seed=11)
    count = 0
    for round_ in range(9):
        for p in sheets:
            pile.add(p, f"{100000 + count}", CONFIGS[(count + round_) % len(CONFIGS)])
            count += 1
    assert count == 108
    status, text = run_scan(tmp_path / "scans", "--printed", output, "--out", tmp_path / "out")
    found = compare(tmp_path / "out", pile.truth)
    assert found.misread == []
    assert found.missed == []
    assert len(found.flagged) <= found.unambiguous // 100, found.flagged
    assert found.rows == 108
    unsure = sum(len(s.unsure) for s in pile.truth.sheets.values()) + len(found.flagged)
    assert unsure > 0
    assert (status, text) == (3, closing(tmp_path / "out", 108, 108, 4, 0, unsure))
    assert (tmp_path / "out" / "review.pdf").read_bytes().startswith(b"%PDF")


def _grade(project: Path, output: Path, responses: Path, quiz: str, lang: str,
           out: Path) -> dict[str, str]:
    result = CliRunner().invoke(cli, ["grade", str(responses), "--quiz", quiz, "--project",
                                      str(project), "--printed", str(output), "--lang", lang,
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    with (out / "scores.csv").open(encoding="utf-8-sig") as fh:
        return {row["participant"]: row["points"] for row in csv.DictReader(fh)}


def test_grade_returns_each_true_score(built_seed11: tuple[Path, Path],
                                      tmp_path: Path) -> None:
    project, output = built_seed11
    pile = Pile(tmp_path / "scans", seed=5)
    chosen = [p for p in printed(output) if p.quiz == "sample"]
    for i, p in enumerate(chosen * 2):
        pile.add(p, f"{200000 + i}", CONFIGS[i % len(CONFIGS)])
    out = tmp_path / "out"
    assert run_scan(tmp_path / "scans", "--printed", output, "--out", out)[0] == 3
    # A reviewer decides every '?' as no answer; the truth says the same of those cells.
    lines = ["participant,version,number,answer,quiz"]
    for (_, quiz, who), sheet in sorted(pile.truth.sheets.items()):
        lines += [f"{who},{sheet.version},{n},,{quiz}" for n in sorted(sheet.unsure)]
    (out / "corrections.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, text = run_scan(tmp_path / "scans", "--printed", output, "--out", out)
    assert (status, text) == (0, closing(out, 12, 12, 2, 0, 0))
    for lang in ("ar", "fr"):
        record = next(p.record for p in chosen if p.lang == lang)
        typed = tmp_path / f"truth-{lang}.csv"
        count = len(record["versions"]["A"]["questions"])
        rows = [["participant", "version", "record", *map(str, range(1, count + 1))]]
        for (sheet_lang, _, who), sheet in sorted(pile.truth.sheets.items()):
            if sheet_lang == lang:
                rows.append([who, sheet.version, record["digest"][:12],
                             *("" if n in sheet.unsure else sheet.expected.get(n, "")
                               for n in range(1, count + 1))])
        with typed.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
        true = _grade(project, output, typed, "sample", lang, tmp_path / f"g-true-{lang}")
        scanned = _grade(project, output, out / lang / "sample" / "responses.csv", "sample",
                         lang, tmp_path / f"g-scan-{lang}")
        assert scanned == true
        assert len(true) == 6


def test_two_page_sheets_join_and_a_missing_page_is_listed(two_pages: tuple[Path, Path],
                                                           tmp_path: Path) -> None:
    _, output = two_pages
    sheets = printed(output)
    assert [len(p.record["versions"][p.version]["pages"]) for p in sheets] == [2, 2, 2]
    pile = Pile(tmp_path / "scans", seed=3)
    pile.add(sheets[0], "300001", CONFIGS[2], skip_pages=(2,))
    for i, p in enumerate(sheets * 2):
        pages = pile.add(p, f"30001{i}", CONFIGS[i % 3])
    # The last sheet's first page scanned twice, read alike: it counts once.
    again = tmp_path / "scans" / "again.png"
    again.write_bytes(cv2.imencode(".png", pages[0])[1].tobytes())
    out = tmp_path / "out"
    status, text = run_scan(tmp_path / "scans", "--printed", output, "--out", out)
    found = compare(out, pile.truth)
    missing = {n for n, cell in _row(out, "fr", "sample", "300001").items() if cell == "?"}
    page_two = {b["question"] for b in sheets[0].record["versions"][sheets[0].version]["pages"][1]
                ["boxes"] if b["question"] is not None}
    assert missing == page_two | pile.truth.sheets[("fr", "sample", "300001")].unsure
    assert found.misread + found.missed == []
    assert len([f for f in found.flagged if " 300001 " not in f]) <= found.unambiguous // 100
    # Every '?' but those of the missing page is a mark to review.
    with (out / "fr" / "sample" / "responses.csv").open(encoding="utf-8") as fh:
        marks = sum(list(r.values()).count("?") for r in csv.DictReader(fh)) - len(page_two)
    assert (status, text) == (3, closing(out, 14, 14, 1, 1, marks))
    with (out / "fr" / "sample" / "responses.csv").open(encoding="utf-8") as fh:
        sources = {r["participant"]: r["source"] for r in csv.DictReader(fh)}
    assert sources["300001"] == f"{tmp_path / 'scans' / 'fr-sample-300001-1.png'}:1"


def _row(out: Path, lang: str, quiz: str, participant: str) -> dict[int, str]:
    with (out / lang / quiz / "responses.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["participant"] == participant:
                return {int(k): v for k, v in row.items() if k.isdigit()}
    raise AssertionError(f"no row of {participant}")


def test_a_second_pile_merges_and_a_rescan_that_differs_is_listed(
        built: tuple[Path, Path], tmp_path: Path) -> None:
    _, output = built
    p = next(s for s in printed(output) if (s.lang, s.quiz, s.version) == ("fr", "sample", "B"))
    first, second = Pile(tmp_path / "one", seed=1), Pile(tmp_path / "two", seed=2)
    first.add(p, "400001", CONFIGS[0])
    second.add(p, "400002", CONFIGS[1])
    out = tmp_path / "out"
    run_scan(tmp_path / "one", "--printed", output, "--out", out)
    run_scan(tmp_path / "two", "--printed", output, "--out", out)
    assert [r for r in _participants(out)] == ["400001", "400002"]
    # The same participant marked differently on another copy: both listed, cells '?'.
    third = Pile(tmp_path / "three", seed=9)
    third.add(p, "400001", CONFIGS[0])
    status, text = run_scan(tmp_path / "three", "--printed", output, "--out", out)
    assert _participants(out) == ["400001", "400002"]
    assert set(_row(out, "fr", "sample", "400001").values()) == {"?"}
    second_marks = len(second.truth.sheets[("fr", "sample", "400002")].unsure)
    assert (status, text) == (3, closing(out, 1, 1, 1, 1, second_marks))


def _participants(out: Path) -> list[str]:
    with (out / "fr" / "sample" / "responses.csv").open(encoding="utf-8") as fh:
        return [r["participant"] for r in csv.DictReader(fh)]


def test_pdf_and_multipage_tiff_scans_with_an_unreadable_page(built: tuple[Path, Path],
                                                              tmp_path: Path) -> None:
    from PIL import Image

    _, output = built
    pile = Pile(tmp_path / "loose", seed=4)
    sheets = [s for s in printed(output) if s.quiz == "final"][:4]
    images = [pile.add(p, f"50000{i}", {"dpi": 200})[0] for i, p in enumerate(sheets)]
    blank = images[0] * 0 + 255
    scans = tmp_path / "scans"
    scans.mkdir()
    pil = [Image.fromarray(i) for i in images]
    pil[0].save(scans / "pile.pdf", save_all=True, append_images=[pil[1]], resolution=200)
    pil[2].save(scans / "pile.tif", save_all=True, append_images=[Image.fromarray(blank), pil[3]])
    out = tmp_path / "out"
    status, text = run_scan(scans, "--printed", output, "--out", out)
    found = compare(out, pile.truth)
    assert found.misread == [] and found.missed == [] and found.rows == 4
    marks = sum(len(s.unsure) for s in pile.truth.sheets.values()) + len(found.flagged)
    tif = scans / "pile.tif"
    assert (status, text) == (3, f"unreadable: {tif}:2: no coursegen QR code found; scan the "
                              "whole page, at 200 to 300 dpi\n"
                              + closing(out, 4, 5, 2, 1, marks))
    shutil.rmtree(scans)
