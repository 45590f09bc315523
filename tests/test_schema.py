"""`coursegen schema`: the printed JSON Schema accepts the shipped content, rejects mistakes."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, ROOT
from jsonschema import Draft202012Validator

from course.cli import cli

SHIPPED_MODULES = sorted((ROOT / "content" / "modules").glob("*.yaml"))
SAMPLE = FIXTURES / "good" / "content" / "modules" / "sample.yaml"
MODULE_FILES = [*SHIPPED_MODULES, SAMPLE]
COURSE_FILES = [ROOT / "content" / "course.yaml", FIXTURES / "good" / "content" / "course.yaml"]


def printed_schema(*args: str) -> dict[str, Any]:
    """The schema as `coursegen schema ...` prints it on standard output."""
    result = CliRunner().invoke(cli, ["schema", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def module_validator() -> Draft202012Validator:
    return Draft202012Validator(printed_schema("module"),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def course_validator() -> Draft202012Validator:
    return Draft202012Validator(printed_schema("course"),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def as_json(value: Any) -> Any:
    """YAML data as JSON would hold it: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def load(path: Path) -> Any:
    return as_json(yaml.safe_load(path.read_text(encoding="utf-8")))


def sources_as_lists(value: Any) -> Any:
    """Write every `source: {para, anchor}` in its equivalent list form `[{para, anchor}]`."""
    if isinstance(value, dict):
        return {k: ([sources_as_lists(v)] if k == "source" and isinstance(v, dict)
                    else sources_as_lists(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [sources_as_lists(v) for v in value]
    return value


def problems(validator: Draft202012Validator, data: Any) -> list[tuple[list[Any], str, str]]:
    """Every schema error as (path to the offending value, failed keyword, message)."""
    return sorted((list(e.absolute_path), str(e.validator), e.message)
                  for e in validator.iter_errors(data))


def _short(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --- the command ----------------------------------------------------------------------------

def test_schema_command_prints_valid_json_schemas() -> None:
    module, course = printed_schema("module"), printed_schema("course")
    assert printed_schema() == module  # `module` is the default
    for schema, title in ((module, "Module"), (course, "Course")):
        Draft202012Validator.check_schema(schema)
        assert schema["title"] == title
        assert schema["type"] == "object"
        assert schema["additionalProperties"] is False
    assert set(module["required"]) >= {"id", "version", "title", "objectives", "sections"}
    assert set(course["required"]) >= {"id", "title", "date", "languages", "modules"}
    question_types = module["$defs"]["Question"]["properties"]["type"]["enum"]
    assert question_types == ["single", "multiple", "true_false", "matching", "ordering", "short"]


def test_schema_command_rejects_an_unknown_kind() -> None:
    result = CliRunner().invoke(cli, ["schema", "lesson"])
    assert result.exit_code == 2


# --- shipped content against the module schema ----------------------------------------------

@pytest.mark.parametrize("path", MODULE_FILES, ids=_short)
def test_shipped_modules_match_the_module_schema(module_validator: Draft202012Validator,
                                                 path: Path) -> None:
    assert problems(module_validator, load(path)) == []


@pytest.mark.parametrize("path", MODULE_FILES, ids=_short)
def test_shipped_modules_match_the_module_schema_with_list_sources(
        module_validator: Draft202012Validator, path: Path) -> None:
    """Everything but the `source` shorthand (see the xfail above) matches the schema."""
    assert problems(module_validator, sources_as_lists(load(path))) == []


@pytest.fixture
def sample() -> dict[str, Any]:
    """The sample module, schema-valid (sources in list form)."""
    return copy.deepcopy(_SAMPLE)


_SAMPLE: dict[str, Any] = sources_as_lists(load(SAMPLE))


def test_module_schema_rejects_an_unknown_key(module_validator: Draft202012Validator,
                                              sample: dict[str, Any]) -> None:
    sample["questions"][0]["stme"] = "x"
    assert problems(module_validator, sample) == [
        (["questions", 0], "additionalProperties",
         "Additional properties are not allowed ('stme' was unexpected)")]


def test_module_schema_rejects_an_unknown_top_level_key(module_validator: Draft202012Validator,
                                                        sample: dict[str, Any]) -> None:
    sample["objective"] = []
    assert [(p, k) for p, k, _ in problems(module_validator, sample)] == [
        ([], "additionalProperties")]


def test_module_schema_rejects_a_wrong_question_type(module_validator: Draft202012Validator,
                                                     sample: dict[str, Any]) -> None:
    assert sample["questions"][5]["type"] == "short"
    sample["questions"][5]["type"] = "essay"
    found = problems(module_validator, sample)
    assert [(p, k) for p, k, _ in found] == [(["questions", 5, "type"], "enum")]
    assert "'essay' is not one of" in found[0][2]


def test_module_schema_rejects_wrong_types(module_validator: Draft202012Validator,
                                           sample: dict[str, Any]) -> None:
    sample["questions"][0]["points"] = "two"
    sample["sections"][0]["source"][0]["para"] = 0
    sample["activities"][0]["kind"] = "lecture"
    sample["languages"] = ["ar", "de"]  # list[Lang] | None: the anyOf fails as a whole
    assert [(p, k) for p, k, _ in problems(module_validator, sample)] == [
        (["activities", 0, "kind"], "enum"),
        (["languages"], "anyOf"),
        (["questions", 0, "points"], "type"),
        (["sections", 0, "source"], "anyOf"),  # one citation or a list: neither fits
    ]


def test_module_schema_rejects_a_missing_key(module_validator: Draft202012Validator,
                                             sample: dict[str, Any]) -> None:
    del sample["questions"][1]["explanation"]
    assert problems(module_validator, sample) == [
        (["questions", 1], "required", "'explanation' is a required property")]


# --- the course manifest --------------------------------------------------------------------

@pytest.mark.parametrize("path", COURSE_FILES, ids=_short)
def test_course_files_match_the_course_schema(course_validator: Draft202012Validator,
                                              path: Path) -> None:
    data = load(path)
    assert isinstance(data["date"], str)  # the YAML date, written as JSON writes it
    assert problems(course_validator, data) == []


def test_course_schema_rejects_mistakes(course_validator: Draft202012Validator) -> None:
    data = load(ROOT / "content" / "course.yaml")
    data["quizz"] = {}
    data["quiz"]["variants"] = "two"
    data["date"] = "29/11/2026"
    data["theme"]["primary_color"] = "blue"
    assert [(p, k) for p, k, _ in problems(course_validator, data)] == [
        ([], "additionalProperties"),
        (["date"], "format"),
        (["quiz", "variants"], "type"),
        (["theme", "primary_color"], "pattern"),
    ]
