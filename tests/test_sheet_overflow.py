"""Answer sheets of any size: every question lands on the page, and scans back whole.

A question taller than a column continues in the next columns and on further pages, each
page with its fiducials, QR code and ID grid; the scanner joins a question's pages.
"""

from __future__ import annotations

import csv
import random
import re
import shutil
from pathlib import Path

import cv2
import pytest
from click.testing import CliRunner
from conftest import FIXTURES
from scan_marks import degrade, draw_mark, render

from course.cli import cli
from course.content.model import Choice, Pair, Question
from course.quiz.sheet import HEADER, MARGIN, PAPERS, SheetPage, layout, score_values
from course.quiz.versions import LATIN, PrintedQuestion, printed_quiz

SOURCE = [{"para": 8, "anchor": "شرطة القرب هي منهجية وطريقة عمل"}]
APART = 2.0  # the least gap between two boxes, in points


def question(qid: str, kind: str, n: int = 4, points: float = 1.0) -> Question:
    """A question of a type with `n` choices, pairs or items (or `points` for short)."""
    fields: dict = {"id": qid, "type": kind, "objective": "o1", "stem": {"ar": "س"},
                    "explanation": {"ar": "ش"}, "source": SOURCE, "points": points}
    if kind in {"single", "multiple"}:
        fields["choices"] = [Choice(text={"ar": f"خ{i}"}, correct=i == 0) for i in range(n)]
    elif kind == "matching":
        fields["pairs"] = [Pair(left={"ar": f"ي{i}"}, right={"ar": f"م{i}"}) for i in range(n)]
    elif kind == "ordering":
        fields["sequence"] = [{"ar": f"ع{i}"} for i in range(n)]
    elif kind == "true_false":
        fields["answer"] = True
    else:
        fields["accept"] = [{"ar": "جواب"}]
    return Question(**fields)


def extremes() -> list[Question]:
    """The largest question of every type the checks allow, and a few ordinary ones."""
    return [question("q1", "single"), question("m26", "matching", 26),
            question("s26", "single", 26), question("o26", "ordering", 26),
            question("u26", "multiple", 26), question("t1", "true_false"),
            question("p100", "short", points=100), question("p99", "short", points=99.5),
            question("m12", "matching", 12), question("q2", "multiple", 5)]


def expected_boxes(printed: list[PrintedQuestion]) -> list[tuple[int, int | None, str]]:
    """Every (number, row, value) box the questions must print, once each."""
    found = []
    for pq in printed:
        q, n = pq.question, len(pq.choice_order)
        if q.type in {"single", "multiple"}:
            found += [(pq.number, None, LATIN[i]) for i in range(n)]
        elif q.type == "true_false":
            found += [(pq.number, None, "T"), (pq.number, None, "F")]
        elif q.type == "short":
            found += [(pq.number, None, v) for v in score_values(q.points)]
        else:
            found += [(pq.number, r, LATIN[i]) for r in range(1, n + 1) for i in range(n)]
    return sorted(found, key=str)


def problems(pages: list[SheetPage], printed: list[PrintedQuestion], id_digits: int = 6
             ) -> list[str]:
    """What is wrong with a sheet's geometry: a box outside the content area or over the
    header, two boxes touching, or a box missing, repeated or unasked-for."""
    found = []
    for page in pages:
        width, height = page.size
        for b in page.boxes:
            x0, y0, x1, y1 = b.rect
            ceiling = height - MARGIN if b.kind == "id" else height - MARGIN - HEADER
            if not (MARGIN <= x0 < x1 <= width - MARGIN and MARGIN <= y0 < y1 <= ceiling):
                found.append(f"page {page.page}: box {b.question}/{b.row}/{b.value} at "
                             f"{b.rect} is outside the content area")
        rects = sorted(page.boxes, key=lambda b: b.rect[0])
        for i, a in enumerate(rects):
            for b in rects[i + 1:]:
                if b.rect[0] >= a.rect[2] + APART:
                    break  # sorted by left edge: no later box comes closer
                if not (a.rect[3] + APART <= b.rect[1] or b.rect[3] + APART <= a.rect[1]):
                    found.append(f"page {page.page}: boxes {a.question}/{a.row}/{a.value} "
                                 f"and {b.question}/{b.row}/{b.value} touch")
        ids = sorted((b.row, b.value) for b in page.boxes if b.kind == "id")
        if ids != sorted((p, str(d)) for p in range(1, id_digits + 1) for d in range(10)):
            found.append(f"page {page.page}: the ID grid is not whole")
    drawn = sorted(((b.question, b.row, b.value) for p in pages for b in p.boxes
                    if b.kind != "id"), key=str)
    if drawn != expected_boxes(printed):
        found.append("the boxes drawn are not the boxes asked for")
    return found


