"""Write document records (`Document.to_dict()` output) as JSON Lines, JSON, CSV or a Rich table.

Every writer takes the stream (or Console) to write to; nothing here looks up sys.stdout.
Each has `write(record)` and `close()`; `close()` finishes the format (e.g. the JSON array's
"]") and flushes, but never closes the stream. Each document is rendered to a string first
and goes out in a single `stream.write()` call, so an interrupted run leaves whole documents
only, and a record that can't be rendered raises `RenderError` before anything is written
(the caller makes it that document's failure; the output stays valid).

An error record (``{"id", "error"}``, from --errors-as-records) is written like any other.
"""

from __future__ import annotations

from collections.abc import Callable

import csv
import io
import json
import math
import re
from typing import Any, Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from .output import RecordError

Record = dict[str, Any]

CSV_FIELDS = ("id", "start", "end", "speaker", "speaker_mention", "cue", "speaker_source", "quote")

# Valid in JSON as raw characters, but: C1 controls can act as terminal escapes (0x9b is
# CSI), U+2028/U+2029/U+0085 split lines for str.splitlines() readers of JSONL, and lone
# surrogates (possible from a JSONL corpus's "\ud800") can't be encoded as UTF-8 at all.
# Escaping them as \uXXXX keeps every string the same length once parsed.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# Made visible in the table: controls (ESC, CR, backspace...), bidi overrides, surrogates.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                              "\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What a spreadsheet may read as the start of a formula: = + - @ (and their full-width forms,
# which some locales accept), or a tab or carriage return before one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# The same after a separator a spreadsheet may split a cell on when it guesses the
# delimiter (";" in many locales, tab) or a line break (naive line splitting), spaces between.
_FORMULA_INSIDE = re.compile("([;\t\r\n] *)([=+\\-@\uff1d\uff0b\uff0d\uff20])")


class RenderError(RecordError):
    """A record that can't be rendered in the chosen format: that document's failure only."""


def _render(fmt: str, make: Callable[[], str]) -> str:
    """`make()`, with any failure turned into a RenderError (nothing has been written yet)."""
    try:
        return make()
    except RenderError:
        raise
    except Exception as e:  # noqa: BLE001 - whatever the record holds, it costs this document only
        raise RenderError(f"can't be written as {fmt} ({type(e).__name__}: {_short(e)})") from None


def _short(e: BaseException) -> str:
    try:
        text = str(e)
    except Exception:
        text = ""
    return text if len(text) <= 200 else text[:199] + "\u2026"


class Writer(Protocol):
    def write(self, record: Record) -> None: ...

    def close(self) -> None: ...


