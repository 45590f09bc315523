"""`coursegen watch`: rebuilds after each change and keeps watching after an error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from conftest import edit

from course.build.plan import Options
from course.build.watch import watch, watched_paths

MOD = "content/modules/sample.yaml"


def test_watch_rebuilds_reports_errors_and_goes_on(good_project: Path) -> None:
    lines: list[str] = []
    options = Options(langs=["ar"], formats=["docx"], kinds=["handout"])

    def changes() -> Iterator[object]:
        edit(good_project / MOD, "    points: 2\n", "    points: two\n")
        yield {"broken"}
        edit(good_project / MOD, "    points: two\n", "    points: 3\n")
        yield {"fixed"}

    watch(good_project, good_project / "output", options, lines.append, changes())
    assert lines[0] == "rebuilt ar/sample/handout.docx"
    assert lines[2].startswith("watching ")
    assert lines[3:5] == [
        f"{MOD}:93:13: error: 'points' in question 'q1' must be a number, not 'two'",
        "1 error, 0 warnings"]
    # The fix changes no printed text of the handout (points print in quizzes): the handout
    # is rendered, compared and left as it was; watching went on.
    assert lines[5].startswith("built 0 files, 1 unchanged, in ")


def test_watched_paths_are_content_and_templates(good_project: Path) -> None:
    assert watched_paths(good_project) == [good_project / "content"]
    (good_project / "templates").mkdir()
    assert watched_paths(good_project) == [good_project / "content", good_project / "templates"]
