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
    assert "[table|json|jsonl|csv]" in out
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
    assert rows[0] == ["id", "start", "end", "speaker", "speaker_mention", "cue", "speaker_source", "quote"]
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


@pytest.mark.parametrize("name, kind", [("out.jsonl", "jsonl"), ("out.json", "json"), ("out.csv", "csv"), ("out.dat", "jsonl")])
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
    else:
        assert content.startswith("id,start,end,")
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)  # not mkstemp's private mode


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


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
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
    else:
        assert [r[0] for r in csv.reader(io.StringIO(content))] == ["id", *paths[:2]]


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
    assert runner.invoke(cli, ["extract"]).exit_code == 2  # no path at all is still a usage error


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


def test_folder_with_nothing_to_read_warns(runner, tmp_path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["extract", str(tmp_path / "empty")])
    assert result.exit_code == 0 and "warning" in result.stderr and result.stdout == ""


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
