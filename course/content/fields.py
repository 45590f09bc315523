"""Field types of the content model: texts in several languages, numbers that are numbers."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainValidator, Strict, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError


def _to_text(value: Any, info: ValidationInfo) -> dict[str, str]:
    """A text is a string in the main language or a mapping language -> string."""
    # The mapping first, in a plain loop: a large course validates tens of thousands.
    if isinstance(value, dict):
        if value:
            for key, text in value.items():
                if not isinstance(key, str) or not isinstance(text, str):
                    break
            else:
                return dict(value)
    else:
        main = (info.context or {}).get("main_lang", "ar")
        if isinstance(value, str):
            return {main: value}
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # Printed as written: `title: 1.10` is "1.10", not YAML's number 1.1.
            return {main: getattr(value, "source", str(value))}
    raise ValueError(
        "expected text, or a mapping from language code to text such as {ar: ..., fr: ...}"
    )


TEXT_SCHEMA = {
    "anyOf": [
        {"type": "string"},
        {"type": "number"},
        {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1,
         "propertyNames": {"enum": ["ar", "fr", "en"]}},
    ]
}
Text = Annotated[dict[str, str], PlainValidator(_to_text), WithJsonSchema(TEXT_SCHEMA)]


def _no_bool(kind: str) -> BeforeValidator:
    """Refuse true/false where a number is meant: pydantic would read `true` as 1."""
    def check(value: Any) -> Any:
        if isinstance(value, bool):
            raise PydanticCustomError(kind, "a number, not true or false")
        return value
    return BeforeValidator(check)


# Only YAML's true and false: pydantic would read the text "yes" (or "0") as a flag.
Flag = Annotated[bool, Strict()]
Whole = Annotated[int, _no_bool("int_type")]
Number = Annotated[float, _no_bool("float_type")]


# Invisible in print and on screen: controls, format characters (bidi overrides, zero-width
# spaces), separators, unassigned and private code points.
_INVISIBLE = {"Cc", "Cf", "Co", "Cn", "Zs", "Zl", "Zp"}


def visible_id(value: str) -> str:
    """An id is written with visible characters only: two ids that look the same are the
    same id, and none can turn the text around it right to left."""
    if not value:
        raise ValueError("an id is empty; give it a name such as q1")
    for char in value:
        if unicodedata.category(char) in _INVISIBLE:
            if char == " ":
                raise ValueError(f"an id cannot hold spaces ('{value}'); join its words with "
                                 "'-' or '_'")
            name = unicodedata.name(char, "a control character").lower()
            raise ValueError(f"an id cannot hold U+{ord(char):04X} ({name}), which is "
                             "invisible; remove it")
    return value


def once_each(values: list[Any]) -> list[Any]:
    """A list of names (languages) where each appears once."""
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"'{value}' is listed twice; list each one once")
        seen.add(value)
    return values