def dumps(record: Record) -> str:
    """One-line JSON for any record: non-ASCII kept, unsafe characters escaped.

    Always valid JSON: NaN and infinities (a YAML header's ``.nan``) become strings,
    keys that JSON can't have (a YAML date as a key) become strings, integers too long
    to print in decimal become hex strings, structures nested deeper than
    `MAX_DEPTH` are cut off ("…"), other objects become their str(). Raises RenderError
    only for a record that even that can't render.
    """
    try:
        text = json.dumps(record, ensure_ascii=False, default=str, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        text = _render("JSON", lambda: json.dumps(_plain(record), ensure_ascii=False, default=_str, allow_nan=False))
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


#: How deep a record may nest (a quotetool record nests 4 deep; a YAML header value a few more).
MAX_DEPTH = 64


def _plain(value: Any, depth: int = 0) -> Any:
    """`value` with only JSON-safe keys, finite numbers, printable ints and bounded depth
    (only called on odd records). Iterative in spirit: never deeper than MAX_DEPTH."""
    if isinstance(value, (dict, list, tuple)) and depth >= MAX_DEPTH:
        return "\u2026"
    if isinstance(value, dict):
        return {k if isinstance(k, str) else _str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            str(value)
        except ValueError:  # more digits than Python will print (a YAML hex int can have any size)
            return hex(value)
    return value


def _str(value: object) -> str:
    """str() for json's `default`: a value that can't be printed becomes its type's name."""
    if isinstance(value, int) and not isinstance(value, bool):
        plain = _plain(value)
        return plain if isinstance(plain, str) else str(plain)
    try:
        return str(value)
    except Exception:
        return f"<{type(value).__name__}>"


def safe_text(value: object) -> str:
    """`value` as a string that can't drive the terminal: controls shown as \\x1b etc."""
    text = _str(value).replace("\r\n", "\n")

    def show(m: re.Match[str]) -> str:
        code = ord(m.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _TERMINAL_UNSAFE.sub(show, text)


def safe_line(value: object) -> str:
    """`value` as one line that can't drive the terminal: `safe_text`, with line breaks
    and tabs shown as \\n and \\t too (a file name with a newline can't forge a second
    "quotetool: error:" line)."""
    return safe_text(value).replace("\t", "\\t").replace("\n", "\\n")


class JsonlWriter:
    """One JSON object per line, flushed after each document so `| jq` and `| head` stream."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, record: Record) -> None:
        text = dumps(record) + "\n"
        self.stream.write(text)
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


class JsonWriter:
    """A JSON array, streamed one element per line; valid after `close()`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.count = 0

    def write(self, record: Record) -> None:
        text = ("[\n" if self.count == 0 else ",\n") + dumps(record)
        self.stream.write(text)
        self.count += 1
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        self.stream.flush()


class CsvWriter:
    """One row per quote (CSV_FIELDS), with a header row; safe to open in a spreadsheet.

    A document without quotes has no row. An error record becomes one row with
    speaker_source "error" and the reason in the quote column.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._write_rows([CSV_FIELDS])

    def write(self, record: Record) -> None:
        def rows() -> list[list[Any]]:
            id_ = record.get("id")
            if "error" in record:
                return [[id_, None, None, None, None, None, "error", record["error"]]]
            return [[id_, *(q.get(k) for k in CSV_FIELDS[1:])] for q in record.get("quotes") or []]

        text = _render("CSV", lambda: self._rows_text(rows()))
        if text:
            self.stream.write(text)
            self.stream.flush()

    def close(self) -> None:
        self.stream.flush()

    def _write_rows(self, rows: list[Any]) -> None:
        self.stream.write(self._rows_text(rows))
        self.stream.flush()

    @staticmethod
    def _rows_text(rows: list[Any]) -> str:
        buf = io.StringIO()
        out = csv.writer(buf)
        for row in rows:
            out.writerow([_csv_cell(v) for v in row])
        return buf.getvalue()


def _csv_cell(value: object) -> object:
    """A cell no spreadsheet evaluates: a ' before = + - @ (or a tab or CR) at its start or
    after a ; tab or line break inside it; numbers as they are, anything else as text."""
    if value is None:
        return ""
    if isinstance(value, (bool, float)):
        return value
    if isinstance(value, int):
        return _plain(value)  # an int too long to print becomes its hex string
    if not isinstance(value, str):
        value = _render("CSV", lambda: json.dumps(_plain(value), ensure_ascii=False, default=_str)) \
            if isinstance(value, (dict, list, tuple)) else _str(value)
    value = _SURROGATE.sub("\ufffd", value)  # unencodable as UTF-8
    value = _FORMULA_INSIDE.sub(r"\1'\2", value)
    # A leading = + - @ makes Excel/LibreOffice evaluate the cell as a formula (spaces
    # before it are trimmed by some importers).
    return "'" + value if value.lstrip(" ").startswith(_FORMULA_START) else value


class TableWriter:
    """Per document: its id and header fields, then a table of speaker / mention / cue / quote.

    All input text goes through `safe_text` into `rich.text.Text`, never markup, so "[sic]"
    is printed as written and escape sequences in the input are shown, not obeyed.
    """

    def __init__(self, target: Console | TextIO) -> None:
        self.console = (
            target
            if isinstance(target, Console)
            else Console(file=target, markup=False, emoji=False, highlight=False)
        )
        self.count = 0

    def write(self, record: Record) -> None:
        c = self.console

        def make() -> str:
            with c.capture() as capture:  # rendered whole before anything is written
                if self.count:
                    c.print()
                self._print(record)
            return capture.get()

        text = _render("a table", make)
        c.file.write(text)
        self.count += 1
        c.file.flush()

    def _print(self, record: Record) -> None:
        c = self.console
        title = Text(safe_text(record.get("id")), style="bold")
        if record.get("encoding"):
            title.append(f"  ({safe_text(record['encoding'])})", style="dim")
        c.print(title, soft_wrap=True)
        if "error" in record:
            c.print(Text("error: " + safe_text(record["error"]), style="red"), soft_wrap=True)
            return
        for key, value in (record.get("header") or {}).items():
            line = Text(safe_text(key) + ": ", style="cyan")
            line.append(safe_text(value if isinstance(value, str) else dumps(value)))
            c.print(line)
        quotes = record.get("quotes") or []
        if not quotes:
            c.print(Text("no quotes", style="dim"))
            return
        table = Table(show_lines=True)
        table.add_column("#", justify="right", style="dim")
        table.add_column("speaker", style="bold")
        table.add_column("mention")
        table.add_column("cue")
        table.add_column("quote", ratio=1)
        for i, q in enumerate(quotes, 1):
            speaker = _cell(q.get("speaker"))
            if q.get("speaker_source") not in (None, "none", "name"):
                speaker.append(f"\n({safe_text(q['speaker_source'])})", style="dim")
            table.add_row(
                Text(str(i)), speaker, _cell(q.get("speaker_mention")), _cell(q.get("cue")), _cell(q.get("quote"))
            )
        c.print(table)

    def close(self) -> None:
        self.console.file.flush()


def _cell(value: object) -> Text:
    return Text("—", style="dim") if value is None else Text(safe_text(value))


FORMATS = ("table", "json", "jsonl", "csv")


def make_writer(fmt: str, stream: TextIO) -> Writer:
    """The writer for a `-f` value."""
    if fmt == "table":
        return TableWriter(stream)
    writers: dict[str, Callable[[TextIO], Writer]] = {"json": JsonWriter, "jsonl": JsonlWriter, "csv": CsvWriter}
    return writers[fmt](stream)


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} files/s" if speed else "– files/s", style="progress.data.speed")


def make_progress(console: Console) -> Progress:
    """A transient progress bar (files, quotes, files/s, ETA) that never touches stdout.

    Use a task with a `quotes` field. redirect_stdout/stderr=False: Rich's default
    redirection would send the results written to stdout into the (stderr) console.
    """
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files, {task.fields[quotes]} quotes"),
        _RateColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
