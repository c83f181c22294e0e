"""Hostile and messy input (issue 4): any bytes in, a clear answer out, nothing lost.

Each bad input gets either a correct result or one line on stderr,
``quotetool: error: PATH: reason``, and the run goes on with the other inputs. Text
clean-up (NBSP, CRLF, hard wraps, Markdown, HTML) must not move offsets:
``text[start:end] == quote`` always. Outputs are safe: CSV for spreadsheets, JSON for
any string, the table for the terminal.

Time and memory on big inputs are measured by bench/fuzz.py, not here.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import os
import sys

import pytest

from quotetool import pipeline, render, sources
from quotetool.cli import cli
from quotetool.quotes import find_quote_spans
from quotetool.sources import Source, SourceError, iter_sources
from quotetool.textview import clean_view

QUOTED = "\u201cWe will build it,\u201d Jane Roe said.\n"


def _write(path, data: bytes | str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return str(path)


def _strict_json(line: str):
    def no_constants(name: str):
        raise ValueError(f"not JSON: {name}")

    return json.loads(line, parse_constant=no_constants)


def _records(stdout: str) -> list[dict]:
    return [_strict_json(line) for line in stdout.splitlines()]


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("quotetool: error:")]


def _no_traceback(result) -> None:
    assert "Traceback" not in result.output and "Traceback" not in (result.stderr or ""), result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


# --- bad files: a one-line error, the others still read -------------------------------------


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("random.txt", bytes(range(256)) * 16, "binary file"),
        ("png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file"),
        ("nul.txt", QUOTED.encode().replace(b"build", b"bu\x00ild"), "binary file"),
        ("stray.txt", ("Caf\u00e9 \u201cna\u00efve\u201d. " * 5).encode() + b"\x93!",
         "not valid UTF-8 (byte 0x93 at offset 100); try --encoding cp1252"),
        ("bad16.txt", codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xdc",
         "not valid utf-16-le (byte 0x00 at offset 6)"),
    ],
)
def test_unreadable_content_is_one_line_and_the_run_goes_on(runner, tmp_path, name, data, reason) -> None:
    good = _write(tmp_path / "good.txt", QUOTED)
    bad = _write(tmp_path / name, data)
    result = runner.invoke(cli, ["extract", bad, good, "-f", "jsonl"])
    _no_traceback(result)
    assert result.exit_code == 1
    assert _errors(result.stderr) == [f"quotetool: error: {bad}: {reason}"]
    assert [r["id"] for r in _records(result.stdout)] == [good]


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  \n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")])
def test_empty_and_whitespace_only_files_are_a_warning_and_an_empty_record(runner, tmp_path, data) -> None:
    path = _write(tmp_path / "empty.txt", data)
    result = runner.invoke(cli, ["extract", path, "-f", "jsonl"])
    _no_traceback(result)
    assert result.exit_code == 0
    assert f"quotetool: warning: {path}: empty file" in result.stderr
    (record,) = _records(result.stdout)
    assert record["quotes"] == []


def test_a_few_control_characters_are_still_text(runner, tmp_path) -> None:
    # A terminal log pasted into a release: ANSI colours, a bell, a backspace.
    text = "The President said: \u201cWe \x1b[31mwill\x1b[0m build\x07 it\x08.\u201d\n"
    path = _write(tmp_path / "ansi.txt", text)
    result = runner.invoke(cli, ["extract", path, "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    (q,) = _records(result.stdout)[0]["quotes"]
    assert q["quote"] == "We \x1b[31mwill\x1b[0m build\x07 it\x08." == text[q["start"] : q["end"]]
    assert q["speaker_mention"] == "The President" and q["cue"] == "said"


# --- folders: loops, pipes, dangling links, files that vanish -------------------------------


def test_symlink_loops_end_and_each_file_is_read_once(runner, tmp_path) -> None:
    top = tmp_path / "d"
    _write(top / "a.txt", QUOTED)
    _write(top / "sub" / "b.txt", QUOTED)
    os.symlink(top, top / "sub" / "up")  # absolute loop
    os.symlink("..", top / "sub" / "parent")  # relative loop
    os.symlink("self.txt", top / "self.txt")  # a link to itself
    result = runner.invoke(cli, ["extract", str(top), "-f", "jsonl"])
    _no_traceback(result)
    assert sorted(r["id"] for r in _records(result.stdout)) == [str(top / "a.txt"), str(top / "sub" / "b.txt")]
    assert _errors(result.stderr) == [f"quotetool: error: {top / 'self.txt'}: broken symbolic link"]


def test_dangling_symlink_in_a_folder(tmp_path) -> None:
    _write(tmp_path / "a.txt", QUOTED)
    os.symlink(tmp_path / "gone.txt", tmp_path / "b.txt")
    got = list(iter_sources([str(tmp_path)]))
    assert isinstance(got[0], Source)
    assert got[1] == SourceError(str(tmp_path / "b.txt"), "broken symbolic link")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_in_a_folder_is_an_error_not_a_hang(tmp_path) -> None:
    _write(tmp_path / "a.txt", QUOTED)
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would wait for a writer forever
    got = list(iter_sources([str(tmp_path)]))
    assert isinstance(got[0], Source)
    assert got[1] == SourceError(str(tmp_path / "pipe.txt"), "not a regular file (a named pipe)")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_file_swapped_for_a_pipe_after_the_walk_is_not_waited_for(tmp_path, monkeypatch) -> None:
    _write(tmp_path / "a.txt", QUOTED)
    real_walk = sources._walk

    def walk(top, patterns):
        for item in real_walk(top, patterns):
            if isinstance(item, str):
                os.remove(item)
                os.mkfifo(item)  # between the listing and the read
            yield item

    monkeypatch.setattr(sources, "_walk", walk)
    assert list(iter_sources([str(tmp_path)])) == [
        SourceError(str(tmp_path / "a.txt"), "not a regular file (a named pipe)")
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_counting_for_the_progress_bar_never_reads_a_pipe(tmp_path) -> None:
    import threading

    from quotetool.sources import count_sources

    pipe = tmp_path / "feed.jsonl"
    os.mkfifo(pipe)  # named on the command line: read when its turn comes, never counted
    got: list[int] = []
    t = threading.Thread(target=lambda: got.append(count_sources([str(pipe)])), daemon=True)
    t.start()
    t.join(10)
    assert got == [1]


def test_a_file_deleted_between_listing_and_reading(runner, tmp_path, monkeypatch) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        _write(tmp_path / "d" / name, QUOTED)
    real_walk = sources._walk

    def walk(top, patterns):
        for item in real_walk(top, patterns):
            if isinstance(item, str) and item.endswith("b.txt"):
                os.remove(item)  # listed, then gone before it is read
            yield item

    monkeypatch.setattr(sources, "_walk", walk)
    result = runner.invoke(cli, ["extract", str(tmp_path / "d"), "-f", "jsonl"])
    _no_traceback(result)
    assert result.exit_code == 1
    b = tmp_path / "d" / "b.txt"
    assert _errors(result.stderr) == [f"quotetool: error: {b}: No such file or directory"]
    assert [os.path.basename(r["id"]) for r in _records(result.stdout)] == ["a.txt", "c.txt"]


def test_a_folder_deleted_mid_walk(tmp_path, monkeypatch) -> None:
    _write(tmp_path / "a" / "x.txt", QUOTED)
    _write(tmp_path / "b" / "y.txt", QUOTED)
    got = []
    for item in iter_sources([str(tmp_path)]):
        got.append(item)
        if len(got) == 1:
            (tmp_path / "b" / "y.txt").unlink()
            (tmp_path / "b").rmdir()
    assert isinstance(got[0], Source)
    assert got[1] == SourceError(str(tmp_path / "b"), "No such file or directory")


def test_a_read_error_mid_file_costs_that_file_only(runner, tmp_path, monkeypatch) -> None:
    good = _write(tmp_path / "good.txt", QUOTED)
    bad = _write(tmp_path / "bad.txt", QUOTED)
    real_open = open

    class Failing:  # a real open file whose read fails, as on a bad disk
        def __init__(self, f):
            self.f = f

        def fileno(self):
            return self.f.fileno()

        def read(self, *args):
            raise OSError(5, "Input/output error")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

    def fake_open(path, *args, **kwargs):
        f = real_open(path, *args, **kwargs)
        return Failing(f) if str(path) == bad else f

    monkeypatch.setattr(sources, "open", fake_open, raising=False)
    result = runner.invoke(cli, ["extract", bad, good, "-f", "jsonl"])
    _no_traceback(result)
    assert _errors(result.stderr) == [f"quotetool: error: {bad}: Input/output error"]
    assert [r["id"] for r in _records(result.stdout)] == [good]


def test_a_folder_nested_deeper_than_the_recursion_limit(tmp_path, monkeypatch) -> None:
    depth = sys.getrecursionlimit() + 100
    monkeypatch.chdir(tmp_path)  # relative paths keep every path under PATH_MAX
    fd = os.open(".", os.O_RDONLY)
    try:
        for _ in range(depth):  # os.makedirs itself recurses
            os.mkdir("d")
            os.chdir("d")
        with open("deep.txt", "w", encoding="utf-8") as f:
            f.write(QUOTED)
    finally:
        os.fchdir(fd)
        os.close(fd)
    try:
        (got,) = list(iter_sources(["d"]))
        assert isinstance(got, Source) and got.id.endswith(os.path.join("d", "deep.txt")) and got.text == QUOTED
    finally:  # remove it bottom-up here: shutil.rmtree (pytest's clean-up) recurses
        fd = os.open(".", os.O_RDONLY)
        try:
            for _ in range(depth):
                os.chdir("d")
            os.remove("deep.txt")
            for _ in range(depth):
                os.chdir("..")
                os.rmdir("d")
        finally:
            os.fchdir(fd)
            os.close(fd)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch) -> None:
    path = _write(tmp_path / "big.txt", b"x" * 1000)
    (err,) = iter_sources([path], max_bytes=999)
    assert err == SourceError(path, "too large (over 999 bytes)")


# --- corpora: surrogates, NULs, UTF-16 ------------------------------------------------------


def test_corpus_with_lone_surrogates_controls_and_nuls(runner, tmp_path) -> None:
    lines = [
        r'{"id": "s1", "text": "He said: \"We \ud800 will\u0000 win \u001b[31m now.\" \u2028 ok"}',
        r'{"id": "s2", "text": "\udfff\u201cLone,\u201d Jane Roe said."}',
        r'{"id": "\u001b[2Jevil\ud800", "text": "\u201c=HYPERLINK(1),\u201d Jane Roe said.\u0085"}',
    ]
    corpus = _write(tmp_path / "c.jsonl", "\n".join(lines) + "\n")
    for fmt in ("jsonl", "json", "csv", "tsv", "table", "html"):
        result = runner.invoke(cli, ["extract", corpus, "-f", fmt])
        _no_traceback(result)
        assert result.exit_code == 0, result.stderr
        result.stdout.encode("utf-8")  # nothing unencodable reaches the output
    records = _records(runner.invoke(cli, ["extract", corpus, "-f", "jsonl"]).stdout)
    texts = [json.loads(line)["text"] for line in lines]
    assert [r["id"] for r in records] == ["s1", "s2", "\x1b[2Jevil\ud800"]
    for record, text in zip(records, texts):
        assert record["quotes"], record
        for q in record["quotes"]:
            assert text[q["start"] : q["end"]] == q["quote"]
    assert records[1]["quotes"][0]["speaker"] == "Jane Roe"


def test_utf16_corpus(tmp_path) -> None:
    lines = [json.dumps({"id": "a", "text": QUOTED}, ensure_ascii=False), json.dumps({"id": "b", "text": "x"})]
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        path = _write(tmp_path / f"{codec}.jsonl", bom + "\r\n".join(lines).encode(codec))
        assert list(iter_sources([path])) == [Source("a", QUOTED, codec, path), Source("b", "x", codec, path)]


# --- text clean-up: attribution sees through it, offsets stay in the original ---------------

CLEANUP = [
    pytest.param("President Aleksandr Lukashenko spoke on Monday.\n\n\u201cWe will win,\u201d the\u00a0President said.",
                 [("We will win,", "Aleksandr Lukashenko", "the President")], id="nbsp-in-role"),
    pytest.param("\u201cWin,\u201d said Jane\u00a0Roe.", [("Win,", "Jane Roe", "Jane Roe")], id="nbsp-in-name"),
    pytest.param("\u201cWe will\r\nbuild it,\u201d Jane\r\nRoe said.\r\n",
                 [("We will\r\nbuild it,", "Jane Roe", "Jane Roe")], id="crlf-hard-wrap"),
    pytest.param("\u201cLine\rtwo,\u201d Jane Roe said.\r\r\u201cNext,\u201d John Doe said.",
                 [("Line\rtwo,", "Jane Roe", "Jane Roe"), ("Next,", "John Doe", "John Doe")], id="old-mac-cr"),
    pytest.param("\u201cWe will\u2028win,\u201d Jane Roe\u2028said.", [("We will\u2028win,", "Jane Roe", "Jane Roe")],
                 id="line-separator"),
    pytest.param("**Jane Roe:** \u201cWe will win.\u201d", [("We will win.", "Jane Roe", "Jane Roe")],
                 id="markdown-bold-label"),
    pytest.param("[Jane Roe](https://x.org/jane_roe) said: \u201cGo ahead.\u201d", [("Go ahead.", "Jane Roe", "Jane Roe")],
                 id="markdown-link"),
    pytest.param("> \u201cQuoted in a block,\u201d Jane Roe wrote,\n> across a hard\n> wrap.",
                 [("Quoted in a block,", "Jane Roe", "Jane Roe")], id="markdown-blockquote"),
    pytest.param("Jane Roe arrived. &ldquo;Hello,&rdquo; she said.", [("Hello,", "Jane Roe", "she")], id="html-curly-entities"),
    pytest.param("<p><b>John Doe</b> said: &quot;Bye.&quot;</p>", [("Bye.", "John Doe", "John Doe")],
                 id="html-quot-entities-and-tags"),
    pytest.param("&#8220;Yes,&#x201D; Jane Roe said &#x2014; and left.", [("Yes,", "Jane Roe", "Jane Roe")],
                 id="numeric-entities"),
    pytest.param("Kevin O&rsquo;Brien said: &ldquo;Don&rsquo;t go.&rdquo;",
                 [("Don&rsquo;t go.", "Kevin O\u2019Brien", "Kevin O\u2019Brien")], id="entity-inside-a-name"),
    pytest.param("<p>Intro.</p><p>&ldquo;Go,&rdquo; Jane Roe said.</p>", [("Go,", "Jane Roe", "Jane Roe")],
                 id="html-paragraphs-on-one-line"),
    pytest.param("\u201cWe \x1b[31mwill\x1b[0m win,\u201d Jane Roe said.",
                 [("We \x1b[31mwill\x1b[0m win,", "Jane Roe", "Jane Roe")], id="ansi-escapes"),
    pytest.param("Jane Roe said: \u201cWe \ud800 will win.\u201d", [("We \ud800 will win.", "Jane Roe", "Jane Roe")],
                 id="lone-surrogate"),
    pytest.param("Jane Roe said: \u201cWe\x00 will\x0b win.\u201d", [("We\x00 will\x0b win.", "Jane Roe", "Jane Roe")],
                 id="nul-and-vertical-tab"),
]


@pytest.mark.parametrize("text, expected", CLEANUP)
def test_attribution_sees_through_debris_and_offsets_stay_in_the_original(nlp, text, expected) -> None:
    doc = pipeline.extract(text, nlp=nlp)
    for q in doc.quotes:
        assert text[q.start : q.end] == q.quote
    assert [(q.quote, q.speaker, q.speaker_mention) for q in doc.quotes] == expected


@pytest.mark.parametrize("text", [p.values[0] for p in CLEANUP])
def test_clean_view_has_the_same_length(text) -> None:
    view = clean_view(text)
    assert len(view) == len(text)
    view.encode("utf-8")


def test_entities_put_quote_marks_next_to_their_words() -> None:
    text = "said: &quot;Bye&quot; &amp; &ldquo;&hellip;and&rdquo;. AT&amp;T"
    view = clean_view(text)
    assert view == 'said:      "Bye"      &           \u201c\u2026       and\u201d      . AT    &T'
    assert [text[q.start : q.end] for q in find_quote_spans(view)] == ["Bye", "&hellip;and"]


@pytest.mark.parametrize("text, quotes", [
    ("&ldquo;Wait&hellip;&rdquo; she said", ["Wait&hellip;"]),
    ("&ldquo;I was&mdash;&rdquo; he said", ["I was&mdash;"]),
    ("&ldquo;The dogs&rsquo;&rdquo; he said", ["The dogs&rsquo;"]),
    ("\u201cHi O&rsquo;Brien \u201d", ["Hi O&rsquo;Brien"]),
    ("\u201cHi O&rsquo;Brien\n\nNext", ["Hi O&rsquo;Brien"]),
    ("&ldquo;I&rsquo;m here,&rdquo; Biden&rsquo;s aide said.", ["I&rsquo;m here,"]),
])
def test_a_quote_never_starts_or_ends_inside_an_entity(text, quotes) -> None:
    assert [text[q.start : q.end] for q in find_quote_spans(clean_view(text))] == quotes


@pytest.mark.parametrize("encoding, text", [
    ("cp1252", "\u201cCaf\u00e9 cr\u00e8me,\u201d Jane Roe said \u2014 twice.\r\n"),
    ("cp1251", "\u00ab\u041c\u044b \u043f\u043e\u0431\u0435\u0434\u0438\u043c\u00bb, \u2014 \u0441\u043a\u0430\u0437\u0430\u043b \u043f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442.\n"),
    ("latin-1", "\u00abNous gagnerons\u00bb, a d\u00e9clar\u00e9 le pr\u00e9sident \u00e0 Paris.\n"),
    ("utf-16", QUOTED.replace(" said", "\u00a0said")),
])
def test_legacy_and_utf16_files_decode_and_offsets_hold(runner, tmp_path, encoding, text) -> None:
    path = _write(tmp_path / "f.txt", text.encode(encoding))
    result = runner.invoke(cli, ["extract", path, "-f", "jsonl", "--with-text"])
    assert result.exit_code == 0, result.stderr
    (record,) = _records(result.stdout)
    assert record["text"] == text
    assert record["quotes"]
    for q in record["quotes"]:
        assert text[q["start"] : q["end"]] == q["quote"]


# --- big and pathological marks (no timing here: bench/fuzz.py measures) -------------------


@pytest.mark.parametrize("text", [
    pytest.param('"' * 1_000_000, id="a-million-straight-marks"),
    pytest.param("\u201c" * 200_000 + "\u201d" * 200_000, id="deeply-nested-curly"),
    pytest.param("He said " + "\u201ca \u2018b " * 20_000 + "end.", id="nested-unclosed"),
    pytest.param("\u201c a. " * 40_000, id="unbalanced"),
    pytest.param("<!--" * 50_000 + "&amp" * 50_000 + "](" * 50_000, id="unclosed-debris"),
])
def test_pathological_marks_give_a_result(nlp, text) -> None:
    doc = pipeline.extract(text, nlp=nlp)
    for q in doc.quotes:
        assert text[q.start : q.end] == q.quote


@pytest.mark.parametrize("word", ["\u201c" * 19_000, "!" * 250, "x" * 101, "https://x.org/" + "a/" * 500])
def test_the_parser_never_sees_an_overlong_word(word) -> None:
    # spaCy's affix splitting is quadratic in a word's length: 19,000 marks in a row
    # took 20 s to tokenize. The parser's view cuts such runs; same length, same offsets.
    from quotetool.textview import MAX_WORD, parse_view

    text = "He said: " + word + "\nend"
    view = parse_view(clean_view(text))
    assert len(view) == len(text)
    assert max(len(w) for w in view.split()) <= MAX_WORD
    assert "\n" not in view


# --- output safety ---------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\tleading tab", "\rleading CR", "\uff1d1+1"]


@pytest.mark.parametrize("cell", FORMULAS)
def test_csv_cells_cannot_start_a_formula(cell) -> None:
    out = io.StringIO()
    w = render.CsvWriter(out)
    w.write({"id": cell, "header": {"title": cell, "source": cell},
             "quotes": [{"start": 0, "end": 1, "quote": cell, "quote_clean": cell, "speaker": cell,
                         "speaker_mention": cell, "cue": cell, "speaker_source": "name"}]})
    (header, row) = list(csv.reader(io.StringIO(out.getvalue())))
    for name in ("id", "title", "source", "speaker", "speaker_mention", "cue", "quote_clean", "quote"):
        assert row[header.index(name)] == "'" + cell, name


def test_csv_through_the_cli(runner, tmp_path) -> None:
    text = "\u201c=HYPERLINK(A1),\u201d Jane Roe said.\n\n\u201c@SUM(A1),\u201d John Doe said.\n"
    path = _write(tmp_path / "f.txt", text)
    result = runner.invoke(cli, ["extract", path, "-f", "csv"])
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [r[-1] for r in rows[1:]] == ["'=HYPERLINK(A1),", "'@SUM(A1),"]


@pytest.mark.parametrize("value", [
    "lone \ud800 surrogate", "\udfff", "nul \x00 bel \x07 esc \x1b[31m", "c1 \x85 \x9b", "ls \u2028 ps \u2029",
    "bidi \u202e", "bom \ufeff", "\U0001f600 emoji",
])
def test_json_and_jsonl_are_valid_for_any_string(value) -> None:
    record = {"id": value, "header": {"title": value}, "quotes": [{"quote": value, "start": 0, "end": len(value)}]}
    for cls in (render.JsonlWriter, render.JsonWriter):
        out = io.StringIO()
        w = cls(out)
        w.write(record)
        w.close()
        data = out.getvalue().encode("utf-8")  # encodable
        text = data.decode("utf-8")
        parsed = _strict_json(text) if cls is render.JsonWriter else _strict_json(text.splitlines()[0])
        got = parsed[0] if isinstance(parsed, list) else parsed
        assert got["quotes"][0]["quote"] == value  # the same string back: offsets still hold
        assert len(text.splitlines()) == (1 if cls is render.JsonlWriter else 3)


def test_json_is_valid_for_odd_header_values() -> None:
    import datetime

    header = {"nan": math.nan, "inf": -math.inf, "list": [{datetime.date(2020, 1, 2): 1, 3: math.inf}],
              "date": datetime.date(2020, 1, 2), "set": {1}}
    got = _strict_json(render.dumps({"id": "x", "header": header, "quotes": []}))
    assert got["header"] == {"nan": "nan", "inf": "-inf", "list": [{"2020-01-02": 1, "3": "inf"}],
                             "date": "2020-01-02", "set": "{1}"}


def test_yaml_front_matter_with_nan_gives_valid_json(runner, tmp_path) -> None:
    path = _write(tmp_path / "f.md", "---\ntitle: T\nscore: .nan\nwhen: 2020-01-02\n---\n" + QUOTED)
    result = runner.invoke(cli, ["extract", path, "-f", "jsonl"])
    (record,) = _records(result.stdout)
    assert record["header"]["score"] == "nan"


EVIL = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b31m\rOVERWRITE\u202eevil\x08\x08\u2028"


def test_table_cannot_be_hijacked_through_the_cli(runner, tmp_path) -> None:
    text = f"---\ntitle: {EVIL}\n---\n\u201c{EVIL},\u201d Jane Roe said.\n"
    path = _write(tmp_path / "evil\x1b[31m.txt", text)
    result = runner.invoke(cli, ["extract", path, "-f", "table"])
    assert result.exit_code == 0, result.stderr
    for raw in ("\x1b", "\x9b", "\x07", "\x08", "\r", "\u202e", "\u2028"):
        assert raw not in result.stdout, repr(raw)
        assert raw not in result.stderr, repr(raw)
    assert "\\x1b]0;pwned" in result.stdout and "\\u202e" in result.stdout


def test_error_messages_cannot_drive_the_terminal(runner, tmp_path) -> None:
    path = _write(tmp_path / "evil\x1b]0;x\x07.txt", b"\x00binary")
    result = runner.invoke(cli, ["extract", path])
    (line,) = _errors(result.stderr)
    assert "\x1b" not in line and "\x07" not in line
    assert line.endswith(": binary file")


def test_a_file_name_with_a_newline_cannot_forge_an_error_line(runner, tmp_path) -> None:
    path = _write(tmp_path / "x\nquotetool: error: fake.txt: binary file\n\t.txt", b"\x00")
    result = runner.invoke(cli, ["extract", path])
    (line,) = _errors(result.stderr)
    assert "\\nquotetool: error: fake.txt: binary file\\n\\t.txt: binary file" in line


# --- output errors ---------------------------------------------------------------------------


def test_a_full_disk_is_a_one_line_error(runner, tmp_path, monkeypatch) -> None:
    path = _write(tmp_path / "f.txt", QUOTED)

    def full(self, record):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(render.JsonlWriter, "write", full)
    result = runner.invoke(cli, ["extract", path, "-f", "jsonl"])
    _no_traceback(result)
    assert result.exit_code == 1
    assert _errors(result.stderr) == ["quotetool: error: <stdout>: No space left on device"]
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["extract", path, "-o", str(out)])
    _no_traceback(result)
    assert _errors(result.stderr) == [f"quotetool: error: {out}: No space left on device"]
    assert os.listdir(tmp_path) == ["f.txt"]  # no output, no temporary file left


# --- headers: YAML front matter can't blow up a record -------------------------------------


def test_yaml_alias_bomb_in_front_matter_stays_small() -> None:
    from quotetool.release import parse_release

    lines = ["---", "title: x", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 6)]
    text = "\n".join(lines + ["---", QUOTED])
    header = parse_release(text).header
    assert len(render.dumps({"header": header})) < 100 * len(text)


# --- a huge lead-in paragraph costs at most its own document ------------------------------


def test_a_huge_lead_in_paragraph_costs_at_most_its_own_document(runner, tmp_path) -> None:
    other = _write(tmp_path / "a.txt", QUOTED)
    lead = _write(tmp_path / "b.txt", "Jane Roe spoke at length " * 50_000 + "and concluded:\n\n\u201cWe will win.\u201d\n")
    result = runner.invoke(cli, ["extract", other, lead, "-f", "jsonl"])
    _no_traceback(result)
    assert [r["id"] for r in _records(result.stdout)] == [other, lead]