@pytest.mark.parametrize(("paper", "rtl", "pages"), [
    ("A4", True, 5), ("A4", False, 5), ("Letter", True, 6), ("Letter", False, 6)])
def test_the_largest_questions_land_on_the_page(paper: str, rtl: bool, pages: int) -> None:
    printed = printed_quiz(extremes(), "B", 3)
    sheet = layout(printed, paper, rtl, id_digits=6)
    assert len(sheet) == pages
    assert problems(sheet, printed) == []
    assert [p.size for p in sheet] == [PAPERS[paper]] * pages
    # Every page scans alone: the same corners, QR place and ID grid as the first.
    assert {(tuple(p.fiducials), p.qr) for p in sheet} == {(tuple(sheet[0].fiducials),
                                                            sheet[0].qr)}


def test_the_checker_sees_a_box_one_point_off() -> None:
    printed = printed_quiz(extremes(), "A", 3)
    sheet = layout(printed, "A4", True, id_digits=6)
    page = sheet[0]
    boxes = [b for b in page.boxes if b.question == 1]
    a, b = boxes[0], boxes[1]  # a and b of question 1, side by side
    moved = type(b)(b.kind, b.question, b.row, b.value,
                    (a.rect[0] - 12.0, b.rect[1], a.rect[0] - 1.0, b.rect[3]))
    page.boxes[page.boxes.index(b)] = moved
    assert problems(sheet, printed) == ["page 1: boxes 1/None/b and 1/None/a touch"]
    page.boxes[page.boxes.index(moved)] = b
    low = page.boxes[-1]
    x0, y0, x1, y1 = low.rect
    page.boxes[-1] = type(low)(low.kind, low.question, low.row, low.value,
                               (x0, MARGIN - 1, x1, MARGIN - 1 + y1 - y0))
    assert problems(sheet, printed) == [
        f"page 1: box {low.question}/{low.row}/{low.value} at "
        f"{(x0, MARGIN - 1, x1, MARGIN - 1 + y1 - y0)} is outside the content area"]
    page.boxes.pop()
    assert problems(sheet, printed) == ["the boxes drawn are not the boxes asked for"]


def _rows_by_column(page: SheetPage, number: int) -> list[list[int]]:
    """The grid rows of a question in each column of a page, columns in reading order."""
    columns: dict[float, list[int]] = {}
    for b in page.boxes:
        if b.question == number and b.value == "a":
            left = min((x for x in columns if abs(x - b.rect[0]) < 100), default=b.rect[0])
            columns.setdefault(left, []).append(b.row)
    return [rows for _, rows in sorted(columns.items(), reverse=True)]


def test_a_26_pair_matching_continues_in_columns_and_pages_with_its_number() -> None:
    printed = printed_quiz([question("m26", "matching", 26), question("q2", "single")],
                           "A", 3)
    sheet = layout(printed, "A4", True, id_digits=6)
    assert len(sheet) == 2
    # Five rows of six lines of boxes fill a column; a row is never split.
    assert _rows_by_column(sheet[0], 1) == [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10],
                                            [11, 12, 13, 14, 15]]
    assert _rows_by_column(sheet[1], 1) == [[16, 17, 18, 19, 20], [21, 22, 23, 24, 25], [26]]
    numbers = [[(label.text, label.x, label.y, label.size) for label in page.labels
                if label.key == "number"] for page in sheet]
    # Right to left: the first column is on the right; a continued part reads "…1".
    assert numbers == [[("1", 535.28, 542.89, 9.0), ("…1", 375.52, 542.89, 7.0),
                        ("…1", 215.76, 542.89, 7.0)],
                       [("…1", 535.28, 542.89, 7.0), ("…1", 375.52, 542.89, 7.0),
                        ("…1", 215.76, 542.89, 7.0), ("2", 215.76, 444.89, 9.0)]]
    row_labels = [label.text for label in sheet[1].labels if label.key == "row"]
    assert row_labels == [str(r) for r in range(16, 27)]
    # Row 16 starts the second page where row 1 starts the first.
    first = {(p.page, b.row): b.rect for p in sheet for b in p.boxes
             if b.question == 1 and b.value == "a"}
    assert first[(2, 16)] == first[(1, 1)] == (483.28, 540.89, 494.28, 551.89)
    assert first[(1, 2)] == (483.28, 446.89, 494.28, 457.89)  # six lines and a gap above


