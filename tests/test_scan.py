"""Scanning on hand-made sheets: cells, states, every message a user reads, exit statuses."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner
from scan_marks import degrade, mark_pages, render, simulate
from scan_sheets import draw_pdf, make_record, write_record

from course.cli import cli
from course.scan.cells import cell, page_id_digits
from course.scan.locate import Unreadable, find_fiducials
from course.scan.measure import decide
from course.scan.records import PageId, parse_qr

QUESTIONS = [("single", 4), ("multiple", 3), ("true_false", 2), ("matching", 3),
             ("ordering", 3), ("short", 3)]
DPI = 150


def test_qr_texts() -> None:
    assert parse_qr("coursegen:1:final:ar:C:2:0123456789ab") == PageId("final", "ar", "C", 2,
                                                                       "0123456789ab")
    assert parse_qr("coursegen:2:final:ar:C:2:0123456789ab") is None
    assert parse_qr("coursegen:1:final:ar:C:2:0123456789") is None
    assert parse_qr("https://example.org") is None


def test_box_states_at_their_edges() -> None:
    assert decide(0.02, 0.0) == "empty"
    assert decide(0.05, 0.0) == "uncertain"  # faint
    assert decide(0.05, 0.0, faint=0.06) == "empty"  # a noisy page's own paper
    assert decide(0.06, 0.07) == "uncertain"
    assert decide(0.1, 0.08) == "marked"
    assert decide(0.7, 0.85) == "marked"
    assert decide(0.8, 0.9) == "uncertain"  # filled or blackened: a person decides
    assert decide(0.9, 0.95) == "cancelled"


def _grid(*rows: list[tuple[str, str]]) -> dict[int, list[tuple[str, str]]]:
    return {i + 1: row for i, row in enumerate(rows)}


M, E, U, C = "marked", "empty", "uncertain", "cancelled"


def test_cells_in_the_notation_grade_reads() -> None:
    assert cell("single", {0: [("a", E), ("b", M), ("c", C)]}) == "b"
    assert cell("single", {0: [("a", M), ("b", M)]}) == "?"
    assert cell("single", {0: [("a", E), ("b", U)]}) == "?"
    assert cell("single", {0: [("a", C), ("b", E)]}) == ""
    assert cell("multiple", {0: [("a", M), ("b", E), ("c", M)]}) == "ac"
    assert cell("true_false", {0: [("T", E), ("F", M)]}) == "F"
    assert cell("matching", _grid([("a", E), ("b", M)], [("a", M), ("b", E)],
                                  [("a", E), ("b", E)])) == "1b 2a"
    assert cell("matching", _grid([("a", M), ("b", M)], [("a", M), ("b", E)])) == "?"
    assert cell("ordering", _grid([("a", E), ("b", E), ("c", M)], [("a", M), ("b", E),
                                  ("c", E)], [("a", E), ("b", M), ("c", E)])) == "c a b"
    assert cell("ordering", _grid([("a", M), ("b", E)], [("a", E), ("b", E)])) == "a"
    assert cell("ordering", _grid([("a", E), ("b", E)], [("a", M), ("b", E)])) == "?"  # a gap
    assert cell("short", {0: [("0", E), ("1", E), ("1.5", M)]}) == "1.5pt"
    assert cell("short", {0: [("0", E), ("1", M), ("2", M)]}) == "?"


def test_participant_ids() -> None:
    boxes = [{"kind": "id", "row": r, "value": str(d)} for r in (1, 2) for d in range(3)]
    states = [E, M, E, M, E, E]
    assert page_id_digits(boxes, states) == "10"
    assert page_id_digits(boxes, [E, M, E, M, M, E]) is None
    assert page_id_digits(boxes, [E, M, E, E, E, E]) is None  # a digit left empty
    assert page_id_digits(boxes, [E, U, E, M, E, E]) is None
    assert page_id_digits([], []) is None


@pytest.fixture
def sheet(tmp_path: Path) -> tuple[dict, Path, np.ndarray]:
    """A hand-made record (two versions), stored as a build stores it, and version A's page."""
    record = make_record("sample", "fr", QUESTIONS, "AB")
    write_record(record, tmp_path / "printed")
    draw_pdf(record, "A", tmp_path / "A.pdf")
    return record, tmp_path / "printed", render(str(tmp_path / "A.pdf"), DPI)[0]


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["scan", *map(str, args)])
    return result.exit_code, result.output


