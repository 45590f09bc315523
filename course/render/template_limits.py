"""Bounds on what one document's templates may do: loop turns and calls, and text made.

Counted, never timed, so a template that is refused is refused on every machine. The
sandbox (template_env) calls in here at every loop turn, call, filter, operator and output.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

MAX_STEPS = 1_000_000  # loop turns and calls in one document; shipped templates use < 1,000
MACRO_STEPS = 10  # a macro call costs as much as ten loop turns (it renders a body)
MAX_TEXT = 20_000_000  # characters one document's templates may make, beyond its content
CONTENT_TIMES = 4  # ... plus this many times the course's content (printed once or twice)
MAX_ITEMS = 1_000_000  # the longest text or list a template may make by repetition or width
MAX_BITS = 100_000  # the largest whole number a template may compute (about 30,000 digits)


class TooMuchWork(Exception):
    """A template went past one of the bounds; its message says which and what to do."""


@dataclass
class Budget:
    """What is left for the document being rendered."""

    steps: int
    text: int
    text_limit: int


_CURRENT: ContextVar[Budget | None] = ContextVar("coursegen_template_budget", default=None)


@contextmanager
def budget(content_chars: int) -> Iterator[Budget]:
    """A fresh budget for one document; the course's content may print a few times over."""
    limit = MAX_TEXT + CONTENT_TIMES * content_chars
    token = _CURRENT.set(Budget(MAX_STEPS, limit, limit))
    try:
        yield _CURRENT.get()  # type: ignore[misc]
    finally:
        _CURRENT.reset(token)


def text_limit() -> int:
    """The longest text a template may make at once."""
    current = _CURRENT.get()
    return current.text_limit if current else MAX_TEXT


def spend_steps(count: int = 1) -> None:
    """Count loop turns or calls; past the budget, TooMuchWork."""
    current = _CURRENT.get()
    if current is not None:
        current.steps -= count
        if current.steps < 0:
            _too_many_steps(current)


def _too_many_steps(current: Budget) -> None:
    current.steps = 0
    raise TooMuchWork(f"more than {MAX_STEPS:,} loop turns and calls in one document (a "
                      "loop inside a loop, or over a large range?); loop over the course's "
                      "data, or make the loops smaller")


def spend_text(count: int) -> None:
    """Count characters made; past the budget, TooMuchWork."""
    current = _CURRENT.get()
    if current is None or not count:
        return
    current.text -= count
    if current.text < 0:
        current.text = 0
        raise TooMuchWork(f"the document's templates made more than {current.text_limit:,} "
                          "characters of text (a text repeated in a loop?); print each text "
                          "once, or loop over less")


