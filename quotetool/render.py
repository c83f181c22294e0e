"""Write document records (`Document.to_dict()` output) as JSON Lines, JSON, CSV, TSV, a Rich
table (`table.py`) or an HTML page (`htmlview.py`).

Every writer takes the stream (or Console) to write to; nothing here looks up sys.stdout.
Each has `write(record)` and `close()`; `close()` finishes the format (e.g. the JSON array's
"]") and flushes, but never closes the stream. Each document goes out in a single
`stream.write()` call, so an interrupted run leaves whole documents only.

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
from rich.text import Text

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


class Writer(Protocol):
    def write(self, record: Record) -> None: ...

    def close(self) -> None: ...


def dumps(record: Any) -> str:
    """One-line JSON for any record: non-ASCII kept, unsafe characters escaped.

    Always valid JSON: NaN and infinities (a YAML header's ``.nan``) become strings,
    keys that JSON can't have (a YAML date as a key) become strings, other objects
    their str().
    """
    try:
        text = json.dumps(record, ensure_ascii=False, default=str, allow_nan=False)
    except (TypeError, ValueError):
        text = json.dumps(_plain(record), ensure_ascii=False, default=str, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _plain(value: Any) -> Any:
    """`value` with only JSON-safe keys and finite numbers (only called on odd records)."""
    if isinstance(value, dict):
        return {k if isinstance(k, str) else str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def safe_text(value: object) -> str:
    """`value` as a string that can't drive the terminal: controls shown as \\x1b etc."""
    text = str(value).replace("\r\n", "\n")

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
        self.stream.write(dumps(record) + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


class JsonWriter:
    """A JSON array, streamed one element per line; valid after `close()`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.count = 0

    def write(self, record: Record) -> None:
        self.stream.write(("[\n" if self.count == 0 else ",\n") + dumps(record))
        self.stream.flush()
        self.count += 1

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
        rows = csv_rows(record)
        if rows:
            self._write_rows(rows)

    def close(self) -> None:
        self.stream.flush()

    def _write_rows(self, rows: list[Any]) -> None:
        buf = io.StringIO()
        out = csv.writer(buf)
        for row in rows:
            out.writerow([_csv_cell(v, self.formula_guard) for v in row])
        self.stream.write(buf.getvalue())
        self.stream.flush()


def csv_rows(record: Record) -> list[list[Any]]:
    """The CSV_FIELDS rows of one record: one per quote, or one for an error record."""
    id_ = record.get("id")
    if "error" in record:
        return [[id_, None, None, None, None, None, None, None, None, "error", record["error"], record["error"]]]
    header = record.get("header") or {}
    meta = [_header_cell(header.get(k)) for k in _HEADER_FIELDS]
    return [[id_, *meta, *(q.get(k) for k in CSV_FIELDS[4:])] for q in record.get("quotes", [])]


def _header_cell(value: object) -> object:
    return value if value is None or isinstance(value, (str, int, float)) else dumps(value)  # a YAML list


class TsvWriter(CsvWriter):
    """CSV_FIELDS separated by tabs, one line per row, for `cut`, `awk` and `sort`: a tab,
    line break or backslash inside a cell is written as \\t, \\n, \\r or \\\\ (the
    convention of PostgreSQL's and MySQL's text formats), never quoted over several lines."""

    def _write_rows(self, rows: list[Any]) -> None:
        lines = ("\t".join(_tsv_cell(_csv_cell(v, self.formula_guard)) for v in row) + "\n" for row in rows)
        self.stream.write("".join(lines))
        self.stream.flush()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _tsv_cell(value: object) -> str:
    return str(value).translate(_TSV_ESCAPES)


def _csv_cell(value: object, formula_guard: bool = True) -> object:
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    value = _SURROGATE.sub("\ufffd", value)  # unencodable as UTF-8
    # A leading = + - @ makes Excel/LibreOffice evaluate the cell as a formula.
    return "'" + value if formula_guard and value.startswith(_FORMULA_START) else value


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
