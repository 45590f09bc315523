"""The templates' Jinja environment: a sandbox, UTF-8 sources, every failure located."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from course.errors import Diagnostic

SHIPPED = Path(__file__).resolve().parents[2] / "templates"
MAX_ITEMS = 1_000_000  # the longest text or list a template may make by repetition
MAX_EXPONENT = 10_000


class TemplateFailure(Exception):
    """A template file that cannot be read (not UTF-8), with its located diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox (data cannot be changed either: documents share the localised model),
    also refusing `"x" * 10**12` and `9 ** 9 ** 9`, which would never end."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"the power {right} is too large")
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(count, int) and \
                        len(sized) * count > MAX_ITEMS:
                    raise SecurityError(f"a repeated text or list longer than {MAX_ITEMS:,} "
                                        "items")
        return super().call_binop(context, operator, left, right)


class _Loader(jinja2.FileSystemLoader):
    """The templates folders in order; a file that is not UTF-8 is a located error."""

    def __init__(self, dirs: list[Path], root: Path) -> None:
        super().__init__([str(d) for d in dirs])
        self.dirs = dirs
        self.root = root

    def find(self, name: str) -> Path | None:
        """The file a template name resolves to, as the loader finds it."""
        for folder in self.dirs:
            if (folder / name).is_file():
                return folder / name
        return None

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str | None, Callable[[], bool] | None]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            raw = exc.object if isinstance(exc.object, bytes) else b""
            line = raw[: exc.start].count(b"\n") + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            path = self.find(template)
            shown = shown_path(path, self.root) if path else template
            raise TemplateFailure(Diagnostic(shown, line, col, "error", "template is not "
                                             "UTF-8 text; save it with UTF-8 encoding")) from None


def environment(dirs: list[Path], root: Path, finalize: Callable[[Any], Any]) -> _Sandbox:
    """The sandboxed environment over the templates folders."""
    return _Sandbox(loader=_Loader(dirs, root), undefined=jinja2.StrictUndefined,
                    finalize=finalize, autoescape=False, trim_blocks=True, lstrip_blocks=True,
                    keep_trailing_newline=True)


def located_failure(exc: BaseException, template: str, root: Path, dirs: list[Path]
                    ) -> Diagnostic | None:
    """The one located line for a failure of a template; None when no template line is to
    blame (then it is a bug of ours)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = shown_path(Path(exc.filename), root) if exc.filename else template
        return Diagnostic(name, exc.lineno or 1, 1, "error",
                          f"template syntax error: {exc.message}")
    frame = _innermost_template_frame(exc, dirs)
    if frame is None:
        if isinstance(exc, jinja2.TemplateNotFound):
            return Diagnostic(template, 1, 1, "error", f"template '{exc.name}' not found in "
                              "the templates folder")
        return None
    name = shown_path(Path(frame.filename), root)
    line = frame.lineno or 1
    return Diagnostic(name, line, 1, "error", _message(exc))


def _message(exc: BaseException) -> str:
    if isinstance(exc, jinja2.TemplateNotFound):
        return (f"template error: '{exc.name}' is not in the templates folder (yours or the "
                "shipped one); check the name")
    if isinstance(exc, jinja2.UndefinedError):
        return f"template error: {exc.message}; check the name"
    if isinstance(exc, SecurityError):
        return (f"template error: {str(exc).rstrip('.')}; templates run in a sandbox and may "
                "only read the course's data")
    if isinstance(exc, RecursionError):
        return ("template error: recursion too deep (a macro or include that calls itself "
                "without end)")
    return f"template error: {exc} ({type(exc).__name__}); fix the template"


def _innermost_template_frame(exc: BaseException, dirs: list[Path]
                              ) -> traceback.FrameSummary | None:
    """The last template line in the traceback (the one that raised, or that included);
    a line of the project's own templates first, which may call the shipped macros."""
    def prefixes(folder: Path) -> tuple[str, ...]:
        return str(folder.resolve()) + "/", str(folder) + "/"

    frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
              if frame.filename.startswith(tuple(p for d in dirs for p in prefixes(d)))]
    own = [frame for frame in frames if len(dirs) > 1 and
           frame.filename.startswith(prefixes(dirs[0]))]
    return (own or frames or [None])[-1]


def shown_path(path: Path, root: Path) -> str:
    """A template's path as messages print it: relative to the project, else `templates/…`."""
    for base in (root, SHIPPED.parent):
        try:
            return str(Path(path).resolve().relative_to(Path(base).resolve()))
        except ValueError:
            continue
    return str(path)
