"""The `quotetool` command, through click's CliRunner, on files made under tmp_path.

These check structure, ids, streams and exit codes; what the quotes contain is the
pipeline's business (tests of their content live with the pipeline).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import subprocess
import sys

import pytest

from quotetool import pipeline
from quotetool.cli import cli
from quotetool.models import Document, Quote

QUOTED = "“We will win [sic] the match this year,” said John Smith, the team's coach.\n"


def _lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def _write(path, data: bytes | str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return str(path)


# --- help, version, entry points ------------------------------------------------------------


def test_help_lists_formats_and_defaults(runner) -> None:
    for args in (["--help"], ["-h"], ["extract", "--help"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    out = runner.invoke(cli, ["extract", "-h"]).stdout
    assert "[table|json|jsonl|csv|tsv|html]" in out
    assert "*.txt, *.md, *.jsonl" in out


def test_every_command_has_an_example(runner) -> None:
    assert "Example:" in (cli.help or "")
    for name, command in cli.commands.items():
        assert command.help and "Example:" in command.help and "\b" in command.help, name


def test_version(runner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and "quotetool" in result.stdout


def test_python_dash_m_and_no_spacy_for_help() -> None:
    result = subprocess.run([sys.executable, "-m", "quotetool", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "extract" in result.stdout
    check = "import sys, quotetool.cli; bad = {'spacy', 'rich'} & set(sys.modules); assert not bad, bad"
    subprocess.run([sys.executable, "-c", check], check=True)


# --- formats --------------------------------------------------------------------------------


def test_default_format_when_piped_is_jsonl(runner, tmp_path) -> None:
    a = _write(tmp_path / "a.txt", QUOTED)
    b = _write(tmp_path / "b.txt", "No quotes here.\n")
    result = runner.invoke(cli, ["extract", a, b])
    assert result.exit_code == 0, result.stderr
    docs = _lines(result.stdout)
    assert [d["id"] for d in docs] == [a, b]
    for d in docs:
        assert set(d) >= {"id", "encoding", "header", "quotes"} and "text" not in d
        for q in d["quotes"]:
            assert set(q) >= {"start", "end", "quote", "speaker", "speaker_mention", "cue", "speaker_source"}
    # diagnostics and the summary go to stderr only
    assert "2 files read" in result.stderr
    assert docs[1]["quotes"] == []


def test_with_text_offsets_point_into_the_text(runner, tmp_path) -> None:
    a = _write(tmp_path / "a.txt", QUOTED)
    (doc,) = _lines(runner.invoke(cli, ["extract", a, "--with-text", "-f", "jsonl"]).stdout)
    assert doc["text"] == QUOTED
    for q in doc["quotes"]:
        assert doc["text"][q["start"] : q["end"]] == q["quote"]


def test_json_array(runner, tmp_path) -> None:
    a = _write(tmp_path / "a.txt", QUOTED)
    b = _write(tmp_path / "b.txt", "Nothing.")
    result = runner.invoke(cli, ["extract", "-f", "json", a, b])
    assert result.exit_code == 0
    assert [d["id"] for d in json.loads(result.stdout)] == [a, b]


def test_csv_header_and_neutralised_cells(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # relative ids, so one can start with "="
    _write(tmp_path / "=cmd.txt", QUOTED)
    result = runner.invoke(cli, ["extract", "-f", "csv", "=cmd.txt"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["id", "date", "title", "source", "start", "end", "speaker", "speaker_mention", "cue",
                       "speaker_source", "quote_clean", "quote"]
    assert len(rows) >= 2  # an obvious quote is found
    assert all(row[0] == "'=cmd.txt" for row in rows[1:])


def test_table_shows_brackets_literally(runner, tmp_path) -> None:
    a = _write(tmp_path / "a.txt", QUOTED)
    result = runner.invoke(cli, ["extract", "-f", "table", a])
    assert result.exit_code == 0
    assert a in result.stdout.replace("\n", "") or os.path.basename(a) in result.stdout
    assert "[sic]" in result.stdout


def test_stdin(runner) -> None:
    result = runner.invoke(cli, ["extract", "-"], input=QUOTED.encode("utf-8"))
    assert result.exit_code == 0
    (doc,) = _lines(result.stdout)
    assert doc["id"] == "-" and doc["encoding"] == "utf-8"


# --- -o FILE --------------------------------------------------------------------------------


@pytest.mark.parametrize("name, kind", [("out.jsonl", "jsonl"), ("out.json", "json"), ("out.csv", "csv"),
                                        ("out.TSV", "tsv"), ("report.html", "html"), ("quotes.txt", "table")])
def test_output_file_format_from_suffix_and_no_temp_file(runner, tmp_path, name, kind) -> None:
    a = _write(tmp_path / "in" / "a.txt", QUOTED)
    out = tmp_path / "out" / name
    out.parent.mkdir()
    result = runner.invoke(cli, ["extract", a, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert os.listdir(out.parent) == [name]
    content = out.read_text(encoding="utf-8")
    if kind == "jsonl":
        assert [d["id"] for d in _lines(content)] == [a]
    elif kind == "json":
        assert [d["id"] for d in json.loads(content)] == [a]
    elif kind == "csv":
        assert content.startswith("id,date,title,source,start,end,")
    elif kind == "tsv":
        assert content.startswith("id\tdate\ttitle\tsource\tstart\tend\t")
    elif kind == "html":
        assert content.startswith("<!DOCTYPE html>") and content.rstrip().endswith("</html>")
        assert "<mark " in content and "We will win [sic] the match this year" in content
    else:
        assert a in content and "John Smith" in content and "\x1b" not in content  # a plain table
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)  # not mkstemp's private mode


@pytest.mark.parametrize("name", ["out.dat", "out", "speakers.html"])
def test_output_suffix_no_format_has_is_a_usage_error(runner, tmp_path, name) -> None:
    a = _write(tmp_path / "a.txt", QUOTED)
    out = tmp_path / name
    command = "speakers" if name.startswith("speakers") else "extract"
    result = runner.invoke(cli, [command, a, "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "can't tell the format" in result.stderr and ".jsonl" in result.stderr and "-f [table|json" in result.stderr
    assert not out.exists() and os.listdir(tmp_path) == ["a.txt"]
    # -f says it, whatever the suffix
    assert runner.invoke(cli, ["extract", a, "-o", str(tmp_path / "out.dat"), "-f", "jsonl"]).exit_code == 0

def test_output_file_keeps_good_records_when_an_input_fails(runner, tmp_path) -> None:
    good = _write(tmp_path / "good.txt", QUOTED)
    bad = _write(tmp_path / "bad.txt", b"\x00\x01binary")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["extract", good, bad, "-o", str(out)])
    assert result.exit_code == 1
    assert f"quotetool: error: {bad}: binary file" in result.stderr
    assert [d["id"] for d in _lines(out.read_text())] == [good]
    assert sorted(os.listdir(tmp_path)) == ["bad.txt", "good.txt", "out.jsonl"]


def test_model_missing_is_one_line_and_leaves_no_file(runner, tmp_path) -> None:
    a = _write(tmp_path / "a.txt", QUOTED)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["extract", a, "--model", "no_such_model_xyz", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith("quotetool: error: ") and "no_such_model_xyz" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert os.listdir(tmp_path) == ["a.txt"]


def _fake_extract_many(stop_after: int):
    """A pipeline stand-in that yields `stop_after` documents, then is interrupted."""

    def fake(items, **kwargs):
        for n, (id_, text, enc) in enumerate(items):
            if n == stop_after:
                raise KeyboardInterrupt
            yield Document(id=id_, text=text, encoding=enc, quotes=[Quote(0, 1, text[:1])])

    return fake


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "tsv", "html"])
def test_ctrl_c_keeps_whole_documents_in_file_partial(runner, tmp_path, monkeypatch, fmt) -> None:
    paths = [_write(tmp_path / "in" / f"{i}.txt", f"text {i}") for i in range(3)]
    out = tmp_path / f"out.{fmt}"
    monkeypatch.setattr(pipeline, "extract_many", _fake_extract_many(2))
    result = runner.invoke(cli, ["extract", *paths, "-o", str(out), "--keep-partial"])
    assert result.exit_code == 130
    assert result.stderr == (f"quotetool: interrupted (SIGINT) after 2 inputs; {out} not written; "
                             f"2 complete documents kept in {out}.partial\n")
    assert sorted(os.listdir(tmp_path)) == ["in", out.name + ".partial"]
    content = (tmp_path / (out.name + ".partial")).read_text()
    if fmt == "jsonl":
        assert [d["id"] for d in _lines(content)] == paths[:2]
    elif fmt == "json":
        assert [d["id"] for d in json.loads(content)] == paths[:2]
    elif fmt == "csv":
        assert [r[0] for r in csv.reader(io.StringIO(content))] == ["id", *paths[:2]]
    elif fmt == "tsv":
        assert [line.split("\t")[0] for line in content.splitlines()] == ["id", *paths[:2]]
    else:  # the page is closed: what was written stays a whole page
        assert content.count("<article ") == 2 and content.rstrip().endswith("</html>")


def test_ctrl_c_during_speakers_leaves_the_output_as_it_was(runner, tmp_path, monkeypatch) -> None:
    paths = [_write(tmp_path / "in" / f"{i}.txt", f"text {i}") for i in range(3)]
    out = tmp_path / "speakers.csv"
    out.write_text("old\n")
    monkeypatch.setattr(pipeline, "extract_many", _fake_extract_many(2))
    result = runner.invoke(cli, ["speakers", *paths, "-o", str(out)])
    assert result.exit_code == 130
    assert result.stderr == f"quotetool: interrupted (SIGINT) after 2 inputs; {out} left as it was\n"
    assert out.read_text() == "old\n" and sorted(os.listdir(tmp_path)) == ["in", out.name]


def test_pipeline_failure_is_reported_and_the_batch_goes_on(runner, tmp_path, monkeypatch) -> None:
    paths = [_write(tmp_path / f"{i}.txt", f"text {i}") for i in range(3)]

    def fake(items, **kwargs):
        for id_, text, enc in items:
            yield pipeline.Failure(id_, "boom") if id_ == paths[1] else Document(id=id_, text=text)

    monkeypatch.setattr(pipeline, "extract_many", fake)
    result = runner.invoke(cli, ["extract", *paths, "--errors-as-records"])
    assert result.exit_code == 1
    assert f"quotetool: error: {paths[1]}: boom" in result.stderr
    assert _lines(result.stdout)[1] == {"id": paths[1], "error": "boom"}


# --- bad inputs -----------------------------------------------------------------------------


def test_a_missing_path_is_one_line_and_the_others_go_on(runner, tmp_path) -> None:
    # Deleted after the shell's glob, or mistyped: read like a folder entry, not a usage error.
    nope = str(tmp_path / "nope.txt")
    result = runner.invoke(cli, ["extract", nope])
    assert result.exit_code == 1
    assert result.stdout == "" and result.stderr == f"quotetool: error: {nope}: No such file or directory\n"
    a = _write(tmp_path / "a.txt", QUOTED)
    result = runner.invoke(cli, ["extract", nope, a, "--errors-as-records"])
    assert result.exit_code == 1
    assert _lines(result.stdout)[0] == {"id": nope, "error": "No such file or directory"}
    assert _lines(result.stdout)[1]["id"] == a


def test_an_unreadable_path_is_one_line(runner, tmp_path) -> None:
    a = _write(tmp_path / "a.txt", QUOTED)
    secret = _write(tmp_path / "secret.txt", QUOTED)
    os.chmod(secret, 0)
    try:
        if os.access(secret, os.R_OK):
            pytest.skip("running as a user who can read any file")
        result = runner.invoke(cli, ["extract", secret, a])
    finally:
        os.chmod(secret, 0o644)
    assert result.exit_code == 1
    assert f"quotetool: error: {secret}: Permission denied\n" in result.stderr
    assert [d["id"] for d in _lines(result.stdout)] == [a]


def test_a_path_through_a_file_is_one_line(runner, tmp_path) -> None:
    a = _write(tmp_path / "a.txt", QUOTED)
    inside = os.path.join(a, "b.txt")  # unreadable for any user, root too
    result = runner.invoke(cli, ["extract", inside, a])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"quotetool: error: {inside}: Not a directory\n")
    assert [d["id"] for d in _lines(result.stdout)] == [a]


def test_no_path_reads_piped_stdin(runner) -> None:
    result = runner.invoke(cli, ["extract", "-f", "json"], input=QUOTED.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    (doc,) = json.loads(result.stdout)
    assert doc["id"] == "-" and doc["quotes"][0]["speaker"] == "John Smith"


def test_no_path_with_stdin_a_terminal_is_a_usage_error(tmp_path) -> None:
    """Run in a real pseudo-terminal: with nothing piped in, there is nothing to read."""
    import pty

    master, slave = pty.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "quotetool", "extract"], stdin=slave,
                                capture_output=True, text=True, timeout=120)
    finally:
        os.close(slave)
        os.close(master)
    assert result.returncode == 2
    assert "no PATH given" in result.stderr and result.stdout == ""

def test_unknown_encoding_is_a_usage_error(runner, tmp_path) -> None:
    a = _write(tmp_path / "a.txt", "x")
    assert runner.invoke(cli, ["extract", a, "--encoding", "no-such-codec"]).exit_code == 2


def test_binary_file(runner, tmp_path) -> None:
    a = _write(tmp_path / "a.txt", QUOTED)
    b = _write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = runner.invoke(cli, ["extract", a, b])
    assert result.exit_code == 1
    assert f"quotetool: error: {b}: binary file\n" in result.stderr
    assert [d["id"] for d in _lines(result.stdout)] == [a]
    assert "1 error" in result.stderr


def test_undecodable_with_forced_encoding(runner, tmp_path) -> None:
    b = _write(tmp_path / "cp1252.txt", QUOTED.encode("cp1252"))
    result = runner.invoke(cli, ["extract", b, "--encoding", "utf-8"])
    assert result.exit_code == 1
    assert f"quotetool: error: {b}: not valid utf-8 (byte 0x93 at offset 0)" in result.stderr
    assert result.stdout == ""


def test_stray_byte_in_utf8_names_the_offset(runner, tmp_path) -> None:
    data = ("Café “naïve” text. " * 5).encode("utf-8")
    b = _write(tmp_path / "mixed.txt", data + b"\x93")
    result = runner.invoke(cli, ["extract", b])
    assert result.exit_code == 1
    assert f"byte 0x93 at offset {len(data)}); try --encoding cp1252" in result.stderr


def test_cp1252_file_gets_curly_quotes(runner, tmp_path) -> None:
    b = _write(tmp_path / "win.txt", QUOTED.encode("cp1252"))
    result = runner.invoke(cli, ["extract", b, "--with-text"])
    assert result.exit_code == 0, result.stderr
    (doc,) = _lines(result.stdout)
    assert doc["encoding"] == "cp1252" and doc["text"] == QUOTED


def test_utf16_bom_file(runner, tmp_path) -> None:
    b = _write(tmp_path / "u16.txt", codecs.BOM_UTF16_LE + QUOTED.encode("utf-16-le"))
    result = runner.invoke(cli, ["extract", b, "--with-text"])
    assert result.exit_code == 0
    (doc,) = _lines(result.stdout)
    assert doc["encoding"] == "utf-16-le" and doc["text"] == QUOTED


def test_empty_file_warns_and_exits_0(runner, tmp_path) -> None:
    e = _write(tmp_path / "empty.txt", b"")
    w = _write(tmp_path / "blank.txt", b" \n\t\n")
    result = runner.invoke(cli, ["extract", e, w])
    assert result.exit_code == 0
    assert f"quotetool: warning: {e}: empty file" in result.stderr
    assert f"quotetool: warning: {w}: empty file" in result.stderr
    assert [(d["id"], d["quotes"]) for d in _lines(result.stdout)] == [(e, []), (w, [])]


def test_quiet_keeps_errors_only(runner, tmp_path) -> None:
    e = _write(tmp_path / "empty.txt", b"")
    b = _write(tmp_path / "bin.txt", b"\x00")
    result = runner.invoke(cli, ["extract", "-q", e, b])
    assert result.exit_code == 1
    assert result.stderr == f"quotetool: error: {b}: binary file\n"


# --- folders, corpora, globs, order ---------------------------------------------------------


def _corpus(tmp_path) -> str:
    root = tmp_path / "corpus"
    _write(root / "b.txt", QUOTED)
    _write(root / "a.md", "Plain text.")
    _write(root / "sub" / "deeper" / "c.txt", QUOTED)
    _write(root / "sub" / "notes.html", QUOTED)
    _write(root / ".hidden.txt", QUOTED)
    _write(root / ".cache" / "d.txt", QUOTED)
    _write(root / "docs.jsonl", json.dumps({"id": "doc-1", "text": QUOTED}) + "\n" + json.dumps({"id": "doc-2", "text": "x"}) + "\n")
    return str(root)


def test_folder_recursion_skips_hidden(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    _corpus(tmp_path)
    result = runner.invoke(cli, ["extract", "corpus"])
    assert result.exit_code == 0, result.stderr
    assert [d["id"] for d in _lines(result.stdout)] == [
        "corpus/a.md",
        "corpus/b.txt",
        "doc-1",
        "doc-2",
        "corpus/sub/deeper/c.txt",
    ]


def test_glob(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    _corpus(tmp_path)
    result = runner.invoke(cli, ["extract", "corpus", "--glob", "*.html", "--glob", "*.md"])
    assert [d["id"] for d in _lines(result.stdout)] == ["corpus/a.md", "corpus/sub/notes.html"]


def test_inputs_that_match_no_file_are_an_error(runner, tmp_path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    _write(empty / "notes.html", QUOTED)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["extract", str(empty), "-o", str(out)])
    assert result.exit_code == 1 and result.stdout == ""
    assert f"quotetool: warning: {empty}: no files matching" in result.stderr
    assert f"quotetool: error: no input files matched *.txt, *.md, *.jsonl in {empty}\n" in result.stderr
    assert not out.exists()


def test_an_empty_corpus_matched_a_file(runner, tmp_path) -> None:
    corpus = _write(tmp_path / "empty.jsonl", "\n")
    result = runner.invoke(cli, ["extract", corpus])
    assert result.exit_code == 0 and result.stdout == "" and "error:" not in result.stderr


def test_one_empty_folder_among_others_is_only_a_warning(runner, tmp_path) -> None:
    (tmp_path / "empty").mkdir()
    a = _write(tmp_path / "a.txt", QUOTED)
    result = runner.invoke(cli, ["extract", str(tmp_path / "empty"), a])
    assert result.exit_code == 0 and "warning" in result.stderr
    assert [d["id"] for d in _lines(result.stdout)] == [a]


def test_jsonl_corpus_ids_and_bad_line(runner, tmp_path) -> None:
    c = _write(
        tmp_path / "c.jsonl",
        json.dumps({"id": "x1", "text": QUOTED}) + "\n{broken\n" + json.dumps({"id": "x3", "text": "y"}) + "\n",
    )
    result = runner.invoke(cli, ["extract", c, "--errors-as-records"])
    assert result.exit_code == 1
    assert f"quotetool: error: {c}:2: not valid JSON" in result.stderr
    docs = _lines(result.stdout)
    assert [d["id"] for d in docs] == ["x1", f"{c}:2", "x3"]  # error record in input order
    assert "error" in docs[1] and docs[0]["encoding"] == "utf-8"


def test_mixed_inputs_keep_input_order(runner, tmp_path) -> None:
    a = _write(tmp_path / "a.txt", QUOTED)
    bad = _write(tmp_path / "bad.txt", b"\x00")
    c = _corpus(tmp_path)
    result = runner.invoke(cli, ["extract", bad, c, "-", a, "--errors-as-records", "-b", "2"], input=b"stdin text")
    assert result.exit_code == 1
    ids = [d["id"] for d in _lines(result.stdout)]
    assert ids == [bad, f"{c}/a.md", f"{c}/b.txt", "doc-1", "doc-2", f"{c}/sub/deeper/c.txt", "-", a]


@pytest.mark.slow
def test_two_processes_give_the_same_output(runner, tmp_path) -> None:
    c = _corpus(tmp_path)
    one = runner.invoke(cli, ["extract", c, "-n", "1", "-b", "1"])
    two = runner.invoke(cli, ["extract", c, "-n", "2", "-b", "1"])
    assert one.exit_code == two.exit_code == 0, two.stderr
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 5


def test_output_into_a_missing_folder(runner, tmp_path) -> None:
    a = _write(tmp_path / "a.txt", QUOTED)
    out = str(tmp_path / "no" / "such" / "dir" / "out.jsonl")
    result = runner.invoke(cli, ["extract", a, "-o", out])
    assert result.exit_code == 1
    assert result.stderr == f"quotetool: error: {out}: No such file or directory\n"


# --- the conventions of the shell -----------------------------------------------------------


def test_model_short_option_and_environment_variables(runner, tmp_path) -> None:
    a = _write(tmp_path / "a.txt", QUOTED)
    for args, env in ((["-m", "no_such_model_xyz"], {}), ([], {"QUOTETOOL_MODEL": "no_such_model_xyz"})):
        result = runner.invoke(cli, ["extract", a, *args], env=env)
        assert result.exit_code == 1 and "'no_such_model_xyz' is not installed" in result.stderr, result.stderr
    # any option, as QUOTETOOL_<COMMAND>_<OPTION>
    result = runner.invoke(cli, ["extract", a], env={"QUOTETOOL_EXTRACT_FORMAT": "json"})
    assert result.exit_code == 0 and [d["id"] for d in json.loads(result.stdout)] == [a]
    result = runner.invoke(cli, ["speakers", a], env={"QUOTETOOL_SPEAKERS_MIN_QUOTES": "2"})
    assert result.exit_code == 0 and result.stdout == ""  # John Smith has one quote


def test_raw_csv_option(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "=cmd.txt", QUOTED)
    rows = list(csv.reader(io.StringIO(runner.invoke(cli, ["extract", "-f", "tsv", "=cmd.txt", "--raw-csv"]).stdout,
                                       newline=""), delimiter="\t"))
    assert rows[1][0] == "=cmd.txt"


def _run_in_terminal(args: list[str], cwd: str) -> tuple[int, str]:
    """Run quotetool with stderr on a pseudo-terminal; return its exit status and what the terminal got."""
    import pty
    import threading

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "quotetool", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave, env={**os.environ, "COLUMNS": "100"})
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:  # keep reading, or a full terminal buffer would block the program
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the program closed its end
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        rc = proc.wait(timeout=300)
    finally:
        proc.kill()
        reader.join(timeout=30)
        os.close(master)
    return rc, b"".join(chunks).decode("utf-8", "replace")


def test_status_line_while_the_model_loads_on_a_terminal_only(runner, tmp_path) -> None:
    a = _write(tmp_path / "a.txt", QUOTED)
    rc, shown = _run_in_terminal(["extract", a, "-o", str(tmp_path / "out.jsonl")], str(tmp_path))
    assert rc == 0, shown
    assert "Loading the spaCy model" in shown and "Extracting" in shown and "1 file read" in shown
    assert _lines((tmp_path / "out.jsonl").read_text())[0]["id"] == a
    piped = runner.invoke(cli, ["extract", a])
    assert "Loading" not in piped.stderr and "Extracting" not in piped.stderr


def test_first_record_reaches_the_pipe_before_the_rest_is_read(tmp_path) -> None:
    """A corpus fed through a named pipe: the first record must come out while the tool still
    waits for the second document (a tool that batches would wait for more input, forever)."""
    import threading

    fifo = tmp_path / "corpus.jsonl"
    os.mkfifo(fifo)
    proc = subprocess.Popen([sys.executable, "-m", "quotetool", "extract", str(fifo), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    guard = threading.Timer(300, proc.kill)  # a hang fails the test instead of hanging the suite
    guard.start()
    try:
        with open(fifo, "w", encoding="utf-8") as feed:
            feed.write(json.dumps({"id": "first", "text": QUOTED}) + "\n")
            feed.flush()
            first = proc.stdout.readline()  # the rest is not written yet
            assert first, proc.stderr.read()
            assert json.loads(first)["id"] == "first"
            for i in range(3):
                feed.write(json.dumps({"id": f"doc-{i}", "text": QUOTED}) + "\n")
        rest, err = proc.communicate()
    finally:
        guard.cancel()
        proc.kill()
    assert proc.returncode == 0, err
    assert [d["id"] for d in _lines(rest)] == ["doc-0", "doc-1", "doc-2"]
