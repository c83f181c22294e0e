"""Write document records (`Document.to_dict()` output) as JSON Lines, JSON, CSV, TSV, a Rich
table (`table.py`) or an HTML page (`htmlview.py`).

Every writer takes the stream (or Console) to write to; nothing here looks up sys.stdout.
Each has `write(record)` and `close()`; `close()` finishes the format (e.g. the JSON array's
"]") and flushes, but never closes the stream. Each document is rendered to a string first
and goes out in a single `stream.write()` call, so an interrupted run leaves whole documents
only, and a record that can't be rendered raises `RenderError` before anything is written
(the caller makes it that document's failure; the output stays valid).

An error record (``{"id", "error"}``, from --errors-as-records) is written like any other.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable
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
from rich.text import Text

from .output import RecordError

Record = dict[str, Any]

#: One row per quote. The header's date, title and source are repeated on each row, so a
#: spreadsheet can sort by date without a join; `quote` (exact) comes last.
CSV_FIELDS = ("id", "date", "title", "source", "start", "end", "speaker", "speaker_mention", "cue",
              "speaker_source", "quote_clean", "quote")
_HEADER_FIELDS = ("date", "title", "source")

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


def render_record(fmt: str, make: Callable[[], str]) -> str:
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


def dumps(record: Any) -> str:
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
        text = render_record("JSON", lambda: json.dumps(_plain(record), ensure_ascii=False, default=_str,
                                                        allow_nan=False))
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


#: Header fields shown under a document's title (table and HTML), in this order.
META_FIELDS = ("date", "dateline", "place", "source")


def heading_fields(header: dict[str, Any]) -> tuple[str | None, list[str]]:
    """A header's title (None if it has none) and the values shown under it: date,
    dateline, place, source, without repeats (a dateline that is the date, written out,
    says nothing new beside the ISO date)."""
    from .release import iso_date

    def text(value: Any) -> str:
        return value if isinstance(value, str) else dumps(value)

    title = header.get("title")
    meta: dict[str, str] = {}
    for key in META_FIELDS:
        value = header.get(key)
        if value in (None, "") or text(value) in meta.values():
            continue
        if key == "dateline" and isinstance(value, str) and isinstance(header.get("date"), str) and \
                (iso_date(value) or "")[:10] == header["date"][:10]:
            continue
        meta[key] = text(value)
    return (None if title in (None, "") else text(title)), list(meta.values())


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
    speaker_source "error" and the reason in the quote columns. With ``formula_guard``
    (the default) a cell that a spreadsheet would read as a formula gets a leading "'".
    """

    def __init__(self, stream: TextIO, *, formula_guard: bool = True) -> None:
        self.stream = stream
        self.formula_guard = formula_guard
        self._write_rows([CSV_FIELDS])

    def write(self, record: Record) -> None:
        text = render_record("CSV", lambda: self._rows_text(csv_rows(record)))
        if text:
            self.stream.write(text)
            self.stream.flush()

    def close(self) -> None:
        self.stream.flush()

    def _write_rows(self, rows: list[Any]) -> None:
        self.stream.write(self._rows_text(rows))
        self.stream.flush()

    def _rows_text(self, rows: list[Any]) -> str:
        buf = io.StringIO()
        out = csv.writer(buf)
        for row in rows:
            out.writerow([_csv_cell(v, self.formula_guard) for v in row])
        return buf.getvalue()


def csv_rows(record: Record) -> list[list[Any]]:
    """The CSV_FIELDS rows of one record: one per quote, or one for an error record."""
    id_ = record.get("id")
    if "error" in record:
        return [[id_, None, None, None, None, None, None, None, None, "error", record["error"], record["error"]]]
    header = record.get("header") or {}
    meta = [_header_cell(header.get(k)) for k in _HEADER_FIELDS]
    return [[id_, *meta, *(q.get(k) for k in CSV_FIELDS[4:])] for q in record.get("quotes") or []]


def _header_cell(value: object) -> object:
    return value if value is None or isinstance(value, (str, int, float)) else dumps(value)  # a YAML list


class TsvWriter(CsvWriter):
    """CSV_FIELDS separated by tabs, one line per row, for `cut`, `awk` and `sort`: a tab,
    line break or backslash inside a cell is written as \\t, \\n, \\r or \\\\ (the
    convention of PostgreSQL's and MySQL's text formats), never quoted over several lines."""

    def _rows_text(self, rows: list[Any]) -> str:
        return "".join("\t".join(_tsv_cell(_csv_cell(v, self.formula_guard)) for v in row) + "\n" for row in rows)


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _tsv_cell(value: object) -> str:
    return str(value).translate(_TSV_ESCAPES)


def _csv_cell(value: object, formula_guard: bool = True) -> object:
    """A cell as written: numbers as they are, anything else as text. With `formula_guard`,
    a cell no spreadsheet evaluates: a ' before = + - @ (or a tab or CR) at its start or
    after a ; tab or line break inside it."""
    if value is None:
        return ""
    if isinstance(value, (bool, float)):
        return value
    if isinstance(value, int):
        return _plain(value)  # an int too long to print becomes its hex string
    if not isinstance(value, str):
        value = render_record("CSV", lambda: json.dumps(_plain(value), ensure_ascii=False, default=_str)) \
            if isinstance(value, (dict, list, tuple)) else _str(value)
    value = _SURROGATE.sub("\ufffd", value)  # unencodable as UTF-8
    if not formula_guard:
        return value
    value = _FORMULA_INSIDE.sub(r"\1'\2", value)
    # A leading = + - @ makes Excel/LibreOffice evaluate the cell as a formula (spaces
    # before it are trimmed by some importers).
    return "'" + value if value.lstrip(" ").startswith(_FORMULA_START) else value


FORMATS = ("table", "json", "jsonl", "csv", "tsv", "html")


def make_writer(fmt: str, stream: TextIO, *, formula_guard: bool = True) -> Writer:
    """The writer for a `-f` value. `formula_guard` is for csv and tsv (see CsvWriter)."""
    if fmt == "table":
        from .table import TableWriter

        return TableWriter(stream)
    if fmt == "html":
        from .htmlview import HtmlWriter

        return HtmlWriter(stream)
    if fmt in ("csv", "tsv"):
        return (CsvWriter if fmt == "csv" else TsvWriter)(stream, formula_guard=formula_guard)
    writers: dict[str, Callable[[TextIO], Writer]] = {"json": JsonWriter, "jsonl": JsonlWriter}
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
