"""The command line: parses options and delegates; never shows a traceback."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from course.errors import ContentError, CoursegenError, Diagnostic, count_line

if TYPE_CHECKING:
    from course.build.names import CourseNames

PROJECT = click.option("--project", "project", type=click.Path(file_okay=False, path_type=Path),
                       default=Path("."), show_default=True, help="The project folder.")


def report(diagnostics: list[Diagnostic]) -> None:
    """Print diagnostics one per line, then the count, on standard error."""
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)
    click.echo(count_line(diagnostics), err=True)


class ReportingGroup(click.Group):
    """Turns known failures into located messages and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except ContentError as exc:
            report(exc.diagnostics)
            ctx.exit(1)
        except CoursegenError as exc:
            for line in getattr(exc, "problems", None) or [str(exc)]:
                click.echo(f"error: {line}", err=True)
            ctx.exit(1)
        except Exception as exc:  # a bug of ours: say so in one line, never a traceback
            click.echo(f"internal error: {type(exc).__name__}: {exc}; please report this",
                       err=True)
            ctx.exit(1)


@click.group(cls=ReportingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coursegen")
def cli() -> None:
    """coursegen: course materials from curated YAML, Arabic first."""


@cli.command("check")
@PROJECT
@click.option("--source-text", type=click.Path(dir_okay=False, path_type=Path),
              help="The report's text: verify every anchor against its paragraph.")
@click.option("--strict", is_flag=True, help="Warnings make the exit status 1.")
@click.option("--json", "as_json", is_flag=True, help="Diagnostics as JSON on standard output.")
def check_command(project: Path, source_text: Path | None, strict: bool, as_json: bool) -> None:
    """Validate the content and report every problem at once."""
    from course.build.check import check

    if source_text is not None and not source_text.is_file():
        what = "is not a regular file" if source_text.exists() else "does not exist"
        raise click.BadParameter(f"file '{source_text}' {what}; give the report's text file",
                                 param_hint="--source-text")
    result = check(project, source_text)
    if as_json:
        text = json.dumps([d.as_dict() for d in result.diagnostics], ensure_ascii=False, indent=2)
        # A lone surrogate from a broken file would not encode: escape it instead.
        click.echo(text.encode("utf-8", "backslashreplace").decode("utf-8"))
        click.echo(count_line(result.diagnostics), err=True)
    else:
        report(result.diagnostics)
    if result.project is not None:
        from course.quiz.levels import counts_line

        for module in result.project.modules:
            langs = ", ".join(result.project.module_langs(module))
            click.echo(f"module '{module.id}' is written in: {langs}", err=True)
            click.echo(counts_line(module), err=True)
    failed = result.errors or (strict and result.diagnostics)
    sys.exit(1 if failed else 0)


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _names(value: str | None, known: list[str] | None, what: str, hint: str) -> list[str] | None:
    """A comma-separated option's names; exit 2 for none given, or one not known."""
    if value is None:
        return None
    given = _split(value) or []
    if not given:
        raise click.BadParameter(f"no {what} given; known {what}s: {', '.join(known or [])}",
                                 param_hint=hint)
    from course.build.out_checks import unknown

    problem = unknown(given, known, what) if known is not None else None
    if problem:
        raise click.BadParameter(problem, param_hint=hint)
    return given


def _one_lang(value: str, known: list[str] | None) -> str:
    """The one language of `--lang`; exit 2 when unknown or several."""
    given = _names(value, known, "language", "--lang") or []
    if len(given) > 1:
        raise click.BadParameter(f"give one language, not {len(given)}", param_hint="--lang")
    return given[0]


def _out(project: Path, out: Path, file: bool = False, names: CourseNames | None = None) -> None:
    """Exit 2 for an --out that is a file (or folder), unwritable, or among the sources."""
    from course.build.names import course_names
    from course.build.out_checks import out_file_problem, out_folder_problem

    check = out_file_problem if file else out_folder_problem
    problem = check(project, out, names or course_names(project))
    if problem:
        raise click.BadParameter(problem, param_hint="--out")


@cli.command("build")
@PROJECT
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: output/ in the project).")
@click.option("--lang", help="Languages to build, comma-separated (e.g. ar,fr).")
@click.option("--format", "formats", default="docx,pdf,pptx", show_default=True,
              help="Formats, comma-separated (pptx: slide decks only).")
@click.option("--only", help="Kinds to build, comma-separated (handout,slides,quiz,...).")
@click.option("--module", "modules", help="Modules to build, comma-separated ids.")
@click.option("--variants", type=click.IntRange(1, 26), help="Printed quiz versions.")
@click.option("--seed", type=int, help="Seed of the versions' shuffle.")
@click.option("--jobs", type=click.IntRange(1, 64), help="Parallel writers (default: cores).")
@click.option("--force", is_flag=True, help="Rebuild everything.")
@click.option("--clean", is_flag=True, help="Remove stale outputs that earlier builds wrote.")
def build_command(project: Path, out: Path | None, lang: str | None, formats: str,
                  only: str | None, modules: str | None, variants: int | None,
                  seed: int | None, jobs: int | None, force: bool, clean: bool) -> None:
    """Build every document the course asks for; options narrow it."""
    from course.build.names import course_names
    from course.build.pipeline import build
    from course.build.plan import COURSE_KINDS, FORMATS, MODULE_KINDS, Options

    fmt_list = _names(formats, list(FORMATS), "format", "--format") or []
    kinds = _names(only, list(MODULE_KINDS + COURSE_KINDS), "kind", "--only")
    target = out if out is not None else project / "output"
    names = course_names(project, target)  # None: course.yaml has errors (build says which)
    langs = _names(lang, names.langs if names else None, "language", "--lang")
    module_ids = _names(modules, names.modules if names else None, "module", "--module")
    options = Options(langs=langs, formats=fmt_list, kinds=kinds, modules=module_ids,
                      variants=variants, seed=seed)
    _out(project, target, names=names)
    bars: list = []

    def progress(done: int, total: int) -> None:
        # A bar only on a terminal; created once the number of files is known.
        if not bars:
            bars.append(click.progressbar(length=total, label="writing", file=sys.stderr))
        bars[0].update(1)

    result = build(project, target, options, force=force, clean=clean, jobs=jobs,
                   progress=progress if sys.stderr.isatty() else None)
    if bars:
        bars[0].render_finish()
    for relpath in result.stale:
        click.echo(f"stale: {relpath} (its module or kind is gone; --clean removes it)", err=True)
    for relpath in result.removed:
        click.echo(f"removed: {relpath}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(result.summary(), err=True)


@cli.command("watch")
@PROJECT
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: output/ in the project).")
def watch_command(project: Path, out: Path | None) -> None:
    """Rebuild on every save; print what was rebuilt and any error; keep watching."""
    from course.build.plan import Options
    from course.build.watch import watch

    _out(project, out if out is not None else project / "output")
    try:
        watch(project, out if out is not None else project / "output", Options(),
              lambda line: click.echo(line, err=True))
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)


