"""JSON Schema of the content files, as editors should see them."""

from __future__ import annotations

from typing import Any

from course.content.model import Course, Module

SOURCE_REF = {"$ref": "#/$defs/Source"}


def json_schema(what: str) -> dict[str, Any]:
    """The schema of a module or of the course manifest."""
    schema = (Module if what == "module" else Course).model_json_schema()
    _allow_single_source(schema)
    return schema


def _allow_single_source(node: Any) -> None:
    """`source` takes one citation or a list: the model wraps a single one into a list."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, dict):
                _widen(value)
            else:
                _allow_single_source(value)
    elif isinstance(node, list):
        for item in node:
            _allow_single_source(item)


def _widen(prop: dict[str, Any]) -> None:
    if prop.get("type") == "array":
        array = {k: prop.pop(k) for k in list(prop) if k not in ("title", "description")}
        prop["anyOf"] = [SOURCE_REF, array]
    elif "anyOf" in prop:  # optional: array | null
        options = prop["anyOf"]
        if any(o.get("type") == "array" for o in options) and SOURCE_REF not in options:
            options.insert(0, SOURCE_REF)
