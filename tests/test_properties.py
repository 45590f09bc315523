"""Property tests: however the sample project is broken, `check` reports located problems.

Hypothesis mutates the good fixture (tests/fixtures/good): on the data (drop, retype,
rename or add keys, repeat or empty list items) and on the text (insert or delete
characters, unbalanced brackets and quotes, tabs, duplicated lines, truncation, bytes that
are not UTF-8). Whatever comes out, `course.checking.check` must return diagnostics, never
raise, and every diagnostic must point into a file of the project at a real position with
a message.

Inputs that once crashed `check` (control characters, recursive aliases, impossible
dates, overlong names) are kept as explicit cases at the end.
"""

from __future__ import annotations

import copy
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course.build.check import CheckResult, check
from course.cli import cli

MOD = "content/modules/sample.yaml"
COURSE = "content/course.yaml"
GOOD = FIXTURES / "good"
TEXTS = {name: (GOOD / name).read_text(encoding="utf-8") for name in (COURSE, MOD)}
DATA = {name: yaml.safe_load(text) for name, text in TEXTS.items()}

PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# Names a careless author might write instead of the real keys.
NEAR_MISSES = ["stme", "Stem", "titel", "choice", "answers", "objectives_", "sourse", "para ",
               "anchor:", "type ", "languages", "id", "", "ar", "fr", "de"]

SCALARS = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.one_of(st.text(max_size=8), st.sampled_from(["ar", "fr", "id"])),
                    SCALARS, max_size=3),
    st.lists(st.dictionaries(st.sampled_from(["ar", "fr", "para", "anchor", "text", "id"]),
                             SCALARS, max_size=3), max_size=2),
)
KEYS = st.one_of(st.sampled_from(NEAR_MISSES), st.text(min_size=1, max_size=12),
                 st.integers(-5, 5), st.none(), st.booleans())

# Characters that mean something to YAML, Arabic letters, marks and a few controls
# that are allowed (tab, line breaks) or not (form feed, NUL).
YAML_CHARS = list(":[]{}-#&*!|>'\"%@,?`\\ \t\n\r") + ["\x0c", "\x00", "\u200f", "\u2028", "ـ"]
INSERTED = st.one_of(
    st.text(alphabet=st.sampled_from(YAML_CHARS), min_size=1, max_size=3),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
            min_size=1, max_size=3),
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the property tests' project copies (module scope: Hypothesis-safe)."""
    return tmp_path_factory.mktemp("properties")


def _fresh(workspace: Path) -> Path:
    """A new copy of the good project, reused by every example of one test."""
    target = Path(tempfile.mkdtemp(dir=workspace)) / "project"
    shutil.copytree(GOOD, target)
    return target


_PROJECTS: dict[str, Path] = {}


def _fresh_once(workspace: Path, name: str) -> Path:
    """One project copy per property test, rewritten by each example."""
    if name not in _PROJECTS:
        _PROJECTS[name] = _fresh(workspace)
    return _PROJECTS[name]


