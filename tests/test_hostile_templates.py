"""Custom templates: every failure is one located line; they run in Jinja's sandbox."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import edit

from course.cli import cli

COURSE = "content/course.yaml"
HANDOUT = "my-templates/handout.md.j2"


def with_templates(project: Path, files: dict[str, str | bytes],
                   folder: str = "my-templates") -> None:
    """Give the project a templates folder holding `files`, named in course.yaml."""
    custom = project / "my-templates"
    custom.mkdir()
    for name, body in files.items():
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        (custom / name).write_bytes(data)
    edit(project / COURSE, "theme:", f"templates: {folder}\ntheme:")


def run(command: str, project: Path, *extra: str) -> tuple[int, list[str]]:
    """check or build: exit status and the stderr lines (information lines dropped)."""
    args = [command, "--project", str(project), *extra]
    if command == "build":
        args += ["--jobs", "1", "--only", "handout,quiz", "--format", "docx", "--lang", "ar"]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, [line for line in result.stderr.splitlines()
                              if not line.startswith("module '")]


RUNTIME = [
    ("division", {"handout.md.j2": "# {{ m.title }}\n\n{{ 1 / 0 }}\n"},
     f"{HANDOUT}:3:1: error: template error: division by zero (ZeroDivisionError); fix the "
     "template"),
    ("recursion", {"handout.md.j2": "{% macro f(n) %}{{ f(n) }}{% endmacro %}\n# x\n\n"
                                    "{{ f(1) }}\n"},
     f"{HANDOUT}:1:1: error: template error: recursion too deep (a macro or include that "
     "calls itself without end)"),
    ("self-include", {"handout.md.j2": "# x\n\n{% include 'handout.md.j2' %}\n"},
     f"{HANDOUT}:3:1: error: template error: recursion too deep (a macro or include that "
     "calls itself without end)"),
    ("missing-include", {"handout.md.j2": "# x\n\nok\n\n{% include 'parts/missing.md.j2' %}\n"},
     f"{HANDOUT}:5:1: error: template error: 'parts/missing.md.j2' is not in the templates "
     "folder (yours or the shipped one); check the name"),
    ("error-in-macro", {"handout.md.j2": "{% import 'mine.md.j2' as mine %}\n# x\n\n"
                                         "{{ mine.broken() }}\n",
                        "mine.md.j2": "{% macro broken() %}\n{{ [1][5] }}\n{% endmacro %}\n"},
     "my-templates/mine.md.j2:2:1: error: template error: list object has no element 5; check "
     "the name"),
    ("shipped-macro-misused", {"handout.md.j2": "{% import 'macros.md.j2' as x with context %}"
                                                "\n# t\n\n{{ x.activity(3) }}\n"},
     f"{HANDOUT}:4:1: error: template error: 'int object' has no attribute 'kind'; check the "
     "name"),
    ("not-utf8", {"handout.md.j2": b"# x\n\nok \xff\xfe\n"},
     f"{HANDOUT}:3:4: error: template is not UTF-8 text; save it with UTF-8 encoding"),
    ("syntax", {"handout.md.j2": "# x\n\n{% if %}\n"},
     f"{HANDOUT}:3:1: error: template syntax error: Expected an expression, got 'end of "
     "statement block'"),
    ("quote-markup", {"handout.md.j2": "# {{ m.title }}\n\n> {{ m.summary }}\n"},
     f"{HANDOUT}:3:1: error: unsupported Markdown element 'blockquote'; the templates' "
     "Markdown cannot print it: change the template"),
    ("rule-in-a-box", {"handout.md.j2": "# x\n\n::: callout note t\nنص\n\n---\n:::\n"},
     f"{HANDOUT}:6:1: error: a page break (---) inside a list or a ::: block; the templates' "
     "Markdown cannot print it: change the template"),
    ("unknown-block", {"handout.md.j2": "# x\n\n::: nosuch args\nنص\n:::\n"},
     f"{HANDOUT}:3:1: error: unknown block '::: nosuch' (the blocks are abjad, answer, "
     "answergrid, callout, cover, lead, pagebreak, question, slide, small, toc); check its "
     "name; the templates' Markdown cannot print it: change the template"),
    ("stray-close", {"handout.md.j2": "# x\n\nنص\n\n:::\n"},
     f"{HANDOUT}:5:1: error: a ':::' line that closes no block; remove it, or open the block "
     "it closes; the templates' Markdown cannot print it: change the template"),
    ("wrong-question", {"quiz.md.j2": "# x\n\n::: question 99\n:::\n"},
     "my-templates/quiz.md.j2:3:1: error: no printed question number '99'; the templates' "
     "Markdown cannot print it: change the template"),
]


@pytest.mark.parametrize(("case", "files", "expected"), RUNTIME, ids=[c[0] for c in RUNTIME])
def test_template_failures_are_one_located_line(good_project: Path, case: str,
                                                files: dict[str, str | bytes],
                                                expected: str) -> None:
    with_templates(good_project, files)
    assert run("check", good_project) == (1, [expected, "1 error, 0 warnings"]), case
    assert run("build", good_project) == (1, [expected, "1 error, 0 warnings"]), case
    assert not (good_project / "output").exists()


SANDBOX = [
    ("globals", "{{ cite.__globals__['os'].system('touch pwned') }}",
     "access to attribute '__globals__' of 'function' object is unsafe"),
    ("class", "{{ model.__class__.__mro__ }}",
     "access to attribute '__class__' of 'Module' object is unsafe"),
    ("mutation", "{{ m.pop('title') }}", "access to attribute 'pop' of 'dict' object is unsafe"),
    ("huge-text", "{{ 'x' * 10**9 }}", "a repeated text or list longer than 1,000,000 items"),
    ("huge-power", "{{ 9 ** 99999 }}", "the power 99999 is too large"),
]


@pytest.mark.parametrize(("case", "expression", "message"), SANDBOX,
                         ids=[c[0] for c in SANDBOX])
def test_sandbox_violations_are_located_errors(good_project: Path, case: str,
                                               expression: str, message: str) -> None:
    with_templates(good_project, {"handout.md.j2": f"# x\n\n{expression}\n"})
    assert run("check", good_project) == (1, [
        f"{HANDOUT}:3:1: error: template error: {message}; templates run in a sandbox and "
        "may only read the course's data", "1 error, 0 warnings"]), case
    assert not (good_project / "pwned").exists()


def test_a_template_using_what_the_sandbox_allows_builds(good_project: Path) -> None:
    with_templates(good_project, {
        "handout.md.j2": "{% import 'parts.md.j2' as p %}\n# {{ m.title | upper }}\n\n"
                         "{{ p.count(m) }}\n\n{% include 'footer.md.j2' %}\n",
        "parts.md.j2": "{% macro count(m) %}{{ m.questions | length }} / {{ 6 // 2 }} / "
                       "{{ '-' * 3 }}{% endmacro %}\n",
        "footer.md.j2": "{{ cite(m.sections[0].source) }}\n"})
    assert run("check", good_project) == (0, ["0 errors, 0 warnings"])
    assert run("build", good_project)[0] == 0
    handout = docx.Document(str(good_project / "output/ar/sample/handout.docx"))
    texts = [p.text for p in handout.paragraphs]
    assert "6 / 3 / ---" in texts and "§ 8" in texts


@pytest.mark.parametrize(("folder", "message"), [
    ("my-templtes", "templates folder 'my-templtes' does not exist in the project; did you "
     "mean 'my-templates'?"),
    ("nowhere", "templates folder 'nowhere' does not exist in the project; check the name"),
    ("../elsewhere", "templates folder '../elsewhere' is outside the project; copy it into "
     "the project folder and name it relative to it"),
    ("/tmp", "templates folder '/tmp' is outside the project; copy it into the project "
     "folder and name it relative to it"),
    ("content/course.yaml", "templates: 'content/course.yaml' is a file, not a folder; name "
     "the folder that holds your templates"),
])
def test_templates_must_name_a_folder_inside_the_project(good_project: Path, folder: str,
                                                         message: str) -> None:
    with_templates(good_project, {"handout.md.j2": "# x\n"}, folder=folder)
    assert run("check", good_project) == (1, [f"{COURSE}:19:12: error: {message}",
                                              "1 error, 0 warnings"])


LABELS = "my-templates/labels.yaml"


@pytest.mark.parametrize(("labels", "expected"), [
    ("ar:\n  quiz: [a\n", [f"{LABELS}:3:1: error: YAML syntax error: expected ',' or ']', but "
                           "got '<stream end>'; check indentation, quotes and colons"]),
    ("ar:\n  page_label: 'صفحة {x}'\n  direction: up\nfr:\n  quiz: 3\nxx:\n  quiz: q\n",
     [f"{LABELS}:2:15: error: label 'page_label' uses {{x}}, which is not filled in; use only "
      "{page}, {pages}",
      f"{LABELS}:3:14: error: label 'direction' is 'up'; use rtl or ltr",
      f"{LABELS}:5:9: error: label 'quiz' must be text, not 3; put it in quotes",
      f"{LABELS}:6:1: error: unknown language 'xx' in labels; use ar, fr, en"]),
    ("fr:\n  points_many: '{n} points {'\n  letters: a b c\n",
     [f"{LABELS}:2:16: error: label 'points_many' has an unmatched '{{' or '}}'; write the "
      "placeholders as in the shipped label: {n} points",
      f"{LABELS}:3:12: error: label 'letters' must be a list of texts, such as [a, b, c]"]),
    ("- just a list\n", [f"{LABELS}:1:1: error: file must hold a mapping of keys (key: value), "
                         "not a list or a single value"]),
])
def test_a_broken_labels_file_is_located(good_project: Path, labels: str,
                                         expected: list[str]) -> None:
    with_templates(good_project, {"labels.yaml": labels})
    status, lines = run("check", good_project)
    assert (status, lines[:-1]) == (1, expected)


def test_labels_of_ones_own_print_and_letters_are_completed(good_project: Path) -> None:
    with_templates(good_project, {"labels.yaml": "ar:\n  quiz: امتحان قصير\n  letters: [ا, ب]\n"
                                                 "  points_few: '{n} من النقاط'\n"})
    assert run("check", good_project) == (0, ["0 errors, 0 warnings"])
    assert run("build", good_project)[0] == 0
    quiz = docx.Document(str(good_project / "output/ar/sample/quiz.docx"))
    texts = [p.text for p in quiz.paragraphs]
    assert "امتحان قصير" in texts
    # Two letters of one's own, then the abjad order from its third letter.
    assert {"ا)\tمنهجية وطريقة عمل", "ب)\tوحدة خاصة بمكافحة الإرهاب",
            "ج)\tجهاز تابع للجماعة"} <= set(texts)
