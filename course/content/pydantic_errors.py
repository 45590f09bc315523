"""Turn pydantic validation errors into located, actionable diagnostics."""

from __future__ import annotations

import difflib
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from course.content.fields import visible_id
from course.content.model import Lang
from course.content.yamlsource import Located
from course.errors import Diagnostic

LANGS = frozenset(get_args(Lang))
# How a message shows a key an item also needs, when the item was written as a bare text.
_SHAPES = {"source": "{para, anchor}"}

# Names used when a message describes where a problem is.
_ITEM_NAMES = {
    "questions": "question",
    "sections": "section",
    "objectives": "objective",
    "glossary": "glossary entry",
    "activities": "activity",
    "discussion_questions": "discussion question",
    "slides": "slide",
    "choices": "choice",
    "pairs": "pair",
    "key_points": "key point",
    "source": "source",
}


def describe(path: tuple[Any, ...], data: Any) -> str:
    """A human name for the object at `path`: "question 'q3'", "choice 2 of question 'q3'"."""
    parts: list[str] = []
    node = data
    for i, step in enumerate(path):
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            node = None
        if isinstance(step, int) and i > 0 and isinstance(path[i - 1], str):
            name = _ITEM_NAMES.get(path[i - 1], path[i - 1])
            ident = node.get("id") if isinstance(node, dict) else None
            try:  # an id that is itself refused is named by its place
                usable = isinstance(ident, str) and visible_id(ident) == ident
            except ValueError:
                usable = False
            parts.append(f"{name} '{ident}'" if usable else f"{name} {step + 1}")
    return " of ".join(reversed(parts))


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed in the mapping at `loc` (for did-you-mean)."""
    return list(getattr(_model_at(model, loc), "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    """The BaseModel class inside an annotation such as list[Question] | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> Any:
    """The model class of the mapping at `loc` (list indexes skipped), or None."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        field = getattr(current, "model_fields", {}).get(step)
        current = _model_in(field.annotation) if field is not None else None
        if current is None:
            return None
    return current


def _node(data: Any, loc: tuple[Any, ...]) -> Any:
    """The YAML data at `loc`, or None."""
    for step in loc:
        if isinstance(data, dict):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return None
    return data


def bare_text(model: type[BaseModel], item: tuple[Any, ...], data: Any) -> str | None:
    """The fix when a list item of {text, ...} or {question, ...} is a bare text mapping.

    `- {ar: ..., fr: ...}` where a key point was expected gave four errors (text and
    source missing, ar and fr unknown); one sentence says what happened instead.
    """
    node = _node(data, item)
    if not (item and isinstance(item[-1], int) and isinstance(node, dict) and node
            and set(node) <= LANGS and all(isinstance(v, str) for v in node.values())):
        return None
    fields = getattr(_model_at(model, item), "model_fields", {})
    key = next((k for k in ("text", "question") if k in fields and fields[k].is_required()),
               None)
    if key is None:
        return None
    others = []
    for name, field in fields.items():
        if name != key and field.is_required():
            plural = "list" in str(field.annotation).lower()
            others.append(f"{name}: {_SHAPES.get(name, '[…]' if plural else '…')}")
    also = f" with its {' and its '.join(others)}" if others else ""
    return f"{describe(item, data)} is a bare text; write it as {key}: {{…}}{also}"


def diagnostics_from(
    exc: ValidationError, model: type[BaseModel], located: Located
) -> list[Diagnostic]:
    """One diagnostic per pydantic error, at the YAML node it came from.

    A list item written as a bare text gets one diagnostic instead of one per key.
    """
    out: list[Diagnostic] = []
    bare: dict[tuple[Any, ...], str | None] = {}
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind in ("missing", "extra_forbidden"):
            item = loc[:-1]
            if item not in bare:
                bare[item] = bare_text(model, item, located.data)
                if bare[item] is not None:
                    line, col = located.where(item)
                    out.append(Diagnostic(located.file, line, col, "error", str(bare[item])))
            if bare[item] is not None:
                continue
        where = describe(loc, located.data)
        subject = f" in {where}" if where else ""
        key = next((s for s in reversed(loc) if isinstance(s, str)), "")
        if kind == "missing":
            line, col = located.where(loc[:-1])
            msg = f"missing required key '{key}'{subject}; add it"
        elif kind == "extra_forbidden":
            line, col = located.where(loc, key=True)
            allowed = _fields_at(model, loc[:-1])
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else \
                f"allowed keys: {', '.join(allowed)}"
            msg = f"unknown key '{key}'{subject}; {hint}"
        else:
            line, col = located.where(loc)
            if loc and isinstance(loc[-1], int):  # an item of a list: name it as such
                where = describe(loc[:-1], located.data)
                subject = f" in {where}" if where else ""
                key = f"item {loc[-1] + 1} of '{key}'"
            msg = _value_message(kind, key, err, loc, located, subject)
        out.append(Diagnostic(located.file, line, col, "error", msg))
    return out


def _value_message(kind: str, key: str, err: Any, loc: tuple[Any, ...],
                   located: Located, subject: str) -> str:
    """The message for a value of the wrong type or outside its range."""
    given = err.get("input")
    shown = repr(given) if not isinstance(given, (dict, list)) else type(given).__name__
    if isinstance(given, bool):
        shown = str(given).lower()  # as YAML writes it
    name = key if key.startswith("item ") else (f"'{key}'" if key else "value")
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        if key == "type" and loc[:1] == ("questions",):
            return f"unknown question type {shown}{subject}; use one of: {_plain(expected)}"
        return f"{name}{subject} is {shown}; use one of: {_plain(expected)}"
    if kind in {"int_parsing", "int_type", "float_parsing", "float_type", "int_from_float"}:
        whole = " whole" if kind.startswith("int") else ""
        return f"{name}{subject} must be a{whole} number, not {shown}"
    if kind == "finite_number":
        return f"{name}{subject} must be a finite number, not {shown}"
    if kind in {"bool_parsing", "bool_type"}:
        return f"{name}{subject} must be true or false, not {shown}"
    if kind in {"string_type"}:
        return f"{name}{subject} must be text, not {shown}"
    if kind == "list_type":
        return f"{name}{subject} must be a list (one '- ' item per line), not {shown}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"{name}{subject} must be a mapping of keys, not {shown}"
    if kind in {"date_parsing", "date_from_datetime_parsing", "date_type"}:
        return f"{name}{subject} must be an ISO date such as 2026-11-29, not {shown}"
    if kind == "string_pattern_mismatch" and key.endswith("color"):
        return f"{name}{subject} must be a colour like '#1F4E79', not {shown}"
    if kind == "too_short":
        return f"{name}{subject} needs at least {err['ctx']['min_length']} item(s)"
    if kind in {"greater_than", "greater_than_equal", "less_than_equal", "less_than"}:
        return f"{name}{subject} {err['msg'].lower().replace('input ', '')}, not {shown}"
    if kind == "value_error":
        return f"{name}{subject}: {str(err['msg']).removeprefix('Value error, ')}"
    return f"{name}{subject}: {err['msg']}"


def _plain(expected: str) -> str:
    """pydantic lists literals as "'a', 'b' or 'c'"; print "a, b, c"."""
    return expected.replace("'", "").replace(" or ", ", ")
