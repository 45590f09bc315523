"""`coursegen grade` fed hostile response files, and formula-like IDs kept through a scan.

Every bad file ends in one located `file:line:col: error: ...` line and exit status 1, with
nothing written; an ID such as `=HYPERLINK(1)` is written inert once at each step and
means the same thing all the way from the scan to scores.csv.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES
from test_sheet_overflow import mark_and_scan, read_csv

from course.cli import cli
from course.quiz.csv_safe import plain_cell, read_table, safe_cell
from course.quiz.record import printed_versions
from course.quiz.responses import read_responses

HEADER = "participant,version,1,2,3,4,5,6\n"
GOOD = "p1,A,a,T,ab,1b 2a,b c a,الشعور بانعدام الأمن\n"  # every answer of version A right
FIVE = ["items.csv", "report.docx", "report.pdf", "scores.csv", "summary.csv"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with its Arabic answer sheets and print record built."""
    project = tmp_path_factory.mktemp("grade-hostile") / "project"
    shutil.copytree(FIXTURES / "good", project)
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--format", "pdf",
                                      "--only", "answer-sheet", "--lang", "ar", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return project


def grade(project: Path, responses: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["grade", str(responses), "--quiz", "sample", "--lang",
                                      "ar", "--project", str(project), "--out", str(out)])
    # The file lies outside the project, so messages name it by its full path.
    return result.exit_code, result.stderr.replace(f"{responses}:", f"{responses.name}:")


HOSTILE = [
    ("empty", b"", "r.csv:1:1: error: the file has no header row; start it with "
     "participant,version,1,2,..."),
    ("only a header", HEADER.encode(), "r.csv:2:1: error: no participant under the header "
     "row; add a row per participant (participant, version, then the answers)"),
    ("BOM", ("\ufeff" + HEADER + "p1,Q,a,T,,,,\n").encode(), "r.csv:2:2: error: unknown "
     "version 'Q'; write the version printed on the participant's paper (A, B)"),
    ("semicolons", (HEADER + "p1;A;e;T;;;;\n").replace(",", ";").encode(), "r.csv:2:3: "
     "error: question 1 (q1): 'e' is not one of this question's 4 letters; use a to d"),
    ("duplicate id", (HEADER + GOOD + GOOD).encode(), "r.csv:3:1: error: participant 'p1' "
     "is repeated (first on line 2); keep one row per participant"),
    ("duplicate once written inert", (HEADER + "=p1,A,,,,,,\n'=p1,A,,,,,,\n").encode(),
     "r.csv:3:1: error: participant '=p1' is repeated (first on line 2); keep one row per "
     "participant"),
    ("unknown version", (HEADER + "p1,C,a,T,,,,\n").encode(), "r.csv:2:2: error: unknown "
     "version 'C'; write the version printed on the participant's paper (A, B)"),
    ("answer out of range", (HEADER + "p1,A,a,T,,1b 3a,,\n").encode(), "r.csv:2:6: error: "
     "question 4 (q4): item 3 does not exist; the items are numbered 1 to 2"),
    ("points out of range", (HEADER + "p1,A,a,T,,,,2pt\n").encode(), "r.csv:2:8: error: "
     "question 6 (q6): '2pt' is more than the question's 1 points; write 0pt to 1pt"),
    ("extra column", (HEADER + "p1,A,a,T,,,,,x\n").encode(), "r.csv:2:9: error: the row has "
     "9 cells but the header has 8 columns; remove the extra cells or name their columns"),
    ("Latin-1", (HEADER + "Zoé,A,a,T,,,,\n").encode("latin-1"), "r.csv:1:1: error: the file "
     "is not UTF-8 text; save it as 'CSV UTF-8'"),
    ("UTF-16", (HEADER + GOOD).encode("utf-16"), "r.csv:1:1: error: the file is UTF-16 "
     "text; save it as 'CSV UTF-8'"),
    ("a workbook", b"PK\x03\x04\x14\x00\x06\x00", "r.csv:1:1: error: the file is a "
     "spreadsheet workbook (.xlsx or .ods), not CSV; save it as 'CSV UTF-8'"),
    ("NUL", (HEADER + "p1,A,a\x00,T,,,,\n").encode(), "r.csv:2:7: error: a NUL character: "
     "this is not CSV text; save it as 'CSV UTF-8'"),
    ("unclosed quote", (HEADER + GOOD + 'p2,A,"a,T,,,,\np3,A,a,T,,,,\n').encode(),
     "r.csv:3:1: error: a quote opened on this line is never closed; close it, or remove it"),
    ("huge cell", (HEADER + 'p1,A,"' + "a" * 200_000 + '",T,,,,\n').encode(), "r.csv:2:1: "
     "error: a cell is longer than 131072 characters; close the quote opened on this line, "
     "or shorten the cell"),
]


