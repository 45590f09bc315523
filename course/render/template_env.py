"""The templates' Jinja environment: a sandbox, UTF-8 sources, every failure located."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from course.errors import Diagnostic
from course.render import template_limits as limits
from course.render.template_limits import MACRO_STEPS, MAX_ITEMS, TooMuchWork

SHIPPED = Path(__file__).resolve().parents[2] / "templates"
MAX_EXPONENT = 10_000
# Filters the compiled templates call at every loop turn, output and `~` (see _Counting).
_TURNS, _LITERAL, _CONCAT = "__coursegen_turns", "__coursegen_literal", "__coursegen_concat"
_STEPS = "__coursegen_steps"
_RENDERS = (Macro, LoopContext, BlockReference)  # calls that render a body of template


class TemplateFailure(Exception):
    """A template file that cannot be read (not UTF-8), with its located diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox (data cannot be changed either: documents share the localised model),
    also bounding the work and text of every document (template_limits)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Every template, the shipped ones too, counts its loop turns and the text it makes.
        return _Counting().visit(super()._parse(source, name, filename))

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"the power {right} is too large")
            limits.check_power(left, right)
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(count, int) and \
                        len(sized) * count > MAX_ITEMS:
                    raise SecurityError(f"a repeated text or list longer than {MAX_ITEMS:,} "
                                        "items")
            limits.check_product(left, right)
        if operator == "+":
            limits.check_join(left, right)
        if operator == "%":
            limits.check_format(left, right)
        return limits.after(super().call_binop(context, operator, left, right))

    def call(__self, __context: jinja2.runtime.Context, __obj: Any,  # noqa: N805
             *args: Any, **kwargs: Any) -> Any:
        """Every call of a template (macros, methods, loop() of a recursive loop), counted."""
        limits.spend_steps(MACRO_STEPS if isinstance(__obj, _RENDERS) else 1)
        if isinstance(__obj, LoopContext) and args:
            args = (limits.counted(args[0]), *args[1:])
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(owner, str):
            limits.before_str_method(owner, getattr(__obj, "__name__", ""), args)
        return limits.after(super().call(__context, __obj, *args, **kwargs))


class _Counting(NodeTransformer):
    """Rewrites a parsed template so that loop turns, literal text and `~` are counted."""

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        node.iter = _call(_TURNS, node.iter)
        return node

    def visit_Output(self, node: nodes.Output) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        literal = sum(len(child.data) for child in node.nodes
                      if isinstance(child, nodes.TemplateData))
        if literal:
            node.nodes.insert(0, _call(_LITERAL, nodes.Const(literal, lineno=node.lineno)))
        return node

    def visit_Include(self, node: nodes.Include) -> list[nodes.Node]:  # noqa: N802
        # An include (or import) renders a whole template: it costs as much as a macro call.
        return [nodes.Output([_call(_STEPS, nodes.Const(MACRO_STEPS, lineno=node.lineno))],
                             lineno=node.lineno), node]

    visit_Import = visit_FromImport = visit_Include  # noqa: N815

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        return _call(_CONCAT, nodes.List(node.nodes, lineno=node.lineno))


def _call(name: str, value: nodes.Expr) -> nodes.Filter:
    return nodes.Filter(value, name, [], [], None, None, lineno=value.lineno)


# pass_context: never run while compiling (Jinja folds constant filters), only when rendering.
@jinja2.pass_context
def _turns(_context: Any, iterable: Any) -> Any:
    return limits.counted(iterable)


@jinja2.pass_context
def _literal(_context: Any, count: int) -> str:
    limits.spend_text(count)
    return Markup("")


@jinja2.pass_context
def _steps(_context: Any, count: int) -> str:
    limits.spend_steps(count)
    return Markup("")


@jinja2.pass_context
def _concat(_context: Any, items: list[Any]) -> str:
    limits.check_sizes(items, 0, "a joined text")
    return limits.after("".join(map(str, items)))


def _guarded(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter that first counts itself and refuses what it would make too large."""
    skip = 1 if getattr(func, "jinja_pass_arg", None) else 0  # context or environment first

    @functools.wraps(func)  # keeps jinja_pass_arg
    def run(*args: Any, **kwargs: Any) -> Any:
        if len(args) > skip:
            limits.before_filter(name, args[skip], args[skip + 1:], kwargs)
        return limits.after(func(*args, **kwargs))

    return run


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
        path = self.find(template)
        if path is not None and not any(path.resolve().is_relative_to(folder.resolve())
                                        for folder in self.dirs if path.is_relative_to(folder)):
            # A link out of the folder would print any file of the machine into documents.
            try:
                shown = str(path.relative_to(self.root))
            except ValueError:
                shown = str(path)
            raise TemplateFailure(Diagnostic(shown, 1, 1, "error", "template is a link to a "
                                             "file outside its templates folder; copy the file "
                                             "itself into the folder"))
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
    def counted_finalize(value: Any) -> Any:
        limits.check_size(value)
        out = finalize(value)
        limits.spend_text(len(out) if isinstance(out, str) else 0)
        return out

    env = _Sandbox(loader=_Loader(dirs, root), undefined=jinja2.StrictUndefined,
                   finalize=counted_finalize, autoescape=False, trim_blocks=True,
                   lstrip_blocks=True, keep_trailing_newline=True)
    env.filters = {name: _guarded(name, func) for name, func in env.filters.items()}
    env.filters.update({_TURNS: _turns, _LITERAL: _literal, _CONCAT: _concat, _STEPS: _steps})
    # lipsum(n) writes n paragraphs of filler: nothing a course prints, and unbounded.
    env.globals.pop("lipsum", None)
    return env


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
    if isinstance(exc, TooMuchWork):
        return f"template error: {exc}"
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
