"""The `mtqa` command: check, fix, rules, models, serve.

Exit codes are part of the contract with CI: 0 nothing at or above
`--fail-on`, 1 findings at or above it, 2 usage or input errors (input errors
win, so a CI step never passes on a file it could not read).
"""

from __future__ import annotations

import contextlib
import difflib
import glob
import json
import os
import shutil
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import Iterable, Iterator

import click
from rich.console import Console

from mtqa import __version__
from mtqa.config import Config, load_config
from mtqa.errors import InputError, MtqaError
from mtqa.findings import Document, DocumentResult, Severity
from mtqa.fluency.cli import models_command
from mtqa.formats import ReadOptions, format_for
from mtqa.inputs import STDIN, Input, expand, is_jsonl, read_documents
from mtqa.output_parts import PART_RECORDS, PartWriter, is_directory_output
from mtqa.pipeline import Options
from mtqa.pool import available_cores, check_documents
from mtqa.report import RENDERERS, ReportContext, load_renderers
from mtqa.report.terminal import print_document, print_summary
from mtqa.options import OptionsError, built
from mtqa.rules import iter_rules

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
load_renderers()
# the report formats are the renderers' registry (mtqa/report), plus the terminal's own
OUTPUT_FORMATS = ["terminal", *sorted(RENDERERS, key=lambda name: (name not in ("json", "jsonl"), name))]
SEVERITIES = ["minor", "major", "critical"]