def _write(project: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = project / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


# libyaml, when present, only speeds up the tests' own reading and writing of YAML.
FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FastDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# --- the property -------------------------------------------------------------------------

def assert_located(project: Path) -> CheckResult:
    """check() returns; every diagnostic names a project file, a real position, a message."""
    result = check(project)  # must not raise
    files = {COURSE, *(f"content/modules/{p.name}" for p in (project / "content/modules")
                       .glob("*.yaml"))}
    lines = {}
    for name in files:
        text = (project / name).read_bytes().decode("utf-8", errors="replace")
        lines[name] = len(text.splitlines())
    for diagnostic in result.diagnostics:
        shown = diagnostic.format()
        assert diagnostic.file in files, shown
        assert diagnostic.severity in {"error", "warning"}, shown
        assert isinstance(diagnostic.line, int) and diagnostic.line >= 1, shown
        assert isinstance(diagnostic.column, int) and diagnostic.column >= 1, shown
        assert diagnostic.line <= lines[diagnostic.file] + 1, shown
        assert diagnostic.message.strip(), shown
    assert result.diagnostics == sorted(result.diagnostics)
    return result


# --- data-level mutations -----------------------------------------------------------------

def _all_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every node's path below the root."""
    found: list[tuple[Any, ...]] = []
    items = node.items() if isinstance(node, dict) else \
        enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        found.append(path + (key,))
        found.extend(_all_paths(child, path + (key,)))
    return found


def _node(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    return _node(data, path[:-1])


def _mutate_data(data: Any, draw: Any) -> Any:
    """Apply one structural mutation to `data` (a deep copy is changed in place)."""
    paths = _all_paths(data)
    op = draw(st.sampled_from(["drop", "retype", "rename", "add", "repeat", "empty"]))
    if op == "add" or not paths:
        dicts = [()] + [p for p in paths if isinstance(_node(data, p), dict)]
        target = _node(data, draw(st.sampled_from(dicts)))
        target[draw(KEYS)] = draw(VALUES)
        return data
    path = draw(st.sampled_from(paths))
    parent, last = _parent(data, path), path[-1]
    if op == "drop":
        del parent[last]
    elif op == "retype":
        parent[last] = draw(VALUES)
    elif op == "empty":
        parent[last] = draw(st.sampled_from([[], {}, "", None, 0]))
    elif op == "repeat" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif op == "rename" and isinstance(parent, dict):
        new = draw(KEYS)
        renamed = {(new if k == last else k): v for k, v in parent.items()}
        parent.clear()
        parent.update(renamed)
    else:  # repeat on a mapping, rename in a list: retype instead
        parent[last] = draw(VALUES)
    return data


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=FastDumper, allow_unicode=True, sort_keys=False, width=1000)


@PROPERTY
@given(st.data())
def test_structural_mutations_give_located_errors(workspace: Path, data: st.DataObject) -> None:
    project = _fresh_once(workspace, "structural")
    files: dict[str, str | bytes] = dict(TEXTS)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        name = data.draw(st.sampled_from([MOD, MOD, MOD, COURSE]), label="file")
        current = yaml.load(files[name], Loader=FastLoader) if files[name] != TEXTS[name] \
            else copy.deepcopy(DATA[name])
        files[name] = _dump(_mutate_data(current, data.draw))
    _write(project, files)
    assert_located(project)


# --- text-level mutations -----------------------------------------------------------------

def _mutate_text(text: str, draw: Any) -> str | bytes:
    """Apply one textual mutation: characters, brackets, tabs, duplicated lines, bytes."""
    op = draw(st.sampled_from(["insert", "insert", "delete", "bracket", "tab",
                               "duplicate-line", "truncate", "not-utf8", "dedent"]))
    lines = text.split("\n")
    if op == "insert":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(INSERTED) + text[at:]
    if op == "delete":
        at = draw(st.integers(0, max(0, len(text) - 1)))
        return text[:at] + text[at + draw(st.integers(1, 8)):]
    if op == "bracket":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.sampled_from(["[", "]", "{", "}", '"', "'", "[{", "{["])) \
            + text[at:]
    if op == "tab":
        index = draw(st.integers(0, len(lines) - 1))
        lines[index] = re.sub(r"^ {1,4}", "\t", lines[index]) if lines[index].startswith(" ") \
            else "\t" + lines[index]
        return "\n".join(lines)
    if op == "duplicate-line":  # a key line repeated: a duplicate key (or a broken block)
        keyed = [i for i, line in enumerate(lines) if re.match(r"\s*(- )?[\w-]+:", line)]
        index = draw(st.sampled_from(keyed or [0]))
        repeated = lines[index].replace("- ", "  ", 1)
        lines.insert(index + 1, repeated)
        return "\n".join(lines)
    if op == "dedent":
        index = draw(st.integers(0, len(lines) - 1))
        lines[index] = lines[index][draw(st.integers(1, 4)):]
        return "\n".join(lines)
    if op == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    raw = text.encode("utf-8")  # not-utf8: a stray Latin-1 byte
    at = draw(st.integers(0, len(raw)))
    return raw[:at] + draw(st.sampled_from([b"\xff", b"\xe9", b"\xc3", b"\x80"])) + raw[at:]


@settings(PROPERTY, max_examples=250)
@given(st.data())
def test_text_mutations_give_located_errors(workspace: Path, data: st.DataObject) -> None:
    project = _fresh_once(workspace, "textual")
    files: dict[str, str | bytes] = dict(TEXTS)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        name = data.draw(st.sampled_from([MOD, MOD, MOD, COURSE]), label="file")
        current = files[name]
        if isinstance(current, bytes):
            current = current.decode("utf-8", errors="replace")
        files[name] = _mutate_text(current, data.draw)
    _write(project, files)
    assert_located(project)


