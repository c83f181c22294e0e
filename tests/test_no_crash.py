"""No input can crash a writer or a reader (issue 10), and the library owns the run.

Whatever a YAML header or a corpus line can hold (huge integers, NaN, nested structures,
lone surrogates, dates, bytes) is rendered by every writer or, at worst, costs its own
document: the writers raise only `RecordError`, before writing anything. Hypothesis draws
the values; the outputs are parsed back strictly.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quotetool
from quotetool import render, sources
from quotetool.cli import cli
from quotetool.models import Document
from quotetool.output import RecordError
from quotetool.pipeline import Failure, Options
from quotetool.release import MAX_YAML_CHARS, parse_release
from quotetool.run import Run

QUOTED = "\u201cWe will build it,\u201d Jane Roe said.\n"
#: Integers with more digits than Python prints in decimal, or just under (built lazily:
#: hypothesis can't even show such a number in its reports).
HUGE = {"hex": lambda: 16**5000, "negative": lambda: -(2**20_000), "under": lambda: 10**4000 + 1}


def _strict_json(text: str):
    def no_constants(name: str):
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=no_constants)


def _deep(depth: int, leaf: object = 1) -> object:
    value = leaf
    for _ in range(depth):  # not recursive: any depth
        value = [value]
    return value


# Lone surrogates included (a JSONL corpus can hold "\ud800"; YAML can't).
any_text = st.text(st.characters(blacklist_categories=()), max_size=30)
scalars = (st.none() | st.booleans() | st.integers() | st.sampled_from(sorted(HUGE)).map(lambda k: HUGE[k]()) | st.floats() | any_text
           | st.dates() | st.datetimes() | st.binary(max_size=10))
keys = st.text(max_size=10) | st.integers() | st.dates() | st.booleans() | st.none() | st.floats(allow_nan=False)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4)
                      | st.frozensets(st.integers(), max_size=3), max_leaves=20) | st.integers(1, 5000).map(_deep)


def _record(header: dict) -> dict:
    return {"id": "doc", "encoding": "utf-8", "header": header,
            "quotes": [{"start": 0, "end": 4, "quote": "Yes,", "speaker": "Jane Roe", "speaker_mention": "she",
                        "cue": "said", "speaker_source": "right-verb"}]}


def _write_all(record: dict) -> dict[str, str]:
    """Each writer's output for `record` followed by a plain record; a RecordError for the
    first may only cost that record."""
    outputs = {}
    for fmt in render.FORMATS:
        out = io.StringIO()
        writer = render.make_writer(fmt, out)
        try:
            writer.write(record)
        except RecordError:  # nothing of it written: at most the CSV or TSV header row
            assert out.getvalue() in ("", ",".join(render.CSV_FIELDS) + "\r\n", "\t".join(render.CSV_FIELDS) + "\n")
        writer.write(_record({"title": "after"}))
        writer.close()
        outputs[fmt] = out.getvalue()
        out.getvalue().encode("utf-8")  # nothing unencodable
    assert [r["header"] for r in _strict_json(outputs["json"])][-1] == {"title": "after"}
    assert _strict_json(outputs["jsonl"].splitlines()[-1])["header"] == {"title": "after"}
    rows = list(csv.reader(io.StringIO(outputs["csv"])))
    assert rows[0][0] == "id" and rows[-1][0] == "doc"
    assert outputs["tsv"].splitlines()[-1].split("\t")[0] == "doc"
    assert "after" in outputs["table"]
    assert "after" in outputs["html"] and outputs["html"].rstrip().endswith("</html>")
    return outputs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, values, max_size=4))
def test_any_header_value_through_every_writer(header) -> None:
    outputs = _write_all(_record(header))
    for line in outputs["jsonl"].splitlines():
        _strict_json(line)  # valid JSON, never NaN or a bare huge number it can't hold


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(max_size=10) | st.integers(), values, min_size=1, max_size=4))
def test_any_yaml_front_matter_gives_a_json_safe_header(data) -> None:
    try:
        front = yaml.safe_dump(data, allow_unicode=True)
    except (yaml.YAMLError, RecursionError, ValueError):
        return  # PyYAML can't write it (too deep, too many digits): the hostile cases below
    header = parse_release(f"---\n{front}---\n{QUOTED}").header
    json.dumps(header, allow_nan=False)  # plain JSON types only: no default=, no NaN
    for value in header.values():
        assert value is None or isinstance(value, (str, int, float, bool, list))
    _write_all(_record(header))


@pytest.mark.parametrize("front", [
    "big: 0x" + "f" * 5000,  # PyYAML reads hex of any length
    "big: 0b" + "1" * 20000,
    "sexagesimal: " + ":".join(["59"] * 3000),
    "deep: " + "[" * 500 + "]" * 500,
    "deeper: " + "[" * 50_000 + "]" * 50_000,  # too deep for PyYAML: plain lines
    "nan: .nan\ninf: -.inf\nwhen: 2020-01-02\nset: !!set {a, b}\nbin: !!binary aGk=",
])
def test_hostile_front_matter_through_the_cli(runner, tmp_path, front) -> None:
    a = tmp_path / "a.md"
    a.write_text(f"---\ntitle: T\n{front}\n---\n{QUOTED}", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text(QUOTED, encoding="utf-8")
    for fmt in render.FORMATS:
        result = runner.invoke(cli, ["extract", str(a), str(b), "-f", fmt])
        assert result.exit_code == 0, (fmt, result.stderr, result.exception)
        assert str(b) in result.stdout.replace("\n", "")
    (record, _) = [_strict_json(line) for line in runner.invoke(cli, ["extract", str(a), str(b)]).stdout.splitlines()]
    assert record["header"]["title"] == "T" and record["quotes"][0]["speaker"] == "Jane Roe"


def test_a_huge_yaml_integer_becomes_a_hex_string(runner, tmp_path) -> None:
    a = tmp_path / "a.md"
    a.write_text("---\nbig: 0x" + "f" * 5000 + "\nsmall: 0x1f\n---\n" + QUOTED, encoding="utf-8")
    (record,) = [_strict_json(line) for line in runner.invoke(cli, ["extract", str(a)]).stdout.splitlines()]
    assert record["header"]["big"] == "0x" + "f" * 5000 and record["header"]["small"] == 31


def test_front_matter_over_the_limit_is_read_as_plain_lines_with_a_warning(runner, tmp_path) -> None:
    lines = "".join(f"note: [value {i}, {{a: b}}]\n" for i in range(MAX_YAML_CHARS // 20))
    a = tmp_path / "a.md"
    a.write_text(f"---\ntitle: 'Quoted title'\nsummary: [x, {{a: b}}]\n{lines}---\n{QUOTED}", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(a)])
    assert result.exit_code == 0
    assert f"quotetool: warning: {a}: front matter over 64 KB: read as plain key: value lines, not YAML" \
        in result.stderr.splitlines()
    (record,) = [_strict_json(line) for line in result.stdout.splitlines()]
    assert record["header"]["title"] == "Quoted title" and record["header"]["summary"] == "[x, {a: b}]"
    assert record["quotes"][0]["speaker"] == "Jane Roe"
    small = parse_release(f"---\ntitle: T\nkey: [1, 2]\n---\n{QUOTED}")
    assert small.header == {"title": "T", "key": [1, 2]} and small.warnings == []


# --- corpus lines ---------------------------------------------------------------------------

json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                        max_size=3), max_leaves=10)
corpus_lines = st.one_of(
    st.builds(lambda i, t, extra: json.dumps({"id": i, "text": t, "extra": extra}), json_values, any_text, json_values),
    st.builds(lambda t: json.dumps({"text": t}), any_text),
    st.integers(1, 20_000).map(lambda d: '{"id": "deep", "text": "x", "meta": ' + "[" * d + "]" * d + "}"),
    st.integers(4000, 6000).map(lambda n: '{"id": ' + "9" * n + ', "text": "x"}'),
    st.text(st.characters(blacklist_characters="\n\r"), max_size=40),  # anything at all
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(st.lists(corpus_lines, min_size=1, max_size=6))
def test_any_corpus_line_is_a_document_or_that_lines_error(tmp_path, lines) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n")
    got = list(sources.iter_sources([str(path)]))
    raw_lines = path.read_bytes().split(b"\n")[:-1]
    # A line of white space only (str.isspace: "\x1f" too) is skipped, as the reader does.
    assert len(got) == sum(1 for line in raw_lines if line.decode("utf-8", "surrogatepass").strip())
    for item in got:
        if isinstance(item, sources.SourceError):
            assert re.fullmatch(re.escape(str(path)) + r":\d+", item.id), item
            continue
        release = parse_release(item.text)
        _write_all({**Document(item.id, item.text, release.header).to_dict(with_text=True), "quotes": []})


def test_a_deeply_nested_corpus_line_is_that_lines_error(runner, tmp_path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join([json.dumps({"id": "a", "text": QUOTED}),
                                 '{"id": "b", "text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}",
                                 '{"id": ' + "1" * 5000 + ', "text": "x"}',
                                 json.dumps({"id": ["list"], "text": "x"}),
                                 json.dumps({"id": "e", "text": QUOTED})]) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(corpus)])
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        f"quotetool: error: {corpus}:2: not valid JSON (nested too deeply)",
        f"quotetool: error: {corpus}:3: not valid JSON (a number with more than 4300 digits)",
        f'quotetool: error: {corpus}:4: the "id" must be a string or a number',
    ]
    assert [_strict_json(line)["id"] for line in result.stdout.splitlines()] == ["a", "e"]


# --- CSV: no formula anywhere a spreadsheet may split ---------------------------------------

STARTS = "=+-@\uff1d\uff0b\uff0d\uff20"


@pytest.mark.parametrize("cell", [
    "Ask him;=cmd|' /C calc'!A0", "a\t=1+1", "one\n+two", "x; @SUM(A1)", "x;\uff1dA1", "a;  -2+3",
    "\r=1", " =1", "fine; no formula", "5;6",
])
def test_csv_neutralises_formulas_after_separators(cell) -> None:
    out = io.StringIO()
    w = render.CsvWriter(out)
    w.write({"id": cell, "quotes": [{"start": 0, "end": 1, "quote": cell, "speaker": cell, "speaker_mention": cell,
                                     "cue": cell, "speaker_source": "label"}]})
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    for value in (row["id"], row["speaker"], row["speaker_mention"], row["cue"], row["quote"]):
        # A spreadsheet that splits on ; or tab (or lines) gets no piece that starts a formula.
        for piece in re.split(r"[;\t\r\n]", value):
            assert not piece.lstrip(" ").startswith(tuple(STARTS)), (cell, value)
        assert value.replace("'", "") == cell.replace("'", "")  # only apostrophes were added


def test_csv_leaves_plain_text_alone() -> None:
    assert render._csv_cell("We will win; and then, more.") == "We will win; and then, more."
    assert render._csv_cell(42) == 42 and render._csv_cell(None) == ""


# --- writers: a record that can't be rendered costs only itself -----------------------------


@pytest.mark.parametrize("bad", [{"id": "x", "quotes": 5}, {"id": "x", "quotes": [None]}])
def test_an_unrenderable_record_is_a_record_error_and_writes_nothing(bad) -> None:
    # (The HTML view leaves out a quote that is not an object: only `"quotes": 5` fails there.)
    for fmt in ("csv", "tsv", "table") + (("html",) if bad["quotes"] == 5 else ()):
        out = io.StringIO()
        w = render.make_writer(fmt, out)
        before = out.getvalue()
        with pytest.raises(RecordError):
            w.write(bad)
        assert out.getvalue() == before


# --- the library owns the run ---------------------------------------------------------------


@pytest.mark.parametrize("n_process", [1, 2])
def test_extract_many_yields_read_failures_in_their_place(n_process) -> None:
    items = [("a", QUOTED), Failure("b.txt", "binary file", stage="read"), ("c", "No quotes."),
             Failure("d.txt", "No such file or directory", stage="read")]
    got = list(quotetool.extract_many(items, options=Options(batch_size=1, n_process=n_process)))
    assert [r.id for r in got] == ["a", "b.txt", "c", "d.txt"]
    assert got[1] == Failure("b.txt", "binary file") and got[1].stage == "read"
    assert got[0].quotes[0].speaker == "Jane Roe" and got[2].quotes == []


def test_run_reports_each_failure_once_and_counts(tmp_path) -> None:
    (tmp_path / "a.txt").write_text(QUOTED, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00binary")
    (tmp_path / "c.txt").write_text("", encoding="utf-8")
    errors: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    run = Run([str(tmp_path), str(tmp_path / "missing.txt")], Options(batch_size=2),
              on_error=lambda w, m: errors.append((w, m)), on_warning=lambda w, m: warnings.append((w, m)))
    assert run.count() == 4
    results = list(run)
    assert [r.id for r in results] == [str(tmp_path / n) for n in ("a.txt", "b.txt", "c.txt", "missing.txt")]
    assert errors == [(str(tmp_path / "b.txt"), "binary file"), (str(tmp_path / "missing.txt"), "No such file or directory")]
    assert warnings == [(str(tmp_path / "c.txt"), "empty file")]
    s = run.stats
    assert (s.documents, s.with_quotes, s.quotes, s.failed, s.inputs) == (2, 1, 1, 2, 4)


def test_run_keeps_only_the_speakers_asked_for(tmp_path) -> None:
    (tmp_path / "a.txt").write_text(QUOTED + "\n\u201cNot me,\u201d John Smith said.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("\u201cOnly me,\u201d John Smith said.\n", encoding="utf-8")
    run = Run([str(tmp_path)], speakers=["roe"])
    results = list(run)
    assert [[q.speaker for q in r.quotes] for r in results] == [["Jane Roe"], []]
    s = run.stats
    assert (s.documents, s.with_quotes, s.quotes) == (2, 1, 1)


def test_run_over_folders_with_nothing_to_read_ends_with_nothing_matched(tmp_path) -> None:
    from quotetool.run import NothingMatched

    (tmp_path / "notes.html").write_text(QUOTED, encoding="utf-8")
    with pytest.raises(NothingMatched, match=r"no input files matched \*\.txt in "):
        list(Run([str(tmp_path)], glob_patterns=["*.txt"]))
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")  # an empty corpus matched: no error
    assert list(Run([str(tmp_path / "empty.jsonl")])) == []


# --- evaluate reads predictions defensively -------------------------------------------------


@pytest.mark.parametrize("line, reason", [
    (b"\xff\xfe{}", "not valid UTF-8 (byte 0xff at column 1)"),
    (b'{"id": "a", "quotes": [null]}', "quote 1 is not an object"),
    (b'{"id": "a", "quotes": [{"quote": 5}]}', "quote 1: 'quote' must be a string or null"),
    (b'{"id": "a", "quotes": [{"start": "3", "end": 9}]}', "quote 1: 'start' must be an integer"),
    (b'{"id": "a", "quotes": {"start": 3}}', "'quotes' must be a list"),
    (b'{"id": {"x": 1}, "quotes": []}', "'id' must be a string or a number"),
    (b'{"id": "a", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "invalid JSON: nested too deeply"),
])
def test_evaluate_names_the_bad_prediction_line(runner, tmp_path, line, reason) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": QUOTED, "quotes": [{"start": 1, "end": 17, "speaker": "Jane Roe"}]})
                    + "\n", encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_bytes(b'{"id": "z", "quotes": []}\n' + line + b"\n")
    result = runner.invoke(cli, ["evaluate", str(gold), str(pred)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.stderr == f"quotetool: error: {pred}:2: {reason}\n"