def _split(values: Iterable[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


THREADS_OPTION = click.option(
    "--threads",
    type=click.IntRange(min=1),
    envvar="MTQA_THREADS",
    help="Threads for the fluency model (default 1, or MTQA_THREADS; more helps only on idle cores).",
)


JOBS_OPTION = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    envvar="MTQA_JOBS",
    help="Check processes for many files or JSONL records (default: the cores mtqa may use; 1: one process). "
    "Results and exit code are those of a serial run.",
)


SCHEDULER_OPTION = click.option(
    "--scheduler",
    envvar="MTQA_SCHEDULER",
    help="Run on a Dask cluster: its scheduler address (tcp://HOST:8786), or 'local' for a LocalCluster "
    "of --jobs workers here. Needs mtqa[scale]; the workers need the same mtqa and model.",
)


def common_options(function):
    """Options shared by `check` and `fix`."""
    decorators = [
        click.option("--lang", help="Language of the text (ISO 639-1). Default: detected."),
        click.option("--input-format", help="text, jsonl, html, markdown, xliff, po. Default: from the extension."),
        click.option("--select", multiple=True, help="Only these rules or families (repeatable, comma-separated)."),
        click.option(
            "--extend-select",
            multiple=True,
            help="Add rules to the selection, e.g. opt-in fluency.likely-edit (word-level QE).",
        ),
        click.option("--ignore", multiple=True, help="Skip these rules or families (repeatable, comma-separated)."),
        click.option("--no-model", is_flag=True, help="Mechanical rules only; never load the fluency model."),
        click.option("--model", "model_name", help="Fluency model: gemma3-270m (default), smollm2, a local dir or hub id."),
        click.option("--min-confidence", type=click.FloatRange(0, 1), help="Apply model suggestions at or above this."),
        click.option("--unsafe-fixes", is_flag=True,
                     help="Also apply mechanical repairs declared unsafe (e.g. wording.calque-grammar)."),
        THREADS_OPTION,
        JOBS_OPTION,
        SCHEDULER_OPTION,
        click.option("--source", "source_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="The original of ARTICLE (plain text, Markdown, HTML): checked against it."),
        click.option("--source-lang", help="Language of --source (ISO 639-1). Default: detected."),
        click.option("--encoding", help="Decode input with this encoding instead of UTF-8."),
        click.option("--max-size", type=click.FloatRange(min=0.001), help="Largest document in MB (default 20)."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="mtqa.toml to use."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def build_options(
    config: Config, lang, select, ignore, no_model, model_name, min_confidence, extend_select=(), unsafe_fixes=False
) -> Options:
    configured = Options(
        language=config.lang,
        select=list(config.select),
        extend_select=list(config.extend_select),
        ignore=list(config.ignore),
        use_model=not no_model and (config.use_model is not False),
        model=config.model,
        min_confidence=config.min_confidence if config.min_confidence is not None else 0.9,
        severity_overrides=dict(config.severity),
        ignore_terms=list(config.ignore_terms),
        rule_options=dict(config.rule_options),
    )
    try:  # the flags over the configuration file
        return built(configured, language=lang, select=_split(select), extend_select=_split(extend_select),
                     ignore=_split(ignore), model=model_name, min_confidence=min_confidence,
                     unsafe_fixes=unsafe_fixes)
    except OptionsError as error:
        hint = {"lang": "--lang", "select": "--select", "ignore": "--ignore", "extend_select": "--extend-select",
                "min_confidence": "--min-confidence"}.get(error.param)
        raise click.BadParameter(str(error), param_hint=hint) from None


def prepare_model(options: Options, explicit: bool, console: Console, threads: int | None = None) -> None:
    """Switch the model on only if it can be loaded; say so once if it can't.

    An explicitly requested model that cannot be loaded is an error; the
    default model missing is only a notice, so mechanical checks still run.
    """
    if not options.use_model:
        return
    from mtqa.fluency import cache, ensure_available, sources

    if threads is not None:
        from mtqa.fluency.scorer import set_threads

        set_threads(threads)

    try:
        ensure_available(options.model)
    except MtqaError as error:
        if explicit:
            raise
        options.use_model = False
        console.print(f"[yellow]note:[/] {error}; running mechanical checks only (--no-model silences this)")
        return
    spec = sources.resolve(options.model)
    if spec.known is not None and not cache.is_prepared(spec.name):
        console.print(
            f"[yellow]note:[/] preparing the fluency model {spec.name} once into {cache.model_dir(spec.name)} "
            "(a minute or two; later runs load it in seconds)"
        )


def read_options(config: Config, lang: str | None, encoding: str | None, max_size: float | None) -> ReadOptions:
    size_mb = max_size or config.max_size_mb or 20
    return ReadOptions(encoding=encoding, max_bytes=int(size_mb * 1024 * 1024), language=lang)


def source_article(source_path: Path | None, source_lang: str | None, items: list[Input], input_format: str | None,
                   read_opts: ReadOptions) -> tuple[Document, str | None] | None:
    """The --source file, read (a clear error when it cannot be, or when it
    is given with more than one ARTICLE)."""
    if source_path is None:
        if source_lang:
            raise click.UsageError("--source-lang goes with --source")
        return None
    if len(items) != 1:
        raise click.UsageError(f"--source is the original of one ARTICLE; {len(items)} inputs were given")
    from mtqa.source_document import CARRY_THEIR_OWN, read_source

    article_format = "jsonl" if is_jsonl(items[0], input_format) else format_for(items[0].name, input_format).name
    if article_format in CARRY_THEIR_OWN:
        raise click.UsageError(f"--source goes with a plain text, Markdown or HTML ARTICLE: {article_format} "
                               "units carry their own source")

    from mtqa.langid import normalise_language

    try:
        language = normalise_language(source_lang) if source_lang else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--source-lang") from None
    try:
        return read_source(source_path, read_opts, language), language
    except InputError as error:
        raise MtqaError(f"--source {error}") from None


def iter_results(
    inputs: list[Input], input_format: str | None, read_opts: ReadOptions, options: Options,
    jobs: int | None = 1, threads: int | None = None, owners: deque | None = None, scheduler: str | None = None,
    source: tuple[Document, str | None] | None = None,
) -> Iterator[DocumentResult]:
    """Every document of `inputs`, checked in order (on `jobs` processes;
    None: the cores available; or on the Dask cluster at `scheduler`).
    `owners`, when given, receives each document's input index as it is
    read: the k-th result is then owners.popleft()'s. `source`: the source
    article (read_source) and its language, paired with the document."""

    def documents() -> Iterator[Document]:
        for index, item in enumerate(inputs):
            for document in read_documents(item, input_format, read_opts):
                if source is not None:
                    from mtqa.source_document import attach_source

                    attach_source(document, *source)
                if owners is not None:
                    owners.append(index)
                yield document

    if scheduler:
        from mtqa.dask import check_documents_on, connect

        client = connect(scheduler, jobs, options)
        try:
            yield from check_documents_on(client, documents(), options)
        finally:
            client.close()
        return
    yield from check_documents(documents(), options, jobs or available_cores(), threads=threads)


def exit_code(results: list[DocumentResult], fail_on: Severity | None) -> int:
    if any(r.error for r in results):
        return EXIT_ERROR
    if fail_on is not None and any(f.severity >= fail_on for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_OK


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtqa")
def cli() -> None:
    """Check machine-translated news for MT artifacts, explain them and fix them."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@common_options
@click.option("--format", "output_format", type=click.Choice(OUTPUT_FORMATS), default="terminal", show_default=True)
@click.option("-o", "--output", type=click.Path(),  # a str: Path() would drop the trailing / of DIR/
              help="Write the report here; with --format jsonl, DIR/ writes numbered parts and a manifest.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), help="Exit 1 if a finding at or above this severity exists.")
@click.option("--part-records", type=click.IntRange(min=1), default=PART_RECORDS, show_default=True,
              help="With -o DIR/: records per JSONL part.")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), help="Report only findings not in this baseline.")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path), help="Record current findings as the baseline.")
@click.option("-q", "--quiet", is_flag=True, help="Terminal format: summary only.")
def check(
    inputs, lang, input_format, select, extend_select, ignore, no_model, model_name, min_confidence, encoding,
    max_size, config_path, output_format, output, fail_on, baseline, write_baseline, quiet, threads=None, jobs=None,
    scheduler=None, source_path=None, source_lang=None, unsafe_fixes=False, part_records=PART_RECORDS,
) -> None:
    """Check ARTICLE files (or - for stdin, or a directory) and report findings."""
    stderr = Console(stderr=True)
    config = load_config(config_path)
    options = build_options(config, lang, select, ignore, no_model, model_name, min_confidence, extend_select,
                            unsafe_fixes)
    prepare_model(options, explicit=bool(model_name), console=stderr, threads=threads)
    fail_level = Severity.parse(fail_on) if fail_on else config.fail_on
    context = ReportContext(fail_on=fail_level, min_confidence=options.min_confidence,
                            unsafe_fixes=options.unsafe_fixes)
    items = expand(list(inputs))
    if not items:
        raise MtqaError("no input files found")
    read_opts = read_options(config, options.language, encoding, max_size)
    baseline_path = baseline or config.baseline
    stream_jsonl = output_format == "jsonl" and not baseline_path
    parts = None
    to_parts = output is not None and is_directory_output(output)
    if to_parts and not stream_jsonl:
        raise click.UsageError("-o DIR/ writes the results as JSONL parts: it goes with --format jsonl "
                               "and without --baseline")
    source = source_article(source_path, source_lang, items, input_format, read_opts)
    if to_parts:
        parts = PartWriter(Path(output), part_records)  # last: it removes a previous run's parts
    output = Path(output) if output is not None else None
    try:
        results = _run_with_progress(items, input_format, read_opts, options, stream_jsonl, output, stderr, jobs,
                                     threads, scheduler, source, parts)
    except BaseException:
        if parts is not None:
            parts.abandon()
        raise
    if write_baseline:
        from mtqa.baseline import write_baseline as save_baseline

        save_baseline(results, write_baseline)
        stderr.print(f"wrote baseline of {sum(len(r.findings) for r in results)} findings to {write_baseline}")
    if baseline_path and not write_baseline:
        from mtqa.baseline import filter_new, load_baseline

        results = filter_new(results, load_baseline(baseline_path))
    if not stream_jsonl:
        _emit(results, output_format, output, context, quiet)
    if output_format != "terminal" or output:
        for result in results:
            if result.error:
                stderr.print(f"[bold red]error:[/] {result.id}: {result.error}", highlight=False)
    code = exit_code(results, fail_level)
    if parts is not None:
        parts.finish(code)
    sys.exit(code)


def _run_with_progress(items, input_format, read_opts, options, stream_jsonl, output, stderr, jobs=1, threads=None,
                       scheduler=None, source=None, parts=None):
    """Check everything; stream JSONL output line by line as results arrive
    (into a temp file renamed to --output at the end: an interrupted run
    leaves no half-written report; or into `parts`, -o DIR/)."""
    results: list[DocumentResult] = []
    show_progress = len(items) > 1 and stderr.is_terminal
    owners: deque[int] = deque()
    with contextlib.ExitStack() as stack:
        if parts is not None:
            handle = parts
        else:
            handle = stack.enter_context(atomic_output(output)) if (stream_jsonl and output) else sys.stdout
        # closed on the way out (Ctrl-C too): that stops the pool's processes now
        checked = stack.enter_context(contextlib.closing(
            iter_results(items, input_format, read_opts, options, jobs, threads, owners, scheduler, source)))
        if show_progress:
            from rich.progress import Progress

            progress = stack.enter_context(Progress(console=stderr, transient=True))
            task = progress.add_task("checking", total=len(items))
            for result in checked:
                progress.update(task, completed=owners.popleft())
                _stream(result, stream_jsonl, handle, results)
        else:
            for result in checked:
                _stream(result, stream_jsonl, handle, results)
    return results


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator:
    """A text handle on a temp file next to `path`, renamed to it when the
    block ends normally and removed when it does not."""
    target = Path(os.path.realpath(path))
    directory = target.parent if str(target.parent) else Path(".")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=directory)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _stream(result: DocumentResult, stream_jsonl: bool, handle, results: list[DocumentResult]) -> None:
    results.append(result)
    if isinstance(handle, PartWriter):
        handle.write_result(result)
    elif stream_jsonl:
        handle.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        handle.flush()


def _emit(results, output_format, output, context, quiet) -> None:
    if output_format == "terminal":
        if output is None:
            _print_terminal(Console(), results, context, quiet)
            return
        with open(output, "w", encoding="utf-8") as handle:
            _print_terminal(Console(file=handle, no_color=True, width=120), results, context, quiet)
        return
    load_renderers()
    if output_format not in RENDERERS:
        raise MtqaError(f"output format {output_format!r} is not available in this installation")
    rendered = RENDERERS[output_format](results, context)
    if output:
        output.write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered)


def _print_terminal(console: Console, results, context, quiet: bool) -> None:
    if not quiet:
        for result in results:
            print_document(console, result, context)
    print_summary(console, results, context)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="ARTICLE...")
@common_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the fixed file here.")
@click.option("--in-place", is_flag=True, help="Overwrite each ARTICLE atomically, keeping ARTICLE.orig as a backup.")
@click.option("--backup-suffix", default=".orig", show_default=True, help="Suffix of the --in-place backup ('' for none).")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the changes.")
def fix(
    inputs, lang, input_format, select, extend_select, ignore, no_model, model_name, min_confidence, encoding,
    max_size, config_path, output, in_place, backup_suffix, show_diff, threads=None, jobs=None, scheduler=None,
    source_path=None, source_lang=None, unsafe_fixes=False,
) -> None:
    """Write ARTICLE with the mechanical fixes (and confident model fixes) applied.

    Without --in-place or -o the fixed text goes to stdout and the input is
    never touched. Several files need --in-place or --diff.
    """
    stderr = Console(stderr=True)
    if in_place and output:
        raise click.UsageError("use either --in-place or -o/--output, not both")
    if in_place and STDIN in inputs:
        raise click.UsageError("--in-place needs files, not stdin")
    if len(inputs) > 1 and (output or not (in_place or show_diff)):
        raise click.UsageError("several files need --in-place or --diff (and no -o)")
    config = load_config(config_path)
    options = build_options(config, lang, select, ignore, no_model, model_name, min_confidence, extend_select,
                            unsafe_fixes)
    prepare_model(options, explicit=bool(model_name), console=stderr, threads=threads)
    read_opts = read_options(config, options.language, encoding, max_size)
    items = []
    for name in inputs:
        item = Input(name, None if name == STDIN else Path(name))
        if item.path is not None and item.path.is_dir():
            raise click.UsageError(f"{name} is a directory: name the files to fix")
        items.append(item)
    owners: deque[int] = deque()
    finished: list[list[DocumentResult]] = [[] for _ in items]
    done = 0  # inputs before this one are written
    failed = 0

    def write_up_to(end: int) -> int:
        failures = 0
        for index in range(done, end):
            item, results = items[index], finished[index]
            if is_jsonl(item, input_format):
                failures += _fix_jsonl(item, results, output, in_place, backup_suffix)
            else:
                failures += _fix_document(item, results[0], input_format, output, in_place, backup_suffix, show_diff)
            finished[index] = []
        return failures

    source = source_article(source_path, source_lang, items, input_format, read_opts)
    checked = iter_results(items, input_format, read_opts, options, jobs, threads, owners, scheduler, source)
    with contextlib.closing(checked):  # closed on the way out (Ctrl-C too): stops the pool's processes now
        for result in checked:
            owner = owners.popleft()
            failed += write_up_to(owner)  # every input before this result's is complete
            done = max(done, owner)
            finished[owner].append(result)
    failed += write_up_to(len(items))
    sys.exit(EXIT_ERROR if failed else EXIT_OK)


def _fix_document(item, result, input_format, output, in_place, backup_suffix, show_diff) -> int:
    """Write one fixed file; returns 1 if it could not be read, else 0."""
    stderr = Console(stderr=True)
    if result.error:
        stderr.print(f"[bold red]error:[/] {result.id}: {result.error}", highlight=False)
        return 1
    document = result.document
    format_ = format_for(item.name if item.path else "", input_format)
    fixed = format_.write(document, result.fixed_units)
    original = format_.write(document, [unit.text for unit in result.units])
    if show_diff:
        sys.stdout.write(_unified_diff(original, fixed, item.name))
    if in_place:
        if fixed != item.path.read_bytes():
            write_atomically(item.path, fixed, backup_suffix or None)
    elif output:
        write_atomically(output, fixed, None)
    elif not show_diff:
        sys.stdout.buffer.write(fixed)
    state = "changed" if fixed != original else "unchanged"
    stderr.print(f"{item.name}: {len(result.findings)} findings; {state}", highlight=False)
    return 0


def _fix_jsonl(item, results, output, in_place, backup_suffix) -> int:
    """JSONL in, JSONL out: each record's text replaced by its fixed text; returns 1 on bad lines."""
    lines: list[str] = []
    errors = 0
    for result in results:
        document = result.document
        if result.error:
            errors += 1
            Console(stderr=True).print(f"[bold red]error:[/] {document.meta.get('where', result.id)}: {result.error}")
            continue
        record = dict(document.meta["record"])
        record["text"] = result.fixed_text
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    data = "".join(lines).encode("utf-8")
    if in_place:
        if errors:
            raise MtqaError(f"{item.name}: {errors} bad line(s); not rewriting the file in place")
        write_atomically(item.path, data, backup_suffix or None)
    elif output:
        write_atomically(output, data, None)
    else:
        sys.stdout.buffer.write(data)
    return 1 if errors else 0


def _unified_diff(original: bytes, fixed: bytes, name: str) -> str:
    before = original.decode("utf-8", "replace").splitlines(keepends=True)
    after = fixed.decode("utf-8", "replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"))


def write_atomically(path: Path, data: bytes, backup_suffix: str | None) -> None:
    """Write via a temp file + rename in the same directory, keeping a backup.

    A crash or a full disk leaves either the old file or the new one, never a
    half-written article; the backup is written the same way. A symlink is
    written through: its target gets the fixed text and the link stays a
    link (renaming over the link would replace it with a regular file and
    leave the target unchanged). Temp files a killed run left behind are
    removed first.
    """
    target = Path(os.path.realpath(path))
    _remove_leftovers(target)
    if backup_suffix and target.exists():
        backup = path.with_name(path.name + backup_suffix)
        _remove_leftovers(backup)
        _replace_with(backup, target.read_bytes(), like=target)
    _replace_with(target, data, like=target if target.exists() else None)


def _replace_with(path: Path, data: bytes, like: Path | None) -> None:
    """`path` holds `data` afterwards, or is as it was (temp file + rename)."""
    directory = path.parent if str(path.parent) else Path(".")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if like is not None:
            shutil.copymode(like, temporary)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


TEMP_SUFFIX = ".mtqa-tmp"


def _remove_leftovers(path: Path) -> None:
    """Temp files of an earlier write of `path` (or its backup) that a kill interrupted."""
    directory = path.parent if str(path.parent) else Path(".")
    for leftover in directory.glob(f".{glob.escape(path.name)}*{TEMP_SUFFIX}"):
        try:
            leftover.unlink()
        except OSError:
            pass


@cli.command()
@click.option("--format", "output_format", type=click.Choice(["terminal", "json"]), default="terminal")
@click.option("--explain", "explain_rule", metavar="RULE", help="Print one rule's documentation and examples.")
def rules(output_format: str, explain_rule: str | None = None) -> None:
    """List every rule: id, MQM category, severity, languages, fix applicability."""
    if explain_rule:
        from mtqa.rules_doc import explain, find_rule

        try:
            rule = find_rule(explain_rule)
        except KeyError as error:
            raise click.BadParameter(error.args[0], param_hint="--explain") from None
        if output_format == "json":
            click.echo(json.dumps(rule.to_json(), ensure_ascii=False, indent=2))
        else:
            click.echo(explain(rule), nl=False)
        return
    all_rules = list(iter_rules())
    if output_format == "json":
        payload = [r.to_json() for r in all_rules]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    from rich.table import Column, Table

    table = Table("category", "severity", "languages", "fix", "description")
    table.columns.insert(0, Column("rule", no_wrap=True))
    for r in all_rules:
        fix_label = r.fix
        if r.opt_in:
            fix_label += ", opt-in"
        table.add_row(r.id, r.category, r.severity.label, ", ".join(r.languages) or "all", fix_label, r.description)
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)
    console.print(table)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8088, show_default=True, type=click.IntRange(1, 65535))
@click.option("--lang", help="Default language when a request names none.")
@click.option("--no-model", is_flag=True, help="Mechanical rules only.")
@click.option("--model", "model_name", help="Fluency model to load and warm up at start-up.")
@THREADS_OPTION
@click.option("--request-timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
              help="Seconds one check may take; past it the check is stopped and answered with 503.")
@click.option("--body-timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              help="Seconds a request body may stall before it is answered with 408.")
@click.option("--header-timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              help="Seconds a connection may take to send a request's headers before it is closed.")
@click.option("--max-connections", type=click.IntRange(min=1), default=64, show_default=True,
              help="Connections served at once; more are answered with 503.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, envvar="MTQA_WORKERS",
              help="Check processes (each loads the model once): requests run side by side, "
              "and a slow one holds only its worker.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
def serve(host: str, port: int, lang, no_model: bool, model_name, config_path, threads=None,
          request_timeout: float = 60.0, body_timeout: float = 10.0, max_connections: int = 64,
          workers: int = 1, header_timeout: float = 10.0) -> None:
    """Serve the checks over HTTP (POST /check, /fix, /check/jsonl; GET /rules, /health).

    With the model, it is loaded and warmed up while the server starts;
    /health says `"ready": false` (HTTP 503) until then, so a load balancer
    sends no request that would wait for the load. Checks run in child
    processes (--workers): /health answers while they run, and one past
    --request-timeout is stopped and answered with 503."""
    try:
        import uvicorn

        from mtqa.server import create_app
        from mtqa.server_protocol import protocol_with
    except ImportError:
        raise MtqaError("the HTTP API needs the server extra: pip install 'mtqa[server]'") from None
    config = load_config(config_path)
    options = build_options(config, lang, (), (), no_model, model_name, None)
    prepare_model(options, explicit=bool(model_name), console=Console(stderr=True), threads=threads)
    app = create_app(options, warm_up=True, request_timeout=request_timeout, threads=threads,
                     body_timeout=body_timeout, workers=workers)
    # idle keep-alive connections close after 5 s; past --max-connections uvicorn answers 503
    # a connection late with its headers closes after --header-timeout (mtqa/server_protocol.py)
    uvicorn.run(app, host=host, port=port, log_level="info", timeout_keep_alive=5,
                limit_concurrency=max_connections, http=protocol_with(header_timeout))


cli.add_command(models_command, "models")


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="mtqa", standalone_mode=False)
    except click.exceptions.Abort as abort:
        if isinstance(abort.__context__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            _interrupted()
        Console(stderr=True).print("aborted")
        sys.exit(EXIT_ERROR)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_ERROR)
    except MtqaError as error:
        Console(stderr=True).print(f"[bold red]error:[/] {error}", highlight=False)
        sys.exit(EXIT_ERROR)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_OK)
    except KeyboardInterrupt:
        _interrupted()


def _interrupted() -> None:
    """Ctrl-C: the shell's exit status for SIGINT; every file is whole
    (reports and fixed files are written atomically, the pool is stopped)."""
    Console(stderr=True).print("interrupted: files written so far are complete, the others untouched")
    sys.exit(130)


if __name__ == "__main__":
    main()