def _save(path: Path, image: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(cv2.imencode(path.suffix, image)[1].tobytes())
    return path


def test_a_clean_pile_exits_0(sheet: tuple[dict, Path, np.ndarray], tmp_path: Path) -> None:
    record, printed, page = sheet
    rng = random.Random(0)
    marked = mark_pages([page], record, simulate(record, "A", rng, tricks=False,
                                                 participant="4321"), DPI, rng)[0]
    scan = _save(tmp_path / "scans" / "one.png", degrade(marked, rng, quarter=2, skew=3))
    out = tmp_path / "out"
    assert run(scan, "--printed", printed, "--out", out) == (
        0, "read 1 of 1 page of 1 quiz; nothing to review\n")
    text = (out / "fr" / "sample" / "responses.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "participant,version,record,source,1,2,3,4,5,6"
    assert text.splitlines()[1].startswith(f"4321,A,{record['digest'][:12]},{scan}:1,")
    assert (out / "corrections.csv").read_text(encoding="utf-8") == (
        "participant,version,number,answer,quiz\n")


def test_unreadable_pages_are_listed_and_skipped(sheet: tuple[dict, Path, np.ndarray],
                                                 tmp_path: Path) -> None:
    record, printed, page = sheet
    scans = tmp_path / "scans"
    good = _save(scans / "a-good.png", page)
    blank = _save(scans / "b-blank.png", np.full_like(page, 250))
    corners = page.copy()
    k = DPI / 72
    for x, y in record["versions"]["A"]["pages"][0]["fiducials"][:2]:
        cx, cy = round(x * k), round((842 - y) * k)
        corners[cy - 30:cy + 30, cx - 30:cx + 30] = 255
    two = _save(scans / "c-corners.png", corners)
    draw_pdf(record, "B", tmp_path / "B.pdf")
    other = render(str(tmp_path / "B.pdf"), DPI)[0]
    twice = _save(scans / "d-twice.png", np.hstack([page, other]))
    out = tmp_path / "out"
    # The good page's ID grid is empty: its participant is '?', a mark to review.
    assert run(scans, "--printed", printed, "--out", out) == (
        3, f"unreadable: {blank}:1: no coursegen QR code found; scan the whole page, at 200 to "
        f"300 dpi\nunreadable: {two}:1: found 2 of the 4 corner squares; scan the whole page "
        f"with a margin around it\nunreadable: {twice}:1: 2 different QR codes on one page; "
        "scan one sheet a page\n"
        f"read 1 of 4 pages of 1 quiz; 3 pages and 1 mark to review: {out / 'review.pdf'}\n")
    rows = (out / "fr" / "sample" / "responses.csv").read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[:2] + r.split(",")[3:4] for r in rows[1:]] == [["?", "A", f"{good}:1"]]


def test_a_record_that_is_not_there_and_a_version_it_lacks(
        sheet: tuple[dict, Path, np.ndarray], tmp_path: Path) -> None:
    record, printed, page = sheet
    other = make_record("other", "fr", QUESTIONS[:2], "A")
    draw_pdf(other, "A", tmp_path / "other.pdf")
    draw_pdf(record, "A", tmp_path / "z.pdf", qr_version="C")
    scans = tmp_path / "scans"
    unknown = _save(scans / "unknown.png", render(str(tmp_path / "other.pdf"), DPI)[0])
    lacking = _save(scans / "lacking.png", render(str(tmp_path / "z.pdf"), DPI)[0])
    status, text = run(scans, "--printed", printed, "--out", tmp_path / "out")
    assert (status, text) == (1, f"error: {lacking}:1: its record {record['digest'][:12]} has "
                              "no page 1 of version C; the QR code is not one coursegen "
                              f"printed\nerror: {unknown}:1: its print record "
                              f"{other['digest'][:12]} is not in {printed}; give --printed the"
                              " build output folder that printed this quiz\nerror: none of "
                              "the 2 pages could be read; nothing was written\n")
    assert not (tmp_path / "out").exists()


def test_broken_inputs_stop_before_anything_is_written(sheet: tuple[dict, Path, np.ndarray],
                                                       tmp_path: Path) -> None:
    _, printed, page = sheet
    good = _save(tmp_path / "good.png", page)
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    bad_pdf = tmp_path / "bad.pdf"
    bad_pdf.write_bytes(b"%PDF-1.4 broken")
    bad_png = tmp_path / "bad.png"
    bad_png.write_bytes(b"not a png")
    out = tmp_path / "out"
    assert run(good, notes, "--printed", printed, "--out", out) == (
        1, f"error: {notes}: not a PDF, PNG, JPEG or TIFF file; give scans of answer sheets, "
        "or folders of them\n")
    assert run(good, bad_pdf, "--printed", printed, "--out", out) == (
        1, f"error: {bad_pdf}: cannot be read as a PDF; export the scan again or remove the "
        "file\n")
    assert run(bad_png, "--printed", printed, "--out", out) == (
        1, f"error: {bad_png}: cannot be read as an image; export the scan again as PDF, PNG, "
        "JPEG or TIFF, or remove the file\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(empty, "--printed", printed, "--out", out) == (
        1, f"error: no scan found in {empty}; give PDF, PNG, JPEG or TIFF files or folders of "
        "them\n")
    assert run(good, "--printed", tmp_path / "nowhere", "--out", out) == (
        1, f"error: no print record in {tmp_path / 'nowhere'}; build the quizzes first "
        "(coursegen build) or give --printed the build's output\n")
    assert not out.exists()
    assert run()[0] == 2


def test_corners_that_disagree_with_the_qr_code(sheet: tuple[dict, Path, np.ndarray]) -> None:
    record, _, page = sheet
    layout = record["versions"]["A"]["pages"][0]
    k = DPI / 72
    x0, y0, x1, y1 = layout["qr"]
    qr = np.array([[x0, 842 - y1], [x1, 842 - y1], [x1, 842 - y0], [x0, 842 - y0]]) * k
    find_fiducials(page, layout, qr)  # as printed: no complaint
    with pytest.raises(Unreadable) as caught:
        find_fiducials(page, layout, qr + [12 * k, 0])
    assert str(caught.value) == ("the corner squares and the QR code disagree by 12 pt; scan "
                                 "the page flat and whole")


def test_corrections_fill_cells_and_ids_and_say_what_fits_nothing(
        sheet: tuple[dict, Path, np.ndarray], tmp_path: Path) -> None:
    record, printed, page = sheet
    rng = random.Random(2)
    truth = simulate(record, "A", rng, tricks=False, participant="1234")
    marked = mark_pages([page], record, truth, DPI, rng)[0]
    k = DPI / 72
    for box in record["versions"]["A"]["pages"][0]["boxes"]:
        if box["kind"] == "id" and box["row"] == 1:  # the first digit erased: ID unread
            x0, y0, x1, y1 = box["rect"]
            marked[round((842 - y1) * k):round((842 - y0) * k),
                   round(x0 * k):round(x1 * k)] = page[round((842 - y1) * k):round((842 - y0) * k),
                                                       round(x0 * k):round(x1 * k)]
    scan = _save(tmp_path / "scans" / "s.png", marked)
    out = tmp_path / "out"
    assert run(scan, "--printed", printed, "--out", out) == (
        3, f"read 1 of 1 page of 1 quiz; 0 pages and 1 mark to review: {out / 'review.pdf'}\n")
    (out / "corrections.csv").write_text(
        "participant,version,number,answer\n"
        f"{scan}:1,A,participant,1234\n"
        "1234,A,2,c\n"
        "9999,A,1,a\n"
        "1234,A,99,a\n", encoding="utf-8")
    fixes = out / "corrections.csv"
    assert run(scan, "--printed", printed, "--out", out) == (
        0, f"{fixes}:4:1: warning: no scanned sheet of participant '9999' with version 'A'; "
        "write the participant (or the sheet's source) and version as responses.csv shows "
        f"them\n{fixes}:5:3: warning: no question '99' in version A; write a printed number "
        "from 1 to 6, or 'participant' to set the ID\n"
        "read 1 of 1 page of 1 quiz; nothing to review\n")
    row = (out / "fr" / "sample" / "responses.csv").read_text(encoding="utf-8").splitlines()[1]
    assert row.split(",")[0] == "1234" and row.split(",")[5] == "c"


def test_low_contrast_a_changed_record_and_a_damaged_store(
        sheet: tuple[dict, Path, np.ndarray], tmp_path: Path) -> None:
    record, printed, page = sheet
    scans = tmp_path / "scans"
    good = _save(scans / "a.png", page)
    faint = _save(scans / "b-faint.png", (200 + page.astype(np.float32) * 50 / 255)
                  .astype(np.uint8))
    out = tmp_path / "out"
    assert run(scans, "--printed", printed, "--out", out) == (
        3, f"unreadable: {faint}:1: too little contrast between the paper and the corner "
        "squares; scan lighter or in grey\n"
        f"read 1 of 2 pages of 1 quiz; 1 page and 1 mark to review: {out / 'review.pdf'}\n")
    store = out / "pages.json"
    store.write_text("[{", encoding="utf-8")
    assert run(good, "--printed", printed, "--out", out) == (
        1, f"error: {store}: the store of earlier readings is damaged; remove it and scan "
        "every pile again\n")
    kept = printed / "fr" / "sample" / f"printed-{record['digest'][:12]}.json"
    kept.write_text(kept.read_text(encoding="utf-8").replace('"seed": 1', '"seed": 2'),
                    encoding="utf-8")
    assert run(good, "--printed", printed, "--out", tmp_path / "out2") == (
        1, f"error: {good}:1: {kept} was changed after it was written (its digest does not "
        "match); rebuild, or restore the file\nerror: the page could not be read; nothing was"
        " written\n")


def test_corrections_files_that_cannot_be_used(sheet: tuple[dict, Path, np.ndarray],
                                              tmp_path: Path) -> None:
    _, printed, page = sheet
    scan = _save(tmp_path / "s.png", page)
    out = tmp_path / "out"
    out.mkdir()
    fixes = out / "corrections.csv"
    closing = f"read 1 of 1 page of 1 quiz; 0 pages and 1 mark to review: {out / 'review.pdf'}\n"
    fixes.write_bytes("participant,version,number,answer\n?,A,1,é\n".encode("latin-1"))
    assert run(scan, "--printed", printed, "--out", out) == (
        3, f"{fixes}:1:1: warning: the file is not UTF-8 text; save it as 'CSV UTF-8' (no "
        f"correction was applied)\n{closing}")
    fixes.write_text("participant,version,answer\n", encoding="utf-8")
    assert run(scan, "--printed", printed, "--out", out) == (
        3, f"{fixes}:1:1: warning: missing column 'number'; the header row is "
        f"participant,version,number,answer[,quiz]\n{closing}")
    assert fixes.read_text(encoding="utf-8") == "participant,version,answer\n"  # never rewritten


def test_the_review_document() -> None:
    from course.document import Heading, Image, Paragraph, Table, plain_text
    from course.scan.collate import Item
    from course.scan.review import review_document

    png = cv2.imencode(".png", np.zeros((4, 4), np.uint8))[1].tobytes()
    import base64

    items = [Item("page", "s.pdf:2: no coursegen QR code found", "Skipped.",
                  [base64.b64encode(png).decode()]),
             Item("mark", "participant 12, version A, question 3: uncertain (s.pdf:1)",
                  "Read: b uncertain (ink 3 %).", [], [("question", "s.pdf:1"), ("3", "b")])]
    doc = review_document(items, "read 1 of 2 pages")
    texts = [(type(b).__name__, plain_text(b.content) if isinstance(b, (Heading, Paragraph))
              else b.width if isinstance(b, Image) else len(b.rows)) for b in doc.blocks]
    assert texts == [("Heading", "Scan review"), ("Paragraph", "read 1 of 2 pages"),
                     ("Heading", "1. Page: s.pdf:2: no coursegen QR code found"),
                     ("Paragraph", "Skipped."), ("Image", 0.5),
                     ("Heading", "2. Mark: participant 12, version A, question 3: uncertain "
                      "(s.pdf:1)"), ("Paragraph", "Read: b uncertain (ink 3 %)."),
                     ("Table", 1)]
    assert isinstance(doc.blocks[-1], Table) and doc.blocks[4].png == png


def test_a_scan_named_like_a_formula_is_written_inert(sheet: tuple[dict, Path, np.ndarray],
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    record, printed, page = sheet
    rng = random.Random(1)
    marked = mark_pages([page], record, simulate(record, "A", rng, tricks=False,
                                                 participant="4321"), DPI, rng)[0]
    _save(tmp_path / "=HYPERLINK(x).png", marked)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    assert run("=HYPERLINK(x).png", "--printed", printed, "--out", out)[0] == 0
    line = (out / "fr" / "sample" / "responses.csv").read_text(encoding="utf-8").splitlines()[1]
    assert line.startswith(f"4321,A,{record['digest'][:12]},'=HYPERLINK(x).png:1,")
