"""`coursegen check`: one exact, located line per problem, and the right exit status."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED, edit

from course.cli import cli

MOD = "content/modules/sample.yaml"
COURSE = "content/course.yaml"


def run_check(project: Path, *extra: str) -> tuple[int, list[str]]:
    """Run `coursegen check` on a project; return exit status and stderr lines."""
    result = CliRunner().invoke(cli, ["check", "--project", str(project), *extra])
    return result.exit_code, result.stderr.splitlines()


# A clone outside this workspace has no ../shared beside it: say so, as a skip.
NO_SEED = f"the report ../shared/seeds/{SEED.name} is not present; check --source-text " \
    "against it was not run"
CLEAN = ["0 errors, 0 warnings", "module 'sample' is written in: ar, fr",
         "module 'sample' questions per level: remember 3, understand 1, apply 1, analyse 1"]


@pytest.mark.skipif(not SEED.exists(), reason=NO_SEED)
def test_clean_fixture_exits_zero(good_project: Path) -> None:
    status, lines = run_check(good_project, "--strict", "--source-text", str(SEED))
    assert status == 0
    assert lines == CLEAN


def test_clean_fixture_exits_zero_without_the_report(good_project: Path) -> None:
    status, lines = run_check(good_project, "--strict")
    assert (status, lines) == (0, CLEAN)


# (case, file, old text, new text, expected diagnostic line)
ERROR_CASES = [
    ("yaml-syntax", MOD, "id: q1\n", "id: [q1\n",
     f"{MOD}:90:9: error: YAML syntax error: expected ',' or ']', but got ':'; "
     "check indentation, quotes and colons"),
    ("duplicate-key", MOD, "    points: 2\n", "    points: 2\n    points: 3\n",
     f"{MOD}:94:5: error: duplicate key 'points' (first at line 93); keep one of them"),
    ("python-tag", MOD, "    points: 2\n", "    points: !!python/object/apply:os.system [ls]\n",
     f"{MOD}:93:13: error: YAML tag '!!python/object/apply:os.system' is not allowed "
     "(tags could build objects); remove it"),
    ("missing-key", MOD, "    answer: true\n    explanation:\n      ar: هذه مرتكزاتها الثلاثة (الفقرة 8).\n"
     "      fr: Ce sont ses trois piliers (paragraphe 8).\n", "    answer: true\n",
     f"{MOD}:108:5: error: missing required key 'explanation' in question 'q2'; add it"),
    ("unknown-key", MOD, "    points: 2\n", "    points: 2\n    stme: x\n",
     f"{MOD}:94:5: error: unknown key 'stme' in question 'q1'; did you mean 'stem'?"),
    ("points-not-number", MOD, "    points: 2\n", "    points: two\n",
     f"{MOD}:93:13: error: 'points' in question 'q1' must be a number, not 'two'"),
    ("unknown-type", MOD, "    type: short\n", "    type: essay\n",
     f"{MOD}:171:11: error: unknown question type 'essay' in question 'q6'; use one of: "
     "single, multiple, true_false, matching, ordering, short"),
    ("duplicate-question-id", MOD, "  - id: q3\n", "  - id: q2\n",
     f"{MOD}:120:9: error: duplicate question id 'q2' (also question 2); "
     "give each question its own id"),
    ("duplicate-objective-id", MOD, "  - id: o2\n", "  - id: o1\n",
     f"{MOD}:19:9: error: duplicate objective id 'o1' (also objective 1); "
     "give each objective its own id"),
    ("duplicate-section-id", MOD, "  - id: aims\n", "  - id: definition\n",
     f"{MOD}:42:9: error: duplicate section id 'definition' (also section 1); "
     "give each section its own id"),
    ("single-two-correct", MOD, "      - text: {ar: وحدة خاصة بمكافحة الإرهاب, fr: Une unité antiterroriste}\n",
     "      - text: {ar: وحدة خاصة بمكافحة الإرهاب, fr: Une unité antiterroriste}\n"
     "        correct: true\n",
     f"{MOD}:102:18: error: question 'q1' is single-answer but choices 1 and 2 are both "
     "marked correct; keep one, or make it type: multiple"),
    ("single-none-correct", MOD, "        correct: true\n        feedback", "        feedback",
     f"{MOD}:98:7: error: question 'q1' is single-answer but no choice is marked correct; "
     "mark one with correct: true"),
    ("multiple-none-correct", MOD,
     "      - text: {ar: التغطية الجيدة للمدينة, fr: Une bonne couverture de la ville}\n"
     "        correct: true\n      - text: {ar: تجويد الخدمة, fr: L'amélioration du service}\n"
     "        correct: true\n",
     "      - text: {ar: التغطية الجيدة للمدينة, fr: Une bonne couverture de la ville}\n"
     "      - text: {ar: تجويد الخدمة, fr: L'amélioration du service}\n",
     f"{MOD}:128:7: error: question 'q3' is multiple-answer but no choice is marked correct; "
     "mark at least one with correct: true"),
    ("unknown-objective", MOD, "    objective: o2\n    level: apply\n    stem:\n      ar: ما الذي",
     "    objective: o9\n    level: apply\n    stem:\n      ar: ما الذي",
     f"{MOD}:122:16: error: question 'q3' assesses objective 'o9', which this module does "
     "not define; use one of: o1, o2"),
    ("matching-repeated-side", MOD, "left: {ar: طريقة عمل, fr: Méthode}", "left: {ar: هدف, fr: Objectif}",
     f"{MOD}:147:15: error: question 'q4' repeats the left item in pairs 1 and 2; each left "
     "item must appear once"),
    ("text-lacks-language", MOD, "      fr: Qu'est-ce que la police de proximité ?\n", "",
     f"{MOD}:95:7: error: text lacks French ('fr'), which module 'sample' is written in; "
     "add fr: ..."),
    ("module-missing", COURSE, "modules: [sample]", "modules: [sample, ghost]",
     f"{COURSE}:12:19: error: module 'ghost' is listed but content/modules/ghost.yaml does "
     "not exist; create it or remove it from modules"),
    ("module-listed-twice", COURSE, "modules: [sample]", "modules: [sample, sample]",
     f"{COURSE}:12:19: error: module 'sample' is listed twice in modules (items 1 and 2); "
     "keep one"),
    ("anchor-too-short", MOD, 'anchor: "والمزج بين الوقائي والزجري"}\n    source: {para: 9',
     'anchor: "والمزج"}\n    source: {para: 9',
     f"{MOD}:56:36: error: anchor has 1 word(s); copy 3 to 12 words exactly from the paragraph"),
]


@pytest.mark.parametrize("case,file,old,new,expected", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_each_error_has_its_exact_line(good_project: Path, case: str, file: str, old: str,
                                       new: str, expected: str) -> None:
    edit(good_project / file, old, new)
    status, lines = run_check(good_project)
    assert status == 1
    assert expected in lines, "\n".join(lines)
    assert any(re.fullmatch(r"\d+ errors?, \d+ warnings?", line) for line in lines)


SOURCE_CASES = [
    ("anchor-not-found", 'anchor: "شرطة القرب هي منهجية وطريقة عمل"}\n  - id: aims',
     'anchor: "شرطة القرب هي طريقة عمل"}\n  - id: aims',
     f"{MOD}:41:31: error: anchor 'شرطة القرب هي طريقة عمل' is not found in paragraph 8; "
     "copy it exactly, punctuation included, or fix 'para'"),
    ("para-out-of-range", "source: {para: 10, anchor: \"التغطية", "source: {para: 120, anchor: \"التغطية",
     f"{MOD}:136:20: error: paragraph 120 is out of range; the report has paragraphs 1 to 91"),
]


@pytest.mark.parametrize("case,old,new,expected", SOURCE_CASES, ids=[c[0] for c in SOURCE_CASES])
def test_source_text_errors(good_project: Path, case: str, old: str, new: str,
                            expected: str) -> None:
    if not SEED.exists():
        pytest.skip(NO_SEED)
    edit(good_project / MOD, old, new)
    status, lines = run_check(good_project, "--source-text", str(SEED))
    assert status == 1
    assert expected in lines, "\n".join(lines)


def test_file_level_errors(good_project: Path) -> None:
    (good_project / MOD).write_text("", encoding="utf-8")
    assert run_check(good_project)[1][0] == (
        f"{MOD}:1:1: error: file is empty; it must hold a mapping of keys "
        "(see README, 'The content format')")
    (good_project / MOD).write_text("- a\n- b\n", encoding="utf-8")
    assert run_check(good_project)[1][0] == (
        f"{MOD}:1:1: error: file must hold a mapping of keys (key: value), not a list or a "
        "single value")
    (good_project / MOD).write_bytes("id: sample\ntitle: caf\xe9\n".encode("latin-1"))
    assert run_check(good_project)[1][0] == (
        f"{MOD}:2:11: error: file is not UTF-8 text; save it with UTF-8 encoding")


WARNING_CASES = [
    ("objective-under-assessed", "    objective: o2\n    level: remember\n    stem:\n      ar: صل",
     "    objective: o1\n    level: remember\n    stem:\n      ar: صل",
     f"{MOD}:19:9: warning: objective 'o2' is assessed by 1 question(s); add questions so "
     "that at least two assess it"),
    ("no-case-study", "    kind: case_study\n", "    kind: discussion\n",
     f"{MOD}:66:1: warning: module 'sample' has no case study or role play; add an activity "
     "with kind: case_study or role_play"),
    ("glossary-term-unused", "      ar: الإنتاج المشترك للأمن\n      fr: Coproduction",
     "      ar: الشرطة الإدارية\n      fr: Coproduction",
     f"{MOD}:60:7: warning: glossary term 'الشرطة الإدارية' appears nowhere in the module's "
     "text; use it in a section or remove it"),
]


@pytest.mark.parametrize("case,old,new,expected", WARNING_CASES, ids=[c[0] for c in WARNING_CASES])
def test_each_warning_and_strict(good_project: Path, case: str, old: str, new: str,
                                 expected: str) -> None:
    edit(good_project / MOD, old, new)
    if case == "objective-under-assessed":  # q3 and q4 both move to o1, leaving q6 alone on o2
        edit(good_project / MOD, "    objective: o2\n    level: apply\n    stem:\n      ar: ما الذي",
             "    objective: o1\n    level: apply\n    stem:\n      ar: ما الذي")
    status, lines = run_check(good_project)
    assert status == 0
    assert expected in lines, "\n".join(lines)
    assert "0 errors, 1 warning" in lines
    strict_status, strict_lines = run_check(good_project, "--strict")
    assert strict_status == 1
    assert expected in strict_lines


def test_every_problem_at_once_sorted_with_count(good_project: Path) -> None:
    edit(good_project / MOD, "    points: 2\n", "    points: two\n")
    edit(good_project / MOD, "    type: short\n", "    type: essay\n")
    edit(good_project / COURSE, "modules: [sample]", "modules: [sample, ghost]")
    status, lines = run_check(good_project)
    assert status == 1
    assert [line.split(": error")[0] for line in lines[:3]] == [
        f"{COURSE}:12:19", f"{MOD}:93:13", f"{MOD}:171:11"]
    assert lines[3] == "3 errors, 0 warnings"


def test_json_output(good_project: Path) -> None:
    edit(good_project / MOD, "    points: 2\n", "    points: two\n")
    result = CliRunner().invoke(cli, ["check", "--project", str(good_project), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [{
        "file": MOD, "line": 93, "column": 13, "severity": "error",
        "message": "'points' in question 'q1' must be a number, not 'two'"}]
    assert "1 error, 0 warnings" in result.stderr


def test_wrong_command_line_exits_two(good_project: Path) -> None:
    import subprocess
    import sys

    # The entry point as installed: it leaves through os._exit, with click's code.
    done = subprocess.run([sys.executable, "-c", "from course.cli import main; main()",
                           "check", "--no-such-option"], capture_output=True, text=True,
                          cwd=good_project)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == "Error: No such option '--no-such-option'."
    ok = subprocess.run([sys.executable, "-c", "from course.cli import main; main()",
                         "check"], capture_output=True, text=True, cwd=good_project)
    assert (ok.returncode, ok.stderr.splitlines()[0]) == (0, "0 errors, 0 warnings")


THEME_CASES = [
    ("bad-colour", '  primary_color: "#1F4E79"', "  primary_color: blue",
     f"{COURSE}:20:18: error: 'primary_color' must be a colour like '#1F4E79', not 'blue'"),
    ("missing-logo", "  paper: A4", "  paper: A4\n  logo: assets/logo.png",
     f"{COURSE}:25:9: error: 'assets/logo.png' does not exist in the project; check the path"),
    ("logo-outside", "  paper: A4", "  paper: A4\n  logo: ../logo.png",
     f"{COURSE}:25:9: error: '../logo.png' is outside the project; copy it into the project "
     "folder"),
    ("logo-not-image", "  paper: A4", "  paper: A4\n  logo: content/course.yaml",
     f"{COURSE}:25:9: error: 'content/course.yaml' is not a PNG or JPEG image; convert it to PNG"),
    ("unknown-font", "  font: Amiri", "  font: Comic Sans",
     f"{COURSE}:22:9: error: font 'Comic Sans' is not installed; use one of: Amiri, "
     "Noto Sans Arabic (fonts come as fontpkg wheels)"),
    ("bad-paper", "  paper: A4", "  paper: A5",
     f"{COURSE}:24:10: error: 'paper' is 'A5'; use one of: A4, Letter"),
]


@pytest.mark.parametrize("case,old,new,expected", THEME_CASES, ids=[c[0] for c in THEME_CASES])
def test_theme_errors_are_located(good_project: Path, case: str, old: str, new: str,
                                  expected: str) -> None:
    (good_project / "content" / "course.yaml").write_text(
        (good_project / "content" / "course.yaml").read_text(encoding="utf-8")
        .replace(old, new), encoding="utf-8")
    (good_project.parent / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    status, lines = run_check(good_project)
    assert status == 1
    assert expected in lines, "\n".join(lines)


def test_question_checks_still_run_when_another_part_fails(good_project: Path) -> None:
    edit(good_project / MOD, "    type: short\n", "    type: essay\n")
    edit(good_project / MOD, "      - text: {ar: وحدة خاصة بمكافحة الإرهاب, fr: Une unité antiterroriste}\n",
         "      - text: {ar: وحدة خاصة بمكافحة الإرهاب, fr: Une unité antiterroriste}\n"
         "        correct: true\n")
    status, lines = run_check(good_project)
    assert status == 1
    assert lines[:3] == [
        f"{MOD}:102:18: error: question 'q1' is single-answer but choices 1 and 2 are both "
        "marked correct; keep one, or make it type: multiple",
        f"{MOD}:172:11: error: unknown question type 'essay' in question 'q6'; use one of: "
        "single, multiple, true_false, matching, ordering, short",
        "2 errors, 0 warnings"]


def test_inputs_that_once_crashed_get_exact_lines(good_project: Path) -> None:
    edit(good_project / MOD, "id: q1\n", "id: q1\f\n")
    assert run_check(good_project)[1][0] == (
        f"{MOD}:89:11: error: file contains a control character (U+000C) that YAML does not "
        "allow; remove it")
    edit(good_project / MOD, "id: q1\f\n", "id: q1\n")
    edit(good_project / MOD, "audience:", "extra: &loop [*loop]\naudience:")
    assert run_check(good_project)[1][0] == (
        f"{MOD}:11:8: error: YAML aliases (*name) are not supported; write the value out")
    edit(good_project / MOD, "extra: &loop [*loop]\n", "")
    edit(good_project / COURSE, "date: 2026-11-29", "date: 2026-02-30")
    assert run_check(good_project)[1][0] == (
        f"{COURSE}:10:7: error: value '2026-02-30' cannot be read (an impossible date or a "
        "malformed number); fix it, or put it in quotes to keep it as text")
    edit(good_project / COURSE, "date: 2026-02-30", "date: 2026-11-29")
    edit(good_project / COURSE, "modules: [sample]", "modules: [../course]")
    assert run_check(good_project)[1][0] == (
        f"{COURSE}:12:11: error: module id '../course' must be 1 to 64 lowercase letters, "
        "digits, '-' or '_' (it names the file content/modules/<id>.yaml)")


MORE_ERROR_CASES = [
    ("module-language-not-in-course", MOD, "languages: [ar, fr]", "languages: [ar, en]",
     f"{MOD}:3:12: error: module language 'en' is not one of the course's languages (ar, fr); "
     "add it to course.yaml or remove it"),
    ("field-of-another-type", MOD, "    answer: true\n", "    answer: true\n    accept: [x]\n",
     f"{MOD}:116:5: error: question 'q2' is type true_false, which does not use 'accept'; "
     "remove it or use 'answer'"),
    ("missing-answer-field", MOD, "    answer: true\n", "",
     f"{MOD}:108:5: error: question 'q2' is type true_false but has no 'answer'; add it"),
    ("too-few-choices", MOD,
     "      - text: {ar: وحدة خاصة بمكافحة الإرهاب, fr: Une unité antiterroriste}\n"
     "      - text: {ar: جهاز تابع للجماعة, fr: Un service de la commune}\n"
     "      - text: {ar: برنامج تلفزي, fr: Une émission de télévision}\n", "",
     f"{MOD}:98:7: error: question 'q1' needs at least 2 item(s) in 'choices', it has 1"),
    ("id-not-file-name", MOD, "id: sample\n", "id: other\n",
     f"{MOD}:1:5: error: module id 'other' does not match its file name 'sample.yaml'; "
     "rename one so they agree"),
]


@pytest.mark.parametrize("case,file,old,new,expected", MORE_ERROR_CASES,
                         ids=[c[0] for c in MORE_ERROR_CASES])
def test_more_errors_have_their_exact_line(good_project: Path, case: str, file: str, old: str,
                                           new: str, expected: str) -> None:
    edit(good_project / file, old, new)
    status, lines = run_check(good_project)
    assert status == 1
    assert expected in lines, "\n".join(lines)


# (list, the item as written, the item as a bare text, the one line expected)
BARE_CASES = [
    ("key point", "      - text:\n          ar: مرتكزاتها القرب والوقاية والشراكة.\n",
     "      - {ar: مرتكزاتها القرب والوقاية والشراكة., fr: Ses piliers}\n      - text:\n"
     "          ar: مرتكزاتها القرب والوقاية والشراكة.\n",
     "key point 1 of section 'definition' is a bare text; write it as text: {…} with its "
     "source: {para, anchor}"),
    ("choice", "      - text: {ar: منهجية وطريقة عمل, fr: Une méthode de travail}\n",
     "      - {ar: منهجية وطريقة عمل, fr: Une méthode de travail}\n"
     "      - text: {ar: منهجية وطريقة عمل, fr: Une méthode de travail}\n",
     "choice 1 of question 'q1' is a bare text; write it as text: {…}"),
    ("objective", "  - id: o1\n", "  - {ar: يعرّف شرطة القرب, fr: Définir}\n  - id: o1\n",
     "objective 1 is a bare text; write it as text: {…} with its id: …"),
    ("discussion question", "  - question:\n      ar: لماذا تحتاج",
     "  - {ar: لماذا؟, fr: Pourquoi ?}\n  - question:\n      ar: لماذا تحتاج",
     "discussion question 1 is a bare text; write it as question: {…} with its "
     "expected_points: […]"),
]


@pytest.mark.parametrize("case,old,new,message", BARE_CASES, ids=[c[0] for c in BARE_CASES])
def test_a_bare_text_item_gets_one_error(good_project: Path, case: str, old: str, new: str,
                                         message: str) -> None:
    path = good_project / MOD
    text = path.read_text(encoding="utf-8")
    line = text[:text.index(old)].count("\n") + 1  # where the bare item is inserted
    edit(path, old, new)
    col = len(new) - len(new.lstrip(" ")) + 3  # the mapping after "- "
    status, lines = run_check(good_project)
    assert status == 1
    assert lines[:2] == [f"{MOD}:{line}:{col}: error: {message}", "1 error, 0 warnings"]
