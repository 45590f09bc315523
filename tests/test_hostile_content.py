"""Hostile content: what `check` accepts, `build` builds; what it refuses is one located line.

Each class of input that once crashed a writer (or hung, or changed silently) is tripped
with its exact message and position, beside a near miss that passes and builds.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, edit

from course.cli import cli
from course.content.loader import load_project
from course.content.model import Objective
from course.content.yamlsource import parse_yaml

MOD = "content/modules/sample.yaml"
COURSE = "content/course.yaml"
LAST_CHOICE = "      - text: {ar: برنامج تلفزي, fr: Une émission de télévision}\n"
STEM = "      ar: ما شرطة القرب؟\n"


def check(project: Path) -> tuple[int, list[str]]:
    """`coursegen check`: exit status and the diagnostic lines (information lines dropped)."""
    result = CliRunner().invoke(cli, ["check", "--project", str(project)])
    lines = [line for line in result.stderr.splitlines() if not line.startswith("module '")]
    return result.exit_code, lines


def build(project: Path, *extra: str) -> tuple[int, list[str]]:
    """`coursegen build` into the project's output/, one process: status and stderr lines."""
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--jobs", "1",
                                      "--variants", "1", *extra])
    return result.exit_code, result.stderr.splitlines()


def more_choices(project: Path, count: int) -> None:
    """Give q1 `count` choices in all (it has 4)."""
    extra = "".join(f"      - text: {{ar: خيار رقم {i}, fr: choix numéro {i}}}\n"
                    for i in range(count - 4))
    edit(project / MOD, LAST_CHOICE, LAST_CHOICE + extra)


def test_27_choices_are_one_located_error(good_project: Path) -> None:
    more_choices(good_project, 27)
    status, lines = check(good_project)
    assert status == 1
    assert lines == [f"{MOD}:126:9: error: question 'q1' has 27 choices, but papers letter "
                     "them a to z: at most 26; split it into two questions",
                     "1 error, 0 warnings"]
    assert build(good_project, "--only", "quiz")[1][:1] == lines[:1]


def test_26_choices_build_with_the_26th_letter(good_project: Path) -> None:
    more_choices(good_project, 26)
    status, lines = build(good_project, "--only", "quiz,answer-key,answer-sheet", "--lang", "ar")
    assert status == 0, lines
    key = docx.Document(str(good_project / "output/ar/sample/answer-key.docx"))
    texts = [p.text for p in key.paragraphs]
    # Version A keeps the authored order: the abjad order's 26th letter, ض, is the last.
    assert texts[texts.index("أ)\tمنهجية وطريقة عمل") + 25] == "ض)\tخيار رقم 21"
    assert not any(t.startswith("ظ)") for t in texts)


@pytest.mark.parametrize(("field", "old", "new", "line", "message"), [
    ("sequence", "      - {ar: الشراكة, fr: Partenariat}\n",
     "      - {ar: الشراكة, fr: Partenariat}\n" + "".join(
         f"      - {{ar: عنصر {i}, fr: élément {i}}}\n" for i in range(24)), 189,
     "question 'q5' has 27 items, but papers letter them a to z: at most 26; split it into "
     "two questions"),
    ("pairs", "    explanation:\n      ar: الأهداف في الفقرة 9",
     "".join(f"      - left: {{ar: يسار {i}, fr: gauche {i}}}\n        right: {{ar: يمين {i}, "
             f"fr: droite {i}}}\n" for i in range(25))
     + "    explanation:\n      ar: الأهداف في الفقرة 9", 197,
     "question 'q4' has 27 pairs, but papers letter them a to z: at most 26; split it into "
     "two questions"),
])
def test_27_pairs_or_items_are_refused(good_project: Path, field: str, old: str, new: str,
                                       line: int, message: str) -> None:
    edit(good_project / MOD, old, new)
    status, lines = check(good_project)
    assert (status, lines[0]) == (1, f"{MOD}:{line}:9: error: {message}"), field


@pytest.mark.parametrize(("value", "shown"), [("1e308", "'1e308'"), ("101", "101"),
                                              ("100.5", "100.5")])
def test_absurd_points_are_refused_with_the_bound(good_project: Path, value: str,
                                                  shown: str) -> None:
    edit(good_project / MOD, "    points: 2\n", f"    points: {value}\n")
    assert check(good_project) == (1, [
        f"{MOD}:93:13: error: 'points' in question 'q1' should be less than or equal to 100, "
        f"not {shown}", "1 error, 0 warnings"])