@cli.command("grade")
@click.argument("responses", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--quiz", required=True, help="A module id, or 'final' for the final exam.")
@PROJECT
@click.option("--lang", help="Language of the papers (default: the main language).")
@click.option("--printed", type=click.Path(file_okay=False, path_type=Path),
              help="The build output folder holding the print records (default: output/).")
@click.option("--record", "record_id", metavar="DIGEST",
              help="Grade against this print record (its digest's first digits) instead of "
                   "the latest one.")
@click.option("--drop", multiple=True, metavar="ID",
              help="A question that counts for nobody (repeatable).")
@click.option("--accept", multiple=True, metavar="ID=ANSWER",
              help="A second accepted answer, in version A's letters (repeatable).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: output/grades/<lang>/<quiz>/).")
def grade_command(responses: Path, quiz: str, project: Path, lang: str | None,
                  printed: Path | None, record_id: str | None, drop: tuple[str, ...],
                  accept: tuple[str, ...], out: Path | None) -> None:
    """Grade a responses CSV as the papers were printed: scores, item statistics, report."""
    from course.build.names import course_names
    from course.build.quiz_commands import run_grade

    names = course_names(project)
    if lang is not None:
        lang = _one_lang(lang, names.langs if names else None)
    if out is not None:
        _out(project, out)
    folder, summary, warnings = run_grade(project, responses, quiz, lang, out, printed,
                                          record_id, drop, accept)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{summary}; wrote scores.csv, items.csv, summary.csv, report.docx, "
               f"report.pdf to {folder}", err=True)


@cli.command("scan")
@click.argument("scans", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@PROJECT
@click.option("--printed", type=click.Path(file_okay=False, path_type=Path),
              help="The build output folder holding the print records (default: output/).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: output/scans/).")
def scan_command(scans: tuple[Path, ...], project: Path, printed: Path | None,
                 out: Path | None) -> None:
    """Read scanned answer sheets into responses.csv per quiz, and review.pdf."""
    from course.scan.run import scan

    bars: list = []

    def progress(done: int, total: int) -> None:
        # A bar only on a terminal; created once the number of pages is known.
        if not bars:
            bars.append(click.progressbar(length=total, label="reading", file=sys.stderr))
        bars[0].update(1)

    result = scan(list(scans), printed if printed is not None else project / "output",
                  out if out is not None else project / "output" / "scans", str,
                  progress if sys.stderr.isatty() else None)
    if bars:
        bars[0].render_finish()
    for note in result.notes:
        click.echo(note, err=True)
    click.echo(result.summary, err=True)
    sys.exit(result.status)


@cli.command("export")
@click.argument("fmt", type=click.Choice(["moodle", "gift"]))
@PROJECT
@click.option("--quiz", help="A module id, or 'final' (default: every module).")
@click.option("--lang", help="Language (default: the main language).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Output file.")
def export_command(fmt: str, project: Path, quiz: str | None, lang: str | None,
                   out: Path | None) -> None:
    """Export questions as Moodle XML or GIFT."""
    from course.build.names import course_names, module_langs
    from course.build.quiz_commands import run_export

    names = course_names(project)
    if lang is not None and names is not None:
        # The languages the quiz is written in: a module's own; for the final exam, those
        # of every module; for all modules, those of any.
        listed = [m for m in names.modules if quiz in (None, "final") or m == quiz]
        written = [module_langs(project, m, names) for m in listed] or [names.langs]
        pick = all if quiz == "final" else any
        known = [code for code in names.langs if pick(code in w for w in written)]
        lang = _one_lang(lang, known)
    if out is not None:
        _out(project, out, file=True)
    target, warnings = run_export(project, fmt, quiz, lang, out)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"wrote {target}", err=True)


@cli.command("schema")
@click.argument("what", type=click.Choice(["module", "course"]), default="module")
def schema_command(what: str) -> None:
    """Print the JSON Schema of a module (or the course manifest)."""
    from course.content.schema import json_schema

    click.echo(json.dumps(json_schema(what), ensure_ascii=False, indent=2))


def main() -> None:
    """Entry point: exit 0, 1 (problems reported) or 2 (wrong command line)."""
    try:
        cli(prog_name="coursegen")
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
    # Every file is closed by now. The interpreter's own exit would free each object of
    # the project one by one (at 100 modules, 0.6 s after the work is done); the system
    # takes the memory back at once.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`) has what it wanted
            pass
    os._exit(code)
