"""Short answers accepted per language: the forms of two languages need not pair."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import edit

from course.cli import cli
from course.content.loader import load_project
from course.quiz.scoring import accepted_answers

MOD = "content/modules/sample.yaml"
PAIRED = "    accept:\n      - {ar: الشعور بانعدام الأمن, fr: Le sentiment d'insécurité}\n"


def test_accept_per_language_checks_and_scores(good_project: Path) -> None:
    edit(good_project / MOD, PAIRED, "    accept:\n      ar: [الشعور بانعدام الأمن]\n"
         "      fr: [Le sentiment d'insécurité, l'insécurité ressentie]\n")
    result = CliRunner().invoke(cli, ["check", "--project", str(good_project)])
    assert result.exit_code == 0, result.stderr
    project, _ = load_project(good_project)
    assert project is not None
    q6 = next(q for q in project.modules[0].questions if q.id == "q6")
    assert accepted_answers(q6) == {"الشعور بانعدام الامن", "le sentiment d'insécurité",
                                    "l'insécurité ressentie"}


def test_accept_of_the_wrong_shape_is_one_located_error(good_project: Path) -> None:
    edit(good_project / MOD, PAIRED, "    accept:\n      ar: الشعور بانعدام الأمن\n")
    result = CliRunner().invoke(cli, ["check", "--project", str(good_project)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"{MOD}:178:7: error: 'accept' in question 'q6': write accept as a list of answers, "
        "or per language as a mapping from language code to a non-empty list, such as "
        "{ar: [...], fr: [...]}", "1 error, 0 warnings"]