def test_a_question_that_fits_a_column_is_never_split() -> None:
    singles = [question(f"q{i}", "single") for i in range(1, 24)]
    printed = printed_quiz([*singles, question("m10", "matching", 10)], "A", 3)
    sheet = layout(printed, "A4", False, id_digits=6)
    # 23 one-line questions leave 56 points in the first column; the 10-row grid goes whole
    # into the second column.
    matching = [b for b in sheet[0].boxes if b.question == 24]
    assert len(sheet) == 1 and len(matching) == 100
    assert {b.rect[0] for b in matching if b.value == "a"} == {260.76}
    assert [label.text for label in sheet[0].labels if label.key == "number"][-1] == "24"


@pytest.mark.parametrize(("paper", "pages", "per_page"), [("A4", 3, [75, 75, 50]),
                                                          ("Letter", 3, [69, 69, 62])])
def test_200_questions_take_whole_pages(paper: str, pages: int, per_page: list[int]) -> None:
    printed = printed_quiz([question(f"q{i}", "single") for i in range(1, 201)], "B", 3)
    sheet = layout(printed, paper, False, id_digits=12)
    assert len(sheet) == pages
    assert problems(sheet, printed, id_digits=12) == []
    assert [len({b.question for b in p.boxes if b.kind == "choice"}) for p in sheet] == per_page


def test_a_short_answer_of_100_points_keeps_its_score_boxes_in_one_column() -> None:
    printed = printed_quiz([question("p99", "short", points=99.5)], "A", 3)
    sheet = layout(printed, "Letter", True, id_digits=6)
    scores = [b for b in sheet[0].boxes if b.kind == "score"]
    assert [b.value for b in scores][-3:] == ["98", "99", "99.5"] and len(scores) == 101
    assert len({b.rect[1] for b in scores}) == 26  # four boxes a line
    # One column: the four boxes of a line span 3 pitches and a box, 77 points.
    assert max(b.rect[2] for b in scores) - min(b.rect[0] for b in scores) == 77.0
    assert problems(sheet, printed) == []


# The synthetic scan: real sheets of the largest questions, marked with every right answer.

