"""Custom templates that would never end or fill the memory: one located line each, counted
(never timed), while big loops over the course's data still build."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from test_hostile_templates import HANDOUT, run, with_templates

from course.render.template_limits import CONTENT_TIMES, MAX_TEXT

STEPS = ("template error: more than 1,000,000 loop turns and calls in one document (a loop "
         "inside a loop, or over a large range?); loop over the course's data, or make the "
         "loops smaller")
WIDE = "is too large (at most 1,000,000); use a smaller number"
BITS = "template error: a number of more than 100,000 bits; compute with smaller numbers"


def text_limit(project: Path) -> str:
    """The text bound of a document of the project: MAX_TEXT plus its content, as printed."""
    content = sum(p.stat().st_size for p in (project / "content").rglob("*.yaml"))
    return f"{MAX_TEXT + CONTENT_TIMES * content:,}"


ENDLESS = [
    ("nested-ranges", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                      "{% endfor %}", STEPS),
    ("macro-fan-out", "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}"
                      "{% endmacro %}{{ f(40) }}", STEPS),
    ("recursive-loop", "{% for x in [1] recursive %}{% if loop.depth < 4 %}"
                       "{{ loop(range(100000)) }}{% endif %}{% endfor %}", STEPS),
    ("list-in-a-loop", "{% for i in range(100000) %}{% set l = range(100000)|list %}"
                       "{% endfor %}", STEPS),
    ("sum-in-a-loop", "{% for i in range(100000) %}{{ range(100000)|sum }}{% endfor %}", STEPS),
    # The line that passes the bound: here the included template's loop.
    ("include-in-a-loop", "{% for i in range(100000) %}{% include 'part.md.j2' %}{% endfor %}",
     STEPS.replace("template error", "PART")),
    ("doubling-concat", "{% set ns = namespace(s='x' * 1000000) %}{% for i in range(40) %}"
                        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "TEXT"),
    ("doubling-plus", "{% set ns = namespace(s='x' * 1000000) %}{% for i in range(40) %}"
                      "{% set ns.s = ns.s + ns.s %}{% endfor %}", "TEXT"),
    ("filter-block", "{% filter upper %}{% for i in range(100000) %}{{ 'x' * 500 }}"
                     "{% endfor %}{% endfilter %}", "TEXT"),
    ("shared-lists", "{% set ns = namespace(l=[1]) %}{% for i in range(100) %}"
                     "{% set ns.l = [ns.l, ns.l] %}{% endfor %}{{ ns.l }}",
     "template error: a text longer than {limit} characters; make less of it"),
    ("join", "{{ (range(100000)|list)|join('x' * 1000000) }}",
     "template error: a joined text longer than {limit} characters; make less of it"),
    ("replace", "{{ ('x' * 1000000)|replace('x', 'y' * 1000000) }}",
     "template error: a replaced text longer than {limit} characters; make less of it"),
    ("center", "{{ 'x'|center(1000000000) }}", f"template error: a width of 1,000,000,000 {WIDE}"),
    ("ljust", "{{ 'x'.ljust(1000000000) }}", f"template error: a width of 1,000,000,000 {WIDE}"),
    ("batch", "{{ range(10)|batch(1000000000, 'x')|list }}",
     f"template error: a batch size of 1,000,000,000 {WIDE}"),
    ("expandtabs", "{{ 'a\tb'.expandtabs(1000000000) }}",
     f"template error: a tab expansion of 1,000,000,000 {WIDE}"),
    ("format-filter", "{{ '%999999999d'|format(1) }}",
     f"template error: a width in a format of 999,999,999 {WIDE}"),
    ("str-format", "{{ '{:>999999999}'.format(1) }}",
     f"template error: a width in a format of 999,999,999 {WIDE}"),
    ("percent", "{{ '%*d' % (999999999, 1) }}",
     f"template error: a width in a format of 999,999,999 {WIDE}"),
    ("squaring", "{% set ns = namespace(n=3) %}{% for i in range(40) %}"
                 "{% set ns.n = ns.n * ns.n %}{% endfor %}", BITS),
    ("power-of-a-power", "{{ (10 ** 9000) ** 9000 }}", BITS),
    ("lipsum", "{{ lipsum(1000000) }}",
     "template error: 'lipsum' is undefined; check the name"),
]


@pytest.mark.parametrize(("case", "body", "message"), ENDLESS, ids=[c[0] for c in ENDLESS])
def test_endless_or_enormous_templates_are_one_located_line(good_project: Path, case: str,
                                                            body: str, message: str) -> None:
    with_templates(good_project, {"handout.md.j2": f"# x\n\n{body}\n",
                                  "part.md.j2": "{% for i in range(10) %}{% endfor %}\n"})
    limit = text_limit(good_project)
    if message == "TEXT":
        message = (f"template error: the document's templates made more than {limit} "
                   "characters of text (a text repeated in a loop?); print each text once, "
                   "or loop over less")
    where = f"{HANDOUT}:3:1"
    if message.startswith("PART"):
        where, message = "my-templates/part.md.j2:1:1", message.replace("PART", "template error")
    expected = f"{where}: error: {message.format(limit=limit)}"
    assert run("check", good_project) == (1, [expected, "1 error, 0 warnings"]), case


def test_the_bound_is_at_the_loop_that_passes_it_and_build_says_the_same(good_project: Path
                                                                         ) -> None:
    with_templates(good_project, {"handout.md.j2": "# x\n\n{% for i in range(1000) %}\n"
                                                   "{% for j in range(1000) %}\n{% endfor %}\n"
                                                   "{% endfor %}\n"})
    expected = [f"{HANDOUT}:4:1: error: {STEPS}", "1 error, 0 warnings"]
    assert run("check", good_project) == (1, expected)
    assert run("build", good_project) == (1, expected)
    assert not (good_project / "output").exists()


def test_big_loops_over_the_data_and_modest_repeats_build(good_project: Path) -> None:
    # 990,000 turns, just under the bound; widths, formats and numbers of a sane size.
    with_templates(good_project, {"handout.md.j2": (
        "# {{ m.title ~ '!' }}\n\n"
        "{% for i in range(990) %}{% for j in range(1000) %}{% endfor %}{% endfor %}"
        "{% for q in m.questions %}{% for i in range(1000) %}{{ '' }}{% endfor %}{% endfor %}"
        "{% for i in range(1000) %}{{ m.summary }}{% endfor %}\n\n\n"
        "{{ 'x'|center(9) }} {{ '%5d'|format(3) }} {{ '{:>4}'.format(7) }} "
        "{{ ('-' * 1000000)|length }} {{ (9 ** 9999) % 7 }} {{ range(3)|join(', ') }}\n")})
    assert run("check", good_project) == (0, ["0 errors, 0 warnings"])
    assert run("build", good_project)[0] == 0
    handout = docx.Document(str(good_project / "output/ar/sample/handout.docx"))
    assert "x 3 7 1000000 1 0, 1, 2" in [p.text.strip() for p in handout.paragraphs]
