"""render.py: every writer, on hostile text, without the pipeline."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from quotetool.htmlview import HtmlWriter
from quotetool.render import (
    CSV_FIELDS,
    CsvWriter,
    JsonlWriter,
    JsonWriter,
    TsvWriter,
    dumps,
    make_writer,
    safe_text,
)
from quotetool.table import TableWriter


def _record(quote: str = "We will win [sic].", id_: str = "a.txt", **quote_fields) -> dict:
    q = {
        "start": 10,
        "end": 10 + len(quote),
        "quote": quote,
        "quote_clean": " ".join(quote.split()),
        "speaker": "Aleksandr Lukashenko",
        "speaker_mention": "the President",
        "cue": "said",
        "speaker_source": "role",
    }
    q.update(quote_fields)
    return {"id": id_, "encoding": "utf-8", "header": {"title": "T", "date": "2020-11-26"}, "quotes": [q]}


def test_jsonl_one_line_per_document_and_flushed() -> None:
    out = io.StringIO()
    w = JsonlWriter(out)
    w.write(_record("line\nbreak\u2028and\x85more"))
    assert out.getvalue().count("\n") == 1  # written (and flushed) before close
    w.write(_record(id_="b"))
    w.close()
    lines = out.getvalue().splitlines()  # splitlines() also splits on U+2028 and U+0085
    assert [json.loads(line)["id"] for line in lines] == ["a.txt", "b"]
    assert json.loads(lines[0])["quotes"][0]["quote"] == "line\nbreak\u2028and\x85more"


def test_json_array_is_valid_when_empty_one_or_many() -> None:
    for n in (0, 1, 3):
        out = io.StringIO()
        w = JsonWriter(out)
        for i in range(n):
            w.write(_record(id_=str(i)))
        w.close()
        assert [d["id"] for d in json.loads(out.getvalue())] == [str(i) for i in range(n)]


def test_json_survives_lone_surrogates_and_controls() -> None:
    text = "a\ud800b\udfffc\x00\x1b[31m\x9b"
    line = dumps({"quote": text})
    line.encode("utf-8")  # no UnicodeEncodeError
    assert "\x1b" not in line and "\x9b" not in line
    assert json.loads(line)["quote"] == text  # same string back, so offsets still hold


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_json_valid_for_any_text(text: str) -> None:
    line = dumps({"id": text, "quotes": [{"quote": text}]})
    assert json.loads(line.encode("utf-8").decode("utf-8"))["quotes"][0]["quote"] == text


def test_csv_header_rows_and_neutralised_cells() -> None:
    out = io.StringIO()
    w = CsvWriter(out)
    w.write(_record("=HYPERLINK(\"http://x\")", speaker="+cmd", speaker_mention="-2", cue="@SUM(A1)"))
    w.write({"id": "none", "header": {}, "quotes": []})  # no quotes: no row
    w.write({"id": "bad.txt", "error": "binary file"})
    w.close()
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == list(CSV_FIELDS)
    formula = "'=HYPERLINK(\"http://x\")"
    assert rows[1] == ["a.txt", "2020-11-26", "T", "", "10", "32", "'+cmd", "'-2", "'@SUM(A1)", "role", formula, formula]
    assert rows[2] == ["bad.txt", "", "", "", "", "", "", "", "", "error", "binary file", "binary file"]
    assert len(rows) == 3


def test_csv_columns_carry_the_header_and_both_quote_texts() -> None:
    out = io.StringIO()
    rec = _record("It&rsquo;s\n  ours", id_="r.txt")
    rec["header"] = {"date": "2021-03-03", "title": "On the floods", "source": "Ministry", "tags": ["a"]}
    rec["quotes"][0]["quote_clean"] = "It’s ours"
    CsvWriter(out).write(rec)
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    cells = dict(zip(header, row))
    assert cells["date"] == "2021-03-03" and cells["title"] == "On the floods" and cells["source"] == "Ministry"
    assert cells["quote"] == "It&rsquo;s\n  ours" and cells["quote_clean"] == "It’s ours"


def test_raw_csv_leaves_formula_starts_alone() -> None:
    for writer in (CsvWriter, TsvWriter):
        out = io.StringIO()
        writer(out, formula_guard=False).write(_record("=1+1", speaker="@handle"))
        assert "'=" not in out.getvalue() and "'@" not in out.getvalue()
        out = io.StringIO()
        writer(out).write(_record("=1+1", speaker="@handle"))
        assert "'=1+1" in out.getvalue() and "'@handle" in out.getvalue()


def test_tsv_is_one_line_per_row_with_escapes() -> None:
    out = io.StringIO()
    w = TsvWriter(out)
    w.write(_record("tab\there,\nnew line \\ backslash"))
    w.write({"id": "bad.txt", "error": "binary file"})
    lines = out.getvalue().split("\n")
    assert lines[-1] == "" and len(lines) == 4  # header, quote, error, and the final newline
    rows = [line.split("\t") for line in lines[:-1]]
    assert rows[0] == list(CSV_FIELDS)
    assert all(len(r) == len(CSV_FIELDS) for r in rows)
    assert rows[1][-1] == "tab\\there,\\nnew line \\\\ backslash"
    assert rows[2][0] == "bad.txt" and rows[2][CSV_FIELDS.index("speaker_source")] == "error"


def test_csv_multiline_quote_and_surrogate() -> None:
    out = io.StringIO()
    w = CsvWriter(out)
    w.write(_record("para one,\n\"para\" two\ud800"))
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1][-1] == "para one,\n\"para\" two\ufffd"
    assert rows[1][-2] == "para one, \"para\" two\ufffd"  # quote_clean: one line
    out.getvalue().encode("utf-8")


def _table(record: dict, width: int = 120) -> str:
    out = io.StringIO()
    w = TableWriter(Console(file=out, width=width, color_system=None))
    w.write(record)
    w.close()
    return out.getvalue()


def test_table_prints_brackets_literally() -> None:
    shown = _table(_record('He said "[the company] will grow" [sic].'))
    assert "[sic]" in shown and "[the company]" in shown
    assert "Aleksandr Lukashenko" in shown and "the President" in shown and "said" in shown
    assert shown.splitlines()[:3] == ["T", "2020-11-26", "a.txt  (utf-8)"]  # the header as a heading


def test_table_cannot_be_hijacked_by_escape_sequences() -> None:
    evil = "\x1b]0;pwned\x07\x1b[2J\x9b31m\rOVERWRITE\u202eevil"
    rec = _record(evil, id_="\x1b[31mred.txt")
    rec["header"] = {"title\x1b[1m": evil}
    out = io.StringIO()
    # Even a colour terminal console gets no raw control characters from the input.
    TableWriter(Console(file=out, width=200, force_terminal=True, color_system="truecolor")).write(rec)
    shown = out.getvalue()
    for raw in ("\x1b]0;", "\x1b[2J", "\x1b[31mred", "\x9b", "\r", "\u202e", "\x07"):
        assert raw not in shown  # Rich's own styling codes are fine; the input's are not
    assert "\\x1b[2J" in shown and "\\x9b" in shown and "\\u202e" in shown


def test_safe_text() -> None:
    assert safe_text("a\r\nb\tc\x1b") == "a\nb\tc\\x1b"
    assert safe_text(None) == "None"


def test_table_no_quotes_and_errors() -> None:
    assert "no quotes" in _table({"id": "x", "header": {}, "quotes": []})
    assert "error: binary file" in _table({"id": "x", "error": "binary file"})


def test_make_writer() -> None:
    for fmt, cls in (("json", JsonWriter), ("jsonl", JsonlWriter), ("csv", CsvWriter), ("tsv", TsvWriter),
                     ("table", TableWriter), ("html", HtmlWriter)):
        assert isinstance(make_writer(fmt, io.StringIO()), cls)