@settings(PROPERTY, max_examples=40)
@given(st.data())
def test_duplicate_keys_are_located_errors(workspace: Path, data: st.DataObject) -> None:
    """A key repeated in its mapping is one error at the repeat, naming the first line."""
    project = _fresh_once(workspace, "duplicates")
    lines = TEXTS[MOD].split("\n")
    keyed = [i for i, line in enumerate(lines)
             if re.fullmatch(r" *[a-z_]+: [^|>\s].*", line)]  # inline values only
    index = data.draw(st.sampled_from(keyed), label="line")
    match = re.fullmatch(r"( *)([a-z_]+): .*", lines[index])
    assert match
    indent, key = match.groups()
    value = data.draw(st.sampled_from(["x", "2", "[a, b]", "{ar: x}", "null", "true", '""']))
    lines.insert(index + 1, f"{indent}{key}: {value}")
    _write(project, {COURSE: TEXTS[COURSE], MOD: "\n".join(lines)})
    messages = [d.format() for d in assert_located(project).diagnostics]
    assert f"{MOD}:{index + 2}:{len(indent) + 1}: error: duplicate key '{key}' (first at " \
        f"line {index + 1}); keep one of them" in messages, "\n".join(messages)


# --- the command line on a broken project -------------------------------------------------

def test_cli_on_broken_project_exits_one_without_traceback(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(GOOD, project)
    broken = TEXTS[MOD].replace("id: q3", "id: [q3", 1)  # a YAML syntax error
    (project / MOD).write_text(broken, encoding="utf-8")
    (project / COURSE).write_text(TEXTS[COURSE].replace("seed: 7", "seed: seven"),
                                  encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--project", str(project)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # the command's own exit, not a crash
    output = result.output + result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"{MOD}:") and ": error: YAML syntax error" in line
               for line in lines), output
    assert any(line.startswith(f"{COURSE}:16:9: error: 'seed'") for line in lines), output
    assert re.fullmatch(r"\d+ errors?, \d+ warnings?", lines[-1] if lines else ""), output


# --- inputs that once crashed check(): each now a located error -----------------------------

CRASHES = [
    pytest.param(MOD, "id: q1\n", "id: q1\f\n", id="form-feed-ReaderError"),
    pytest.param(MOD, "id: q1\n", "id: q\x001\n", id="nul-ReaderError"),
    pytest.param(MOD, "audience:", "extra: &loop [*loop]\naudience:", id="recursive-alias"),
    pytest.param(COURSE, "date: 2026-11-29", "date: 2026-02-30", id="impossible-date"),
    pytest.param(MOD, "version: \"1.0\"", "version: 2026-13-01", id="impossible-month"),
    pytest.param(MOD, "    points: 2\n", "    points: 0x_\n", id="empty-hex-int"),
    pytest.param(COURSE, "modules: [sample]", "modules: [" + "m" * 300 + "]",
                 id="module-name-too-long-OSError"),
    pytest.param(COURSE, "theme:\n", 'theme:\n  logo: "logo\\0.png"\n',
                 id="logo-with-nul-ValueError"),
    pytest.param(COURSE, "theme:\n", "theme:\n  logo: " + "l" * 300 + ".png\n",
                 id="logo-name-too-long-OSError"),
]


@pytest.mark.parametrize("file,old,new", CRASHES)
def test_known_crashes_become_located_errors(tmp_path: Path, file: str, old: str,
                                             new: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(GOOD, project)
    text = (project / file).read_text(encoding="utf-8")
    assert old in text
    (project / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    result = check(project)
    assert result.errors
    assert_located(project)


@pytest.mark.parametrize("key", ["~", "1.5", "2020-01-01", "1", "true"])
def test_non_text_key_is_reported_at_the_key(tmp_path: Path, key: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(GOOD, project)
    text = TEXTS[MOD].replace("audience:", f"{key}: x\naudience:", 1)  # line 11, column 1
    (project / MOD).write_text(text, encoding="utf-8")
    result = assert_located(project)
    assert [(d.line, d.column) for d in result.errors] == [(11, 1)], result.errors
    assert "key" in result.errors[0].message.lower()