@pytest.mark.parametrize(("data", "line"), [case[1:] for case in HOSTILE],
                         ids=[case[0] for case in HOSTILE])
def test_a_hostile_file_ends_in_one_located_line_and_writes_nothing(
        built: Path, tmp_path: Path, data: bytes, line: str) -> None:
    (tmp_path / "r.csv").write_bytes(data)
    out = tmp_path / "grades"
    assert grade(built, tmp_path / "r.csv", out) == (1, f"{line}\n1 error, 0 warnings\n")
    assert not out.exists()


def test_the_near_misses_grade(built: Path, tmp_path: Path) -> None:
    """The same files without their fault: BOM, semicolons, CR line ends, ب for B."""
    files = {"bom": ("\ufeff" + HEADER + GOOD).encode(),
             "semicolons": (HEADER + GOOD).replace(",", ";").encode(),
             "cr": (HEADER + GOOD + "p2,ب,,,,,,\n").replace("\n", "\r").encode(),
             "closed quote": (HEADER + GOOD + 'p2,A,"a",T,,,,\n').encode()}
    for name, data in files.items():
        (tmp_path / f"{name}.csv").write_bytes(data)
        out = tmp_path / name
        status, err = grade(built, tmp_path / f"{name}.csv", out)
        assert status == 0, (name, err)
        assert sorted(p.name for p in out.iterdir()) == FIVE
        scores = read_csv(out / "scores.csv")
        assert (scores[0]["participant"], scores[0]["percent"]) == ("p1", "100"), name


