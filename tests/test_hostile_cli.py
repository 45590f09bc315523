"""The command line refuses what it cannot do: exit 2 with the known values, before any work."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from course.cli import cli

MOD = "content/modules/sample.yaml"


def run(*args: str) -> tuple[int, str]:
    """Run the CLI: exit status and the last line of standard error."""
    result = CliRunner().invoke(cli, list(args))
    lines = result.stderr.splitlines()
    return result.exit_code, lines[-1] if lines else ""


def snapshot(project: Path) -> dict[str, bytes]:
    """Every file of the project, to prove nothing was touched."""
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted(project.rglob("*"))
            if p.is_file()}


UNKNOWN = [
    (("build", "--lang", "xx"), "--lang: unknown language 'xx'; known languages: ar, fr"),
    (("build", "--lang", "ar,xx"), "--lang: unknown language 'xx'; known languages: ar, fr"),
    (("build", "--lang", ","), "--lang: no language given; known languages: ar, fr"),
    (("build", "--module", "nonexistent"),
     "--module: unknown module 'nonexistent'; known modules: sample"),
    (("build", "--module", " , "), "--module: no module given; known modules: sample"),
    (("build", "--format", ","), "--format: no format given; known formats: docx, pdf, pptx"),
    (("build", "--format", "pdf,odt"),
     "--format: unknown format 'odt'; known formats: docx, pdf, pptx"),
    (("build", "--only", ","), "--only: no kind given; known kinds: handout, slides, quiz, "
     "answer-key, answer-sheet, trainer-guide, final-exam, final-exam-answer-key, "
     "final-exam-answer-sheet, course-pack, trainer-pack"),
    (("export", "moodle", "--lang", "xx"),
     "--lang: unknown language 'xx'; known languages: ar, fr"),
    (("export", "gift", "--quiz", "sample", "--lang", "en"),
     "--lang: unknown language 'en'; known languages: ar, fr"),
    (("export", "moodle", "--lang", "ar,fr"), "--lang: give one language, not 2"),
    (("grade", "responses.csv", "--quiz", "sample", "--lang", "xx"),
     "--lang: unknown language 'xx'; known languages: ar, fr"),
]


@pytest.mark.parametrize(("args", "message"), UNKNOWN, ids=[" ".join(a) for a, _ in UNKNOWN])
def test_unknown_values_exit_2_with_the_known_ones(good_project: Path, args: tuple[str, ...],
                                                  message: str) -> None:
    before = snapshot(good_project)
    assert run(*args, "--project", str(good_project)) == (2, f"Error: Invalid value for "
                                                             f"{message}")
    assert snapshot(good_project) == before


def test_a_module_language_it_is_not_written_in_is_unknown_to_export(good_project: Path
                                                                     ) -> None:
    text = (good_project / MOD).read_text(encoding="utf-8")
    (good_project / MOD).write_text(text.replace("languages: [ar, fr]\n", "languages: [ar]\n"),
                                    encoding="utf-8")
    assert run("export", "gift", "--quiz", "sample", "--lang", "fr", "--project",
               str(good_project)) == (2, "Error: Invalid value for --lang: unknown language "
                                         "'fr'; known languages: ar")
    # No module is written in French: the whole course has no French questions either.
    assert run("export", "gift", "--lang", "fr", "--project", str(good_project))[0] == 2


def test_known_values_pass(good_project: Path) -> None:
    status, last = run("build", "--project", str(good_project), "--lang", "fr", "--module",
                       "sample", "--format", "docx", "--only", "quiz", "--variants", "1",
                       "--jobs", "1")
    assert (status, last.split(",")[0]) == (0, "built 1 file")
    status, last = run("export", "gift", "--project", str(good_project), "--lang", "fr")
    assert status == 0 and last.startswith("wrote ")


@pytest.mark.parametrize(("command", "out", "message"), [
    ("build", "content", "'{out}' is inside content/, the project's sources; write outputs "
     "elsewhere, such as output/"),
    ("build", "content/modules/new", "'{out}' is inside content/, the project's sources; "
     "write outputs elsewhere, such as output/"),
    ("build", "templates/x", "'{out}' is inside templates/, the project's sources; write "
     "outputs elsewhere, such as output/"),
    ("build", ".", "'{out}' holds content/, the project's sources; give the build a folder of "
     "its own, such as output/"),
    ("watch", "content", "'{out}' is inside content/, the project's sources; write outputs "
     "elsewhere, such as output/"),
    ("export", f"{MOD}", "'{out}' is inside content/, the project's sources; write outputs "
     "elsewhere, such as output/"),
    ("export", "content/course.yaml", "'{out}' is inside content/, the project's sources; "
     "write outputs elsewhere, such as output/"),
    ("export", "templates/quiz.md.j2", "'{out}' is inside templates/, the project's "
     "sources; write outputs elsewhere, such as output/"),
    ("grade", "content/grades", "'{out}' is inside content/, the project's sources; write "
     "outputs elsewhere, such as output/"),
])
def test_out_among_the_sources_is_refused(good_project: Path, command: str, out: str,
                                          message: str) -> None:
    (good_project / "out-folder").mkdir()
    (good_project / "templates").mkdir()
    (good_project / "templates" / "quiz.md.j2").write_text("# x\n", encoding="utf-8")
    target = str(good_project / out)
    args = {"build": ["build"], "watch": ["watch"], "export": ["export", "moodle"],
            "grade": ["grade", "r.csv", "--quiz", "sample"]}[command]
    before = snapshot(good_project)
    assert run(*args, "--project", str(good_project), "--out", target) == (
        2, "Error: Invalid value for --out: " + message.format(out=target))
    assert snapshot(good_project) == before


def test_out_that_is_a_file_is_refused(good_project: Path) -> None:
    (good_project / "notes.txt").write_text("keep me", encoding="utf-8")
    target = good_project / "notes.txt"
    assert run("build", "--project", str(good_project), "--out", str(target)) == (
        2, f"Error: Invalid value for '--out': Directory '{target}' is a file.")
    assert run("build", "--project", str(good_project), "--out", str(target / "sub")) == (
        2, f"Error: Invalid value for --out: '{target / 'sub'}' cannot be made: '{target}' is "
        "a file")
    assert target.read_text(encoding="utf-8") == "keep me"


def test_export_out_that_is_a_folder_is_refused(good_project: Path) -> None:
    target = good_project / "content"
    assert run("export", "moodle", "--project", str(good_project), "--out", str(target)) == (
        2, f"Error: Invalid value for '--out': File '{target}' is a directory.")


def test_the_theme_files_are_sources_too(good_project: Path) -> None:
    course = good_project / "content" / "course.yaml"
    (good_project / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    course.write_text(course.read_text(encoding="utf-8").replace(
        "theme:\n", "theme:\n  logo: logo.png\n"), encoding="utf-8")
    target = good_project / "logo.png"
    assert run("export", "moodle", "--project", str(good_project), "--out", str(target)) == (
        2, f"Error: Invalid value for --out: '{target}' is the theme file logo.png; write "
        "outputs elsewhere")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/sys is Linux's")
def test_out_that_cannot_be_written_is_refused(good_project: Path) -> None:
    # /sys refuses new entries even to root: the probe really makes (and removes) one.
    assert run("build", "--project", str(good_project), "--out", "/sys/coursegen") == (
        2, "Error: Invalid value for --out: '/sys/coursegen' cannot be written (Operation not "
        "permitted); choose a folder you can write")


def test_out_outside_the_sources_is_written(good_project: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "questions.xml"
    assert run("export", "moodle", "--project", str(good_project), "--out", str(target)) == (
        0, f"wrote {target}")
    assert target.read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize(("make", "what"), [
    (lambda p: os.mkfifo(p), "is not a regular file"),
    (lambda p: None, "does not exist"),
])
def test_a_source_text_that_is_no_file_is_named_so(tmp_path: Path, make, what: str) -> None:
    path = tmp_path / "report.txt"
    make(path)
    result = CliRunner().invoke(cli, ["check", "--project", str(FIXTURES / "good"),
                                      "--source-text", str(path)])
    assert result.exit_code == 2
    assert f"Invalid value for --source-text: file '{path}' {what}; give the report's text " \
        "file" in result.stderr