def text_size(value: Any, limit: int) -> int:
    """About how long str(value) is, counted no further than just past `limit`. Each shared
    part is measured once: a list of lists of one text is small in memory, but enormous
    written out, and measuring it must not be."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        item, expanded = stack.pop()
        if not _is_container(item) or id(item) in sizes:
            continue
        parts = _parts(item)
        if not expanded:
            stack.append((item, True))
            stack.extend((part, False) for part in parts
                         if _is_container(part) and id(part) not in sizes)
            continue
        total = 2 + 2 * len(parts)
        for part in parts:
            total += sizes.get(id(part), 0) if _is_container(part) else _scalar_size(part)
            if total > limit:
                return total
        sizes[id(item)] = total
    return sizes[id(value)] if _is_container(value) else _scalar_size(value)


def _is_container(value: Any) -> bool:
    return isinstance(value, (list, tuple, set, frozenset, dict))


def _parts(value: Any) -> list[Any]:
    return [*value.keys(), *value.values()] if isinstance(value, dict) else list(value)


def _scalar_size(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, int):
        return value.bit_length() // 3 + 1
    return 8


def check_size(value: Any, what: str = "a text") -> None:
    """TooMuchWork when `value` written out would pass the text limit."""
    limit = text_limit()
    if text_size(value, limit) > limit:
        raise TooMuchWork(f"{what} longer than {limit:,} characters; make less of it")


def check_sizes(values: Iterable[Any], extra: int, what: str) -> None:
    """TooMuchWork when the values joined (plus `extra` characters) pass the text limit."""
    limit = text_limit()
    total = extra
    for value in values:
        total += text_size(value, limit)
        if total > limit:
            raise TooMuchWork(f"{what} longer than {limit:,} characters; make less of it")


def check_count(number: Any, what: str) -> None:
    """TooMuchWork for a width or count that would make a text or list too long."""
    if isinstance(number, int) and abs(number) > MAX_ITEMS:
        raise TooMuchWork(f"{what} of {number:,} is too large (at most {MAX_ITEMS:,}); use a "
                          "smaller number")


def counted(iterable: Iterable[Any]) -> Iterator[Any]:
    """The items of `iterable`, each one counted as a loop turn."""
    current = _CURRENT.get()
    if current is None:
        yield from iterable
        return
    for item in iterable:  # the hottest loop of a template: no call per turn
        current.steps -= 1
        if current.steps < 0:
            _too_many_steps(current)
        yield item


def check_product(left: Any, right: Any) -> None:
    """`n * m` with whole numbers: refused before it is made when too large."""
    if _whole(left) and _whole(right) and left.bit_length() + right.bit_length() > MAX_BITS:
        raise TooMuchWork(f"a number of more than {MAX_BITS:,} bits; compute with smaller "
                          "numbers")


def check_power(base: Any, exponent: Any) -> None:
    """`b ** e` with whole numbers: refused when the result would pass MAX_BITS."""
    if _whole(base) and _whole(exponent) and abs(base) > 1 and \
            exponent * base.bit_length() > MAX_BITS:
        raise TooMuchWork(f"a number of more than {MAX_BITS:,} bits; compute with smaller "
                          "numbers")


def check_join(left: Any, right: Any) -> None:
    """`a + b` on texts or lists: refused when the result would pass the text limit."""
    if isinstance(left, (str, list, tuple)) and isinstance(right, type(left)):
        check_sizes((left, right), 0, "a joined text or list")


# A width or precision in a format: "%9999999d", "{:>9999999}", and "*" taking it from args.
_PERCENT_WIDTH = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d+|\*)?(?:\.(\d+|\*))?")
_BRACE_WIDTH = re.compile(r"\{[^{}]*?:[^{}]*?(\d+)(?:\.(\d+))?[^{}]*\}")


def check_format(text: Any, args: Iterable[Any] = ()) -> None:
    """A format whose width or precision would make a text too long."""
    if not isinstance(text, str):
        return
    for match in (*_PERCENT_WIDTH.finditer(text), *_BRACE_WIDTH.finditer(text)):
        for number in match.groups():
            if number and number.isdigit():
                check_count(int(number), "a width in a format")
    if "*" in text:
        for arg in args if isinstance(args, (list, tuple)) else (args,):
            check_count(arg, "a width in a format")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# Filters whose arguments are widths or counts, by argument position after the value.
_COUNT_ARGS = {"center": (0, "width", "a width"), "indent": (0, "width", "a width"),
               "wordwrap": (0, "width", "a width"), "truncate": (0, "length", "a length"),
               "batch": (0, "linecount", "a batch size"),
               "slice": (0, "slices", "a number of slices")}
# Filters that cost a turn per item of the list they read (the others read one value).
_PER_ITEM = {"join", "sum", "sort", "unique", "min", "max", "list", "reverse", "batch", "slice",
             "groupby", "dictsort", "map", "select", "reject", "selectattr", "rejectattr",
             "items", "tojson", "pprint", "string", "format"}
_STR_WIDTH = {"center", "ljust", "rjust", "zfill"}


def before_filter(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
                  ) -> None:
    """Count a filter and refuse what it would make too large, before it runs."""
    spend_steps()
    if name in _PER_ITEM and isinstance(value, (list, tuple, dict, range)):
        spend_steps(len(value))
    if name in _COUNT_ARGS:
        index, key, what = _COUNT_ARGS[name]
        check_count(args[index] if len(args) > index else kwargs.get(key), what)
    if name == "join":
        items = list(value) if not isinstance(value, (str, list, tuple)) else value
        separator = args[0] if args else kwargs.get("d", "")
        check_sizes(items, len(items) * text_size(separator, text_limit()), "a joined text")
    elif name == "replace" and isinstance(value, str):
        check_replace(value, *args[:3])
    elif name == "format":
        check_format(value, args)
    elif name in ("string", "pprint", "tojson", "e", "escape", "forceescape", "safe",
                  "urlencode", "xmlattr"):
        check_size(value)


def check_replace(text: str, old: Any = "", new: Any = "", count: Any = -1) -> None:
    """`text.replace(old, new)`: refused when the result would pass the text limit."""
    if not isinstance(old, str) or not isinstance(new, str):
        return
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    check_sizes((text,), found * max(len(new) - len(old), 0), "a replaced text")


def before_str_method(text: str, name: str, args: tuple[Any, ...]) -> None:
    """A method of a text that could make a huge one: refused before it runs."""
    if name in _STR_WIDTH and args:
        check_count(args[0], "a width")
    elif name == "expandtabs":
        check_count((args[0] if args else 8) * text.count("\t"), "a tab expansion")
    elif name == "join" and args:
        items = args[0] if isinstance(args[0], (list, tuple)) else ()
        check_sizes(items, len(items) * len(text), "a joined text")
    elif name == "replace":
        check_replace(text, *args[:3])
    elif name in ("format", "format_map"):
        check_format(text)


def after(result: Any) -> Any:
    """Count what a filter or call made: its text, its list's items; iterators lazily."""
    if isinstance(result, str):
        spend_text(len(result))
    elif isinstance(result, (list, tuple)):
        spend_steps(len(result))
    elif isinstance(result, Iterator):
        return counted(result)
    return result