def test_a_failed_grade_leaves_the_last_set_as_it_was(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "grades"
    (tmp_path / "r.csv").write_text(HEADER + GOOD, encoding="utf-8")
    assert grade(built, tmp_path / "r.csv", out)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (tmp_path / "r.csv").write_text(HEADER + GOOD + GOOD.replace("p1", "p2").replace(",a,",
                                                                                      ",z,"),
                                    encoding="utf-8")
    assert grade(built, tmp_path / "r.csv", out)[0] == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(before) == FIVE


def test_a_directory_in_place_of_the_file_is_a_wrong_command_line(built: Path,
                                                                  tmp_path: Path) -> None:
    (tmp_path / "r.csv").mkdir()
    status, err = grade(built, tmp_path / "r.csv", tmp_path / "grades")
    assert (status, err.splitlines()[-1]) == (
        2, f"Error: Invalid value for 'RESPONSES': File '{tmp_path / 'r.csv'}' is a directory.")
    assert not (tmp_path / "grades").exists()


def test_100000_rows_read_and_one_fault_in_the_last_is_located(built: Path,
                                                               tmp_path: Path) -> None:
    rows = "".join(f"p{i},{'AB'[i % 2]},,,,,,\n" for i in range(100_000))
    (tmp_path / "r.csv").write_text(HEADER + rows + "p7,A,,,,,,\n", encoding="utf-8")
    out = tmp_path / "grades"
    assert grade(built, tmp_path / "r.csv", out) == (
        1, "r.csv:100002:1: error: participant 'p7' is repeated (first on line 9); keep one "
        "row per participant\n1 error, 0 warnings\n")
    assert not out.exists()
    record = json.loads((built / "output" / "ar" / "sample" / "printed.json").read_text("utf-8"))
    attempts, problems = read_responses((HEADER + rows).encode(), "r.csv",
                                        printed_versions(record))
    assert (len(attempts), problems) == (100_000, [])
    assert (attempts[-1].participant, attempts[-1].version, attempts[-1].line) == (
        "p99999", "B", 100_001)


# Formula-like participant IDs, from the scan to scores.csv.

@pytest.mark.parametrize(("cell", "written"), [("=HYPERLINK(1)", "'=HYPERLINK(1)"),
                                               ("-12", "-12"), ("'-12", "'-12"),
                                               ("'=x", "''=x"), ("@p", "'@p")])
def test_plain_cell_undoes_exactly_what_safe_cell_did(cell: str, written: str) -> None:
    assert safe_cell(cell) == written
    assert plain_cell(written) == cell
    assert safe_cell(plain_cell(written)) == written  # written once, read, written: the same


def test_read_table_takes_the_quote_off_every_cell() -> None:
    rows, broken = read_table("participant,source\n'=HYPERLINK(1),'+x.png:1\n-12,'-12\n")
    assert (rows, broken) == ([(1, ["participant", "source"]),
                               (2, ["=HYPERLINK(1)", "+x.png:1"]), (3, ["-12", "'-12"])], None)


def test_formula_like_ids_survive_scan_responses_grade_and_scores(built: Path,
                                                                  tmp_path: Path) -> None:
    output = built / "output"
    record = json.loads((output / "ar" / "sample" / "printed.json").read_text("utf-8"))
    mark_and_scan(record, output / "ar" / "sample", tmp_path / "scans",
                  {"100001": ("A", None), "100002": ("B", None), "100003": ("A", None)})
    scans, out = tmp_path / "scans", tmp_path / "scanned"
    out.mkdir()
    # The trainer types the IDs in corrections.csv, by each sheet's source.
    (out / "corrections.csv").write_text(
        "participant,version,number,answer,quiz\n"
        f"{scans / '100001-1.png'}:1,A,participant,=HYPERLINK(1),\n"
        f"{scans / '100002-1.png'}:1,B,participant,-12,\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["scan", str(scans), "--printed", str(output), "--out",
                                      str(out)])
    assert result.exit_code == 0, result.stderr
    responses = out / "ar" / "sample" / "responses.csv"
    lines = responses.read_text(encoding="utf-8").splitlines()
    # Step 1, responses.csv: the formula written inert once, the number as it is.
    assert [line.split(",")[0] for line in lines] == ["participant", "'=HYPERLINK(1)", "-12",
                                                      "100003"]
    # Step 2, grade reads back the IDs the trainer typed.
    attempts, problems = read_responses(responses.read_bytes(), "responses.csv",
                                        printed_versions(record))
    assert ([a.participant for a in attempts], problems) == (["=HYPERLINK(1)", "-12",
                                                              "100003"], [])
    # Step 3, scores.csv: inert once more, not quoted twice; every sheet fully right.
    graded = tmp_path / "graded"
    assert grade(built, responses, graded)[0] == 0
    lines = (graded / "scores.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["participant,version,points,max_points,percent,passed",
                     "'=HYPERLINK(1),A,7,7,100,yes", "-12,B,7,7,100,yes",
                     "100003,A,7,7,100,yes"]


def test_a_folder_in_place_of_a_result_file_replaces_none_of_the_set(built: Path,
                                                                    tmp_path: Path) -> None:
    responses = tmp_path / "r.csv"
    responses.write_text(HEADER + GOOD, encoding="utf-8")
    out = tmp_path / "grades"
    assert grade(built, responses, out)[0] == 0
    before = {name: (out / name).read_bytes() for name in FIVE if name != "items.csv"}
    (out / "items.csv").unlink()
    (out / "items.csv").mkdir()
    responses.write_text(HEADER + GOOD.replace("p1,", "p2,"), encoding="utf-8")
    status, said = grade(built, responses, out)
    assert (status, said.strip()) == (1, f"error: '{out / 'items.csv'}' is not a file, so the "
                                      "grades cannot be written there; move it away or give "
                                      "another --out")
    assert {name: (out / name).read_bytes() for name in before} == before
    assert sorted(p.name for p in out.iterdir()) == FIVE  # no staging folder left
    # The near miss: with the folder gone, the new set is written whole.
    (out / "items.csv").rmdir()
    assert grade(built, responses, out)[0] == 0
    assert "p2" in (out / "scores.csv").read_text(encoding="utf-8")
