"""The `quotetool` command line: parse flags, call the library, hand records to a writer.

`extract` and `speakers` share `_run`: it builds a `run.Run` (reading, extraction, worker
processes and counting are the library's), opens the output with `output.open_output` (the
one place that decides how -o is written), writes each result whole under
`signals.StopSignals`, and `_finish` maps how the run ended to its last line on stderr and
its exit status: 0 done, 1 something failed, 128 + N stopped by signal N (2, usage errors,
is click's). The two commands differ only in the writer they give `_run`.

No NLP here. spaCy, Rich and the pipeline are imported inside the commands so that
`quotetool --help` stays fast. Results go to stdout (or -o FILE); every diagnostic goes to
stderr as `quotetool: error: PATH: reason`.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TextIO

import click

from . import __version__

# QUOTETOOL_<COMMAND>_<OPTION> environment variables set any option (click's
# auto_envvar_prefix); --model also reads QUOTETOOL_MODEL, for every command.
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "QUOTETOOL"}
FORMATS = ("table", "json", "jsonl", "csv", "tsv", "html")  # == render.FORMATS (not imported: keeps --help light)
SPEAKER_FORMATS = ("table", "json", "jsonl", "csv")  # == summary.SummaryWriter.FORMATS
DEFAULT_GLOBS = ("*.txt", "*.md", "*.jsonl")  # == sources.DEFAULT_GLOBS
_SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
                   ".tab": "tsv", ".html": "html", ".htm": "html", ".txt": "table"}
MODEL_ENVVAR = "QUOTETOOL_MODEL"


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="quotetool")
def cli() -> None:
    """Extract direct quotes, with their speakers, from press releases.

    \b
    Example:
        quotetool extract release.txt
        quotetool extract archive/ -o quotes.jsonl
    """


def _check_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            codecs.lookup(value)
        except LookupError:
            raise click.BadParameter(f"unknown encoding {value!r}") from None
    return value


def _input_options(fn: Any) -> Any:
    """The options `extract` and `speakers` share: what to read, where to write, how to run."""
    for option in reversed((
        # Not exists=True: a path deleted after the shell's glob, or mistyped, is one input that
        # failed (a one-line error; the others go on), as a missing file inside a folder is.
        click.argument("paths", nargs=-1, type=click.Path(allow_dash=True)),
        click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, allow_dash=True),
            help="Write to FILE instead of stdout. FILE is replaced only when the run completes "
            "(a link's target is; a device or pipe is written directly).",
        ),
        click.option(
            "--keep-partial",
            is_flag=True,
            help="If the run is interrupted or fails, keep what was written as FILE.partial "
            "(FILE itself is left as it was).",
        ),
        click.option("-m", "--model", metavar="NAME", envvar=MODEL_ENVVAR, show_envvar=True,
                     help="spaCy pipeline to use (default: the pipeline's default English model)."),
        click.option(
            "-n",
            "--jobs",
            type=click.IntRange(min=-1),
            default=1,
            show_default=True,
            help="Worker processes; 0 or -1 = all cores.",
        ),
        click.option("-b", "--batch-size", type=click.IntRange(min=1), help="Documents per batch sent to a worker."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="Run on the Dask cluster at ADDRESS (tcp://HOST:8786), or on a local one of -n "
                     'worker processes with "local". Needs pip install "quotetool[dask]".'),
        click.option(
            "--glob",
            metavar="PATTERN",
            multiple=True,
            help="Which files to read inside folders (repeatable). Default: *.txt, *.md, *.jsonl.",
        ),
        click.option("--encoding", callback=_check_encoding, help="Decode every input with this codec (default: detect)."),
        click.option("--no-header", is_flag=True, help="Don't look for a header: the whole text is body."),
        click.option("--raw-csv", is_flag=True,
                     help="csv/tsv: write cells as they are, without the ' that keeps a spreadsheet from "
                     "reading a cell starting with = + - @ as a formula (for tools that are not spreadsheets)."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar, warnings or summary; errors only."),
    )):
        fn = option(fn)
    return fn


# Parameters are named as their options (`format`, not `fmt`), so the environment variables
# are QUOTETOOL_EXTRACT_FORMAT and the like.
@cli.command()
@click.option(
    "-f",
    "--format",
    type=click.Choice(FORMATS),
    help="Output format. Default: table on a terminal, jsonl when piped; with -o, from the "
    "file's suffix (.json, .jsonl, .csv, .tsv, .html, .txt for a table).",
)
@_input_options
@click.option("--speaker", metavar="NAME", multiple=True,
              help="Keep only the quotes of this speaker (repeatable; a full name or a surname, any case); "
              "documents without one are left out.")
@click.option("--with-text", is_flag=True, help="Include each document's full text in the record.")
@click.option(
    "--errors-as-records", is_flag=True, help='Also write {"id", "error"} records for inputs that failed.'
)
def extract(format: str | None, speaker: tuple[str, ...], with_text: bool, errors_as_records: bool,
            **options: Any) -> None:
    """Print every direct quote in PATH... with its speaker.

    PATH can be a file, a folder (searched recursively; hidden names skipped), a .jsonl
    corpus (one {"id", "text"} object per line) or - for stdin; with no PATH, stdin is
    read when it is piped. A file that can't be read is reported on stderr and skipped;
    the exit status is then 1.

    \b
    Example:
        quotetool extract release.txt
        quotetool extract archive/ --glob '*.txt' -n 0 -o quotes.jsonl
        quotetool extract archive/ --speaker Lukashenko -o lukashenko.html
        cat release.txt | quotetool extract -f json
    """
    from . import render

    fmt = _pick_format(format, options["output"], FORMATS, default_piped="jsonl")

    def make_writer(stream: TextIO) -> Any:
        return render.make_writer(fmt, stream, formula_guard=not options["raw_csv"])

    _run(make_writer, speakers=speaker, with_text=with_text or fmt == "html",
         errors_as_records=errors_as_records, **options)


@cli.command("speakers")
@click.option(
    "-f",
    "--format",
    type=click.Choice(SPEAKER_FORMATS),
    help="Output format. Default: table on a terminal, jsonl when piped; with -o, from the "
    "file's suffix (.json, .jsonl, .csv, .txt for a table).",
)
@_input_options
@click.option("--min-quotes", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="Leave out speakers with fewer quotes.")
def speakers_command(format: str | None, min_quotes: int, **options: Any) -> None:
    """Who is quoted in PATH..., how often and when.

    Reads the same inputs as `extract`. Each row gives the speaker, their quotes, the
    documents they are quoted in, the first and last date (from the headers), their most
    frequent cue and a short example quote; most quoted first. Speakers with the same
    name in different documents are one row; quotes with no speaker are the last row.

    \b
    Example:
        quotetool speakers archive/
        quotetool speakers archive/ --min-quotes 3 -f csv -o speakers.csv
    """
    from .summary import SummaryWriter

    fmt = _pick_format(format, options["output"], SPEAKER_FORMATS, default_piped="jsonl")

    def make_writer(stream: TextIO) -> Any:
        return SummaryWriter(fmt, stream, min_quotes=min_quotes, formula_guard=not options["raw_csv"])

    _run(make_writer, **options)


def _pick_format(fmt: str | None, output: str | None, allowed: tuple[str, ...], default_piped: str) -> str:
    """-f, else the suffix of -o FILE (a usage error for a suffix no format has), else
    table on a terminal and `default_piped` when piped, or written to a device or named
    pipe (`-o /dev/null`, `-o fifo`: no suffix to go by)."""
    if fmt is not None:
        return fmt
    if output is not None and output != "-" and _is_device_or_pipe(output):
        return default_piped
    if output is not None and output != "-":
        suffix = os.path.splitext(output)[1].lower()
        found = _SUFFIX_FORMATS.get(suffix)
        if found in allowed:
            return found
        suffixes = ", ".join(s for s, f in _SUFFIX_FORMATS.items() if f in allowed)
        raise click.UsageError(
            f"can't tell the format of {output!r} from its suffix: give -f "
            f"[{'|'.join(allowed)}], or name the file with {suffixes}"
        )
    return "table" if _isatty(sys.stdout) else default_piped


def _is_device_or_pipe(path: str) -> bool:
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _stdin_is_piped() -> bool:
    try:
        return not sys.stdin.isatty()
    except (AttributeError, ValueError):  # no stdin at all, or a closed one
        return False


def _run(
    make_writer: Callable[[TextIO], Any],
    *,
    paths: tuple[str, ...],
    output: str | None,
    keep_partial: bool,
    model: str | None,
    jobs: int,
    batch_size: int | None,
    scheduler: str | None,
    glob: tuple[str, ...],
    encoding: str | None,
    no_header: bool,
    raw_csv: bool,
    quiet: bool,
    speakers: tuple[str, ...] = (),
    with_text: bool = False,
    errors_as_records: bool = False,
) -> NoReturn:
    """Read the inputs, extract, hand each record to the writer; report and exit."""
    from . import output as out
    from . import pipeline
    from .run import Run
    from .signals import Interrupted, StopSignals

    started = time.monotonic()
    if not paths:
        if not _stdin_is_piped():
            raise click.UsageError("no PATH given (and stdin is a terminal, so there is nothing to read)")
        paths = ("-",)  # piped in, as `llm` and httpie read it
    _hold_closed_std_fds()
    ui = _Stderr(quiet)
    options = pipeline.Options(model=model, header=not no_header, n_process=jobs, batch_size=batch_size or 16)
    run = Run(paths, options, glob_patterns=glob or DEFAULT_GLOBS, encoding=encoding, speakers=speakers,
              on_error=ui.error, on_warning=ui.warning)
    target: out.Output | None = None
    writer: out.GuardedWriter | None = None
    problem: BaseException | None = None
    # The cluster (if any) is closed after the output is committed or left alone.
    with StopSignals() as stop, contextlib.ExitStack() as cluster:
        try:
            target = out.open_output(output)
            writer = out.GuardedWriter(make_writer, target)
            if scheduler:  # the workers load the model, not this process
                with ui.status("Starting Dask workers…" if scheduler == "local" else f"Connecting to {scheduler}…"):
                    run.engine = cluster.enter_context(_dask_engine(scheduler, options))
            else:
                with ui.status("Loading the spaCy model…"):  # it takes seconds: say so on a terminal
                    pipeline.load_nlp(model)
            with ui.progress(run, show=output not in (None, "-") or not _isatty(sys.stdout)) as advance:
                for result in run:
                    _write(writer, run, result, stop, with_text=with_text, errors=errors_as_records,
                           quoted_only=bool(speakers))
                    advance(run.stats.quotes)
            writer.close()
            target.commit()
        except (KeyboardInterrupt, pipeline.QuotetoolError, out.OutputError) as e:
            # A plain KeyboardInterrupt (raised where our handler is not installed) is a SIGINT.
            problem = e if not isinstance(e, KeyboardInterrupt) or isinstance(e, Interrupted) else Interrupted(2)
            if isinstance(problem, Interrupted) and writer is not None:
                _close_quietly(writer)  # e.g. the JSON array's "]": what was written stays valid
        finally:
            kept = target.abort(keep_partial) if target is not None else None  # no-op once committed
    raise click.exceptions.Exit(_finish(ui, run, problem, target, kept, started))


def _dask_engine(scheduler: str, options: Any) -> Any:
    """`quotetool.dask.engine`, or a one-line error when the dask extra is not installed."""
    from .pipeline import QuotetoolError

    try:
        from .dask import engine
    except ImportError as e:
        raise QuotetoolError(f'--scheduler needs Dask: pip install "quotetool[dask]" ({e.__cause__ or e})') from None
    return engine(scheduler, options)


def _write(writer: Any, run: Any, result: Any, stop: Any, *, with_text: bool, errors: bool,
           quoted_only: bool = False) -> None:
    """Write one result's record whole (a stop signal waits for it); a record that can't be
    written becomes that document's failure, and the output stays valid. With `quoted_only`
    (--speaker), a document left without quotes is not written."""
    from .models import Document
    from .output import RecordError

    try:
        if isinstance(result, Document):
            if quoted_only and not result.quotes:
                return
            with stop.deferred():
                writer.write(result.to_dict(with_text=with_text))
        elif errors:
            with stop.deferred():
                writer.write(result.to_dict())
    except RecordError as e:
        if isinstance(result, Document):
            failed = run.fail(result, str(e))
            if errors:
                with stop.deferred():
                    writer.write(failed.to_dict())


def _finish(ui: _Stderr, run: Any, problem: BaseException | None, target: Any, kept: str | None,
            started: float) -> int:
    """The one place that says how the run ended: its last line on stderr and the exit status
    (0: all done; 1: an input, the model or the output failed; 128 + N: stopped by signal N)."""
    from .render import safe_line as safe
    from .signals import Interrupted

    s = run.stats
    if isinstance(problem, Interrupted):
        where = ""
        if target is not None and target.replaces_on_commit:
            where = f"{target.name} left as it was" if target.existed else f"{target.name} not written"
            if kept:
                where += f"; {_n(s.documents, 'complete document')} kept in {kept}"
        ui.line(safe(f"quotetool: interrupted ({problem.name}) after {_n(s.inputs, 'input')}"
                     + (f"; {where}" if where else "")))
        return problem.exit_status
    if problem is not None:
        ui.line(safe(f"quotetool: error: {problem}" + (f" (partial output kept in {kept})" if kept else "")))
        return 1
    if s.documents or not s.failed:  # when every input failed, the error lines say it all
        ui.summary(f"quotetool: {_n(s.inputs, 'file')} read, {_n(s.with_quotes, 'document')} with quotes, "
                   f"{_n(s.quotes, 'quote')}, {_n(s.failed, 'error')}, {time.monotonic() - started:.1f}s")
    return 1 if s.failed else 0


@cli.command("evaluate")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("pred", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--confident-speakers-only",
    is_flag=True,
    help='Also leave gold quotes marked "speaker_confident": false out of attribution and end-to-end.',
)
@click.option(
    "-f",
    "--format",
    type=click.Choice(("table", "json")),
    help="Output format: the report as tables, or the figures as JSON. Default: table on a "
    "terminal, json when piped.",
)
@click.option("--json", "as_json", is_flag=True, hidden=True, help="The same as -f json (kept for old scripts).")
@click.option(
    "--errors",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Also show the N documents with the most errors, gold and predicted quotes side by side.",
)
@click.option("-m", "--model", metavar="NAME", envvar=MODEL_ENVVAR, show_envvar=True,
              help="spaCy pipeline for the extraction (without PRED).")
@click.option(
    "-n",
    "--jobs",
    type=click.IntRange(min=-1),
    default=1,
    show_default=True,
    help="Worker processes for the extraction (without PRED); 0 or -1 = all cores.",
)
def evaluate_command(
    gold: str,
    pred: str | None,
    confident_speakers_only: bool,
    format: str | None,
    as_json: bool,
    errors: int,
    model: str | None,
    jobs: int,
) -> None:
    """Score quotes and speakers against the gold quotes in GOLD.

    GOLD and PRED are JSONL files with one {"id", "text", "quotes"} document per line
    (the gold format in the README); `quotetool extract` output is a valid PRED. Without
    PRED, quotetool is first run on the gold texts. Prints quote precision, recall and F1
    (overlap and exact), attribution accuracy and end-to-end P/R/F1.

    \b
    Example:
        quotetool evaluate gold.jsonl
        quotetool evaluate gold.jsonl pred.jsonl --errors 5
        quotetool evaluate gold.jsonl --confident-speakers-only -f json
    """
    from rich.console import Console

    from . import evaluate as ev
    from . import pipeline, render

    err = Console(stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True)
    failures: list[Any] = []
    try:
        gold_docs = ev.load_jsonl(gold)
        if pred is not None:
            pred_docs: Any = ev.load_jsonl(pred)
        else:
            progress = render.make_progress(err) if _isatty(sys.stderr) else None
            task = None
            if progress is not None:
                task = progress.add_task("Extracting", total=len(gold_docs), quotes=0)
                progress.start()
            counts = {"quotes": 0}

            def advance(result: Any) -> None:
                counts["quotes"] += len(getattr(result, "quotes", ()))
                if progress is not None and task is not None:
                    progress.update(task, advance=1, quotes=counts["quotes"])

            try:
                pred_docs, failures = ev.predict(gold_docs, model=model, n_process=jobs, on_result=advance)
            finally:
                if progress is not None:
                    progress.stop()
    except (ev.EvaluationError, pipeline.QuotetoolError, OSError) as e:
        message = f"{e.filename}: {e.strerror}" if isinstance(e, OSError) and e.filename and e.strerror else e
        err.print(f"quotetool: error: {render.safe_line(message)}")
        raise click.exceptions.Exit(1) from None
    except KeyboardInterrupt:  # the worker processes are already stopped
        err.print("quotetool: interrupted (SIGINT)")
        raise click.exceptions.Exit(130) from None
    for f in failures:
        err.print(f"quotetool: error: {render.safe_text(f.id)}: {render.safe_text(f.reason)} (scored as no quotes)")
    result = ev.evaluate(gold_docs, pred_docs, confident_speakers_only=confident_speakers_only)
    fmt = format or ("json" if as_json or not _isatty(sys.stdout) else "table")
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(errors=errors), indent=2, ensure_ascii=False))
    else:
        out = Console(highlight=False, markup=False, emoji=False)
        title = f"{gold} vs {pred if pred is not None else 'quotetool ' + __version__}"
        ev.print_report(result, out, errors=errors, title=title)
    if failures:
        raise click.exceptions.Exit(1)


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the records `extract` writes.

    One record per document (jsonl: one per line; json: an array of them), or an
    {"id", "error"} record with --errors-as-records.

    \b
    Example:
        quotetool schema > record.schema.json
        quotetool schema | jq '."$defs".quote.properties | keys'
    """
    from .schema import schema_text

    click.echo(schema_text(), nl=False)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _isatty(stream: Any) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed
        return False


