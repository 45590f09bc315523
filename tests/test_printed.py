"""The print record and grading as printed: what was printed is what is graded."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from course.cli import cli
from course.content.model import Choice, Question
from course.quiz.record import canonical
from course.quiz.sheet import PAPERS, layout
from course.quiz.versions import PrintedQuestion, printed_quiz

MOD = "content/modules/sample.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stderr


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture built with 3 versions and seed 11 (not course.yaml's 2 and its seed)."""
    project = tmp_path_factory.mktemp("printed") / "p"
    shutil.copytree(FIXTURES / "good", project)
    status, err = run("build", "--project", str(project), "--variants", "3", "--seed", "11",
                      "--only", "quiz,answer-sheet", "--format", "pdf")
    assert status == 0, err
    return project


def record_of(project: Path, lang: str = "ar") -> dict:
    return json.loads((project / "output" / lang / "sample" / "printed.json").read_text("utf-8"))


def key_responses(record: dict, path: Path, wrong: dict[str, str] | None = None) -> None:
    """Every version answered by its printed key (short answers as full marks)."""
    count = len(record["versions"]["A"]["questions"])
    lines = ["participant,version," + ",".join(str(n) for n in range(1, count + 1))]
    for letter, version in record["versions"].items():
        cells = [q["points"] + "pt" if q["type"] == "short" else q["key"]
                 for q in version["questions"]]
        for n, q in enumerate(version["questions"]):
            if wrong and q["id"] in wrong and letter in wrong.get("versions", letter):
                cells[n] = wrong[q["id"]]
        lines.append(f"p{letter},{letter}," + ",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def scores(project: Path, lang: str = "ar") -> list[list[str]]:
    path = project / "output" / "grades" / lang / "sample" / "scores.csv"
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def test_the_record_holds_what_was_printed(printed: Path) -> None:
    record = record_of(printed)
    assert (record["format"], record["quiz"], record["lang"], record["seed"],
            record["variants"]) == (1, "sample", "ar", 11, 3)
    assert sorted(record["versions"]) == ["A", "B", "C"]
    assert record["digest"] == hashlib.sha256(canonical(record)).hexdigest()
    kept = printed / "output" / "ar" / "sample" / f"printed-{record['digest'][:12]}.json"
    assert json.loads(kept.read_text("utf-8")) == record
    first = record["versions"]["A"]["questions"][0]
    assert (first["number"], first["id"], first["type"], first["key"]) == (1, "q1", "single",
                                                                          "a")


def test_papers_printed_with_other_versions_and_seed_grade_right(printed: Path) -> None:
    responses = printed / "typed.csv"
    key_responses(record_of(printed), responses)
    status, err = run("grade", str(responses), "--quiz", "sample", "--project", str(printed))
    assert status == 0, err
    assert scores(printed)[1:] == [["pA", "A", "7", "7", "100", "yes"],
                                   ["pB", "B", "7", "7", "100", "yes"],
                                   ["pC", "C", "7", "7", "100", "yes"]]


def test_an_edit_after_printing_changes_no_grade(printed: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(printed, project)
    responses = project / "typed.csv"
    key_responses(record_of(project), responses)
    text = (project / MOD).read_text("utf-8")
    status, err = run("grade", str(responses), "--quiz", "sample", "--project", str(project))
    assert status == 0, err
    before = scores(project)
    (project / MOD).write_text(text.replace("ar: ما شرطة القرب؟", "ar: ما شرطة القرب حقا؟"),
                               "utf-8")
    status, err = run("grade", str(responses), "--quiz", "sample", "--project", str(project))
    assert status == 0, err
    assert scores(project) == before
    assert "warning: question 'q1' was edited after the papers were printed; graded as " \
           "printed" in err.splitlines()


def test_kept_records_survive_clean_and_force(printed: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(printed, project)
    old = record_of(project)["digest"][:12]
    assert run("build", "--project", str(project), "--clean", "--force", "--only",
               "quiz", "--format", "pdf")[0] == 0
    folder = project / "output" / "ar" / "sample"
    names = sorted(p.name for p in folder.glob("printed-*.json"))
    assert f"printed-{old}.json" in names
    assert len(names) == 2  # the 3-version record kept, and the default build's own


def test_no_record_says_how_to_make_one(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "good", project)
    (project / "r.csv").write_text("participant,version,1\n", encoding="utf-8")
    status, err = run("grade", str(project / "r.csv"), "--quiz", "sample", "--project",
                      str(project))
    assert status == 1
    assert err.splitlines() == [
        f"error: no print record of quiz 'sample' in 'ar' under {project / 'output'}; build "
        "the quiz first (coursegen build), or give --printed the output folder of the build "
        "that printed the papers"]


def test_drop_and_accept_correct_the_key_after_the_exam(printed: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(printed, project)
    record = record_of(project)
    responses = project / "typed.csv"
    # Everyone answers q1 with version A's choice b instead of the key a.
    b_letters = {}
    for letter, version in record["versions"].items():
        q1 = next(q for q in version["questions"] if q["id"] == "q1")
        b_letters[letter] = "abcdefgh"[q1["choices"].index(1)]
    key_responses(record, responses)
    lines = responses.read_text("utf-8").splitlines()
    for i, letter in enumerate("ABC", start=1):
        cells = lines[i].split(",")
        number = next(q["number"] for q in record["versions"][letter]["questions"]
                      if q["id"] == "q1")
        cells[1 + number] = b_letters[letter]
        lines[i] = ",".join(cells)
    responses.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run("grade", str(responses), "--quiz", "sample", "--project", str(project))[0] == 0
    assert [r[2] for r in scores(project)[1:]] == ["5", "5", "5"]  # q1 is worth 2 points
    assert run("grade", str(responses), "--quiz", "sample", "--project", str(project),
               "--accept", "q1=b")[0] == 0
    assert [r[2] for r in scores(project)[1:]] == ["7", "7", "7"]
    assert run("grade", str(responses), "--quiz", "sample", "--project", str(project),
               "--drop", "q1")[0] == 0
    assert [r[2:4] for r in scores(project)[1:]] == [["5", "5"]] * 3
    summary = (project / "output" / "grades" / "ar" / "sample" / "summary.csv").read_text(
        "utf-8-sig").splitlines()
    assert "dropped,q1" in summary and "record," + record["digest"][:12] in summary


def test_awarded_points_and_unread_cells(printed: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(printed, project)
    record = record_of(project)
    version = record["versions"]["A"]["questions"]
    short = next(q["number"] for q in version if q["type"] == "short")
    cells = ["" for _ in version]
    cells[short - 1] = "0.5pt"
    unread = ["" for _ in version]
    unread[0] = "?"
    (project / "r.csv").write_text(
        "participant,version," + ",".join(str(n) for n in range(1, len(version) + 1)) + "\n"
        + "p1,A," + ",".join(cells) + "\np2,A," + ",".join(unread) + "\n", encoding="utf-8")
    status, err = run("grade", str(project / "r.csv"), "--quiz", "sample", "--project",
                      str(project))
    assert status == 1
    assert err.splitlines()[0] == (
        "r.csv:3:3: error: question 1 (q1): '?' is a mark the scanner could not read; look it "
        "up in review.pdf, then write the answer here (or in corrections.csv and scan again)")
    cells[short - 1] = "3pt"
    (project / "r.csv").write_text(
        "participant,version," + ",".join(str(n) for n in range(1, len(version) + 1)) + "\n"
        + "p1,A," + ",".join(cells) + "\n", encoding="utf-8")
    status, err = run("grade", str(project / "r.csv"), "--quiz", "sample", "--project",
                      str(project))
    assert err.splitlines()[0] == (f"r.csv:2:{short + 2}: error: question {short} (q6): '3pt' "
                                   "is more than the question's 1 points; write 0pt to 1pt")


def sixty(kind: str = "single") -> list[PrintedQuestion]:
    choices = [Choice(text={"ar": str(i)}, correct=i == 0) for i in range(4)]
    questions = [Question(id=f"q{n}", type=kind, objective="o1", stem={"ar": "س"},
                          choices=choices, explanation={"ar": "ش"},
                          source=[{"para": 1, "anchor": "أ ب ج"}]) for n in range(1, 61)]
    return printed_quiz(questions, "B", 3)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_sixty_questions_fit_one_page_and_no_boxes_touch(paper: str) -> None:
    pages = layout(sixty(), paper, rtl=True, id_digits=6)
    assert len(pages) == 1
    width, height = PAPERS[paper]
    boxes = [b.rect for b in pages[0].boxes]
    assert len(boxes) == 60 * 4 + 6 * 10
    for x0, y0, x1, y1 in boxes:
        assert 44 < x0 < x1 < width - 44 and 44 < y0 < y1 < height - 44
    for i, (ax0, ay0, ax1, ay1) in enumerate(boxes):
        for bx0, by0, bx1, by1 in boxes[i + 1:]:
            # Every two boxes stand apart, horizontally or vertically.
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0


def test_the_pdf_draws_every_box_where_the_record_says(printed: Path) -> None:
    record = record_of(printed)
    page = record["versions"]["B"]["pages"][0]
    with pdfplumber.open(printed / "output" / "ar" / "sample" / "answer-sheet-B.pdf") as pdf:
        drawn = pdf.pages[0]
        height = float(drawn.height)
        rects = {(round(r["x0"], 1), round(height - r["bottom"], 1), round(r["x1"], 1),
                  round(height - r["top"], 1)) for r in drawn.rects}
    text = pypdf.PdfReader(printed / "output" / "ar" / "sample" / "answer-sheet-B.pdf"
                           ).pages[0].extract_text()
    for box in page["boxes"]:
        x0, y0, x1, y1 = box["rect"]
        assert (round(x0, 1), round(y0, 1), round(x1, 1), round(y1, 1)) in rects, box
    for x, y in page["fiducials"]:
        half = page["fiducial_size"] / 2
        assert (round(x - half, 1), round(y - half, 1), round(x + half, 1),
                round(y + half, 1)) in rects
    assert "ورقة الإجابة" in text


def test_an_unread_id_is_refused_with_its_place(printed: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(printed, project)
    (project / "r.csv").write_text("participant,version,1,2,3,4,5,6\n?,A,,,,,,\n?,B,,,,,,\n",
                                   encoding="utf-8")
    status, err = run("grade", str(project / "r.csv"), "--quiz", "sample", "--project",
                      str(project))
    assert status == 1
    unread = ("error: the participant's ID could not be read from the sheet; look it up in "
              "review.pdf, then write it here (or in corrections.csv and scan again)")
    assert err.splitlines() == [f"r.csv:2:1: {unread}", f"r.csv:3:1: {unread}",
                                "2 errors, 0 warnings"]


def test_the_docx_answer_sheet_says_it_is_for_marking_by_hand(tmp_path: Path) -> None:
    import docx

    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "good", project)
    assert run("build", "--project", str(project), "--only", "answer-sheet", "--format",
               "docx", "--lang", "fr")[0] == 0
    sheet = docx.Document(str(project / "output" / "fr" / "sample" / "answer-sheet.docx"))
    assert [p.text for p in sheet.paragraphs][-1] == (
        "Cette feuille se corrige à la main\u00a0; la feuille PDF est celle que lit la machine.")
