"""The `quotetool` command line: parse flags, read inputs, call `pipeline.extract_many`, write.

No NLP here. spaCy, Rich and the pipeline are imported inside the command so that
`quotetool --help` stays fast. Results go to stdout (or -o FILE); every diagnostic goes to
stderr as `quotetool: error: PATH: reason`.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
import tempfile
import time
from collections import deque
from dataclasses import replace
from typing import Any, TextIO

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
    """The options `extract` and `speakers` share: what to read and how to run."""
    for option in reversed((
        click.argument("paths", nargs=-1, type=click.Path(exists=True, allow_dash=True)),
        click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, allow_dash=True),
            help="Write to FILE instead of stdout (atomically: a temporary file renamed at the end).",
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
    table on a terminal and `default_piped` when piped."""
    if fmt is not None:
        return fmt
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
    return "table" if sys.stdout.isatty() else default_piped


def _stdin_is_piped() -> bool:
    try:
        return not sys.stdin.isatty()
    except (AttributeError, ValueError):  # no stdin at all, or a closed one
        return False


def _run(
    make_writer: Any,
    *,
    paths: tuple[str, ...],
    output: str | None,
    model: str | None,
    jobs: int,
    batch_size: int | None,
    glob: tuple[str, ...],
    encoding: str | None,
    no_header: bool,
    raw_csv: bool,
    quiet: bool,
    speakers: tuple[str, ...] = (),
    with_text: bool = False,
    errors_as_records: bool = False,
) -> None:
    """Read the inputs, extract, hand each record to the writer; report and exit."""
    from rich.console import Console

    from . import pipeline, render
    from .sources import Source, SourceError, count_sources, iter_sources
    from .summary import speaker_matches

    started = time.monotonic()
    globs = glob or DEFAULT_GLOBS
    if not paths:
        if not _stdin_is_piped():
            raise click.UsageError("no PATH given (and stdin is a terminal, so there is nothing to read)")
        paths = ("-",)  # piped in, as `llm` and httpie read it
    # Diagnostics go through the same stderr console as the progress bar, so they print above it.
    err = Console(stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True)

    def say(level: str, where: str, reason: str) -> None:
        err.print(f"quotetool: {level}: {render.safe_line(where)}: {render.safe_line(reason)}")

    to_file = output is not None and output != "-"
    try:
        sink = _AtomicFile(output) if to_file and output else None
    except OSError as e:
        say("error", output or "", e.strerror or str(e))
        raise click.exceptions.Exit(1) from None
    stream: TextIO = sink.stream if sink else sys.stdout
    # An output error (a full disk) is a one-line error naming the output, not a traceback.
    writer = _OutputGuard(make_writer(stream), str(output) if to_file else "<stdout>", pipeline.QuotetoolError)
    on_tty = sys.stderr.isatty() and not quiet
    # A live bar on the terminal that also shows the table would be torn by it.
    show_progress = on_tty and (to_file or not sys.stdout.isatty())

    n_process = jobs if jobs > 0 else _cpu_count()
    kwargs: dict[str, Any] = {"model": model, "n_process": n_process, "header": not no_header}
    if batch_size is not None:
        kwargs["batch_size"] = batch_size
    stats = {"docs": 0, "with_quotes": 0, "quotes": 0, "errors": 0}
    # Input-order queue of what extract_many has been given: None for a document it will
    # return, or a SourceError, whose record (if asked for) must go out between documents.
    pending: deque[SourceError | None] = deque()

    def items():
        for s in iter_sources(
            paths,
            glob_patterns=globs,
            encoding=encoding,
            on_warning=(lambda p, m: None) if quiet else (lambda p, m: say("warning", p, m)),
        ):
            if isinstance(s, SourceError):
                say("error", s.id, s.reason)  # now, not when its turn in the output comes
                stats["errors"] += 1
                pending.append(s)
                continue
            assert isinstance(s, Source)
            if not s.text.strip() and not quiet:
                say("warning", s.id, "empty file")
            pending.append(None)
            yield (s.id, s.text, s.encoding)

    def emit_errors() -> None:
        while pending and pending[0] is not None:
            failed = pending.popleft()
            assert failed is not None
            if errors_as_records:
                writer.write({"id": failed.id, "error": failed.reason})
            if progress is not None and task is not None:
                progress.update(task, advance=1)

    progress = render.make_progress(err) if show_progress else None
    task = None
    results = None
    try:
        if on_tty:  # loading the model takes seconds: say so
            with err.status("Loading the spaCy model…", spinner="dots"):
                pipeline.load_nlp(model)
        if progress is not None:
            total = count_sources(paths, glob_patterns=globs)  # cheap: names and corpus lines only
            task = progress.add_task("Extracting", total=total, quotes=0)
            progress.start()
        results = pipeline.extract_many(items(), **kwargs)
        for result in results:
            emit_errors()
            if pending:
                pending.popleft()
            if isinstance(result, pipeline.Failure):
                say("error", result.id, result.reason)
                stats["errors"] += 1
                if errors_as_records:
                    writer.write(result.to_dict())
            else:
                stats["docs"] += 1
                if speakers:
                    result = replace(result, quotes=[q for q in result.quotes if speaker_matches(speakers, q.speaker)])
                stats["quotes"] += len(result.quotes)
                stats["with_quotes"] += bool(result.quotes)
                if result.quotes or not speakers:
                    writer.write(result.to_dict(with_text=with_text))
            if progress is not None and task is not None:
                progress.update(task, advance=1, quotes=stats["quotes"])
        emit_errors()
        if stats["docs"] + stats["errors"] == 0 and all(os.path.isdir(p) for p in paths):
            raise _NothingMatched()  # (an empty corpus file did match: its output is empty)
        writer.close()
    except KeyboardInterrupt:
        _close_quietly(results)
        if progress is not None:
            progress.stop()
        writer.close()  # e.g. the JSON array's "]": what was written stays valid
        if sink is not None:
            sink.commit()
            say("warning", output or "", f"interrupted; kept the {_n(stats['docs'], 'complete document')} written so far")
        raise click.Abort() from None
    except BaseException as e:
        _close_quietly(results)
        if sink is not None:
            sink.discard()  # a failed run leaves no file that looks complete
        if isinstance(e, _NothingMatched):
            where = ", ".join(render.safe_line(p) for p in paths)
            err.print(f"quotetool: error: no input files matched {', '.join(globs)} in {where}")
            raise click.exceptions.Exit(1) from None
        if not isinstance(e, pipeline.QuotetoolError):
            raise
        if progress is not None:
            progress.stop()
        err.print(f"quotetool: error: {render.safe_line(e)}")
        raise click.exceptions.Exit(1) from None
    finally:
        if progress is not None:
            progress.stop()
    if sink is not None:
        try:
            sink.commit()
        except OSError as e:  # e.g. the last buffered write hit a full disk
            say("error", output or "", e.strerror or str(e))
            raise click.exceptions.Exit(1) from None
    if not quiet:
        err.print(
            f"quotetool: {_n(stats['docs'] + stats['errors'], 'file')} read, "
            f"{_n(stats['with_quotes'], 'document')} with quotes, {_n(stats['quotes'], 'quote')}, "
            f"{_n(stats['errors'], 'error')}, {time.monotonic() - started:.1f}s"
        )
    if stats["errors"]:
        raise click.exceptions.Exit(1)