def _module_questions() -> str:
    def q(i: int, body: str) -> str:
        return (f"  - id: q{i}\n    objective: o1\n{body}    explanation: {{ar: ش {i}, fr: "
                f"e {i}}}\n    source: {{para: 8, anchor: \"{SOURCE[0]['anchor']}\"}}\n")
    pairs = "".join(f"      - left: {{ar: يسار {n}, fr: gauche {n}}}\n        right: {{ar: "
                    f"يمين {n}, fr: droite {n}}}\n" for n in range(1, 27))
    items = "".join(f"      - {{ar: عنصر {n}, fr: élément {n}}}\n" for n in range(1, 27))
    choices = "".join(f"      - text: {{ar: خيار {n}, fr: choix {n}}}\n"
                      + ("        correct: true\n" if n in (2, 25) else "")
                      for n in range(1, 27))
    return "".join([
        q(1, f"    type: matching\n    stem: {{ar: صل, fr: Associez}}\n    pairs:\n{pairs}"),
        q(2, f"    type: ordering\n    stem: {{ar: رتب, fr: Rangez}}\n    sequence:\n{items}"),
        q(3, "    type: single\n    stem: {ar: اختر, fr: Choisissez}\n    choices:\n"
          + choices.replace("        correct: true\n", "", 1)),
        q(4, f"    type: multiple\n    stem: {{ar: اختر, fr: Cochez}}\n    choices:\n{choices}"),
        q(5, "    type: short\n    points: 100\n    stem: {ar: اكتب, fr: Écrivez}\n    accept:\n"
          "      - {ar: جواب, fr: réponse}\n"),
        q(6, "    type: true_false\n    stem: {ar: صحيح, fr: Vrai}\n    answer: false\n")])


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project whose module asks the largest questions, built in Arabic, A4."""
    project = tmp_path_factory.mktemp("overflow") / "project"
    shutil.copytree(FIXTURES / "good", project)
    path = project / "content" / "modules" / "sample.yaml"
    head = path.read_text(encoding="utf-8").split("\nquestions:\n", 1)[0]
    path.write_text(f"{head}\nquestions:\n{_module_questions()}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--format", "pdf",
                                      "--only", "answer-sheet", "--lang", "ar", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return project


def _marks(question: dict, wrong_row: int | None = None) -> list[tuple[int | None, str]]:
    """The (row, value) boxes that answer a printed question rightly, from its key."""
    key = question["key"]
    if question["type"] == "matching":
        marks = [(int(m), letter) for m, letter in re.findall(r"(\d+)([a-z])", key)]
        if wrong_row is not None:  # the near miss: one row matched to its neighbour's letter
            swap = dict(marks)[wrong_row - 1]
            marks = [(r, swap if r == wrong_row else v) for r, v in marks]
        return marks
    if question["type"] == "ordering":
        return [(pos, letter) for pos, letter in enumerate(key.split(), start=1)]
    if question["type"] == "short":
        return [(None, question["points"])]  # the trainer gives every point
    return [(None, letter) for letter in key]  # single, multiple, T or F


Box = tuple[int, int | None, str]  # (number, row, value)


def mark_and_scan(record: dict, sheets: Path, folder: Path,
                  who: dict[str, tuple[str, int | None]], skip: tuple[str, int] | None = None,
                  add: frozenset[Box] = frozenset(), blank: frozenset[Box] = frozenset()
                  ) -> None:
    """Each participant's sheet, marked with the right answers (question 1's `wrong_row`
    with its neighbour's letter; `add` marked too, `blank` not), scanned a little askew."""
    rng = random.Random(13)
    folder.mkdir()
    for participant, (version, wrong_row) in who.items():
        data = record["versions"][version]
        pdf = sheets / ("answer-sheet.pdf" if version == "A" else f"answer-sheet-{version}.pdf")
        wanted = {(q["number"], row, value) for q in data["questions"]
                  for row, value in _marks(q, wrong_row if q["number"] == 1 else None)}
        wanted = (wanted | add) - blank
        for page, image in zip(data["pages"], render(str(pdf), 200), strict=True):
            for b in page["boxes"]:
                digit = b["kind"] == "id" and participant[b["row"] - 1] == b["value"]
                if digit or (b["question"], b["row"], b["value"]) in wanted:
                    draw_mark(image, b["rect"], "cross", 200, page["size"][1], rng)
            if (participant, page["page"]) == skip:
                continue
            scan = degrade(image, rng, quarter=rng.randrange(4), skew=rng.uniform(-2, 2))
            ok, png = cv2.imencode(".png", scan)
            (folder / f"{participant}-{page['page']}.png").write_bytes(png.tobytes())


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_scan_of_the_largest_questions_reads_every_answer_and_grades_100(
        big: Path, tmp_path: Path) -> None:
    import json

    output = big / "output"
    record = json.loads((output / "ar" / "sample" / "printed.json").read_text("utf-8"))
    pages = {v: [(p["page"], sorted({b["question"] for b in p["boxes"] if b["question"]}))
                 for p in data["pages"]] for v, data in record["versions"].items()}
    assert pages["A"] == [(1, [1]), (2, [1, 2]), (3, [2]), (4, [2, 3, 4, 5, 6])]
    who = {"204518": ("A", None), "204519": ("B", None), "204520": ("A", 26)}
    mark_and_scan(record, output / "ar" / "sample", tmp_path / "scans", who)
    out = tmp_path / "scanned"
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "scans"), "--printed",
                                      str(output), "--out", str(out)])
    assert (result.exit_code, result.stderr) == (0, "read 12 of 12 pages of 1 quiz; nothing "
                                                    "to review\n")
    # A question printed across pages keeps its part's grid, and a crop of no part: none is
    # in doubt.
    store = json.loads((out / "pages.json").read_text("utf-8"))
    assert {(r["source"].rsplit("/", 1)[-1], *sorted(r["grids"]), *sorted(r["crops"]))
            for r in store if r["participant"] == "204518"} == {
        ("204518-1.png:1", "1", "id"), ("204518-2.png:1", "1", "2", "id"),
        ("204518-3.png:1", "2", "id"), ("204518-4.png:1", "2", "id")}
    rows = read_csv(out / "ar" / "sample" / "responses.csv")
    keys = {v: {str(q["number"]): q["key"] if q["type"] != "short" else f"{q['points']}pt"
                for q in data["questions"]} for v, data in record["versions"].items()}
    for row in rows:
        cells = {n: row[n] for n in keys[row["version"]]}
        if row["participant"] == "204520":  # row 26 matched with row 25's letter
            want = dict(keys["A"])
            want["1"] = re.sub(r"26[a-z]$", "26" + want["1"].split()[24][-1], want["1"])
            assert cells == want and cells != keys["A"]
        else:
            assert cells == keys[row["version"]]
    graded = tmp_path / "graded"
    result = CliRunner().invoke(cli, ["grade", str(out / "ar" / "sample" / "responses.csv"),
                                      "--quiz", "sample", "--project", str(big), "--lang", "ar",
                                      "--out", str(graded)])
    assert result.exit_code == 0, result.stderr
    assert [(r["participant"], r["points"], r["max_points"], r["percent"], r["passed"])
            for r in read_csv(graded / "scores.csv")] == [
        ("204518", "105", "105", "100", "yes"), ("204519", "105", "105", "100", "yes"),
        ("204520", "104.96", "105", "99.96", "yes")]


