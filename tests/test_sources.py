"""sources.py: walking paths and decoding bytes, without the pipeline."""

from __future__ import annotations

import codecs
import io
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotetool import sources
from quotetool.sources import (
    DecodeError,
    Source,
    SourceError,
    count_sources,
    decode_bytes,
    iter_sources,
)

CURLY = "The minister said: “We will build it,” and left the café."


# --- decode_bytes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, text, encoding",
    [
        (CURLY.encode("utf-8"), CURLY, "utf-8"),
        (codecs.BOM_UTF8 + CURLY.encode("utf-8"), CURLY, "utf-8-sig"),
        (codecs.BOM_UTF16_LE + CURLY.encode("utf-16-le"), CURLY, "utf-16-le"),
        (codecs.BOM_UTF16_BE + CURLY.encode("utf-16-be"), CURLY, "utf-16-be"),
        (CURLY.encode("cp1252"), CURLY, "cp1252"),
        ('He said “yes”.'.encode("cp1252"), "He said “yes”.", "cp1252"),
        # latin-1 text without 0x80-0x9F bytes reads the same as cp1252, the safer answer
        ("Le président a déclaré à Paris.".encode("latin-1"), "Le président a déclaré à Paris.", "cp1252"),
        ("Президент сказал: «Мы победим». Это важно.".encode("cp1251"), "Президент сказал: «Мы победим». Это важно.", "cp1251"),
        ("Привет мир".encode("cp1251"), "Привет мир", "cp1251"),
        (b"", "", "utf-8"),
        (b"  \n\t ", "  \n\t ", "utf-8"),
    ],
)
def test_decode(data: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(data) == (text, encoding)


def test_decode_cp1252_quotes_are_curly_not_c1_controls() -> None:
    text, enc = decode_bytes(b"He said \x93hi\x94 and left.")
    assert text == "He said “hi” and left." and enc == "cp1252"


@pytest.mark.parametrize("data", [b"abc\x00def", b"hello\x01\x02\x03\x04 world\x05", bytes(range(256)) * 4])
def test_decode_binary(data: bytes) -> None:
    with pytest.raises(DecodeError, match="^binary file$"):
        decode_bytes(data)


def test_decode_mostly_utf8_with_a_stray_byte_names_the_offset() -> None:
    data = ("Café “naïve” text. " * 5).encode("utf-8")
    with pytest.raises(DecodeError) as e:
        decode_bytes(data + b"\x93 more")
    assert str(e.value) == f"not valid UTF-8 (byte 0x93 at offset {len(data)}); try --encoding cp1252"


def test_decode_forced() -> None:
    assert decode_bytes("“x”".encode("cp1252"), "cp1252") == ("“x”", "cp1252")
    assert decode_bytes(codecs.BOM_UTF8 + b"x", "utf-8") == ("x", "utf-8")
    assert decode_bytes("Ж".encode("cp1251"), "windows-1251") == ("Ж", "cp1251")
    with pytest.raises(DecodeError, match=r"^not valid utf-8 \(byte 0x93 at offset 3\)$"):
        decode_bytes(b"abc\x93", "utf-8")
    with pytest.raises(DecodeError, match=r"offset 6"):  # offsets count the BOM's bytes too
        decode_bytes(codecs.BOM_UTF16_LE + b"a\x00b\x00\x00\xdc", None)


# --- iter_sources ---------------------------------------------------------------------------


def _tree(root, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


def test_folder_is_recursive_sorted_and_skips_hidden(tmp_path) -> None:
    _tree(
        tmp_path,
        {
            "corpus/b.txt": b"b",
            "corpus/a.md": b"a",
            "corpus/sub/c.txt": b"c",
            "corpus/sub/deeper/d.TXT": b"d",
            "corpus/.hidden.txt": b"h",
            "corpus/.git/e.txt": b"e",
            "corpus/notes.docx": b"x",
        },
    )
    top = str(tmp_path / "corpus")
    got = list(iter_sources([top]))
    assert [s.id for s in got] == [
        os.path.join(top, "a.md"),
        os.path.join(top, "b.txt"),
        os.path.join(top, "sub", "c.txt"),
        os.path.join(top, "sub", "deeper", "d.TXT"),
    ]
    assert [s.text for s in got] == ["a", "b", "c", "d"]
    assert all(isinstance(s, Source) and s.path == s.id for s in got)
    assert count_sources([top]) == 4


def test_ids_keep_the_path_as_given(tmp_path, monkeypatch) -> None:
    _tree(tmp_path, {"corpus/sub/a.txt": b"a", "one.txt": b"1"})
    monkeypatch.chdir(tmp_path)
    assert [s.id for s in iter_sources(["corpus", "./one.txt"])] == ["corpus/sub/a.txt", "./one.txt"]
    assert [s.id for s in iter_sources(["corpus/"])] == ["corpus/sub/a.txt"]


def test_glob_filters_folders_but_not_named_files(tmp_path) -> None:
    _tree(tmp_path, {"d/a.txt": b"a", "d/b.md": b"b", "d/sub/c.txt": b"c", "x.html": b"x"})
    d = str(tmp_path / "d")
    assert [os.path.basename(s.id) for s in iter_sources([d], glob_patterns=["*.md"])] == ["b.md"]
    assert [os.path.basename(s.id) for s in iter_sources([d], glob_patterns=["sub/*"])] == ["c.txt"]
    assert [s.text for s in iter_sources([str(tmp_path / "x.html")], glob_patterns=["*.md"])] == ["x"]


def test_empty_folder_warns(tmp_path) -> None:
    (tmp_path / "empty").mkdir()
    warnings: list[tuple[str, str]] = []
    assert list(iter_sources([str(tmp_path / "empty")], on_warning=lambda p, m: warnings.append((p, m)))) == []
    assert warnings and warnings[0][0] == str(tmp_path / "empty")


def test_symlink_loop_is_read_once(tmp_path) -> None:
    _tree(tmp_path, {"d/a.txt": b"a", "d/sub/b.txt": b"b"})
    os.symlink(tmp_path / "d", tmp_path / "d" / "sub" / "loop")
    got = list(iter_sources([str(tmp_path / "d")]))
    assert [s.text for s in got] == ["a", "b"]


def test_jsonl_corpus(tmp_path) -> None:
    lines = [
        json.dumps({"id": "doc-1", "text": "One.", "url": "x"}),
        "",
        "{not json",
        json.dumps({"id": 7, "text": "Seven."}),
        json.dumps({"text": "No id."}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "no-text"}),
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = list(iter_sources([str(corpus)]))
    c = str(corpus)
    assert got[0] == Source("doc-1", "One.", "utf-8", c)
    assert isinstance(got[1], SourceError) and got[1].id == f"{c}:3" and "JSON" in got[1].reason
    assert got[2] == Source("7", "Seven.", "utf-8", c)
    assert got[3] == Source(f"{c}:5", "No id.", "utf-8", c)
    assert [type(g) for g in got[4:]] == [SourceError, SourceError]
    assert [g.id for g in got[4:]] == [f"{c}:6", f"{c}:7"]
    assert count_sources([c]) == len(got)


def test_stdin_read_once() -> None:
    got = list(iter_sources(["-", "-"], stdin=io.BytesIO("“hi”".encode())))
    assert got[0] == Source("-", "“hi”", "utf-8", None)
    assert isinstance(got[1], SourceError) and got[1].id == "-"


def test_bad_files_are_errors_not_exceptions(tmp_path) -> None:
    _tree(tmp_path, {"bin.txt": b"\x89PNG\r\n\x1a\n\x00\x00", "big.txt": b"x" * 100, "ok.txt": b"fine"})
    paths = [str(tmp_path / n) for n in ("bin.txt", "big.txt", "gone.txt", "ok.txt")]
    got = list(iter_sources(paths, max_bytes=50))
    assert [type(g).__name__ for g in got] == ["SourceError", "SourceError", "SourceError", "Source"]
    assert got[0].reason == "binary file"
    assert got[1].reason.startswith("too large")
    assert got[2].reason == "No such file or directory"


def test_unreadable_file(tmp_path, monkeypatch) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("x")

    def denied(path, *args, **kwargs):  # chmod 0 wouldn't stop root, who runs CI
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(sources, "open", denied, raising=False)
    (err,) = iter_sources([str(p)])
    assert isinstance(err, SourceError) and err.reason == "Permission denied"


def test_forced_encoding_error_is_per_file(tmp_path) -> None:
    _tree(tmp_path, {"a.txt": b"ok", "b.txt": b"bad \x93"})
    got = list(iter_sources([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], encoding="utf-8"))
    assert isinstance(got[0], Source)
    assert got[1] == SourceError(str(tmp_path / "b.txt"), "not valid utf-8 (byte 0x93 at offset 4)")


def test_lazy(tmp_path) -> None:
    _tree(tmp_path, {"a.txt": b"a"})
    it = iter_sources([str(tmp_path / "a.txt"), str(tmp_path / "later.txt")])
    assert next(it).text == "a"
    (tmp_path / "later.txt").write_text("created after the walk started")
    assert next(it).text == "created after the walk started"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_decode_any_bytes_gives_text_or_a_clear_error(data: bytes) -> None:
    try:
        text, enc = decode_bytes(data)
    except DecodeError as e:
        assert str(e) == "binary file" or "at offset" in str(e)
    else:
        assert codecs.lookup(enc) and isinstance(text, str)
        assert not any("\x80" <= ch <= "\x9f" for ch in text) or enc.startswith("utf")