def test_points_at_the_bound_build(good_project: Path) -> None:
    edit(good_project / MOD, "    objective: o2\n    level: remember\n    stem:\n      ar: ما الشعور",
         "    objective: o2\n    level: remember\n    points: 100\n    stem:\n      ar: ما الشعور")
    status, lines = build(good_project, "--only", "answer-sheet,answer-key", "--lang", "fr",
                          "--format", "pdf")
    assert status == 0, lines


@pytest.mark.parametrize(("escape", "column", "message"), [
    ("\\v", 20, "text contains U+000B (vertical tab), which documents cannot print; remove "
     "its escape (for a new line, write the text as a | block)"),
    ("\\0", 20, "text contains U+0000 (NUL), which documents cannot print; remove its escape "
     "(for a new line, write the text as a | block)"),
    ("\\x85", 20, "text contains U+0085 (next line), which documents cannot print; remove its "
     "escape (for a new line, write the text as a | block)"),
    ("\\ud800", 20, "text contains a lone surrogate (U+D800), half of a character that cannot "
     "be printed; write the character itself instead of its \\u escape"),
    ("\\uDFFF", 20, "text contains a lone surrogate (U+DFFF), half of a character that cannot "
     "be printed; write the character itself instead of its \\u escape"),
    ("\\u202E", 20, "text contains U+202E (right-to-left override), which reverses what is "
     "printed; remove it (coursegen sets each line's direction itself)"),
])
def test_unprintable_escapes_are_located_at_the_escape(good_project: Path, escape: str,
                                                       column: int, message: str) -> None:
    edit(good_project / MOD, STEM, f'      ar: "ما شرطة {escape} القرب؟"\n')
    assert check(good_project) == (1, [f"{MOD}:95:{column}: error: {message}",
                                       "1 error, 0 warnings"])


@pytest.mark.parametrize(("char", "name"), [("\u202e", "right-to-left override"),
                                            ("\u202d", "left-to-right override")])
def test_a_bidi_override_written_as_itself_is_located_at_it(good_project: Path, char: str,
                                                            name: str) -> None:
    edit(good_project / MOD, STEM, f"      ar: ما شرطة {char}القرب؟\n")
    assert check(good_project) == (1, [
        f"{MOD}:95:19: error: text contains U+{ord(char):04X} ({name}), which reverses what "
        "is printed; remove it (coursegen sets each line's direction itself)",
        "1 error, 0 warnings"])


def test_bidi_marks_and_embeddings_pass_and_build(good_project: Path) -> None:
    # The marks (RLM, LRM, ALM) and an embedding as pasted from a word processor (RLE ...
    # PDF) reverse nothing: they stay.
    stem = "\u202bما شرطة\u200f القرب\u061c؟ (A\u200e)\u202c"
    edit(good_project / MOD, STEM, f"      ar: {stem}\n")
    status, lines = build(good_project, "--only", "quiz", "--lang", "ar")
    assert status == 0, lines
    project, _ = load_project(good_project)
    assert project is not None
    assert project.modules[0].questions[0].stem["ar"] == stem


def test_printable_escapes_pass_and_build(good_project: Path) -> None:
    # A tab, and a surrogate pair written as two escapes (PyYAML reads them as halves).
    edit(good_project / MOD, STEM, '      ar: "ما شرطة\\tالقرب \\ud83d\\ude00؟"\n')
    status, lines = build(good_project, "--only", "quiz", "--lang", "ar")
    assert status == 0, lines
    project, _ = load_project(good_project)
    assert project is not None
    assert project.modules[0].questions[0].stem["ar"] == "ما شرطة\tالقرب \U0001f600؟"


def test_a_folder_or_fifo_named_like_a_module_is_skipped_and_said(good_project: Path) -> None:
    modules = good_project / "content" / "modules"
    (modules / "draft.yaml").mkdir()
    os.mkfifo(modules / "pipe.yaml")
    status, lines = check(good_project)
    assert (status, lines) == (0, [
        "content/modules/draft.yaml:1:1: warning: skipped: it is a folder, not a module file; "
        "remove or rename it",
        "content/modules/pipe.yaml:1:1: warning: skipped: it is a named pipe (FIFO), not a "
        "module file; remove or rename it",
        "0 errors, 2 warnings"])