class _NothingMatched(Exception):
    """No input at all: every PATH was a folder with no file to read."""


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
            progress = render.make_progress(err) if sys.stderr.isatty() else None
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
                pred_docs, failures = ev.predict(
                    gold_docs, model=model, n_process=jobs if jobs > 0 else _cpu_count(), on_result=advance
                )
            finally:
                if progress is not None:
                    progress.stop()
    except (ev.EvaluationError, pipeline.QuotetoolError, OSError) as e:
        err.print(f"quotetool: error: {render.safe_text(e)}")
        raise click.exceptions.Exit(1) from None
    for f in failures:
        err.print(f"quotetool: error: {render.safe_text(f.id)}: {render.safe_text(f.reason)} (scored as no quotes)")
    result = ev.evaluate(gold_docs, pred_docs, confident_speakers_only=confident_speakers_only)
    fmt = format or ("json" if as_json or not sys.stdout.isatty() else "table")
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


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # respects container/cgroup CPU pinning
    except AttributeError:
        return os.cpu_count() or 1


def _close_quietly(results: object) -> None:
    """Close the pipeline's generator so it can stop its worker processes."""
    close = getattr(results, "close", None)
    if close is not None:
        try:
            close()
        except Exception:
            pass


class _OutputGuard:
    """A writer whose output errors (other than a closed pipe, which click handles)
    are raised as `error_type("WHERE: reason")`."""

    def __init__(self, writer: Any, where: str, error_type: type[Exception]) -> None:
        self.writer, self.where, self.error_type = writer, where, error_type

    def write(self, record: dict[str, Any]) -> None:
        self._guard(self.writer.write, record)

    def close(self) -> None:
        self._guard(self.writer.close)

    def _guard(self, call: Any, *args: Any) -> None:
        try:
            call(*args)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise self.error_type(f"{self.where}: {e.strerror or e}") from None


class _AtomicFile:
    """A temporary file beside `path`, renamed over it by `commit()` or removed by `discard()`."""

    def __init__(self, path: str) -> None:
        self.path = path
        folder = os.path.dirname(os.path.abspath(path))
        fd, self.tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".part")
        # mkstemp makes the file 0600; give the result the mode a plain open() would.
        try:
            mode = os.stat(path).st_mode & 0o777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(self.tmp, mode)
        # newline="": the csv module writes its own \r\n; JSON lines end in \n on every OS.
        self.stream: TextIO = open(fd, "w", encoding="utf-8", newline="")
        self.done = False

    def commit(self) -> None:
        if not self.done:
            try:
                self.stream.close()
                os.replace(self.tmp, self.path)
            except OSError:
                self.discard()  # leave no half-written temporary file behind
                raise
            self.done = True

    def discard(self) -> None:
        if not self.done:
            self.done = True
            try:
                self.stream.close()  # may fail to flush (a full disk): the file goes anyway
            except OSError:
                pass
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
