"""Property: `check` and `build` share one validation. Random mutations of the good fixture
go to both: whatever check accepts, build builds; whatever it refuses, it says where."""

from __future__ import annotations

import re
import shutil
from typing import Any

import yaml
from click.testing import CliRunner
from conftest import FIXTURES
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from course.cli import cli

MOD = "content/modules/sample.yaml"
LOCATED = re.compile(r"^content/[^:]+:\d+:\d+: (error|warning): .+")
ORIGINAL = yaml.safe_load((FIXTURES / "good" / MOD).read_text(encoding="utf-8"))
KINDS = ["handout", "slides", "quiz", "answer-key", "answer-sheet", "trainer-guide"]

# Texts as a hurried or hostile author writes them: Markdown, template syntax, escapes,
# controls, halves of characters, right-to-left marks, very long words.
PRINTABLE = ["> ", "::: question 1\n", ":::\n", "**", "*", "_", "`", "# ", "- ", "1. ", "|",
             "{{ 7*7 }}", "{% if %}", "<b>", "&amp;", "\\", "\n", "\n\n", "\t", "\u200f",
             "\u202e", "\U0001f600", "ﷺ", "٣", "x" * 300, "شرطة القرب", "La police", "   ",
             "---", "| a | b |\n|---|---|\n", "    code", "[lien](http://x)", "![i](x.png)"]
HOSTILE = ["\r", "\v", "\x00", "\x1b", "\x85", "\ud800", "\udfff", "\ufffe"]
PRINTABLE_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Cn"))
TEXTS = st.lists(st.sampled_from(PRINTABLE) | st.text(PRINTABLE_CHARS, max_size=8),
                 max_size=6).map("".join)
HOSTILE_TEXTS = st.tuples(TEXTS, st.sampled_from(HOSTILE), TEXTS).map("".join)
NUMBERS = st.one_of(st.integers(-5, 10**7), st.integers(1, 100),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from(["1e308", "010", "1.10", "0x1F", "", "yes", 0.25, 99.5]))


def leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every scalar of the data with its path."""
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in leaves(value, path + (key,))]
    if isinstance(node, list):
        return [leaf for i, value in enumerate(node) for leaf in leaves(value, path + (i,))]
    return [(path, node)]


def set_at(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


@st.composite
def mutated(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """The module with one to three mutations, and the language to build."""
    data = yaml.safe_load(yaml.safe_dump(ORIGINAL, allow_unicode=True))
    for _ in range(draw(st.integers(1, 3))):
        scalars = leaves(data)
        texts = [(p, v) for p, v in scalars if p[-1] in ("ar", "fr")]
        numbers = [(p, v) for p, v in scalars if p[-1] in ("points", "duration_minutes", "para")]
        kind = draw(st.sampled_from(["text"] * 5 + ["hostile", "number", "grow", "drop"]))
        path, _ = draw(st.sampled_from(numbers if kind == "number" else
                                       texts if kind in ("text", "hostile") else scalars))
        if kind in ("text", "hostile"):
            set_at(data, path, draw(TEXTS if kind == "text" else HOSTILE_TEXTS))
        elif kind == "number":
            set_at(data, path, draw(NUMBERS))
        elif kind == "grow":
            lists = [(p, v) for p, v in leaves_lists(data)]
            where, items = draw(st.sampled_from(lists))
            set_at(data, where, items * draw(st.integers(2, 9)))
        elif len(path) > 1:
            parent = data
            for step in path[:-2]:
                parent = parent[step]
            container = parent[path[-2]]
            if isinstance(container, dict):
                container.pop(path[-1], None)
    return data, draw(st.sampled_from(["ar", "fr"]))


def leaves_lists(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], list]]:
    """Every non-empty list of the data with its path."""
    found = [(path, node)] if isinstance(node, list) and node and path else []
    children = node.items() if isinstance(node, dict) else \
        enumerate(node) if isinstance(node, list) else []
    for key, value in children:
        found += leaves_lists(value, path + (key,))
    return found


@settings(max_examples=24, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=mutated(), kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=2,
                                      unique=True))
def test_whatever_check_accepts_build_builds(tmp_path_factory: Any,
                                              case: tuple[dict[str, Any], str],
                                              kinds: list[str]) -> None:
    data, lang = case
    project = tmp_path_factory.mktemp("mutant") / "project"
    shutil.copytree(FIXTURES / "good", project)
    (project / MOD).write_text(yaml.safe_dump(data, allow_unicode=False), encoding="utf-8")
    checked = CliRunner().invoke(cli, ["check", "--project", str(project)])
    lines = [line for line in checked.stderr.splitlines() if not line.startswith("module '")]
    assert checked.exit_code in (0, 1), checked.stderr
    assert all(LOCATED.match(line) for line in lines[:-1]), lines
    assert re.fullmatch(r"\d+ errors?, \d+ warnings?", lines[-1]), lines
    built = CliRunner().invoke(cli, ["build", "--project", str(project), "--jobs", "1",
                                     "--variants", "1", "--lang", lang, "--only",
                                     ",".join(kinds)])
    event("accepted" if checked.exit_code == 0 else "refused")
    if checked.exit_code == 0:
        assert built.exit_code == 0, built.stderr
        assert built.stderr.splitlines()[-1].startswith("built ")
    else:  # the same diagnostics, and nothing written
        assert (built.exit_code, built.stderr.splitlines()) == (1, lines)
        assert not (project / "output").exists()