def test_a_listed_module_that_is_a_fifo_is_an_error_and_never_blocks(good_project: Path
                                                                      ) -> None:
    module = good_project / MOD
    module.unlink()
    os.mkfifo(module)
    done: list[tuple[int, list[str]]] = []
    worker = threading.Thread(target=lambda: done.append(check(good_project)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert done == [(1, [f"{COURSE}:12:11: error: module 'sample' is listed but {MOD} is a "
                         "named pipe (FIFO), not a file; replace it with the module's YAML file",
                         "1 error, 0 warnings"])]


def test_yaml_nested_500_levels_is_one_located_error(good_project: Path) -> None:
    edit(good_project / MOD, "duration_minutes: 60\n",
         "duration_minutes: 60\nextra: " + "[" * 500 + "]" * 500 + "\n")
    assert check(good_project) == (1, [
        f"{MOD}:11:27: error: YAML nested deeper than 20 levels; a course file needs far "
        "fewer: check the indentation and brackets", "1 error, 0 warnings"])


def test_yaml_nested_20_levels_is_read(good_project: Path) -> None:
    # Nested as deep as allowed: the file reads, and the only problem is the unknown key.
    edit(good_project / MOD, "duration_minutes: 60\n",
         "duration_minutes: 60\nextra: " + "[" * 19 + "]" * 19 + "\n")
    status, lines = check(good_project)
    assert (status, lines[0].split(";")[0]) == (1, f"{MOD}:11:1: error: unknown key 'extra'")


BODY = "        ترتكز على القرب"


@pytest.mark.parametrize(("inserted", "line", "column", "message"), [
    ("        > اقتباس من التقرير\n", 32, 9, "section 'definition' body: a quote ('> …') "
     "cannot be printed; remove the '>' and write the quotation in a paragraph, in «»"),
    ("        - > اقتباس في قائمة\n", 32, 11, "section 'definition' body: a quote ('> …') "
     "cannot be printed; remove the '>' and write the quotation in a paragraph, in «»"),
    ("        ::: question 1\n        :::\n", 32, 9, "section 'definition' body: a '::: …' "
     "block belongs in templates, not in content; remove its ::: lines"),
    ("        ::: answer 1\n", 32, 9, "section 'definition' body: a '::: …' block belongs in "
     "templates, not in content; remove its ::: lines"),
])
def test_body_markdown_the_templates_cannot_print_is_blamed_on_its_line(
        good_project: Path, inserted: str, line: int, column: int, message: str) -> None:
    edit(good_project / MOD, BODY, "\n" + inserted + "\n" + BODY)
    expected = [f"{MOD}:{line}:{column}: error: {message}", "1 error, 0 warnings"]
    assert check(good_project) == (1, expected)
    status, lines = build(good_project, "--only", "handout")
    assert (status, lines) == (1, expected)


def test_activity_markdown_is_checked_too(good_project: Path) -> None:
    edit(good_project / MOD, "    debrief:\n      ar: هل",
         "    debrief:\n      ar: |\n        ::: callout key x\n      fr: |\n        > cité\n"
         "    notes:\n      ar: هل")
    edit(good_project / MOD, "    notes:\n      ar: هل شملت الخطة الشراكة مع الجمعيات والمزج بين "
         "الوقائي والزجري؟\n      fr: Le plan inclut-il le partenariat avec les associations "
         "et l'équilibre prévention-répression ?\n", "")
    assert check(good_project) == (1, [
        f"{MOD}:78:9: error: activity 'case1' debrief: a '::: …' block belongs in templates, "
        "not in content; remove its ::: lines",
        f"{MOD}:80:9: error: activity 'case1' debrief: a quote ('> …') cannot be printed; "
        "remove the '>' and write the quotation in a paragraph, in «»",
        "2 errors, 0 warnings"])


def test_markdown_near_misses_print_as_written(good_project: Path) -> None:
    # '>' inside a line, an escaped quote, ':::' inside a line, an indented code line.
    edit(good_project / MOD, BODY, "\n        5 > 3 ::: كما ورد\n\n        \\> ليس اقتباسا\n\n"
         + BODY)
    status, lines = build(good_project, "--only", "handout", "--lang", "ar", "--format", "docx")
    assert status == 0, lines
    handout = docx.Document(str(good_project / "output/ar/sample/handout.docx"))
    texts = [p.text for p in handout.paragraphs]
    assert "5 > 3 ::: كما ورد" in texts and "> ليس اقتباسا" in texts


@pytest.mark.parametrize(("old", "new", "position", "message"), [
    ('version: "1.0"\nlanguages', "version: 1.10\nlanguages", "2:10",
     "'version': YAML reads 1.10 as the number 1.1, but a version is text; put it in quotes: "
     '"1.10"'),
    ('version: "1.0"\nlanguages', "version: 2\nlanguages", "2:10",
     "'version': a version is text, not the number 2; put it in quotes: \"2\""),
    ("  - id: q1\n", "  - id: 010\n", "89:9",
     "'id' in question 1: YAML reads 010 as the number 8, but an id is text; put it in "
     'quotes: "010"'),
    ("  - id: o2\n", "  - id: 0x1F\n", "19:9",
     "'id' in objective 2: YAML reads 0x1F as the number 31, but an id is text; put it in "
     'quotes: "0x1F"'),
])
def test_numbers_where_text_is_meant_say_to_quote_them(good_project: Path, old: str, new: str,
                                                        position: str, message: str) -> None:
    edit(good_project / MOD, old, new)
    status, lines = check(good_project)
    assert (status, lines[0]) == (1, f"{MOD}:{position}: error: {message}")


def test_quoted_versions_and_ids_and_number_texts_keep_what_was_written(good_project: Path
                                                                        ) -> None:
    edit(good_project / MOD, 'version: "1.0"\nlanguages', 'version: "1.10"\nlanguages')
    edit(good_project / MOD, "  - id: q1\n", '  - id: "010"\n')
    project, problems = load_project(good_project)
    assert project is not None and problems == []
    module = project.modules[0]
    assert (module.version, module.questions[0].id) == ("1.10", "010")
    # A number written as a text prints as written, not as YAML's number.
    located, _ = parse_yaml("id: o1\ntext: 1.10\n", "x.yaml")
    assert located is not None
    objective = Objective.model_validate(located.data, context={"main_lang": "ar"})
    assert objective.text == {"ar": "1.10"}


def test_course_version_number_is_refused_too(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "good", project)
    edit(project / COURSE, 'version: "1.0"', "version: 1.0")
    assert check(project)[1][0] == (f"{COURSE}:9:10: error: 'version': YAML reads 1.0 as the "
                                    "number 1, but a version is text; put it in quotes: "
                                    '"1.0"')


@pytest.mark.parametrize("blank", ['""', '"   "'])
def test_an_empty_text_is_refused(good_project: Path, blank: str) -> None:
    # Printed between a template's ** and **, an empty title made a page break in a box.
    edit(good_project / MOD, "      ar: حي يشتكي\n", f"      ar: {blank}\n")
    assert check(good_project) == (1, [f"{MOD}:69:11: error: text is empty; write it, or "
                                       "remove the key if it is optional",
                                       "1 error, 0 warnings"])


def test_a_title_of_marks_only_prints_as_written(good_project: Path) -> None:
    edit(good_project / MOD, "      ar: حي يشتكي\n", '      ar: "**"\n')
    status, lines = build(good_project, "--only", "handout", "--lang", "ar")
    assert status == 0, lines
    handout = docx.Document(str(good_project / "output/ar/sample/handout.docx"))
    boxes = [c.text for t in handout.tables for row in t.rows for c in row.cells]
    assert any(text.startswith("دراسة حالة\n**\nالمدة: 20 دقيقة") for text in boxes)


def test_a_rule_in_activity_markdown_is_refused(good_project: Path) -> None:
    # A page break inside the activity's box had no page to break: the PDF writer looped.
    edit(good_project / MOD, "      ar: سكان حي يشتكون",
         "      ar: |\n        أولا\n\n        ---\n\n        سكان حي يشتكون")
    assert check(good_project) == (1, [
        f"{MOD}:76:9: error: activity 'case1' instructions: a line of ---, *** or ___ is a "
        "page break, which content cannot make; remove it", "1 error, 0 warnings"])


def test_a_heading_underlined_with_dashes_is_no_rule(good_project: Path) -> None:
    edit(good_project / MOD, "      ar: سكان حي يشتكون",
         "      ar: |\n        خطة الأسبوع\n        ---\n\n        سكان حي يشتكون")
    status, lines = build(good_project, "--only", "handout", "--lang", "ar", "--format", "pdf")
    assert status == 0, lines