def _hold_closed_std_fds() -> None:
    """Open /dev/null on any of file descriptors 0-2 that the process was started without
    (`2>&-`, as some cron wrappers do), so that no file opened later (the output!) gets the
    number that C code and child processes write their errors to."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                null = os.open(os.devnull, os.O_RDWR)
            except OSError:
                return
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def _close_quietly(writer: Any) -> None:
    try:
        writer.close()
    except Exception:  # the output failed too: it is discarded anyway
        pass


class _Stderr:
    """Every diagnostic: one line each on stderr, through the console that also draws the
    progress bar (so lines print above it). A closed or broken stderr costs the messages only."""

    def __init__(self, quiet: bool) -> None:
        from rich.console import Console

        self.quiet = quiet
        # sys.stderr is None when the process was started with it closed: Rich then writes nowhere.
        self.console = Console(stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True)

    def line(self, text: str) -> None:
        try:
            self.console.print(text)
        except (OSError, ValueError):
            pass

    def error(self, where: str, reason: str) -> None:
        from .render import safe_line

        self.line(f"quotetool: error: {safe_line(where)}: {safe_line(reason)}")

    def warning(self, where: str, message: str) -> None:
        from .render import safe_line

        if not self.quiet:
            self.line(f"quotetool: warning: {safe_line(where)}: {safe_line(message)}")

    def summary(self, text: str) -> None:
        if not self.quiet:
            self.line(text)

    @contextlib.contextmanager
    def status(self, text: str) -> Iterator[None]:
        """A spinner with `text` while the block runs, on a terminal stderr only."""
        if self.quiet or not _isatty(sys.stderr):
            yield
            return
        with self.console.status(text, spinner="dots"):
            yield

    @contextlib.contextmanager
    def progress(self, run: Any, show: bool) -> Iterator[Callable[[int], None]]:
        """A progress bar on a terminal stderr (not over a table on the same terminal)."""
        from . import render

        if self.quiet or not show or not _isatty(sys.stderr):
            yield lambda quotes: None
            return
        bar = render.make_progress(self.console)
        task = bar.add_task("Extracting", total=run.count(), quotes=0)
        bar.start()
        try:
            yield lambda quotes: bar.update(task, advance=1, quotes=quotes)
        finally:
            bar.stop()
