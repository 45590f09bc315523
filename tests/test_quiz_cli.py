"""`coursegen grade` and `coursegen export` end to end on the small fixture."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
from click.testing import CliRunner

from course.cli import cli
from course.content.loader import load_project
from course.quiz.versions import ARABIC, LATIN, keys_csv_rows


def responses_from_keys(project: Path, path: Path) -> None:
    """A semicolon CSV whose participants answer every version's key in Arabic letters."""
    loaded, _ = load_project(project)
    assert loaded is not None
    rows = keys_csv_rows(loaded.modules[0].questions, 2, loaded.course.quiz.seed, "ar")[1:]
    by_version: dict[str, list[str]] = {}
    for version, _, _, qtype, answer, _ in rows:
        if qtype in ("single", "multiple", "ordering", "matching"):
            answer = "".join(ARABIC[LATIN.index(c)] if c in LATIN else c for c in answer)
        by_version.setdefault(version, []).append(answer)
    count = len(by_version["A"])
    lines = ["participant;version;" + ";".join(str(n) for n in range(1, count + 1))]
    lines += [f"p{v};{v};" + ";".join(cells) for v, cells in by_version.items()]
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")


def print_quiz(project: Path) -> None:
    """Build the quiz, so that its print record exists."""
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--only", "quiz",
                                      "--format", "docx"])
    assert result.exit_code == 0, result.stderr


def test_grade_scores_every_version_full_marks(good_project: Path) -> None:
    print_quiz(good_project)
    responses = good_project / "responses.csv"
    responses_from_keys(good_project, responses)
    result = CliRunner().invoke(cli, ["grade", str(responses), "--quiz", "sample",
                                      "--project", str(good_project)])
    assert result.exit_code == 0, result.stderr
    out = good_project / "output" / "grades" / "ar" / "sample"
    with (out / "scores.csv").open(encoding="utf-8-sig") as handle:
        scores = list(csv.reader(handle))
    assert scores == [["participant", "version", "points", "max_points", "percent", "passed"],
                      ["pA", "A", "7", "7", "100", "yes"], ["pB", "B", "7", "7", "100", "yes"]]
    report = docx.Document(str(out / "report.docx"))
    assert "تقرير التصحيح" in [p.text for p in report.paragraphs]
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    assert result.stderr.startswith("graded 2 participants, 2 passed; wrote scores.csv")


def test_grade_reports_bad_rows_and_writes_nothing(good_project: Path) -> None:
    print_quiz(good_project)
    responses = good_project / "responses.csv"
    responses.write_text("participant,version,1,2,3,4,5,6\np1,Z,a,,,,,\np1,A,a,,,,,\n",
                         encoding="utf-8")
    result = CliRunner().invoke(cli, ["grade", str(responses), "--quiz", "sample",
                                      "--project", str(good_project)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "responses.csv:2:2: error: unknown version 'Z'; write the version printed on the "
        "participant's paper (A, B)",
        "responses.csv:3:1: error: participant 'p1' is repeated (first on line 2); keep one "
        "row per participant",
        "2 errors, 0 warnings"]
    assert not (good_project / "output" / "grades").exists()


def test_export_moodle_and_gift(good_project: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "moodle", "--project", str(good_project)])
    assert result.exit_code == 0, result.stderr
    xml = (good_project / "output" / "ar" / "questions.xml").read_text(encoding="utf-8")
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert xml.count('<question type="') == 1 + 6  # a category and six questions
    result = runner.invoke(cli, ["export", "gift", "--quiz", "sample", "--lang", "fr",
                                 "--project", str(good_project)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        "warning: question 'q1' of module 'sample' is worth 2 points but GIFT cannot say so; "
        "set its mark in the Moodle quiz")
    gift = (good_project / "output" / "fr" / "sample" / "questions.gift").read_text("utf-8")
    assert "::sample/q1::" in gift and "::sample/q5::" in gift  # ordering is exported too


def test_unknown_quiz_is_one_clear_line(good_project: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "gift", "--quiz", "ghost",
                                      "--project", str(good_project)])
    assert result.exit_code == 1
    assert result.stderr == "error: unknown quiz 'ghost'; use 'final' or one of: sample\n"