def test_a_missing_page_makes_the_question_it_continues_unsure(big: Path, tmp_path: Path
                                                               ) -> None:
    import json

    output = big / "output"
    record = json.loads((output / "ar" / "sample" / "printed.json").read_text("utf-8"))
    mark_and_scan(record, output / "ar" / "sample", tmp_path / "scans",
                  {"204521": ("A", None)}, skip=("204521", 3))
    out = tmp_path / "scanned"
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "scans"), "--printed",
                                      str(output), "--out", str(out)])
    assert result.exit_code == 3
    (row,) = read_csv(out / "ar" / "sample" / "responses.csv")
    # Page 3 holds only rows of question 2: question 2 is '?'; question 1 (pages 1 and 2)
    # reads whole.
    keys = [q["key"] for q in record["versions"]["A"]["questions"]]
    assert [row[str(n)] for n in range(1, 7)] == [keys[0], "?", *keys[2:4], "100pt", "F"]
    assert keys[1] != "?" and row["source"].endswith("204521-1.png:1; "
                                                     f"{tmp_path / 'scans'}/204521-2.png:1; "
                                                     f"{tmp_path / 'scans'}/204521-4.png:1")


def test_a_continued_question_in_doubt_goes_to_review_with_the_page_in_doubt(
        big: Path, tmp_path: Path) -> None:
    import json

    output = big / "output"
    record = json.loads((output / "ar" / "sample" / "printed.json").read_text("utf-8"))
    questions = record["versions"]["A"]["questions"]
    row20 = dict(_marks(questions[0]))[20]
    other = next(c for c in LATIN if c != row20)
    tenth = dict(_marks(questions[1]))[10]
    # Two marks in row 20 of question 1 (page 2); position 10 of question 2 left empty
    # (page 3), so its order has a gap.
    mark_and_scan(record, output / "ar" / "sample", tmp_path / "scans", {"204522": ("A", None)},
                  add=frozenset({(1, 20, other)}), blank=frozenset({(2, 10, tenth)}))
    out = tmp_path / "scanned"
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "scans"), "--printed",
                                      str(output), "--out", str(out)])
    assert (result.exit_code, result.stderr) == (
        3, f"read 4 of 4 pages of 1 quiz; 0 pages and 2 marks to review: {out / 'review.pdf'}\n")
    (row,) = read_csv(out / "ar" / "sample" / "responses.csv")
    assert [row[str(n)] for n in range(1, 3)] == ["?", "?"]
    store = json.loads((out / "pages.json").read_text("utf-8"))
    assert sorted((r["page"], sorted(r["crops"])) for r in store) == [
        (1, ["id"]), (2, ["1", "id"]), (3, ["2", "id"]), (4, ["id"])]
    seen = next(r["seen"]["1"] for r in store if r["page"] == 2)
    # What the review says was read on page 2: rows 16 to 26, two marks in row 20.
    marks = dict(_marks(questions[0]))
    assert re.sub(r" \(ink \d+%\)", "", seen).split(", ") == [
        f"{r}{v} marked" for r in range(16, 27)
        for v in (sorted({row20, other}) if r == 20 else [marks[r]])]
